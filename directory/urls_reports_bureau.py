# The bureau's queue of reports (included by directory/urls_bureau.py, namespace "bureau").
from django.urls import path

from . import views_reports as views

urlpatterns = [
    path("reports/", views.report_list, name="report_list"),
    path("reports/<int:pk>/handle/", views.report_handle, name="report_handle"),
]
