"""Unified social credit code (统一社会信用代码), GB 32100-2015.

18 characters from a 31-character alphabet (no I, O, S, V, Z); the last is a check character
computed from the first 17 with fixed weights, modulo 31. The check only proves that the code
is well-formed, not that the organisation exists: registration also asks for a business licence.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_FULL_WIDTH = {
    ord(c): ord(c) - 0xFEE0
    for c in "０１２３４５６７８９ＡＢＣＤＥＦＧＨＪＫＬＭＮＰＱＲＴＵＷＸＹ"
}


def normalise(code):
    return str(code or "").translate(_FULL_WIDTH).strip().upper().replace(" ", "")


def check_character(first17):
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value):
    code = normalise(value)
    if len(code) != 18:
        raise ValidationError(
            _("统一社会信用代码应为18位，当前为%(n)s位。"),
            code="uscc_length",
            params={"n": len(code)},
        )
    bad = [c for c in code if c not in ALPHABET]
    if bad:
        raise ValidationError(
            _("统一社会信用代码含有不允许的字符“%(c)s”（不使用 I、O、S、V、Z）。"),
            code="uscc_chars",
            params={"c": bad[0]},
        )
    if not code[2:8].isdigit():
        raise ValidationError(
            _("统一社会信用代码第3至8位应为登记管理机关行政区划码（数字）。"), code="uscc_region"
        )
    if check_character(code[:17]) != code[17]:
        raise ValidationError(
            _("统一社会信用代码校验位不正确，请核对后重新输入。"), code="uscc_check"
        )
    return code


def make_uscc(prefix17):
    """Complete 17 characters with their check character (demo data, tests, benchmarks)."""
    return prefix17 + check_character(prefix17)
