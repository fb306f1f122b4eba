from django.urls import path

from . import views_followup as views

app_name = "followup"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("<str:token>/", views.answer, name="answer"),
]
