"""Search over live postings: one FilterSet for the pages (/jobs/) and the API (/api/v1/postings/).

Every parameter is a GET parameter, so a search is a link a mother can share. A bad value of one
parameter gives that field an error message and is ignored; the other filters still apply.
"""

from decimal import Decimal

import django_filters
from django import forms
from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db.models import BooleanField, ExpressionWrapper, F, Prefetch, Q
from django.forms.utils import flatatt
from django.http import QueryDict
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from directory.models import EntryDecision, Phase, PhaseEntry, PhaseStatus
from directory.search import words as everyday_words
from employers import schedule as sched
from employers.choices import Contract, Insurance, PayUnit, Place, Sector, WorkForm
from employers.models import Posting
from employers.quality import badges
from employers.text import query_words, region_term, typed_words
from momjobs.lib import hours, search_version
from momjobs.regions import lookup, names
from momjobs.regions.forms import RegionField
from momjobs.regions.models import MinimumWage

PUBLIC_PHASE_STATUSES = [PhaseStatus.PUBLISHED, PhaseStatus.SUPERSEDED]

Q_MAX_CHARS = 100


class Select(forms.Select):
    """Django's Select written out in Python. The template renders two sub-templates per
    option: a third of the search form's time (docs/performance.md)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        if any(group for group, _choices, _index in widget["optgroups"]):
            return super().render(name, value, attrs, renderer)
        options = format_html_join(
            "",
            '\n  <option value="{}"{}>{}</option>',
            (
                (option["value"], flatatt(option["attrs"]), option["label"])
                for _group, choices, _index in widget["optgroups"]
                for option in choices
            ),
        )
        return format_html(
            '<select name="{}"{}>{}\n</select>', name, flatatt(widget["attrs"]), options
        )


class _ChoiceButtons:
    """Radio buttons or checkboxes written out in Python, as Select above: Django renders two
    sub-templates per option, and the search form has two dozen of them. Each option is a
    <label> around its input and its text (the hours presets are styled as buttons)."""

    option_class = "check"

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        return format_html_join(
            "",
            '<label class="{}" for="{}"><input type="{}" name="{}" value="{}"{}><span>{}</span></label>',
            (
                (
                    self.option_class,
                    option["attrs"].get("id", ""),
                    option["type"],
                    option["name"],
                    option["value"],
                    flatatt(option["attrs"]),
                    option["label"],
                )
                for _group, choices, _index in widget["optgroups"]
                for option in choices
            ),
        )


class Checkboxes(_ChoiceButtons, forms.CheckboxSelectMultiple):
    pass


class PresetButtons(_ChoiceButtons, forms.RadioSelect):
    option_class = "preset"


# A time of day as the picker's <input type="time"> sends it (24:00 ends a day).
TIME_OF_DAY = RegexValidator(r"^(([01]\d|2[0-3]):[0-5]\d|24:00)$", _("请填写时间，例如 09:00。"))


class FitsField(forms.CharField):
    """Free hours as she says them ("周一到周五 9点到3点", "工作日上午") or as the URL and the API
    write them (1-5@09:00-15:00): a list of windows, or None (no limit)."""

    def clean(self, value):
        value = (super().clean(value) or "").strip()
        if not value:
            return None
        return hours.parse_free_hours(value[:400])


# The picker's times: every half hour of the day (its end may be 24:00).
PICKER_TIMES = [f"{m // 60:02d}:{m % 60:02d}" for m in range(0, 24 * 60 + 1, 30)]
WEEKDAY_CHOICES = [
    ("1", _("周一")),
    ("2", _("周二")),
    ("3", _("周三")),
    ("4", _("周四")),
    ("5", _("周五")),
    ("6", _("周六")),
    ("7", _("周日")),
]


class RegionFilter(django_filters.Filter):
    field_class = RegionField


class FitsFilter(django_filters.Filter):
    field_class = FitsField


def _as_querydict(plain):
    data = QueryDict(mutable=True)
    for key, value in plain.items():
        data.setlist(key, list(value) if isinstance(value, list | tuple) else [value])
    return data


# The parameters that say her free hours (PostingFilter.free_windows).
FREE_HOURS_PARAMS = {"hours", "days", "start", "end", "fits"}


class SortChoices:
    RELEVANCE = "relevance"
    NEWEST = "newest"
    PAY = "pay"
    choices = [
        (RELEVANCE, _("相关度")),
        (NEWEST, _("最新发布")),
        (PAY, _("时薪从高到低")),
    ]


def _truthy_only(queryset, name, value):
    # Checkboxes: ticked narrows the search, unticked does not mean "must not".
    return queryset.filter(**{name: True}) if value else queryset


class PostingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("关键词"),
        method="filter_q",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("例如：客服、保洁、帮厨")}
        ),
    )
    region = RegionFilter(
        label=_("地点"),
        method="filter_region",
        help_text=_("城市或区县，例如 青岛、市南区（含下辖各区县）。"),
        widget=forms.TextInput(attrs={"placeholder": _("城市或区县，例如 青岛")}),
    )
    sector = django_filters.ChoiceFilter(widget=Select, label=_("行业"), choices=Sector.choices)
    # Several forms or places at once ("兼职" is part-time, hourly, piece-rate or home-based).
    form = django_filters.MultipleChoiceFilter(
        label=_("用工形式"),
        field_name="work_form",
        choices=WorkForm.choices,
        widget=Checkboxes,
    )
    place = django_filters.MultipleChoiceFilter(
        label=_("工作方式"), choices=Place.choices, widget=Checkboxes
    )
    # Free hours, three ways (the first given wins): the day/time picker, a one-tap preset,
    # or words ("周一到周五 9点到3点"); `fits=1-5@09:00-15:00` stays the URL and API format.
    hours = django_filters.ChoiceFilter(
        label=_("空闲时间"),
        choices=[(p.key, p.label) for p in hours.PRESETS],
        method="filter_nothing",
        widget=PresetButtons,
        empty_label=None,
    )
    days = django_filters.MultipleChoiceFilter(
        label=_("哪几天"), choices=WEEKDAY_CHOICES, method="filter_nothing", widget=Checkboxes
    )
    # The phone's own time picker (a select of 48 half hours weighed on every page).
    start = django_filters.CharFilter(
        label=_("从"),
        method="filter_nothing",
        validators=[TIME_OF_DAY],
        widget=forms.TextInput(attrs={"type": "time", "step": 1800}),
    )
    end = django_filters.CharFilter(
        label=_("到"),
        method="filter_nothing",
        validators=[TIME_OF_DAY],
        widget=forms.TextInput(attrs={"type": "time", "step": 1800}),
    )
    fits = FitsFilter(
        label=_("用自己的话说空闲时间"),
        method="filter_nothing",
        help_text=_("例如：周一到周五 9点到3点、工作日上午、周末全天。"),
    )
    pay_min = django_filters.NumberFilter(
        label=_("最低薪酬"),
        method="filter_pay_min",
        # Bounded like the database column, so no decimal can overflow PostgreSQL's numeric.
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1000000"))],
    )
    pay_unit = django_filters.ChoiceFilter(
        widget=Select,
        label=_("薪酬单位"),
        choices=[
            (PayUnit.HOUR, PayUnit.HOUR.label),
            (PayUnit.DAY, PayUnit.DAY.label),
            (PayUnit.MONTH, PayUnit.MONTH.label),
        ],
        method="filter_nothing",
        empty_label=None,
    )
    contract = django_filters.ChoiceFilter(
        widget=Select, label=_("合同形式"), choices=Contract.choices
    )
    insurance = django_filters.ChoiceFilter(
        widget=Select, label=_("社会保险"), choices=Insurance.choices
    )
    school_run = django_filters.BooleanFilter(
        label=_("可接送孩子"), widget=forms.CheckboxInput, method=_truthy_only
    )
    weekends = django_filters.BooleanFilter(
        label=_("双休"),
        field_name="weekends_off",
        widget=forms.CheckboxInput,
        method=_truthy_only,
    )
    childcare_leave = django_filters.BooleanFilter(
        label=_("育儿假"), widget=forms.CheckboxInput, method=_truthy_only
    )
    no_overtime = django_filters.BooleanFilter(
        label=_("不强制加班"),
        field_name="no_forced_overtime",
        widget=forms.CheckboxInput,
        method=_truthy_only,
    )
    # Choices: the published phases (phase_choices).
    phase = django_filters.ChoiceFilter(
        widget=Select, label=_("目录批次"), choices=[], method="filter_phase"
    )
    sort = django_filters.ChoiceFilter(
        widget=Select,
        label=_("排序"),
        choices=SortChoices.choices,
        method="filter_nothing",
        empty_label=None,
    )

    class Meta:
        model = Posting
        fields = []

    # The filters a "no results" page may suggest dropping. Never the region: a post in another
    # city is no help to her.
    RELAXABLE = [
        "fits",
        "pay_min",
        "q",
        "contract",
        "insurance",
        "school_run",
        "weekends",
        "childcare_leave",
        "no_overtime",
        "form",
        "place",
        "sector",
        "phase",
    ]

    def __init__(self, data=None, *args, **kwargs):
        # Her own words first: "兼职" becomes the work forms it means, "崂山" the place; what
        # she chose in the form herself wins over what a word implies (words.py).
        self.words = None
        self.place_words = []
        if data is not None and not hasattr(data, "getlist"):
            data = _as_querydict(data)  # a plain dict (tests, the digest's links)
        if data is not None and (data.get("q") or "").strip():
            data = self._understood(data)
        super().__init__(data, *args, **kwargs)
        # Read when the field first needs them, once (it asks twice: to validate, to render).
        self.filters["phase"].extra["choices"] = lambda: self.phase_choices

    def _understood(self, data):
        data = data.copy()
        words = everyday_words.interpret(data.get("q", "")[: Q_MAX_CHARS * 2])
        self.words = words
        text = words.text
        if not (data.get("region") or "").strip():
            text = self._place_from_words(text, data)
        data["q"] = text
        mine = {key for key in data if data.getlist(key) != [""]}
        for key, value in words.params().items():
            if key in mine or (key == "fits" and mine & FREE_HOURS_PARAMS):
                continue
            if isinstance(value, list):
                data.setlist(key, value)
            else:
                data[key] = value
        return data

    def _place_from_words(self, text, data):
        """A place name among her words ("崂山 兼职") becomes the place, when it is one place."""
        kept = []
        for token in text.split():
            found = names.resolve(token) if not self.place_words else None
            if found and found.region is not None and not found.code_typed:
                data["region"] = found.region.code
                self.place_words.append((token, found.region))
            else:
                kept.append(token)
        return " ".join(kept)

    def free_windows(self):
        """Her free hours as windows, or None: the picker, else a preset, else her words."""
        if not self.is_bound:
            return None
        self.form.is_valid()
        data = self.form.cleaned_data
        if data.get("days") and data.get("start") and data.get("end"):
            if data["end"] <= data["start"]:
                if "end" not in self.form.errors:
                    self.form.add_error("end", _("结束时间要晚于开始时间。"))
                return None
            return [
                {
                    "days": sorted(int(d) for d in data["days"]),
                    "start": data["start"],
                    "end": data["end"],
                }
            ]
        chosen = hours.preset(data.get("hours"))
        if chosen is not None:
            return chosen.windows
        return data.get("fits")

    def free_mask(self):
        windows = self.free_windows()
        if not windows:
            return None
        try:
            return sched.free_mask(sched.windows_from_data(windows))
        except ValidationError:
            return None

    @cached_property
    def version(self):
        """What seekers can find, as of this search (momjobs/lib/search_version.py)."""
        return search_version.current()

    @cached_property
    def phase_choices(self):
        """The published phases, newest first: read from the database once per change."""
        return cache.get_or_set(
            f"search:phase-choices:{self.version}",
            lambda: list(
                Phase.objects.published().order_by("-published_at").values_list("pk", "title")
            ),
            60 * 60,
        )

    def filter_nothing(self, queryset, name, value):
        return queryset

    def filter_q(self, queryset, name, value):
        words = query_words(value[:Q_MAX_CHARS])
        if not words:
            return queryset
        self.search_query = _all_of(words)
        typed = typed_words(value[:Q_MAX_CHARS])
        # 服务员: any post that says 服务 matches; those that say 服务员 come first.
        self.search_typed = _all_of(typed) if set(typed) != set(words) else None
        # The condition itself is added by filter_queryset, which knows the region too.
        return queryset

    def filter_region(self, queryset, name, region):
        # Applied by filter_queryset, which knows whether there are words too.
        self.search_region = region
        return queryset

    def filter_pay_min(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(hourly_min__gte=hourly_equivalent(value, self.form.cleaned_data))

    def filter_phase(self, queryset, name, phase):
        if not phase:
            return queryset
        return queryset.filter(phase_entries__phase_id=phase, phase_entries__decision="approved")

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        mask = self.free_mask()
        if mask is not None:
            queryset = queryset.fitting(mask)
        sort = self.form.cleaned_data.get("sort") or ""
        query = getattr(self, "search_query", None)
        region = getattr(self, "search_region", None)
        if query is not None:
            # The region is a word of every posting's text (Posting.prepare): words and region
            # are one lookup in the text index, however common the words or large the region.
            match = query
            if region is not None:
                match &= SearchQuery(region_term(region.code), config="simple", search_type="raw")
            queryset = queryset.filter(search_vector=match)
        elif region is not None:
            # The ids, not a subquery: PostgreSQL would guess one row (docs/performance.md).
            queryset = queryset.filter(region_id__in=lookup.ids_within(region))
        if query is not None and sort in ("", SortChoices.RELEVANCE):
            queryset = queryset.annotate(rank=SearchRank(F("search_vector"), query))
            typed = getattr(self, "search_typed", None)
            if typed is None:
                return queryset.order_by("-rank", "-published_at", "-id")
            queryset = queryset.annotate(
                as_typed=ExpressionWrapper(Q(search_vector=typed), output_field=BooleanField())
            )
            return queryset.order_by("-as_typed", "-rank", "-published_at", "-id")
        if sort == SortChoices.PAY:
            return queryset.order_by(F("hourly_min").desc(nulls_last=True), "-published_at", "-id")
        return queryset.order_by("-published_at", "-id")

    # -- for the page ---------------------------------------------------------------------------

    def active_filters(self):
        """Names of the filters that narrowed this search (valid and non-empty)."""
        if not self.is_bound:
            return []
        self.form.is_valid()
        data = self.form.cleaned_data
        active = [
            name
            for name in self.RELAXABLE
            if data.get(name) not in (None, "", False, []) and name not in self.form.errors
        ]
        # Free hours given by the picker or a preset count as the "fits" filter too.
        if "fits" not in active and self.free_windows():
            active.insert(0, "fits")
        return active

    def pay_note(self):
        return _(
            "按时薪比较：月薪按岗位自身的每周工时折算，没有固定工时的按每月 21.75 天 × 8 小时"
            "（%(hours)s 小时）折算，日薪按岗位每日工时（否则按 8 小时）折算；计件岗位不参与比较。"
        ) % {"hours": settings.STANDARD_MONTH_HOURS}


def _all_of(words):
    query = None
    for word in words:
        part = SearchQuery(word, config="simple", search_type="plain")
        query = part if query is None else query & part
    return query


def hourly_equivalent(amount, data):
    unit = data.get("pay_unit") or PayUnit.HOUR
    if unit == PayUnit.MONTH:
        return Decimal(amount) / settings.STANDARD_MONTH_HOURS
    if unit == PayUnit.DAY:
        return Decimal(amount) / 8
    return Decimal(amount)


def _public_entries(*only):
    # One extra query for the whole page: each card names the phase that published it.
    entries = PhaseEntry.objects.filter(
        decision=EntryDecision.APPROVED, phase__status__in=PUBLIC_PHASE_STATUSES
    ).select_related("phase")
    if only:
        entries = entries.only(*only)
    return Prefetch("phase_entries", queryset=entries, to_attr="public_entries")


def live_postings():
    """Live postings with everything a posting's page or the API shows."""
    return Posting.objects.live().with_cards().prefetch_related(_public_entries())


