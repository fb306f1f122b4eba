"""Filters of the bureau dashboard and the audit log."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from directory.models import AuditAction, AuditEntry


class DashboardFilterForm(forms.Form):
    """The phase whose figures to show; the choices are the officer's phases (already fetched
    with their figures, so the form costs no query)."""

    phase = forms.TypedChoiceField(
        label=_("目录批次"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, phases, **kwargs):
        super().__init__(*args, **kwargs)
        self.phases = {phase.pk: phase for phase in phases}
        self.fields["phase"].choices = [("", _("全部批次"))] + [
            (phase.pk, phase.title) for phase in phases
        ]

    def chosen(self):
        if not self.is_bound or not self.is_valid():
            return None
        return self.phases.get(self.cleaned_data["phase"])


class AuditFilter(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(
        label=_("操作"), choices=AuditAction.choices, empty_label=_("全部")
    )
    actor = django_filters.ChoiceFilter(
        label=_("操作人"), field_name="actor_label", empty_label=_("全部")
    )

    class Meta:
        model = AuditEntry
        fields = []

    def __init__(self, *args, actors=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The people who appear in these lines, as the log recorded them.
        self.filters["actor"].extra["choices"] = [(a, a) for a in actors if a]
