from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from momjobs.users import twofactor
from momjobs.users.admin import UserAdmin

from . import audit
from .models import (
    AuditAction,
    AuditEntry,
    Bureau,
    BureauStaff,
    Catalog,
    DeliveryStatus,
    DigestDelivery,
    ImportJob,
    OutboxEvent,
    Phase,
    PhaseDocument,
    PhaseEntry,
    Report,
    SearchWord,
    Subscription,
)
from .search.words import describe


@admin.action(description=_("发放新的双重验证恢复码（丢失手机时）"))
def issue_recovery_codes(modeladmin, request, queryset):
    """An officer who lost her phone gets new recovery codes from an admin, who hands them over
    in person. The old codes stop working; the act is in the audit log of her bureau."""
    users = [u for u in queryset if twofactor.has_device(u)]
    if not users:
        modeladmin.message_user(
            request, _("所选账户没有设置验证器，无需恢复码。"), level=messages.WARNING
        )
        return None
    issued = []
    with transaction.atomic():
        for user in users:
            codes = twofactor.issue_recovery_codes(user)
            membership = user.bureau_memberships.select_related("bureau").first()
            audit.record(
                actor=request.user,
                action=AuditAction.RECOVERY_CODES,
                obj=user,
                bureau=membership.bureau if membership else None,
                detail=str(_("旧恢复码已作废")),
            )
            issued.append((user, codes))
    return TemplateResponse(
        request, "users/admin_recovery_codes.html", {"issued": issued, "title": _("恢复码")}
    )


UserAdmin.actions = [*(UserAdmin.actions or []), issue_recovery_codes]


class BureauStaffInline(admin.TabularInline):
    model = BureauStaff
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Bureau)
class BureauAdmin(admin.ModelAdmin):
    list_display = ["name", "jurisdiction", "phone"]
    search_fields = ["name"]
    raw_id_fields = ["jurisdiction"]
    inlines = [BureauStaffInline]


@admin.register(Catalog)
class CatalogAdmin(admin.ModelAdmin):
    list_display = ["name", "bureau", "created_at"]
    list_select_related = ["bureau"]


@admin.register(Phase)
class PhaseAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "catalog",
        "number",
        "status",
        "submission_deadline",
        "published_at",
        "digests_pending",
        "digests_sent",
        "digests_failed",
    ]
    list_filter = ["status"]
    list_select_related = ["catalog"]
    readonly_fields = ["published_at", "published_by", "superseded_at"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _pending=Count(
                    "deliveries",
                    filter=Q(
                        deliveries__status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING]
                    ),
                ),
                _sent=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.SENT)),
                _failed=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
            )
        )

    @admin.display(description=_("待发送摘要"), ordering="_pending")
    def digests_pending(self, obj):
        return obj._pending

    @admin.display(description=_("已发送摘要"), ordering="_sent")
    def digests_sent(self, obj):
        return obj._sent

    @admin.display(description=_("发送失败"), ordering="_failed")
    def digests_failed(self, obj):
        return obj._failed


@admin.register(PhaseEntry)
class PhaseEntryAdmin(admin.ModelAdmin):
    list_display = ["phase", "posting", "decision", "decided_at"]
    list_filter = ["decision", "phase"]
    raw_id_fields = ["posting", "decided_by"]
    list_select_related = ["phase", "posting"]
    readonly_fields = ["snapshot"]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["email", "region", "language", "confirmed_at", "unsubscribed_at", "paused_at"]
    search_fields = ["email"]
    raw_id_fields = ["region"]


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(admin.ModelAdmin):
    list_display = ["subscription", "phase", "status", "attempts", "sent_at"]
    list_filter = ["status", "phase"]
    raw_id_fields = ["subscription", "phase"]


@admin.register(OutboxEvent)
class OutboxEventAdmin(admin.ModelAdmin):
    list_display = ["kind", "created_at", "processed_at", "attempts"]
    list_filter = ["kind"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["posting", "reason", "status", "created_at", "handled_at"]
    list_filter = ["status", "reason"]
    raw_id_fields = ["posting", "reporter", "handled_by"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is written by the services and never edited."""

    list_display = ["at", "actor_label", "action", "object_type", "object_label", "bureau"]
    list_filter = ["action", "bureau"]
    search_fields = ["actor_label", "object_label", "detail"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["original_name", "bureau", "status", "rows_total", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["phase", "uploaded_by"]
    readonly_fields = ["errors", "summary"]


@admin.register(PhaseDocument)
class PhaseDocumentAdmin(admin.ModelAdmin):
    list_display = ["phase", "kind", "rendered_at", "size"]
    raw_id_fields = ["phase"]


@admin.register(SearchWord)
class SearchWordAdmin(admin.ModelAdmin):
    """The everyday words of the job search (directory/search/words.py); a save or delete here
    takes effect in this process at once and in the others within a few minutes."""

    list_display = ["word", "meaning", "drop", "active", "note", "updated_at"]
    list_filter = ["active", "drop"]
    search_fields = ["word", "note"]
    fields = ["word", "filters", "drop", "note", "active"]

    @admin.display(description=_("搜索时变为"))
    def meaning(self, word):
        try:
            return describe(word.filters, drop=word.drop)
        except Exception:  # a row saved around the form's checks: say so, keep the list working
            return _("（筛选无法识别）")
