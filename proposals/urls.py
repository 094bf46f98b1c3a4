from django.urls import path

from . import views

app_name = "proposals"

urlpatterns = [
    path("", views.propose, name="propose"),
    path("merci/", views.thanks, name="thanks"),
]
