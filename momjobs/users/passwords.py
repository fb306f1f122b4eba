"""Password rules by role: staff act for an organisation and get a longer minimum."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class StaffMinimumLengthValidator:
    """At least STAFF_PASSWORD_MIN_LENGTH characters for anyone who is not a seeker.

    Forms that make a staff account validate against an unsaved User with its role set; a user
    without a role (None) is treated as staff, the safer reading.
    """

    def __init__(self, min_length=None):
        self.min_length = min_length or settings.STAFF_PASSWORD_MIN_LENGTH

    def _applies(self, user):
        from .models import Role

        return user is None or getattr(user, "role", None) != Role.SEEKER or user.is_superuser

    def validate(self, password, user=None):
        if self._applies(user) and len(password) < self.min_length:
            raise ValidationError(
                ngettext(
                    "单位和人社部门工作人员的密码至少需要%(min_length)d个字符。",
                    "单位和人社部门工作人员的密码至少需要%(min_length)d个字符。",
                    self.min_length,
                ),
                code="password_too_short_for_staff",
                params={"min_length": self.min_length},
            )

    def get_help_text(self):
        return _("工作人员的密码至少需要%(min_length)d个字符。") % {"min_length": self.min_length}
