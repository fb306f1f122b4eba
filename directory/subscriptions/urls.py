from django.urls import path

from . import views

app_name = "subscribe"

urlpatterns = [
    path("subscribe/", views.subscribe, name="form"),
    path("subscribe/sent/", views.sent, name="sent"),
    path("subscribe/from-search/", views.from_search, name="from_search"),
    path("subscribe/confirm/<str:token>/", views.confirm, name="confirm"),
    path("subscribe/manage/<str:token>/", views.manage, name="manage"),
    path("subscribe/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
