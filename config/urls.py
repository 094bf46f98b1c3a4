from django.contrib import admin
from django.urls import include, path

from config.health import health

admin.site.site_header = "Faire alliance — administration"
admin.site.site_title = "Faire alliance"
admin.site.index_title = "Curation des exemples inspirants"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("proposer/", include("proposals.urls")),
    path("sante/", health, name="health"),
    path("", include("examples.urls")),
    path("", include("territories.urls")),
]
