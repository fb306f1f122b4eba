from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import SeekerProfile, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "phone", "display_name", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["email", "phone", "display_name"]
    fieldsets = [
        (None, {"fields": ["email", "phone", "password"]}),
        (
            _("资料"),
            {
                "fields": [
                    "display_name",
                    "role",
                    "language",
                    "email_verified_at",
                    "phone_verified_at",
                    "notify_by",
                ]
            },
        ),
        (
            _("权限"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("时间"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "role", "password1", "password2"]})
    ]


@admin.register(SeekerProfile)
class SeekerProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "district", "created_at"]
    search_fields = ["name", "user__email"]
    raw_id_fields = ["user", "district"]
    # The eligibility flag is personal data; operators see that it exists, not edit it.
    readonly_fields = ["cares_for_child_under_12", "eligibility_consent_at", "privacy_consent_at"]
