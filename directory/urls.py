from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("phases/", views.phase_list, name="phase_list"),
    path("phases/<int:pk>/", views.phase_detail, name="phase_detail"),
    path("calls/<int:pk>/", views.call_detail, name="phase_call_public"),
    path("jobs/", views.job_list, name="job_list"),
    path("jobs/<int:pk>/", views.posting_detail, name="posting_detail"),
    path("", include("directory.urls_subscribe")),
    path("", include("directory.urls_catalog")),
]
