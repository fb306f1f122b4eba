from django import forms
from django.utils.translation import gettext_lazy as _

from directory.models import Report, ReportReason
from directory.moderation.services import DISMISS, TAKE_DOWN


class ReportForm(forms.ModelForm):
    reason = forms.ChoiceField(
        label=_("举报原因"),
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("请选择举报原因。"),
            "invalid_choice": _("请选择举报原因。"),
        },
    )

    class Meta:
        model = Report
        fields = ["reason", "details", "contact"]
        widgets = {"details": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "details": _("例如：面试时要求交多少钱、实际工作时间是怎样的。最多 2000 字。"),
            "contact": _("手机号码或邮箱，只在人社部门需要向您核实情况时使用，不会告诉用人单位。"),
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == ReportReason.OTHER and not cleaned.get("details"):
            self.add_error("details", _("选择“其他”时，请写明具体情况。"))
        return cleaned


class HandleForm(forms.Form):
    action = forms.ChoiceField(
        label=_("处理方式"),
        choices=[
            (DISMISS, _("举报不成立，岗位保持不变")),
            (TAKE_DOWN, _("下架岗位，并通知申请人和用人单位")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择处理方式。")},
    )
    note = forms.CharField(
        label=_("处理说明"),
        max_length=500,
        error_messages={"required": _("请填写处理说明。")},
        help_text=_("下架时，这段说明就是告知申请人和用人单位的下架理由。"),
    )


class TakeDownForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=500)
