from django.urls import include, path

from . import views

app_name = "employers"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("postings/new/", views.posting_create, name="posting_create"),
    path("postings/<int:pk>/", views.posting_preview, name="posting_preview"),
    path("postings/<int:pk>/edit/", views.posting_edit, name="posting_edit"),
    path("postings/<int:pk>/duplicate/", views.posting_duplicate, name="posting_duplicate"),
    path("postings/<int:pk>/delete/", views.posting_delete, name="posting_delete"),
    path("postings/<int:pk>/close/", views.posting_close, name="posting_close"),
    path("postings/<int:pk>/applications/", views.application_list, name="application_list"),
    path(
        "postings/<int:pk>/applications.<str:fmt>",
        views.application_export,
        name="application_export",
    ),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/cv/", views.application_cv, name="application_cv"),
    path("", include("employers.urls_account")),
]
