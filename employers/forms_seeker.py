from django import forms
from django.utils.translation import gettext_lazy as _


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
