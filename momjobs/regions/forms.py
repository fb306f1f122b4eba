"""A place as a person gives it: its name (青岛, 市南区, 崂山, 沂河新区), or a code in a shared link.

One field for every form where a person gives a place: the search and the home page, her
profile's district, a subscription, the public employer directory (employers/forms_account.py
keeps its own county-level field and reads names the same way, through names.resolve).
A name shared by several places (鼓楼区, 朝阳区) is answered with those places to choose from:
the field keeps them (`candidates`) and the form template shows them as radio buttons with the
same name, so a tap picks one, with or without JavaScript (includes/region_choices.html).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import lookup, names
from .codes import CODE, normalise
from .models import Region


def display(region):
    """How a region reads in a place box: its name when the name alone finds it again,
    otherwise with where it is ("朝阳区（北京市）")."""
    if region is None:
        return ""
    found = names.resolve(region.name)
    return region.name if found.region == region else names.label(region)


class RegionField(forms.CharField):
    """A place by name or code, or nothing (None). Read from the in-memory tree: no query."""

    default_error_messages = {
        "region_unknown": _(
            "没有找到“%(text)s”这个地方。请输入城市或区县的名称，例如 青岛、市南区、沂河新区。"
        ),
        "region_code_unknown": _("没有找到地区代码“%(code)s”。"),
        "region_ambiguous": _("有几个地方叫“%(text)s”，请选择一个："),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)
        self.candidates = []

    def clean(self, value):
        self.candidates = []
        text = super().clean(value) or ""
        if not normalise(text):
            return None
        shown = " ".join(text.split())[:20]
        found = names.resolve(text)
        if found.region is not None:
            return found.region
        if found.candidates:
            self.candidates = found.candidates
            raise ValidationError(
                self.error_messages["region_ambiguous"],
                code="region_ambiguous",
                params={"text": shown},
            )
        if found.code_typed:
            raise ValidationError(
                self.error_messages["region_code_unknown"],
                code="region_code_unknown",
                params={"code": normalise(text)[:12]},
            )
        raise ValidationError(
            self.error_messages["region_unknown"], code="region_unknown", params={"text": shown}
        )

    def prepare_value(self, value):
        if isinstance(self.widget, forms.Select):
            # A list of places (the public employer directory): its options are codes.
            return value.code if isinstance(value, Region) else value
        # A region, or a code from a shared link: shown as its name, never as a code.
        if isinstance(value, Region):
            return display(value)
        if isinstance(value, int):  # a model field's value on an unbound form
            return display(lookup.by_id(value))
        if isinstance(value, str) and CODE.match(normalise(value)):
            region = lookup.by_code(normalise(value))
            return display(region) if region else value
        return value

    def choices(self):
        """The places a shared name may mean: (code, label) for the form to offer."""
        return [(region.code, names.label(region)) for region in self.candidates]

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.Select):
            return attrs
        # Suggestions as she types (static/js/places.js); the form works without them.
        attrs.update({"autocomplete": "off", "data-place-suggest": "", "spellcheck": "false"})
        return attrs
