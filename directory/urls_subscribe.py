# Digest subscriptions (filled in by the digests issue).
urlpatterns = []
