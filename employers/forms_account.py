"""Forms of the employer's account side: registration, staff invitations, accepting one."""

import re
import uuid

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from momjobs.regions import lookup
from momjobs.regions.forms import normalise as regions_normalise
from momjobs.regions.models import COUNTY_LEVEL, Region, RegionKind
from momjobs.users.models import Role, User

from .choices import Sector
from .models import Employer
from .uscc import normalise, validate_uscc

LICENCE_MAX_BYTES = 5 * 1024 * 1024
# Decided by the first bytes, never by the name or the browser's Content-Type: a renamed HTML
# page or program is refused. The stored name (and so the type it is served as) follows.
LICENCE_SIGNATURES = (
    (b"%PDF", ".pdf"),
    (b"\xff\xd8\xff", ".jpg"),
    (b"\x89PNG", ".png"),
)
# Where an organisation can be: a county-level unit or a functional zone ("371300Z01").
PLACES = (*COUNTY_LEVEL, RegionKind.ZONE)
CODE = re.compile(r"[0-9]{6}([Zz][0-9]{2})?")


def licence_extension(upload):
    """The extension matching the file's content, or a ValidationError."""
    if upload.size > LICENCE_MAX_BYTES:
        raise ValidationError(
            _("营业执照文件不能超过5MB，当前约为%(size)sMB。请压缩图片或扫描件后重新上传。"),
            code="licence_size",
            params={"size": f"{upload.size / 1024 / 1024:.1f}"},
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    for signature, extension in LICENCE_SIGNATURES:
        if head.startswith(signature):
            return extension
    raise ValidationError(
        _("营业执照只能上传JPG、PNG图片或PDF文件。"),
        code="licence_type",
    )


def _is_subsequence(short, long):
    rest = iter(long)
    return all(ch in rest for ch in short)


class RegionField(forms.CharField):
    """A county-level region (or a functional zone such as 沂河新区, which bureaus run catalogs
    for) typed as its code or its name ("青岛市市南区", "市南区", "370202", "371300Z01").

    A select of the 2,800-odd county-level units would be a heavy page on a phone, and two
    chained selects need JavaScript; people know their district's name, and the code is on the
    business licence's registration authority. Ambiguous names (市中区, 城关区) are answered
    with the candidates and their codes.
    """

    default_error_messages = {
        "not_county": _("%(code)s 是省或地市的代码，请填写区县级代码，例如青岛市市南区为370202。"),
        "unknown": _("找不到这个区县。请填写“城市+区县”的名称，例如 青岛市市南区。"),
        "ambiguous": _("有多个区县叫这个名字，请写上所在城市，例如：%(options)s"),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 50)
        super().__init__(**kwargs)

    def clean(self, value):
        # The CharField checks first (required, length, no NUL), then the lookup.
        # Full-width digits and letters (３７０２００Ｚ０１) as ASCII, spaces dropped.
        text = regions_normalise(super().clean(value))
        if not text:
            return None
        if CODE.fullmatch(text):
            return self._by_code(text.upper())
        return self._by_name(text)

    def prepare_value(self, value):
        if isinstance(value, Region):
            return value.code
        if isinstance(value, int):  # the model field's value on an unbound form
            region = Region.objects.filter(pk=value).first()
            return region.code if region else ""
        return value

    def _by_code(self, code):
        region = lookup.by_code(code)
        if region is None:
            raise ValidationError(self.error_messages["unknown"], code="unknown")
        if region.kind not in PLACES:
            raise ValidationError(
                self.error_messages["not_county"], code="not_county", params={"code": code}
            )
        return region

    def _by_name(self, text):
        suffixes = {text[i:] for i in range(len(text))}
        candidates = []
        for region in Region.objects.filter(kind__in=PLACES, name__in=suffixes).select_related(
            "parent__parent"
        ):
            above = region.full_name[: -len(region.name)]
            if _is_subsequence(text[: -len(region.name)], above):
                candidates.append(region)
        # The longest name that fits wins: "东城区" is Beijing's, not 汕尾's 城区 after "东".
        longest = max((len(r.name) for r in candidates), default=0)
        candidates = [r for r in candidates if len(r.name) == longest]
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            raise ValidationError(self.error_messages["unknown"], code="unknown")
        # Named with their city and province, never by a code (nobody is asked for one).
        options = str(_("；")).join(r.full_name for r in candidates[:8])
        raise ValidationError(
            self.error_messages["ambiguous"], code="ambiguous", params={"options": options}
        )


class PasswordPairMixin:
    """Two password fields checked against each other and Django's validators."""

    def _password_user(self):
        raise NotImplementedError

    def clean_password2(self):
        first = self.cleaned_data.get("password1")
        second = self.cleaned_data.get("password2")
        if first and second and first != second:
            raise ValidationError(_("两次输入的密码不一致。"), code="password_mismatch")
        return second

    def _post_clean_passwords(self):
        password = self.cleaned_data.get("password2")
        if password:
            try:
                password_validation.validate_password(password, self._password_user())
            except ValidationError as error:
                self.add_error("password1", error)


def _password_fields():
    return (
        forms.CharField(
            label=_("密码"),
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
            help_text=password_validation.password_validators_help_text_html(),
        ),
        forms.CharField(
            label=_("再次输入密码"),
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        ),
    )


class RegistrationForm(PasswordPairMixin, forms.ModelForm):
    """The account and the organisation on one page. `registered` is set when the code is
    already registered, so that the page can say whom to contact (never the staff's emails)."""

    email = forms.EmailField(
        label=_("电子邮箱（登录用）"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1, password2 = _password_fields()
    display_name = forms.CharField(
        label=_("联系人姓名"), max_length=60, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    # Wider than 18: people paste codes with spaces or in full-width characters.
    uscc = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=40,
        help_text=_("18位，见营业执照左上角。"),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    region = RegionField(
        label=_("所在区县"),
        help_text=_("填写区县名称（例如：青岛市市南区）或6位区县代码（例如：370202）。"),
    )
    contact_phone = forms.CharField(
        label=_("联系电话"),
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    licence = forms.FileField(
        label=_("营业执照"),
        help_text=_("营业执照照片或扫描件：JPG、PNG或PDF，不超过5MB。仅供人社部门核验使用。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,image/*"}),
    )

    field_order = ["email", "password1", "password2", "display_name"]

    class Meta:
        model = Employer
        fields = ["name", "uscc", "kind", "region", "address", "sector", "size", "contact_phone"]
        fields += ["licence"]

    def __init__(self, *args, covering_bureau=None, **kwargs):
        # covering_bureau(region) -> the bureau to contact, or None.
        self.covering_bureau = covering_bureau or (lambda region: None)
        self.registered = None
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "organization"
        self.fields["sector"].choices = [("", _("请选择行业")), *Sector.choices]

    def account_fields(self):
        return [self[name] for name in self.field_order]

    def organisation_fields(self):
        return [field for field in self if field.name not in self.field_order]

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                _("该邮箱已注册。请直接登录；如需加入已登记的单位，请联系该单位的管理员邀请您。"),
                code="email_taken",
            )
        return email

    def clean_uscc(self):
        code = validate_uscc(normalise(self.cleaned_data["uscc"]))
        existing = Employer.objects.filter(uscc=code).select_related("region").first()
        if existing is not None:
            self.registered = {
                "employer": existing,
                "bureau": self.covering_bureau(existing.region),
            }
            raise ValidationError(
                _("该统一社会信用代码已在平台登记，不能重复登记。"), code="uscc_registered"
            )
        return code

    def clean_licence(self):
        upload = self.cleaned_data["licence"]
        # A generated name: nothing of the sender's file name reaches the disk or a header.
        upload.name = uuid.uuid4().hex + licence_extension(upload)
        return upload

    def _password_user(self):
        return User(
            email=self.cleaned_data.get("email", ""),
            display_name=self.cleaned_data.get("display_name", ""),
            role=Role.EMPLOYER,
        )

    def _post_clean(self):
        super()._post_clean()
        self._post_clean_passwords()

    def validate_unique(self):
        # The code's uniqueness is answered by clean_uscc with whom to contact; the service's
        # unique constraint is the last word on a race.
        pass

    def employer_fields(self):
        data = {name: self.cleaned_data[name] for name in self.Meta.fields if name != "licence"}
        data["contact_name"] = self.cleaned_data["display_name"]
        data["contact_email"] = self.cleaned_data["email"]
        return data


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("被邀请人的电子邮箱"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        # Only employer accounts can join (staff_accept refuses the others): say so now.
        other = User.objects.filter(email__iexact=email).exclude(role=Role.EMPLOYER).first()
        if other is not None:
            raise ValidationError(
                _("该邮箱已注册为其他类型的账户，不能加入单位。请使用另一个邮箱。"),
                code="wrong_role",
            )
        return email


class InvitationSignUpForm(PasswordPairMixin, forms.Form):
    """A new employer account for the invited address (the email is the invitation's)."""

    display_name = forms.CharField(
        label=_("姓名"), max_length=60, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password1, password2 = _password_fields()

    def __init__(self, *args, email, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def _password_user(self):
        return User(
            email=self.email,
            display_name=self.cleaned_data.get("display_name", ""),
            role=Role.EMPLOYER,
        )

    def _post_clean(self):
        super()._post_clean()
        self._post_clean_passwords()