# What templates/includes/posting_card.html reads, and nothing else: loading 20 cards takes half
# the time of whole rows (docs/performance.md). A field the card reads that is missing here costs
# one query per card, which tests/test_search.py's query count would catch.
CARD_FIELDS = (
    "title",
    "employer__name",
    "region__name",
    "pay_min",
    "pay_max",
    "pay_unit",
    "hourly_min",
    "hourly_max",
    "flexible_hours",
    "schedule",
    "work_form",
    "place",
    "openings",
    "contract",
    "insurance",
    "school_run",
    "weekends_off",
    "childcare_leave",
    "no_forced_overtime",
    "training",
    "career_route",
    "region__path",
)


def with_quality(postings):
    """Give each card its job-quality badges (employers/quality.py: good ones, and the warnings:
    pay below the local minimum, no or unknown insurance, …) against its region's minimum-wage
    standard: one query for the whole page."""
    postings = list(postings)
    minimums = MinimumWage.in_force_for({p.region for p in postings})
    for posting in postings:
        minimum = minimums.get(posting.region_id)
        posting.quality = badges(posting, minimum)
    return postings


def card_postings():
    """Live postings as result cards show them (the search page, an employer's public page)."""
    return Posting.objects.live().select_related("employer", "region").only(*CARD_FIELDS)


FILTER_LABELS = {name: f.label for name, f in PostingFilter.base_filters.items()}
FILTER_LABELS["fits"] = PostingFilter.base_filters["hours"].label


# Enough to say "more than 100": counting up to 1,000 took three times as long (the keyword
# dropped, a whole city's posts read; docs/performance.md).
RELAX_CAP = 100


def relax_suggestion(filterset, data):
    """When nothing matched: the filter whose removal brings back the most posts, as a dict
    (label, count, more: the count is a floor, query: the query string without it). One capped
    COUNT per active filter, only then.
    """
    best = None
    for name in filterset.active_filters():
        relaxed = data.copy()
        keys = {"pay_min": (name, "pay_unit"), "fits": FREE_HOURS_PARAMS}.get(name, (name,))
        for key in (*keys, "page"):
            relaxed.pop(key, None)
        matches = PostingFilter(relaxed, queryset=Posting.objects.live()).qs
        count = matches.order_by().values("pk")[:RELAX_CAP].count()
        if count and (best is None or count > best["count"]):
            best = {
                "name": name,
                "label": FILTER_LABELS[name],
                "count": count,
                "more": count >= RELAX_CAP,
                "query": relaxed.urlencode(),
            }
    return best
