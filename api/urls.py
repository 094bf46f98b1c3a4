from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularYAMLAPIView

# Imported for its side effect: it registers the `insee` path converter these routes use.
from territories import urls as territory_urls  # noqa: F401

from . import reference_views, views

app_name = "api"

urlpatterns = [
    path("", views.documentation, name="documentation"),
    path("v1/", views.ApiRoot.as_view(), name="root"),
    path("v1/openapi.json", SpectacularJSONAPIView.as_view(), name="schema-json"),
    path("v1/openapi.yaml", SpectacularYAMLAPIView.as_view(), name="schema-yaml"),
    path("v1/exemples/", views.ExampleList.as_view(), name="example-list"),
    path("v1/exemples/<slug:slug>/", views.ExampleDetail.as_view(), name="example-detail"),
    path("v1/categories/", reference_views.CategoryList.as_view(), name="category-list"),
    path(
        "v1/categories/<slug:slug>/",
        reference_views.CategoryDetail.as_view(),
        name="category-detail",
    ),
    path("v1/fonctions/", reference_views.FunctionList.as_view(), name="function-list"),
    path(
        "v1/fonctions/<slug:slug>/",
        reference_views.FunctionDetail.as_view(),
        name="function-detail",
    ),
    path("v1/themes/", reference_views.ThemeList.as_view(), name="theme-list"),
    path("v1/themes/<slug:slug>/", reference_views.ThemeDetail.as_view(), name="theme-detail"),
    path("v1/regions/", reference_views.RegionList.as_view(), name="region-list"),
    path("v1/regions/<insee:code>/", reference_views.RegionDetail.as_view(), name="region-detail"),
    path("v1/departements/", reference_views.DepartementList.as_view(), name="departement-list"),
    path(
        "v1/departements/<insee:code>/",
        reference_views.DepartementDetail.as_view(),
        name="departement-detail",
    ),
    path("v1/territoires/", reference_views.TerritoryList.as_view(), name="territory-list"),
    path(
        "v1/territoires/<slug:slug>/",
        reference_views.TerritoryDetail.as_view(),
        name="territory-detail",
    ),
    path("v1/partenaires/", reference_views.PartnerList.as_view(), name="partner-list"),
    path(
        "v1/partenaires/<slug:slug>/",
        reference_views.PartnerDetail.as_view(),
        name="partner-detail",
    ),
]
