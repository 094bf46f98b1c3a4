from django.urls import path, register_converter

from . import views


class InseeCodeConverter:
    """A région or département code (84, 2A, 976): anything else is a 404 before any query."""

    regex = "[0-9A-Za-z]{1,3}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(InseeCodeConverter, "insee")

app_name = "territories"

urlpatterns = [
    path("territoires/", views.territory_index, name="index"),
    path("territoires/<slug:slug>/", views.territory_detail, name="territory"),
    path("departements/", views.departement_index, name="departement_index"),
    path("departements/<insee:code>/", views.departement_detail, name="departement"),
    path("regions/", views.region_index, name="region_index"),
    path("regions/<insee:code>/", views.region_detail, name="region"),
]
