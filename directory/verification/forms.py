"""Forms of the bureau's back office."""

import django_filters
from django import forms
from django.core.validators import MaxValueValidator
from django.db.models import Q
from django.utils import timezone
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
        help_text=_(
            "不通过或移出名录时必须填写，会通过邮件告知单位；移出名录的理由还会显示在公开的用人单位名录中。"
        ),
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


# -- the directory: recognition (directory/verification/views.py) --------------------------------------


class RecognitionForm(forms.Form):
    title = forms.CharField(
        label=_("认定称号"),
        max_length=60,
        required=False,
        help_text=_("例如：妈妈岗就业基地。"),
    )
    year = forms.IntegerField(label=_("认定年份"), required=False, min_value=2000)
    clear = forms.BooleanField(label=_("撤销现有认定"), required=False)
    reason = forms.CharField(
        label=_("说明"),
        max_length=200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("撤销认定时必须填写。说明会显示在公开的用人单位名录中。"),
    )

    def __init__(self, *args, employer, **kwargs):
        super().__init__(*args, **kwargs)
        self.employer = employer
        this_year = timezone.localdate().year
        self.fields["year"].max_value = this_year + 1
        self.fields["year"].validators.append(MaxValueValidator(this_year + 1))
        self.fields["year"].widget.attrs["max"] = this_year + 1
        if not self.is_bound:
            self.initial.setdefault("title", employer.recognition or _("妈妈岗就业基地"))
            self.initial.setdefault("year", employer.recognised_year or this_year)
        if not employer.recognition:
            del self.fields["clear"]

    def clean(self):
        data = super().clean()
        if data.get("clear"):
            if not (data.get("reason") or "").strip():
                self.add_error("reason", _("撤销认定时必须填写理由。"))
            data["title"], data["year"] = "", None
            return data
        if self.employer.status != EmployerStatus.VERIFIED:
            raise forms.ValidationError(_("只有已核验的单位才能获得认定。"), code="not_verified")
        if "title" in data and not (data.get("title") or "").strip():
            self.add_error("title", _("请填写认定称号。"))
        if "year" in data and not data.get("year"):
            self.add_error("year", _("请填写认定年份。"))
        same = (data.get("title") or "").strip() == self.employer.recognition
        if self.employer.recognition and same and data.get("year") == self.employer.recognised_year:
            raise forms.ValidationError(_("与现有认定相同，没有需要保存的变化。"), code="unchanged")
        return data


# -- the dashboard and the audit log (directory/dashboard/views.py) -------------------------------
