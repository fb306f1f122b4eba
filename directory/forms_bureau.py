"""Forms of the bureau's back office."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from employers.models import Employer, EmployerStatus
from employers.uscc import normalise


class EmployerFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("核验状态"), choices=EmployerStatus.choices, empty_label=_("全部")
    )
    q = django_filters.CharFilter(label=_("单位名称或信用代码"), method="search", max_length=60)

    class Meta:
        model = Employer
        fields = ["status"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(uscc=normalise(value)))


DECISIONS = [
    (EmployerStatus.VERIFIED, _("核验通过")),
    (EmployerStatus.REJECTED, _("不通过")),
    (EmployerStatus.REMOVED, _("移出名录")),
]


class DecideForm(forms.Form):
    status = forms.ChoiceField(label=_("决定"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("理由"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("不通过或移出名录时必须填写，会通过邮件告知单位。"),
    )

    def __init__(self, *args, employer, **kwargs):
        super().__init__(*args, **kwargs)
        # What the employer is now is not a decision.
        self.fields["status"].choices = [c for c in DECISIONS if c[0] != employer.status]

    def clean(self):
        data = super().clean()
        if (
            data.get("status") in (EmployerStatus.REJECTED, EmployerStatus.REMOVED)
            and not (data.get("reason") or "").strip()
        ):
            self.add_error("reason", _("不通过或移出名录时必须填写理由。"))
        return data
