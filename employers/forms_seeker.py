from django import forms
from django.utils.translation import gettext_lazy as _

from .models import LeaveReason


class ApplyForm(forms.Form):
    note = forms.CharField(
        label=_("给单位的话（可选）"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "例如：什么时候方便接电话、能否尽快上岗。请不要写孩子的姓名、年龄、出生日期等信息，"
            "单位无权要求这些。"
        ),
    )
    # Unticked by default: her number reaches an employer only by her own act (DESIGN: privacy).
    share_phone = forms.BooleanField(
        label=_("把我的手机号码告诉这家单位，方便他们打电话联系我"),
        required=False,
    )

    def __init__(self, *args, phone="", **kwargs):
        super().__init__(*args, **kwargs)
        if phone:
            self.fields["share_phone"].label = _(
                "把我的手机号码 %(phone)s 告诉这家单位，方便他们打电话联系我"
            ) % {"phone": phone}
        else:
            del self.fields["share_phone"]


class FollowUpForm(forms.Form):
    """The answer to one follow-up: still working there, or since when not and why. The "yes"
    button sends only `still_working`; the "no" part needs the date and a reason."""

    still_working = forms.TypedChoiceField(
        choices=[("1", _("还在做")), ("0", _("已经不做了"))],
        coerce=lambda value: value == "1",
        widget=forms.HiddenInput,
        error_messages={"required": _("请选择一个回答。"), "invalid_choice": _("请选择一个回答。")},
    )
    ended_on = forms.DateField(
        label=_("最后工作的日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("请按 年-月-日 填写日期。")},
        help_text=_("记不清的话，填个大概的日期。"),
    )
    reason = forms.ChoiceField(
        label=_("主要原因"),
        required=False,
        choices=LeaveReason.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("请选择一个原因。")},
    )
