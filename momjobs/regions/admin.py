from django.contrib import admin

from .models import MinimumWage, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "level"]
    list_filter = ["kind", "level"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]

    def get_readonly_fields(self, request, obj=None):
        # The tree is reference data from `manage.py load_regions` (GB/T 2260), which moves a
        # district with everything that depends on its place (paths below it, postings' region
        # words, the search caches); a parent changed here would do none of that.
        return ["path", "level"] if obj is None else ["code", "parent", "path", "level"]


@admin.register(MinimumWage)
class MinimumWageAdmin(admin.ModelAdmin):
    list_display = ["region", "hourly", "monthly", "effective_from", "source"]
    search_fields = ["region__name", "region__code"]
    raw_id_fields = ["region"]
