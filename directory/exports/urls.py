from django.urls import path
from django.views.decorators.http import require_safe

from directory.search.cache import cached_page

from . import views
from .feeds import CatalogFeed, RegionFeed

# A feed changes only with what seekers can find: kept whole under the search version.
_whole = cached_page(variant=lambda request: "")

# Phase downloads (PDF, XLSX, print page) and the Atom feeds; under the language prefix.
urlpatterns = [
    path("phases/<int:pk>/export.pdf", views.phase_pdf, name="phase_pdf"),
    path("phases/<int:pk>/export.xlsx", views.phase_xlsx, name="phase_xlsx"),
    path("phases/<int:pk>/print/", views.phase_print, name="phase_print"),
    path("feeds/catalogs/<int:pk>/", require_safe(_whole(CatalogFeed())), name="feed_catalog"),
    path("feeds/regions/<str:code>/", require_safe(_whole(RegionFeed())), name="feed_region"),
]
