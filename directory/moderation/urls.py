from django.urls import path

from . import views

# Reporting a posting: anyone, for a public (live or closed) posting.
urlpatterns = [
    path("jobs/<int:pk>/report/", views.report_posting, name="report_posting"),
    path("jobs/<int:pk>/report/sent/", views.report_sent, name="report_sent"),
]

# The bureau's queue of reports and take-downs (namespace "bureau").
bureau_urlpatterns = [
    path("reports/", views.report_list, name="report_list"),
    path("reports/<int:pk>/handle/", views.report_handle, name="report_handle"),
    path("postings/<int:pk>/take-down/", views.posting_take_down, name="posting_take_down"),
]
