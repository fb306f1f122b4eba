"""A mother's own words as search filters: 兼职 is any work form but 全日制, 双休 is the weekends-off
box, 宝妈 means nothing (every post is a Mom Job).

The words box (`q`) is a full-text search: 兼职 finds the few posts whose text says 兼职, not the
hundreds that are 非全日制 or 小时工, and 宝妈 finds none although every post is a Mom Job.
`interpret(q)` reads the everyday words of the SearchWord table (directory.models; bureaus extend
it in the admin) out of the words and returns what is left for the full-text search, the
filters those words stand for, and chips that say so ("双休 → 双休", "兼职 → 非全日制、小时工、…");
words that stand for no filter (宝妈, 长期, 的) leave the words without a chip (`ignored`).

How a word is found:
- Text and table words are normalised alike: full-width to half-width, case folded
  (directory.models.normalise_search_text).
- Longest table words first, and a text position is used by one word only: 周末双休 (weekends
  off) wins over 周末 (work at weekends) and 双休 inside it.
- Only whole words: the start and the end of a match must fall between words as jieba reads the
  text (the project's dictionary, employers/text.py, without guessing new words). 在家 does not
  match in 在家政公司 (在/家政公司), 日结 not in 每日结算 (每日/结算), 周末 not in 上周末 (one
  word); 周末 does match in 周末班 (周末/班), which means the same.
- A word whose row says `drop` leaves the words; the others stay in the words and add their
  filters. A row with no filters and no `drop` only keeps a longer word whole (居家养老 is a
  kind of care work, not work from home): nothing happens to it, no chip.

Several words, one search (the merge):
- Different parameters all apply, like ticking several boxes (双休 五险: both).
- The same choice parameter: any of the values (兼职 全职: every work form; she asked for either).
- fits: the union of the free hours (晚班 周末: evenings, or weekends).
- Checkboxes: ticked.

The table is read once per process and kept MAX_AGE seconds (as momjobs/regions/lookup.py keeps
regions): forgotten when this process saves or deletes a SearchWord (at once and after the
commit) and when the database is flushed; other processes see a change within MAX_AGE.

interpret() never raises: bad input gives the input back as words with no filters.
"""

import logging
import time
from dataclasses import dataclass, field

from django.db import DatabaseError, transaction
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from directory.models import (
    SEARCH_WORD_CHOICES,
    SEARCH_WORD_FITS,
    SEARCH_WORD_FLAGS,
    SearchWord,
    clean_search_filters,
    normalise_search_text,
)
from employers import schedule as sched
from employers.text import _jieba
from momjobs.lib.kept import Kept

logger = logging.getLogger(__name__)

MAX_AGE = 300  # seconds
# As directory/search/filters.py's Q_MAX_CHARS (not imported: filters.py is to import this module).
MAX_CHARS = 100
# parse_fits refuses more windows than this.
MAX_FITS_ITEMS = 21

# The labels of the search form's checkboxes (the same msgids as directory/search/filters.py).
FLAG_LABELS = {
    "school_run": _("可接送孩子"),
    "weekends": _("双休"),
    "childcare_leave": _("育儿假"),
    "no_overtime": _("不强制加班"),
}


@dataclass(frozen=True)
class Chip:
    """A word that became filters, and what they are, for the search page: str() is
    "在家 → 居家工作"."""

    word: str
    label: str

    def __str__(self):
        return f"{self.word} → {self.label}"


@dataclass
class Interpretation:
    text: str  # the words left for the full-text search ("" when nothing is left)
    filters: dict = field(default_factory=dict)  # merged; the shape of SearchWord.filters
    chips: list = field(default_factory=list)  # Chip per word that became filters, as typed
    # The words taken out that stand for no filter (宝妈, 长期, 的), as typed: no chip, since
    # "的 → 不作限制" would only be noise; the page may still say why 宝妈 left the words.
    ignored: list = field(default_factory=list)

    def params(self):
        """The filters as GET parameters: choice parameters as lists (for urlencode(doseq=True)
        or QueryDict.setlist), checkboxes as "on", fits as text. Not `q`."""
        params = {}
        for key, value in self.filters.items():
            if key in SEARCH_WORD_CHOICES:
                params[key] = list(value)
            elif key in SEARCH_WORD_FLAGS:
                params[key] = "on"
            else:
                params[key] = value
        return params


@dataclass(frozen=True)
class _Entry:
    word: str
    filters: dict
    drop: bool


class _Table:
    def __init__(self, rows, *, taken=None):
        entries = {}
        for row in rows:
            entry = _entry(row)
            if entry is not None:
                entries[entry.word] = entry
        # Longest first; the word itself only makes the order repeatable.
        self.entries = sorted(entries.values(), key=lambda e: (-len(e.word), e.word))
        self.taken = time.monotonic() if taken is None else taken


def _get(row, name, default=None):
    if isinstance(row, dict):
        return row.get(name, default)
    return getattr(row, name, default)


def _entry(row):
    """One table row (a SearchWord or a dict with its fields) as an entry, or None when it is
    inactive or cannot be read: one bad row never spoils the search."""
    if not _get(row, "active", True):
        return None
    word = normalise_search_text(_get(row, "word", ""))
    try:
        filters = clean_search_filters(_get(row, "filters", {}))
    except Exception:  # a row written around the admin's checks: skip it, say so
        logger.warning("search word %r: unreadable filters, ignored", word)
        return None
    if not word:
        return None
    return _Entry(word, filters, bool(_get(row, "drop", True)))


