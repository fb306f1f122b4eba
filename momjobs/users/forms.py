from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from momjobs.regions.forms import RegionField


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("电子邮箱"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _("邮箱或密码不正确。请注意密码区分大小写。"),
        "inactive": _("该账户已停用。"),
    }


class ResetForm(PasswordResetForm):
    email = forms.EmailField(
        label=_("电子邮箱"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


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


class SignUpForm(forms.Form):
    """A seeker's account in a minute: email, password, name and the privacy consent."""

    email = forms.EmailField(
        label=_("电子邮箱"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    name = forms.CharField(label=_("姓名或称呼"), max_length=60)
    password1 = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("至少8位，不要用常见密码或纯数字。"),
    )
    password2 = forms.CharField(
        label=_("再次输入密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    consent = forms.BooleanField(
        label=_("我已阅读并同意《隐私说明》，同意平台为求职目的处理我的个人信息。"),
        error_messages={"required": _("需要同意隐私说明才能注册。")},
    )

    def clean_email(self):
        from .models import User

        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email=email).exists():
            raise forms.ValidationError(
                _("该邮箱已注册。请直接登录，忘记密码可以重设。"), code="taken"
            )
        return email

    def clean(self):
        from django.contrib.auth import password_validation

        from .models import User

        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif first:
            candidate = User(email=data.get("email", ""), display_name=data.get("name", ""))
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=60)
    phone = forms.RegexField(
        label=_("手机号码"),
        regex=r"^\+?[0-9][0-9\- ]{6,18}$",
        required=False,
        error_messages={"invalid": _("请输入有效的电话号码。")},
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    district = RegionField(
        label=_("所在区县"),
        required=False,
        help_text=_("区县的名称，例如 李沧区、青岛市市南区。"),
    )
    skills = forms.CharField(
        label=_("技能"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    experience = forms.CharField(
        label=_("工作经历"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("离开工作岗位几年也没关系，写下做过的事即可。"),
    )
    cv = forms.FileField(
        label=_("简历（可选，PDF 或 Word，最大5 MB）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}),
    )
    cares_for_child_under_12 = forms.BooleanField(
        label=_("我在照护12岁以下的儿童（自愿声明，仅用于统计，不会提供给用人单位）"),
        required=False,
    )

    def clean_cv(self):
        from .files import validate_cv

        upload = self.cleaned_data.get("cv")
        if upload and hasattr(upload, "size"):
            self.cv_extension = validate_cv(upload)
        return upload
