# The public employer directory (included by directory/urls_catalog.py, under i18n_patterns).
from django.urls import path

from . import views_employers as views

urlpatterns = [
    path("employers/", views.employer_directory, name="employer_directory"),
    path("employers/<int:pk>/", views.employer_public, name="employer_public"),
]
