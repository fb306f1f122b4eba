from django.contrib import admin

from .models import (
    Application,
    ApplicationEvent,
    Employer,
    EmployerMembership,
    EmployerStatusEvent,
    Posting,
)


class MembershipInline(admin.TabularInline):
    model = EmployerMembership
    raw_id_fields = ["user"]
    extra = 0


class StatusEventInline(admin.TabularInline):
    model = EmployerStatusEvent
    raw_id_fields = ["by"]
    extra = 0


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ["name", "uscc", "region", "sector", "status", "recognition"]
    list_filter = ["status", "sector", "kind"]
    search_fields = ["name", "uscc"]
    raw_id_fields = ["region"]
    inlines = [MembershipInline, StatusEventInline]


@admin.register(Posting)
class PostingAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "employer",
        "region",
        "work_form",
        "pay_min",
        "pay_max",
        "pay_unit",
        "status",
    ]
    list_filter = ["status", "sector", "work_form", "contract", "insurance", "imported"]
    search_fields = ["title", "employer__name"]
    raw_id_fields = ["employer", "region"]
    list_select_related = ["employer", "region"]
    readonly_fields = ["weekly_minutes", "hourly_min", "hourly_max", "published_at"]


class ApplicationEventInline(admin.TabularInline):
    model = ApplicationEvent
    raw_id_fields = ["by"]
    extra = 0


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["posting", "seeker", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["posting", "seeker"]
    list_select_related = ["posting", "seeker"]
    inlines = [ApplicationEventInline]
