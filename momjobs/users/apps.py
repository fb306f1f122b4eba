from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsersConfig(AppConfig):
    name = "momjobs.users"
    label = "users"
    verbose_name = _("账户")

    def ready(self):
        from . import sessions  # noqa: F401 - connects the sign-in receiver
