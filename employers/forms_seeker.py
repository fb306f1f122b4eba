from django import forms
from django.utils.translation import gettext_lazy as _


class ApplyForm(forms.Form):
    note = forms.CharField(
        label=_("给单位的话（可选）"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("例如：什么时候方便接电话、能否尽快上岗。"),
    )
