# Routes outside the language prefix (the sitemap), included by momjobs/urls.py.
urlpatterns = []
