from django.urls import path

from . import views

app_name = "examples"

urlpatterns = [
    path("", views.home, name="home"),
    path("exemples/", views.example_list, name="list"),
    path("exemples/<slug:slug>/", views.example_detail, name="detail"),
    path("categories/<slug:slug>/", views.category_detail, name="category"),
    path("fonctions/<slug:slug>/", views.function_detail, name="function"),
    path("a-propos/", views.about, name="about"),
]
