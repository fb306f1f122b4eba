"""What a search asked for, as chips she can remove with one tap (the sticky bar above the
results): the place, her words and what they became ("兼职 → 非全日制、小时工"), her free hours,
and every other filter she set. Each chip links to the same search without it.
"""

from django.utils.translation import gettext as _

from momjobs.lib import hours
from momjobs.regions.forms import display

from .filters import FREE_HOURS_PARAMS

# Parameters that are not filters of their own, or are shown with another chip.
_NOT_CHIPS = {"page", "pay_unit", "sort", "q", "region", *FREE_HOURS_PARAMS}


def _without(query, *keys, q=None):
    data = query.copy()
    for key in keys:
        data.pop(key, None)
    data.pop("page", None)
    if q is not None:
        if q.strip():
            data["q"] = q
        else:
            data.pop("q", None)
    encoded = data.urlencode()
    return "?" + encoded if encoded else "?"


def _minus(text, word):
    return " ".join(text.replace(word, " ", 1).split())


def chips(search, query):
    """[(label, url)] for the search `search` made from the query string `query` (a QueryDict)."""
    if not search.is_bound:
        return []
    search.form.is_valid()
    data, errors = search.form.cleaned_data, search.form.errors
    typed = query.get("q", "")
    out = []
    region = data.get("region")
    if region is not None and "region" not in errors:
        place_words = [word for word, _region in search.place_words]
        if place_words:
            label = _("%(word)s → %(place)s") % {"word": place_words[0], "place": display(region)}
            out.append((label, _without(query, q=_minus(typed, place_words[0]))))
        else:
            out.append((display(region), _without(query, "region")))
    if search.words is not None:
        for chip in search.words.chips:
            out.append((str(chip), _without(query, q=_minus(typed, chip.word))))
        left = data.get("q") or ""
        if left.strip():
            out.append(
                (
                    _("“%(words)s”") % {"words": left},
                    _without(query, q=_words_only(search, typed, left)),
                )
            )
    windows = search.free_windows()
    if windows and "fits" not in errors and set(query) & FREE_HOURS_PARAMS:
        chosen = hours.preset(data.get("hours"))
        label = chosen.label if chosen is not None else hours.describe(windows)
        out.append((str(label), _without(query, *FREE_HOURS_PARAMS)))
    for name, field in search.form.fields.items():
        if name in _NOT_CHIPS or name in errors or name not in query:
            continue
        value = data.get(name)
        if value in (None, "", False, []):
            continue
        out.append((_chip_label(search, name, field, value, data), _without(query, name)))
    return out


def _words_only(search, typed, left):
    """Her words without the free text: what became filters stays."""
    text = typed
    for word in left.split():
        text = _minus(text, word)
    return text


def _chip_label(search, name, field, value, data):
    if name == "pay_min":
        unit = dict(search.form.fields["pay_unit"].choices).get(data.get("pay_unit") or "", "")
        return _("不低于 %(amount)s %(unit)s") % {"amount": f"{value:g}", "unit": unit}
    if name == "phase":
        choices = dict(search.phase_choices)
        value = int(value) if str(value).isdigit() else value
    else:
        choices = dict(getattr(field, "choices", []) or [])
    if isinstance(value, list):
        # Translators: between items of a list, as in 非全日制、小时工.
        return _("、").join(str(choices.get(v, v)) for v in value)
    if value is True:
        return str(field.label)
    return str(choices.get(value, choices.get(str(value), value)))