def _read():
    try:
        # A savepoint: a failed read (the table not migrated yet) must not break the request's
        # transaction.
        with transaction.atomic():
            rows = list(SearchWord.objects.filter(active=True).values("word", "filters", "drop"))
    except DatabaseError:
        logger.exception("search words: the table could not be read")
        # Tried again after a while, not on every search.
        return _Table([], taken=time.monotonic() - MAX_AGE + 30)
    return _Table(rows)


_kept = Kept(_read)


def _current():
    return _kept.get(MAX_AGE)


def forget(*args, **kwargs):
    """Drop this process's copy of the table."""
    _kept.forget()


def words_changed(*args, **kwargs):
    """A SearchWord saved or deleted (signal receiver): forget now, and again once the change
    is committed, so that no search in between keeps the table as it was."""
    forget()
    transaction.on_commit(forget)


# Connected here, not in DirectoryConfig.ready(): only a process that imported this module has
# a table to forget.
post_save.connect(words_changed, sender=SearchWord, dispatch_uid="search-words-save")
post_delete.connect(words_changed, sender=SearchWord, dispatch_uid="search-words-delete")
# `flush` (tests) empties the table and then sends post_migrate.
post_migrate.connect(forget, dispatch_uid="search-words-migrate")


# --- Reading the words -------------------------------------------------------------------------


def _boundaries(text):
    """The positions between words, as jieba reads the text with the project's dictionary.
    HMM off: jieba then guesses no new words, so an unknown word (a bureau's new entry) is cut
    into single characters and never hides inside a guessed word."""
    bounds = {0, len(text)}
    for _word, start, _end in _jieba().tokenize(text, HMM=False):
        bounds.add(start)
    return bounds


def _matches(text, entries):
    """[(start, end, entry)] in text order: longest words first, each position used once."""
    if not text or not entries:
        return []
    bounds = _boundaries(text)
    taken = [False] * len(text)
    found = []
    for entry in entries:
        at = text.find(entry.word)
        while at >= 0:
            end = at + len(entry.word)
            if at in bounds and end in bounds and not any(taken[at:end]):
                taken[at:end] = [True] * (end - at)
                found.append((at, end, entry))
                at = text.find(entry.word, end)
            else:
                at = text.find(entry.word, at + 1)
    found.sort(key=lambda match: match[0])
    return found


def _merge(merged, filters):
    for key, value in filters.items():
        if key in SEARCH_WORD_CHOICES:
            values = merged.setdefault(key, [])
            values += [v for v in value if v not in values]
        elif key in SEARCH_WORD_FLAGS:
            merged[key] = True
        elif key == SEARCH_WORD_FITS:
            items = merged.get(key, "").split(",") if merged.get(key) else []
            items += [i for i in value.split(",") if i not in items]
            merged[key] = ",".join(items[:MAX_FITS_ITEMS])


def describe(filters, *, drop=True):
    """What a word's filters mean, in words: 非全日制、小时工；双休. For chips and the admin.
    Raises ValidationError for filters SearchWord.clean() would refuse."""
    parts = []
    for key, value in clean_search_filters(filters).items():
        if key in SEARCH_WORD_CHOICES:
            choices = SEARCH_WORD_CHOICES[key]
            labels = [str(choices(v).label) for v in value if v in choices.values]
            parts.append(gettext("、").join(labels))
        elif key in SEARCH_WORD_FLAGS:
            parts.append(str(FLAG_LABELS[key]))
        elif key == SEARCH_WORD_FITS:
            windows = sched.describe(sched.parse_fits(value))
            parts.append(gettext("时间在%(windows)s以内") % {"windows": windows})
    if parts:
        return gettext("；").join(parts)
    return gettext("不作限制") if drop else gettext("作为关键词查找")


def interpret(q, *, table=None):
    """Read the everyday words of `q`: an Interpretation (text, filters, chips).

    table: rows to use instead of the active SearchWords (SearchWord objects or dicts with word,
    filters, drop and optionally active); for tests and previews, not cached.
    """
    raw = "" if q is None else q if isinstance(q, str) else str(q)
    try:
        # Bounded before the work: NFKC and jieba on a megabyte of text are not free.
        text = normalise_search_text(raw[: MAX_CHARS * 4])[:MAX_CHARS]
        entries = _Table(table).entries if table is not None else _current().entries
        kept, filters, chips, ignored = [], {}, {}, {}
        last = 0
        for start, end, entry in _matches(text, entries):
            if not entry.filters and not entry.drop:
                continue  # a word kept whole (see the module's docstring): nothing to do
            if entry.drop:
                kept.append(text[last:start])
                last = end
            if entry.filters:
                _merge(filters, entry.filters)
                chips.setdefault(entry.word, Chip(entry.word, describe(entry.filters)))
            else:
                ignored.setdefault(entry.word, None)
        kept.append(text[last:])
        words = " ".join(" ".join(kept).split())
        return Interpretation(words, filters, list(chips.values()), list(ignored))
    except Exception:  # the search must work even when this does not: the words as typed
        logger.exception("search words: could not read %r", raw[:MAX_CHARS])
        return Interpretation(raw[:MAX_CHARS])
