# Registration, staff and invitations (included by employers/urls.py under the `employers`
# namespace).
from django.urls import path

from . import views_account as views

urlpatterns = [
    path("register/", views.register, name="register"),
    path("register/done/", views.register_done, name="register_done"),
    path("staff/", views.staff, name="staff"),
    path("staff/invite/", views.staff_invite, name="staff_invite"),
    path("staff/<int:pk>/remove/", views.staff_remove, name="staff_remove"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
]
