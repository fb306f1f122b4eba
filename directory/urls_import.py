# Bureau back-office routes of one feature (included by directory/urls_bureau.py, namespace "bureau").
urlpatterns = []
