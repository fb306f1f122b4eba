from django.urls import path

from . import api

urlpatterns = [
    path("postings/", api.postings, name="api_postings"),
    path("postings/<int:pk>/", api.posting, name="api_posting"),
    path("phases/", api.phases, name="api_phases"),
]
