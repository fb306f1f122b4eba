from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from momjobs.regions.forms import RegionField


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("电子邮箱"),
        # No autofocus: the number form above it comes first on the page (and gets it).
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
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

    def __init__(self, *args, device=None, recovery_user=None, **kwargs):
        self.device = device
        # At sign-in, a recovery code (for a lost phone) is accepted in the same box.
        self.recovery_user = recovery_user
        self.used_recovery_code = False
        super().__init__(*args, **kwargs)
        if recovery_user is not None:
            self.fields["code"].help_text = _(
                "打开手机上的身份验证器应用，输入显示的6位数字。手机丢了？输入一个恢复码（例如 abcd-efgh）。"
            )

    def clean_code(self):
        from . import twofactor

        code = self.cleaned_data["code"]
        if self.device is not None and self.device.verify(code):
            return code
        if self.recovery_user is not None and twofactor.use_recovery_code(self.recovery_user, code):
            self.used_recovery_code = True
            return code
        raise forms.ValidationError(_("验证码不正确或已使用，请输入应用中当前显示的数字。"))


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
        # A taken address is not an error here: the page must not tell who has an account. The
        # view sends its owner a note instead (seeker_views.sign_up).
        return self.cleaned_data["email"].strip().lower()

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
        label=_("联系电话"),
        regex=r"^\+?[0-9][0-9\- ]{6,18}$",
        required=False,
        error_messages={"invalid": _("请输入有效的电话号码。")},
        help_text=_("只有在申请岗位时您勾选同意，单位才会看到这个号码。"),
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("电子邮箱（可选）"),
        required=False,
        help_text=_("添加后我们会发一封确认邮件。"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    notify_by = forms.ChoiceField(
        label=_("申请有新进展时，通过哪种方式通知我"),
        choices=[],
        widget=forms.RadioSelect,
        required=False,
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

    def __init__(self, *args, user, **kwargs):
        from .models import Notify

        super().__init__(*args, **kwargs)
        self.user = user
        if user.email:
            del self.fields["email"]  # her sign-in address: not changed on this page
        self.fields["notify_by"].choices = Notify.choices
        self.fields["notify_by"].initial = user.notify_channel or user.notify_by

    def clean_email(self):
        from .models import User

        email = (self.cleaned_data.get("email") or "").strip().lower()
        if email and User.objects.filter(email=email).exclude(pk=self.user.pk).exists():
            raise forms.ValidationError(_("这个邮箱已被另一个账户使用，请换一个。"), code="taken")
        return email

    def clean(self):
        from .models import Notify

        data = super().clean()
        choice = data.get("notify_by")
        if choice == Notify.SMS and not self.user.phone_verified_at:
            self.add_error("notify_by", _("要用短信接收通知，请先添加并验证手机号码。"))
        if choice == Notify.EMAIL and not (self.user.email or data.get("email")):
            self.add_error("notify_by", _("要用邮件接收通知，请先填写电子邮箱。"))
        return data

    def clean_cv(self):
        from .files import validate_cv

        upload = self.cleaned_data.get("cv")
        if upload and hasattr(upload, "size"):
            self.cv_extension = validate_cv(upload)
        return upload


# -- mobile numbers and SMS codes ----------------------------------------------------------------


class PhoneField(forms.CharField):
    """What people type (spaces, dashes, +86, full-width digits) → "13812345678"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("手机号码"))
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "type": "tel",
                    "inputmode": "tel",
                    "autocomplete": "tel-national",
                    "placeholder": "138 0000 0000",
                }
            ),
        )
        kwargs.setdefault("error_messages", {"required": _("请输入手机号码。")})
        super().__init__(**kwargs)

    def clean(self, value):
        from .phones import normalize

        value = super().clean(value)
        return normalize(value) if value not in self.empty_values else value


class PhoneSignInForm(forms.Form):
    """Sign in, or sign up, with a number: the same form and the same answer either way."""

    phone = PhoneField(help_text=_("我们会发送6位数字的验证码。没有账户的号码，验证后即可注册。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.attrs["autofocus"] = True


class PhoneSignUpForm(forms.Form):
    phone = PhoneField(help_text=_("我们会发送6位数字的验证码，验证后账户才会建立。"))
    name = forms.CharField(label=_("姓名或称呼"), max_length=60)
    consent = forms.BooleanField(
        label=_("我已阅读并同意《隐私说明》，同意平台为求职目的处理我的个人信息。"),
        error_messages={"required": _("需要同意隐私说明才能注册。")},
    )


class PhoneFinishForm(forms.Form):
    """After the code: what a new account needs besides the number."""

    name = forms.CharField(label=_("姓名或称呼"), max_length=60)
    consent = PhoneSignUpForm.base_fields["consent"]


class PhoneAddForm(forms.Form):
    phone = PhoneField(
        help_text=_("验证后可以用这个号码和短信验证码登录，也可以选择用短信接收申请进展。")
    )


class SmsCodeForm(forms.Form):
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=20,
        error_messages={"required": _("请输入短信里的6位验证码。")},
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "autofocus": True,
                "pattern": "[0-9 ]*",
            }
        ),
    )
