from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "momjobs.regions"
    label = "regions"
    verbose_name = _("行政区划")

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate, post_save

        from . import lookup
        from .models import Region

        post_save.connect(lookup.region_changed, sender=Region, dispatch_uid="regions-save")
        post_delete.connect(lookup.region_changed, sender=Region, dispatch_uid="regions-delete")
        # `flush` (tests) empties the table and then sends post_migrate.
        post_migrate.connect(lookup.forget, dispatch_uid="regions-lookup-migrate")
