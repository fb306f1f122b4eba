from django.urls import path

from . import views

# The bureau's figures and audit log (namespace "bureau").
bureau_urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    # Ends in .csv: a file, not a page (the link-following accessibility sweep skips it).
    path("dashboard/figures.csv", views.dashboard_csv, name="dashboard_csv"),
    path("audit/", views.audit_log, name="audit_log"),
]
