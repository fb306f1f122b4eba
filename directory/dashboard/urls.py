from django.urls import path

from . import outcomes, views

# The bureau's figures and audit log (namespace "bureau").
bureau_urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    # Ends in .csv: a file, not a page (the link-following accessibility sweep skips it).
    path("dashboard/figures.csv", views.dashboard_csv, name="dashboard_csv"),
    path("dashboard/outcomes/", outcomes.outcomes_page, name="outcomes"),
    # Ends in .csv or .xlsx: a file, not a page.
    path("dashboard/outcomes.<str:fmt>", outcomes.outcomes_file, name="outcomes_file"),
    path("audit/", views.audit_log, name="audit_log"),
]
