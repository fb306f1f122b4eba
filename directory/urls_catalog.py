# Public pages of the bureaus issue, one module per feature so they can grow apart.
from django.urls import include, path

urlpatterns = [
    # Phase downloads (XLSX, PDF, print page) and Atom feeds.
    path("", include("directory.urls_exports")),
    # Reporting a posting.
    path("", include("directory.urls_reports")),
    # The public employer directory /employers/.
    path("", include("directory.urls_employers")),
]
