# Reporting a posting: anyone, for a public (live or closed) posting.
from django.urls import path

from . import views_reports as views

urlpatterns = [
    path("jobs/<int:pk>/report/", views.report_posting, name="report_posting"),
    path("jobs/<int:pk>/report/sent/", views.report_sent, name="report_sent"),
]
