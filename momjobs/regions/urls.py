from django.urls import path

from . import views

app_name = "regions"

urlpatterns = [
    path("regions/suggest/", views.region_suggest, name="suggest"),
]
