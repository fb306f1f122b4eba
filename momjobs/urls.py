from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from directory import urls as directory_urls

from .health import healthz
from .users.seeker_views import privacy

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # The admin signs in through the portal's own sign-in, which has rate limits and 2FA.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="users:login", query_string=True),
        name="admin_login_redirect",
    ),
    path("admin/", admin.site.urls),
    # The API is not language-prefixed: it returns codes, not labels.
    path("api/v1/", include(directory_urls.api_urlpatterns)),
    # The sitemap (and anything else that must not carry a language prefix).
    path("", include(directory_urls.root_urlpatterns)),
]

# Chinese at the root, English under /en/.
urlpatterns += i18n_patterns(
    path("accounts/", include("momjobs.users.urls")),
    path("privacy/", privacy, name="privacy"),
    # Place names as she types (static/js/places.js): labels are in the page's language.
    path("", include("momjobs.regions.urls")),
    path("employer/", include("employers.urls")),
    path("employer/", include(directory_urls.employer_urlpatterns)),
    path("", include("employers.urls_seeker")),
    path("follow-up/", include("employers.urls_followup")),
    path("bureau/", include((directory_urls.bureau_urlpatterns, "bureau"))),
    path("", include("directory.urls")),
    prefix_default_language=False,
)

admin.site.site_header = _("妈妈岗服务平台 · 运维管理")
admin.site.site_title = _("妈妈岗服务平台")
