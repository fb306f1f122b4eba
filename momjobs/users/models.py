from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from momjobs.lib.storage import private_storage


class Role(models.TextChoices):
    SEEKER = "seeker", _("求职者")
    EMPLOYER = "employer", _("用人单位工作人员")
    BUREAU = "bureau", _("人社部门工作人员")
    ADMIN = "admin", _("平台管理员")


class EmailUserManager(UserManager):
    use_in_migrations = True

    def _create_user_object(self, email, password, **extra_fields):
        # No email ("" or None) is stored as NULL: many phone-only accounts, one per address.
        email = self.normalize_email(email).lower() or None
        user = self.model(email=email, **extra_fields)
        user.password = ""
        user.set_password(password)
        return user

    def _create_user(self, email, password, **extra_fields):
        user = self._create_user_object(email, password, **extra_fields)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("role", Role.ADMIN)
        return self._create_user(email, password, **extra_fields)


class Notify(models.TextChoices):
    SMS = "sms", _("短信")
    EMAIL = "email", _("邮件")


class User(AbstractUser):
    """Staff sign in with an email address and a password; seekers with a mobile number and an
    SMS code, or with an email address. The role decides which side of the portal a user sees;
    what she may touch is decided per object by the access helpers (memberships, jurisdiction).
    """

    username = None
    first_name = None
    last_name = None
    # Optional for seekers who signed up with a mobile number (NULL: unique only when given).
    email = models.EmailField(_("电子邮箱"), unique=True, null=True, blank=True)
    # The number she confirmed with an SMS code, as 11 digits (momjobs.users.phones).
    phone = models.CharField(_("手机号码"), max_length=11, unique=True, null=True, blank=True)
    phone_verified_at = models.DateTimeField(_("手机验证时间"), null=True, blank=True)
    notify_by = models.CharField(
        _("申请进展通知方式"), max_length=5, choices=Notify.choices, default=Notify.EMAIL
    )
    display_name = models.CharField(_("姓名"), max_length=60, blank=True)
    role = models.CharField(_("角色"), max_length=10, choices=Role.choices, default=Role.SEEKER)
    language = models.CharField(
        _("语言"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    email_verified_at = models.DateTimeField(_("邮箱验证时间"), null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = EmailUserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.display_name or self.contact_label

    @property
    def contact_label(self):
        """Her email, or her masked number when she has no email."""
        from .phones import masked

        return self.email or masked(self.phone)

    def get_full_name(self):
        return self.display_name or self.contact_label

    def get_short_name(self):
        return self.display_name or (self.email or "").split("@")[0] or self.contact_label

    @property
    def is_contact_verified(self):
        """She proved she can be reached: a confirmed email or a number confirmed by SMS."""
        return self.email_verified_at is not None or self.phone_verified_at is not None

    @property
    def notify_channel(self):
        """Where her application updates go: her choice, if that channel exists, else the other."""
        sms = self.phone and self.phone_verified_at
        if self.notify_by == Notify.SMS and sms:
            return Notify.SMS
        if self.email:
            return Notify.EMAIL
        return Notify.SMS if sms else None

    @property
    def is_seeker(self):
        return self.role == Role.SEEKER

    @property
    def is_employer_staff(self):
        return self.role == Role.EMPLOYER

    @property
    def is_bureau_staff(self):
        return self.role == Role.BUREAU

    @property
    def is_admin(self):
        return self.role == Role.ADMIN or self.is_superuser


class SeekerProfile(models.Model):
    """The minimum a seeker needs to apply. Never children's names or birth dates."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="seeker_profile"
    )
    name = models.CharField(_("姓名"), max_length=60)
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)
    district = models.ForeignKey(
        "regions.Region",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("所在区县"),
    )
    # Free weekly windows in the same shape as a posting's schedule (employers.schedule).
    free_windows = models.JSONField(_("空闲时间"), default=list, blank=True)
    skills = models.TextField(_("技能"), blank=True)
    experience = models.TextField(_("工作经历"), blank=True)
    cv = models.FileField(_("简历"), storage=private_storage, upload_to="cv/", blank=True)
    # Self-declared, with its own consent; never shown to employers.
    cares_for_child_under_12 = models.BooleanField(_("我在照护12岁以下儿童"), default=False)
    eligibility_consent_at = models.DateTimeField(null=True, blank=True)
    privacy_policy_version = models.CharField(max_length=20, blank=True)
    privacy_consent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("求职者资料")
        verbose_name_plural = _("求职者资料")

    def __str__(self):
        return self.name


class TOTPDevice(models.Model):
    """An authenticator app (TOTP, RFC 6238) bound to a user once she entered a valid code."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device"
    )
    secret = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField(auto_now_add=True)
    # The last time step accepted: a code is never accepted twice (replay).
    last_step = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("双重验证设备")
        verbose_name_plural = _("双重验证设备")

    def __str__(self):
        return str(self.user)

    def verify(self, code):
        import time

        import pyotp

        code = "".join(ch for ch in str(code) if ch.isdigit())
        if len(code) != 6:
            return False
        totp = pyotp.TOTP(self.secret)
        now_step = int(time.time()) // totp.interval
        # One step of clock drift either way.
        for step in (now_step - 1, now_step, now_step + 1):
            if step > self.last_step and totp.at(step * totp.interval) == code:
                updated = TOTPDevice.objects.filter(pk=self.pk, last_step__lt=step).update(
                    last_step=step
                )
                if updated:
                    self.last_step = step
                    return True
        return False


class PhoneCode(models.Model):
    """A 6-digit code sent by SMS: valid a few minutes, single use, a few tries, stored hashed.

    The purpose keeps a code for signing in from confirming a deletion, and the number it was
    sent to is part of the check: a code for another number never matches.
    """

    class Purpose(models.TextChoices):
        SIGN_IN = "sign_in", _("登录或注册")
        ADD = "add", _("添加手机号")
        DELETE = "delete", _("删除账户")

    phone = models.CharField(max_length=11, db_index=True)
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        indexes = [models.Index(fields=["phone", "purpose", "-created_at"])]

    def __str__(self):
        return f"{self.purpose} {self.created_at:%Y-%m-%d %H:%M}"


class RecoveryCode(models.Model):
    """One-time codes that stand in for the authenticator app when the phone is lost."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("恢复码")
        verbose_name_plural = _("恢复码")

    def __str__(self):
        return str(self.user_id)


class SessionRecord(models.Model):
    """Which sessions belong to whom (Django's session table cannot be searched by user): her
    sessions on every device end with her account."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_records"
    )
    session_key = models.CharField(max_length=40, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("登录会话")
        verbose_name_plural = _("登录会话")

    def __str__(self):
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class SignInFailure(models.Model):
    """A failed password for an account (by a digest of the address typed), kept in PostgreSQL so
    that throttling holds while Redis is away (momjobs/users/throttle.py)."""

    account = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("登录失败记录")
        verbose_name_plural = _("登录失败记录")

    def __str__(self):
        return f"{self.account[:8]} {self.at:%Y-%m-%d %H:%M}"
