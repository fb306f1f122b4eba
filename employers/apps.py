from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmployersConfig(AppConfig):
    name = "employers"
    verbose_name = _("用人单位与岗位")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from momjobs.regions.signals import regions_moved

        from .models import Employer, Posting
        from .receivers import public_row_saved, rewrite_region_words

        regions_moved.connect(rewrite_region_words, dispatch_uid="employers-regions-moved")
        for model in (Posting, Employer):
            name = model._meta.model_name
            post_save.connect(public_row_saved, sender=model, dispatch_uid=f"public-{name}-save")
            post_delete.connect(public_row_saved, sender=model, dispatch_uid=f"public-{name}-del")
