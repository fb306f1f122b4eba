"""Chinese word segmentation for full-text search (jieba into a `simple` tsvector)."""

import re
from functools import cache
from pathlib import Path

USER_DICT = Path(__file__).parent / "jieba_userdict.txt"
_KEEP = re.compile(r"[\w\u4e00-\u9fff]+")
# A posting's region and the regions above it are words of its text too ("rgn370200"), so that a
# word searched in a city is one lookup in the text index (docs/performance.md, "The plans").
REGION_TERM_PREFIX = "rgn"
_REGION_TERM = re.compile(rf"{REGION_TERM_PREFIX}[0-9a-z]+")


@cache
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    # An open file, not a path: jieba leaves paths it opens itself unclosed.
    with USER_DICT.open("rb") as words:
        jieba.load_userdict(words)
    return jieba


def tokens(text):
    """Search-engine mode: 客服专员 -> 客服 专员 客服专员, so a search for 客服 finds it.

    A word shaped like a region word ("rgn110000") is dropped: only Posting.prepare() writes
    those, from the posting's region, so no text can put a post into another city's searches.
    """
    words = []
    for chunk in _KEEP.findall((text or "").lower()):
        words += [
            w
            for w in _jieba().lcut_for_search(chunk)
            if w.strip() and not _REGION_TERM.fullmatch(w)
        ]
    return words


def segment(text):
    return " ".join(tokens(text))


def region_term(code):
    """The word that stands for a region in the search text."""
    return f"{REGION_TERM_PREFIX}{code.lower()}"


def region_terms(path):
    """The words of a region path ("/370000/370200/370202/"): the region and every one above it."""
    return " ".join(region_term(code) for code in path.split("/") if code)


def query_words(text):
    """The words a search must all match: the finest pieces jieba finds.

    Postings are indexed in search-engine mode, so a compound (客服专员) is indexed with its parts
    (客服, 专员). A query keeps only the parts: 客服专员 -> 客服 & 专员, 电商直播 -> 电商 & 直播,
    which finds a post titled 电商主播 whose text says 直播.
    """
    words = list(dict.fromkeys(tokens(text)))  # (region words are set by the region filter)
    leaves = [w for w in words if not any(o != w and o in w for o in words)]
    return leaves[:20]
