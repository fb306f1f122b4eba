"""A region typed as its code: the search filter, a seeker's district, a subscription.

(Employers type a district by code or by name: employers/forms_account.py RegionField, which
normalises the text with `normalise` too.)
"""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import lookup

# Six digits, or a functional zone's "<city code>Z<nn>" (momjobs/regions/models.py).
CODE = re.compile(r"^\d{6}(Z\d{2})?$")


def normalise(text):
    """What was typed, as a code would be written: full-width digits (３７０２００, what a phone
    keyboard in Chinese mode types) made ASCII, spaces dropped, a zone's z upper-case."""
    return "".join(unicodedata.normalize("NFKC", text or "").split()).upper()


def region_for_code(text, *, strict=False):
    """The region whose code was typed, or ValidationError. `strict`: a text that is not shaped
    like a code says how a code is written, instead of "not found"."""
    code = normalise(text)[:12]
    if strict and not CODE.match(code):
        raise ValidationError(
            _("请填写6位行政区划代码，例如 370200（青岛市）。"), code="region_format"
        )
    region = lookup.by_code(code)
    if region is None:
        raise ValidationError(
            _("没有找到地区代码“%(code)s”。"), code="region_unknown", params={"code": code}
        )
    return region


class RegionCodeField(forms.CharField):
    """A region code, or nothing (None). Found in the in-memory tree (lookup.py), no query."""

    def __init__(self, *, strict=False, **kwargs):
        self.strict = strict
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value) or ""
        if not normalise(value):
            return None
        return region_for_code(value, strict=self.strict)

    def prepare_value(self, value):
        return getattr(value, "code", value)
