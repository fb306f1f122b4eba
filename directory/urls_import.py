# Bureau back-office routes of one feature (included by directory/urls_bureau.py, namespace "bureau").
from django.urls import path

from . import views_import as views

urlpatterns = [
    path("imports/", views.import_list, name="import_list"),
    path("imports/new/", views.import_new, name="import_new"),
    path("imports/template.xlsx", views.import_template, name="import_template"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
]
