from django.urls import path

from . import views_seeker as views

app_name = "seeker"

urlpatterns = [
    path("jobs/<int:pk>/apply/", views.apply, name="apply"),
    path("applications/", views.applications, name="applications"),
    path("applications/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("applications/<int:pk>/not-started/", views.not_started, name="not_started"),
    path("applications/<int:pk>/stop-follow-ups/", views.stop_follow_ups, name="stop_follow_ups"),
]
