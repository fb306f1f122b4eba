# Routes outside the language prefix (the sitemap, robots.txt), included by momjobs/urls.py.
from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_safe

from . import sitemaps, views_exports

# Counting and paging a million live postings is not free; crawlers can wait an hour.
SITEMAP_CACHE_SECONDS = 3600

urlpatterns = [
    path("robots.txt", views_exports.robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        require_safe(cache_page(SITEMAP_CACHE_SECONDS)(sitemaps.index)),
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        require_safe(cache_page(SITEMAP_CACHE_SECONDS)(sitemap_views.sitemap)),
        {"sitemaps": sitemaps.SITEMAPS},
        name="sitemap_section",
    ),
]
