# The bureau's back office.
from django.urls import include, path

from . import views_bureau as views

app_name = "bureau"
urlpatterns = [
    path("employers/", views.employer_list, name="employer_list"),
    path("employers/<int:pk>/", views.employer_detail, name="employer_detail"),
    path("employers/<int:pk>/licence/", views.employer_licence, name="employer_licence"),
    path("employers/<int:pk>/decide/", views.employer_decide, name="employer_decide"),
    # Phases, review and publishing (directory/urls_review.py).
    path("", include("directory.urls_review")),
    # Spreadsheet imports, the reports queue, the dashboard and the audit log.
    path("", include("directory.urls_import")),
    path("", include("directory.urls_reports_bureau")),
    path("", include("directory.urls_dashboard")),
]
