from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_safe

from . import api, sitemaps, views

# Counting and paging a million live postings is not free; crawlers can wait an hour.
SITEMAP_CACHE_SECONDS = 3600

urlpatterns = [
    path("", views.home, name="home"),
    path("jobs/", views.job_list, name="job_list"),
    path("jobs/save-hours/", views.save_hours, name="save_hours"),
    path("jobs/<int:pk>/", views.posting_detail, name="posting_detail"),
]

# Outside the language prefix: the API returns codes, not labels.
api_urlpatterns = [
    path("postings/", api.postings, name="api_postings"),
    path("postings/<int:pk>/", api.posting, name="api_posting"),
    path("phases/", api.phases, name="api_phases"),
]

# Outside the language prefix: the sitemap and robots.txt.
root_urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        require_safe(cache_page(SITEMAP_CACHE_SECONDS)(sitemaps.index)),
        name="sitemap",
    ),
    # The postings' files are written directly (sitemaps.postings_section); the small sections
    # by Django's sitemaps. reverse("sitemap_section", section="postings") reaches the first.
    path(
        "sitemap-postings.xml",
        require_safe(cache_page(SITEMAP_CACHE_SECONDS)(sitemaps.postings_section)),
        name="sitemap_postings",
    ),
    path(
        "sitemap-<slug:section>.xml",
        require_safe(cache_page(SITEMAP_CACHE_SECONDS)(sitemap_views.sitemap)),
        {"sitemaps": sitemaps.SITEMAPS},
        name="sitemap_section",
    ),
]
