# Filled by the feature that owns this module (see directory/urls_catalog.py).
urlpatterns = []
