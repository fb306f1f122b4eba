from django.urls import path

from . import views

urlpatterns = [
    path("phases/", views.phase_list, name="phase_list"),
    path("phases/<int:pk>/", views.phase_detail, name="phase_detail"),
    path("calls/<int:pk>/", views.call_detail, name="phase_call_public"),
]

# The employer's side of a call: submitting a posting (under /employer/).
employer_urlpatterns = [
    path("postings/<int:pk>/submit/", views.posting_submit, name="posting_submit"),
]

# The bureau's back office (namespace "bureau").
bureau_urlpatterns = [
    path("phases/", views.review_phase_list, name="phase_list"),
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
]
