from django.urls import path

from . import views

app_name = "embed"

urlpatterns = [
    path("", views.selection, name="selection"),
    path("code/", views.snippet, name="code"),
]
