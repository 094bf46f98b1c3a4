from django.urls import path

from . import views
from .feeds import LatestExamplesFeed

app_name = "examples"

urlpatterns = [
    path("", views.home, name="home"),
    path("exemples/", views.example_list, name="list"),
    path("exemples/export.csv", views.export_csv, name="export_csv"),
    path("exemples/export.json", views.export_json, name="export_json"),
    path("exemples/flux/", LatestExamplesFeed(), name="feed"),
    path("exemples/<slug:slug>/", views.example_detail, name="detail"),
    path("categories/", views.category_index, name="category_index"),
    path("categories/<slug:slug>/", views.category_detail, name="category"),
    path("fonctions/", views.function_index, name="function_index"),
    path("fonctions/<slug:slug>/", views.function_detail, name="function"),
    path("partenaires/", views.partner_index, name="partner_index"),
    path("partenaires/<slug:slug>/", views.partner_detail, name="partner"),
    path("a-propos/", views.about, name="about"),
]
