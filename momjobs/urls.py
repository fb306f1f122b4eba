from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from .health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

# Chinese at the root, English under /en/.
urlpatterns += i18n_patterns(
    path("accounts/", include("momjobs.users.urls")),
    path("", include("directory.urls")),
    prefix_default_language=False,
)

admin.site.site_header = _("妈妈岗服务平台 · 运维管理")
admin.site.site_title = _("妈妈岗服务平台")
