# Bureau back-office routes of one feature (included by directory/urls_bureau.py, namespace "bureau"):
# the dashboard, its CSV, the audit log, and the directory's recognition of an employer.
from django.urls import path

from . import views_bureau, views_dashboard

urlpatterns = [
    path("dashboard/", views_dashboard.dashboard, name="dashboard"),
    # Ends in .csv: a file, not a page (the link-following accessibility sweep skips it).
    path("dashboard/figures.csv", views_dashboard.dashboard_csv, name="dashboard_csv"),
    path("audit/", views_dashboard.audit_log, name="audit_log"),
    path(
        "employers/<int:pk>/recognise/",
        views_bureau.employer_recognise,
        name="employer_recognise",
    ),
]
