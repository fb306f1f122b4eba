"""The directory's routes, gathered from its packages (one folder per capability) and mounted
by momjobs/urls.py: public pages under the language prefix, the bureau's back office under
/bureau/ (namespace "bureau"), the employer's submission under /employer/, and the API, the
sitemap and robots.txt outside the prefix.
"""

from django.urls import include, path

from .catalog import urls as catalog
from .dashboard import urls as dashboard
from .exports import urls as exports
from .imports import urls as imports
from .moderation import urls as moderation
from .search import urls as search
from .subscriptions import urls as subscriptions
from .verification import urls as verification

urlpatterns = [
    *search.urlpatterns,
    *catalog.urlpatterns,
    *exports.urlpatterns,
    *moderation.urlpatterns,
    *verification.urlpatterns,
    path("", include(subscriptions)),
]

bureau_urlpatterns = [
    *verification.bureau_urlpatterns,
    *catalog.bureau_urlpatterns,
    *imports.bureau_urlpatterns,
    *moderation.bureau_urlpatterns,
    *dashboard.bureau_urlpatterns,
]

employer_urlpatterns = catalog.employer_urlpatterns
api_urlpatterns = search.api_urlpatterns
root_urlpatterns = search.root_urlpatterns
