from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from config.health import health
from examples.sitemaps import SITEMAPS
from examples.views import robots_txt

from . import views

admin.site.site_header = "Faire alliance — administration"
admin.site.site_title = "Faire alliance"
admin.site.index_title = "Curation des exemples inspirants"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("proposer/", include("proposals.urls")),
    path("api/", include("api.urls")),
    path("integrer/", include("embed.urls")),
    path("sante/", health, name="health"),
    path("robots.txt", robots_txt, name="robots"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap-index",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("favicon.ico", views.favicon, name="favicon"),
    path("", include("pages.urls")),
    path("", include("examples.urls")),
    path("", include("territories.urls")),
]
