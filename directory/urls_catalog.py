# Imports, exports, feeds, the employer directory and the bureau dashboard (bureaus issue).
urlpatterns = []
