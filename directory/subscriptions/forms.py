"""Digest sign-up and preferences: the search filters, stored as columns (matched in SQL)."""

import unicodedata
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from directory.models import Subscription
from directory.search.filters import PICKER_TIMES, WEEKDAY_CHOICES
from directory.subscriptions.digests import PREFERENCE_FIELDS
from momjobs.lib import hours as free_hours
from momjobs.lib import schedule as sched
from momjobs.regions.forms import RegionField


def clean_fits_text(value):
    """'' -> ('', None); else her free hours, as she says them ("周一到周五 9点到3点") or in the
    URL syntax, stored in the URL syntax with their free-time mask (rounded inward)."""
    value = unicodedata.normalize("NFKC", value or "").strip()
    if not value:
        return "", None
    return fits_of(free_hours.parse_free_hours(value[:300]))


def fits_of(windows):
    """Windows (dicts) -> (the URL syntax, the mask); no windows -> ('', None)."""
    if not windows:
        return "", None
    parsed = sched.windows_from_data(windows)
    return sched.format_fits(parsed), sched.free_mask(parsed)


class PreferencesForm(forms.ModelForm):
    region_code = RegionField(
        label=_("地区"),
        help_text=_("城市或区县的名称，例如 青岛、市南区；填城市包含下辖的所有区县。"),
    )
    pay_min_hourly = forms.DecimalField(
        label=_("最低时薪（元）"),
        required=False,
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("10000"))],
        help_text=_("只推荐折算时薪不低于这个数的岗位；不填则不限。"),
    )
    hours = forms.ChoiceField(
        label=_("空闲时间"),
        required=False,
        choices=[(p.key, p.label) for p in free_hours.PRESETS],
        widget=forms.RadioSelect,
        help_text=_("只推荐工作时间都在空闲时间内的岗位。"),
    )
    # The search's day/time picker (directory/search/filters.py): one window.
    days = forms.MultipleChoiceField(
        label=_("或者自己选：哪几天"),
        required=False,
        choices=WEEKDAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    start = forms.ChoiceField(
        label=_("从"), required=False, choices=[("", "—")] + [(v, v) for v in PICKER_TIMES[:-1]]
    )
    end = forms.ChoiceField(
        label=_("到"), required=False, choices=[("", "—")] + [(v, v) for v in PICKER_TIMES[1:]]
    )
    fits = forms.CharField(
        label=_("或者用自己的话说空闲时间"),
        required=False,
        max_length=300,
        help_text=_("例如：周一到周五 9点到3点、工作日上午、周末全天。"),
    )

    class Meta:
        model = Subscription
        # What a subscription keeps (digests.PREFERENCE_FIELDS); the mask is derived from fits.
        fields = [name for name in PREFERENCE_FIELDS if name != "fits_mask"]
        labels = {
            "language": _("邮件语言"),
            "school_run": _("只要可接送孩子的岗位"),
            "weekends_off": _("只要双休的岗位"),
        }

    field_order = ["region_code", "hours", "days", "start", "end", "fits", "language", "sector"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("sector", "work_form", "contract", "insurance"):
            self.fields[name].choices = [("", _("不限"))] + list(self.fields[name].choices)[1:]
        if self.instance.pk:
            self.fields["region_code"].initial = self.instance.region
            if self.instance.fits:
                # Shown as she would say it, never in the URL syntax.
                windows = sched.parse_fits(self.instance.fits)
                chosen = free_hours.preset_for_windows(windows)
                if chosen is not None:
                    self.initial["hours"] = chosen.key
                self.initial["fits"] = free_hours.describe(windows)

    def clean_fits(self):
        # A preset tapped wins over the words (form.clean); the words are read here.
        text, mask = clean_fits_text(self.cleaned_data.get("fits"))
        self.fits_mask = mask
        return text

    def clean(self):
        # The first given wins, as on the search page: the picker, a preset, her words.
        data = super().clean()
        days, start, end = data.get("days"), data.get("start"), data.get("end")
        if days and start and end:
            if end <= start:
                self.add_error("end", _("结束时间要晚于开始时间。"))
            else:
                window = {"days": sorted(int(d) for d in days), "start": start, "end": end}
                data["fits"], self.fits_mask = fits_of([window])
                return data
        chosen = free_hours.preset(data.get("hours"))
        if chosen is not None and "fits" not in self.errors:
            data["fits"], self.fits_mask = fits_of(chosen.windows)
        return data

    def save(self, commit=True):
        self.instance.region = self.cleaned_data["region_code"]
        self.instance.fits_mask = getattr(self, "fits_mask", None)
        return super().save(commit)


class SubscribeForm(PreferencesForm):
    email = forms.EmailField(label=_("电子邮箱"), max_length=254)

    field_order = ["email", *PreferencesForm.field_order]

    def __init__(self, *args, language=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = language or settings.LANGUAGE_CODE
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def save(self, commit=True):
        self.instance.email = self.cleaned_data["email"]
        return super().save(commit)
