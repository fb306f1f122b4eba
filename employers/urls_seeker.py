from django.urls import path

from . import views_seeker as views

app_name = "seeker"

urlpatterns = [
    path("jobs/<int:pk>/apply/", views.apply, name="apply"),
    path("applications/", views.applications, name="applications"),
    path("applications/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
