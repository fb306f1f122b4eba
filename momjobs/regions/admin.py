from django.contrib import admin

from .models import MinimumWage, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "level"]
    list_filter = ["kind", "level"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]
    readonly_fields = ["path", "level"]


@admin.register(MinimumWage)
class MinimumWageAdmin(admin.ModelAdmin):
    list_display = ["region", "hourly", "monthly", "effective_from", "source"]
    search_fields = ["region__name", "region__code"]
    raw_id_fields = ["region"]
