"""Mainland China mobile numbers: what people type, read into one form ("13812345678").

People type numbers the way they see them: with spaces or dashes, with +86 or 0086 in front,
in full-width digits from a Chinese keyboard. All of that is accepted; landlines, foreign
numbers, letters and absurd lengths each get their own plain message.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MOBILE = re.compile(r"1[3-9]\d{9}")
# Whatever is longer than this is not a phone number being typed (a paste gone wrong).
MAX_TYPED = 30
_SEPARATORS = re.compile(r"[\s\-－—–()（）.·]")


def normalize(raw):
    """The 11-digit number, or ValidationError saying what is wrong with what was typed."""
    text = unicodedata.normalize("NFKC", str(raw or "")).strip()
    if not text:
        raise ValidationError(_("请输入手机号码。"), code="required")
    if len(text) > MAX_TYPED:
        raise ValidationError(_("号码太长了。请输入11位手机号码。"), code="too_long")
    text = _SEPARATORS.sub("", text)
    if text.startswith("+"):
        if not text.startswith("+86"):
            raise ValidationError(_("目前只能使用中国大陆的手机号码（+86）。"), code="foreign")
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    elif text.startswith("86") and len(text) == 13:
        text = text[2:]
    elif text.startswith("00"):
        raise ValidationError(_("目前只能使用中国大陆的手机号码（+86）。"), code="foreign")
    if not text.isdigit():
        raise ValidationError(
            _("手机号码只能包含数字（可以带空格、横线或 +86）。"), code="not_digits"
        )
    if text.startswith("0") or (len(text) in (7, 8) and not text.startswith("1")):
        raise ValidationError(
            _("这看起来是座机号码。请填写能接收短信的手机号码。"), code="landline"
        )
    if len(text) != 11:
        raise ValidationError(
            _("手机号码应为11位数字（您输入了%(count)s位）。"),
            code="length",
            params={"count": len(text)},
        )
    if not MOBILE.fullmatch(text):
        raise ValidationError(_("这不是有效的手机号码：应以13到19开头。"), code="prefix")
    return text


def masked(number):
    """138****5678: enough for her to recognise her number, not enough to read it out."""
    if not number:
        return ""
    return f"{number[:3]}****{number[-4:]}"
