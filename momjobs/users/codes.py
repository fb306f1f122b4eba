"""SMS codes: issued for one number and one purpose, checked with few tries, used once.

Limits: one code a minute and ten a day per number, a few dozen an hour per client address
(settings.SMS_CODE_*). The same answer whether or not the number has an account: the page says
"sent" either way, and only the person holding the phone learns more.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from momjobs.lib import ratelimit, tasks

from .models import PhoneCode

LIFETIME = timedelta(minutes=5)
MAX_ATTEMPTS = 5


def keyed_hash(text):
    """A secret kept only as a keyed hash (SMS codes here, TOTP recovery codes in twofactor.py):
    a leaked table gives nothing to try offline without SECRET_KEY."""
    return hmac.new(settings.SECRET_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()


def _digest(phone, purpose, code):
    return keyed_hash(f"{phone}:{purpose}:{code}")


def check_limits(*, phone, client):
    """ValidationError when this number or this address asked too often; counts nothing."""
    if not settings.RATE_LIMITS_ENABLED:
        return
    if ratelimit.count("sms-minute", phone, 60) >= 1:
        raise ValidationError(
            _("验证码刚刚发出，请等%(seconds)s秒后再试。"),
            code="wait",
            params={"seconds": ratelimit.retry_after(60)},
        )
    if ratelimit.count("sms-day", phone, 86400) >= settings.SMS_CODES_PER_DAY:
        raise ValidationError(_("这个号码今天收到的验证码已达上限，请明天再试。"), code="daily")
    if ratelimit.count("sms-client", client, 3600) >= settings.SMS_CODES_PER_CLIENT_HOUR:
        raise ValidationError(_("请求太频繁，请一小时后再试。"), code="client")


def issue(*, phone, purpose, client, language):
    """Create a code for this number and purpose and send it by SMS after the commit."""
    check_limits(phone=phone, client=client)
    for scope, key, period in (
        ("sms-minute", phone, 60),
        ("sms-day", phone, 86400),
        ("sms-client", client, 3600),
    ):
        ratelimit.hit(scope, key, period)
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        # A new code replaces the earlier ones: only the last message she received works.
        PhoneCode.objects.filter(phone=phone, purpose=purpose, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        PhoneCode.objects.create(
            phone=phone,
            purpose=purpose,
            code_hash=_digest(phone, purpose, code),
            expires_at=timezone.now() + LIFETIME,
        )
        tasks.queue_sms(
            to=phone,
            template="code",
            context={"code": code, "minutes": int(LIFETIME.total_seconds() // 60)},
            language=language,
        )


def confirm(*, phone, purpose, code):
    """Use the code, or ValidationError saying what is wrong (wrong, expired, used, too many).

    A wrong try is counted in its own committed transaction, before the error is raised.
    """
    error = _check(phone=phone, purpose=purpose, code=code)
    if error is not None:
        raise error


@transaction.atomic
def _check(*, phone, purpose, code):
    typed = "".join(ch for ch in str(code or "") if ch.isdigit())
    latest = (
        PhoneCode.objects.select_for_update()
        .filter(phone=phone, purpose=purpose)
        .order_by("-created_at", "-pk")
        .first()
    )
    if latest is None:
        return ValidationError(_("请先获取验证码。"), code="none")
    if latest.used_at is not None:
        return ValidationError(_("这个验证码已经用过或已失效，请重新获取。"), code="used")
    if latest.expires_at < timezone.now():
        return ValidationError(_("验证码已过期（5分钟内有效），请重新获取。"), code="expired")
    if latest.attempts >= MAX_ATTEMPTS:
        return ValidationError(_("输错次数太多，请重新获取验证码。"), code="attempts")
    if len(typed) != 6 or not hmac.compare_digest(latest.code_hash, _digest(phone, purpose, typed)):
        latest.attempts += 1
        latest.save(update_fields=["attempts"])
        left = MAX_ATTEMPTS - latest.attempts
        if left <= 0:
            return ValidationError(_("输错次数太多，请重新获取验证码。"), code="attempts")
        return ValidationError(
            _("验证码不正确，还可以再试%(left)s次。"), code="wrong", params={"left": left}
        )
    latest.used_at = timezone.now()
    latest.save(update_fields=["used_at"])
    return None
