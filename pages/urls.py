from django.urls import path

from . import views

app_name = "pages"

urlpatterns = [
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("donnees-personnelles/", views.personal_data, name="personal_data"),
    path("contact/", views.contact, name="contact"),
    path("plan-du-site/", views.site_map, name="site_map"),
]
