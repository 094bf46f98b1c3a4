from django.contrib import admin
from django.urls import include, path

from . import views

admin.site.site_header = "Faire alliance — administration"
admin.site.site_title = "Faire alliance"
admin.site.index_title = "Curation des exemples inspirants"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("_ceiling/", views.ceiling, name="ceiling"),
    path("", include("examples.urls")),
]
