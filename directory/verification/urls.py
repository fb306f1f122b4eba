from django.urls import path

from . import public, views

# The public employer directory.
urlpatterns = [
    path("employers/", public.employer_directory, name="employer_directory"),
    path("employers/<int:pk>/", public.employer_public, name="employer_public"),
]

# Verifying, removing and recognising employers (namespace "bureau").
bureau_urlpatterns = [
    path("employers/", views.employer_list, name="employer_list"),
    path("employers/<int:pk>/", views.employer_detail, name="employer_detail"),
    path("employers/<int:pk>/licence/", views.employer_licence, name="employer_licence"),
    path("employers/<int:pk>/decide/", views.employer_decide, name="employer_decide"),
    path("employers/<int:pk>/recognise/", views.employer_recognise, name="employer_recognise"),
]
