from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("电子邮箱"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _("邮箱或密码不正确。请注意密码区分大小写。"),
        "inactive": _("该账户已停用。"),
    }


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("验证码"),
        max_length=10,
        help_text=_("打开手机上的身份验证器应用，输入显示的6位数字。"),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )

    def __init__(self, *args, device=None, **kwargs):
        self.device = device
        super().__init__(*args, **kwargs)

    def clean_code(self):
        code = self.cleaned_data["code"]
        if self.device is None or not self.device.verify(code):
            raise forms.ValidationError(_("验证码不正确或已使用，请输入应用中当前显示的数字。"))
        return code
