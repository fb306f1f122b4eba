"""Bar charts drawn on the server as SVG: no script, no external service, nothing to load.

`bar_chart()` computes the geometry; templates/includes/svg_bar_chart.html draws it as an
`<svg role="img">` named by its `<title>` and described by its `<desc>`. A chart is always
shown next to a table of the same figures, which is what screen readers and browsers without
SVG use: the chart adds nothing the table does not say.

Horizontal bars, because category labels (sectors, districts, phase titles) are long Chinese
words that a phone cannot fit under vertical bars. The drawing is 400 units wide and scales
with the page (a viewBox), so at a 360 px wide phone its 12-unit text is still about 11 px.
"""

import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

from directory.outcomes.figures import SMALL_COUNT

WIDTH = 400
LABEL_WIDTH = 132  # the labels' column, right-aligned against the bars
GAP = 6
VALUE_WIDTH = 44  # room after the longest bar for its figure
ROW = 24
BAR = 14
PAD = 6
FONT = 12


@dataclass(frozen=True)
class Bar:
    label: str  # in full: the bar's tooltip and the table's row
    short: str  # as drawn (shortened to fit the labels' column)
    value: int
    text: str  # the figure as drawn ("<5" for a small count of people)
    y: str
    text_y: str
    width: str
    value_x: str


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    description: str
    bars: tuple
    width: int
    height: int
    label_end: int
    bar_x: int
    bar_height: int
    font: int


def _units(char):
    # East Asian wide characters take a full em; Latin letters and digits about half.
    return 1.0 if unicodedata.east_asian_width(char) in ("W", "F") else 0.6


def fit(label, width_units):
    """`label`, cut with an ellipsis so that it is at most `width_units` ems wide."""
    if sum(_units(c) for c in label) <= width_units:
        return label
    out, used = "", 1.0  # room for the ellipsis
    for char in label:
        used += _units(char)
        if used > width_units:
            break
        out += char
    return out + "…"


def _num(value):
    # Plain decimal text, never localised (an attribute of an SVG element, not prose).
    return f"{value:.1f}".rstrip("0").rstrip(".")


def bar_chart(*, chart_id, title, rows, people=False):
    """rows: [(label, value)] in the order to draw. Values are counts (non-negative). With
    `people`, counts from 1 to 4 are drawn as "<5" with no bar (its length would tell)."""
    rows = [(str(label), max(int(value or 0), 0)) for label, value in rows]

    def small(value):
        return people and 0 < value < SMALL_COUNT

    def text(value):
        return "<5" if small(value) else str(value)

    top = max((value for _label, value in rows), default=0)
    bar_x = LABEL_WIDTH + GAP
    span = WIDTH - bar_x - VALUE_WIDTH
    bars = []
    for index, (label, value) in enumerate(rows):
        y = PAD + index * ROW
        width = span * value / top if top and not small(value) else 0
        bars.append(
            Bar(
                label=label,
                short=fit(label, LABEL_WIDTH / FONT),
                value=value,
                text=text(value),
                y=_num(y + (ROW - BAR) / 2),
                text_y=_num(y + ROW / 2 + FONT * 0.35),
                width=_num(width),
                value_x=_num(bar_x + width + 4),
            )
        )
    if rows:
        label, value = max(rows, key=lambda row: row[1])
        description = _("共 %(n)s 项；最多的是“%(label)s”，%(value)s。") % {
            "n": len(rows),
            "label": label,
            "value": text(value),
        }
    else:
        description = _("暂无数据。")
    return BarChart(
        id=chart_id,
        title=title,
        description=description,
        bars=tuple(bars),
        width=WIDTH,
        height=PAD * 2 + max(len(rows), 1) * ROW,
        label_end=LABEL_WIDTH,
        bar_x=bar_x,
        bar_height=BAR,
        font=FONT,
    )
