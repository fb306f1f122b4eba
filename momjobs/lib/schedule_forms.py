"""The weekly-schedule editor: rows of days and a time window, usable on a phone, no JavaScript.
Used for a posting's working hours and a seeker's free hours."""

from django import forms
from django.utils.translation import gettext_lazy as _

WEEKDAYS = [
    (1, _("周一")),
    (2, _("周二")),
    (3, _("周三")),
    (4, _("周四")),
    (5, _("周五")),
    (6, _("周六")),
    (7, _("周日")),
]
WINDOW_ROWS = 4


class WindowForm(forms.Form):
    """One row of the weekly schedule editor: days and a time window."""

    days = forms.TypedMultipleChoiceField(
        label=_("星期"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start = forms.TimeField(
        label=_("开始"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    end = forms.TimeField(
        label=_("结束"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("结束早于开始表示跨夜到次日。"),
    )

    def clean(self):
        data = super().clean()
        filled = [
            bool(data.get("days")),
            data.get("start") is not None,
            data.get("end") is not None,
        ]
        if any(filled) and not all(filled):
            raise forms.ValidationError(
                _("每个时间段都要选择星期并填写开始和结束时间。"), code="incomplete_window"
            )
        return data

    def window(self):
        data = self.cleaned_data
        if not data.get("days"):
            return None
        return {
            "days": sorted(data["days"]),
            "start": data["start"].strftime("%H:%M"),
            "end": data["end"].strftime("%H:%M"),
        }


WindowFormSet = forms.formset_factory(
    WindowForm, extra=0, max_num=14, absolute_max=14, validate_max=True
)


def window_formset(data=None, schedule=None):
    initial = [{"days": w["days"], "start": w["start"], "end": w["end"]} for w in (schedule or [])]
    rows = max(WINDOW_ROWS, len(initial) + 1)
    initial += [{}] * (rows - len(initial))
    return WindowFormSet(data, initial=initial, prefix="win")
