from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmployersConfig(AppConfig):
    name = "employers"
    verbose_name = _("用人单位与岗位")

    def ready(self):
        from momjobs.regions.signals import regions_moved

        from .receivers import rewrite_region_words

        regions_moved.connect(rewrite_region_words, dispatch_uid="employers-regions-moved")
