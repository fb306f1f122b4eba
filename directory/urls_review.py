from django.urls import path

from . import views_review as views

urlpatterns = [
    path("phases/", views.phase_list, name="phase_list"),
    path("phases/new/", views.phase_create, name="phase_create"),
    path("phases/<int:pk>/call/", views.phase_call, name="phase_call"),
    path("phases/<int:pk>/review/", views.phase_review, name="phase_review"),
    path("phases/<int:pk>/bulk-approve/", views.bulk_approve, name="bulk_approve"),
    path("phases/<int:pk>/publish/", views.phase_publish, name="phase_publish"),
    path("phases/<int:pk>/carry-over/", views.phase_carry, name="phase_carry"),
    path("entries/<int:pk>/decide/", views.entry_decide, name="entry_decide"),
    path("revisions/", views.revision_list, name="revision_list"),
    path("revisions/<int:pk>/decide/", views.revision_decide, name="revision_decide"),
    path("postings/<int:pk>/", views.posting_view, name="posting_view"),
    path("postings/<int:pk>/take-down/", views.posting_take_down, name="posting_take_down"),
]
