from django.urls import path

from . import views

app_name = "territories"

urlpatterns = [
    path("territoires/", views.territory_index, name="index"),
    path("territoires/<slug:slug>/", views.territory_detail, name="territory"),
    path("departements/<str:code>/", views.departement_detail, name="departement"),
    path("regions/<str:code>/", views.region_detail, name="region"),
]
