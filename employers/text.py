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
    which finds a post titled 电商主播 whose text says 直播. A piece that only bridges two others
    (货主 in 带货主播, between 带货 and 主播) is not required: a post saying 带货 and 主播 apart
    has no 货主.
    """
    words = list(dict.fromkeys(tokens(text)))  # (region words are set by the region filter)
    leaves = [w for w in words if not any(o != w and o in w for o in words)]
    typed = typed_words(text, words)
    return [w for w in leaves if not _bridges(w, leaves, typed)][:20]


def typed_words(text, words=None):
    """The words as typed, as far as jieba knows them: the longest pieces (服务员 for 服务员,
    where the search needs only 服务). Posts that contain them come first (directory/search/filters.py):
    a search for 服务员 lists waiting jobs before the other posts that say 服务."""
    words = list(dict.fromkeys(tokens(text))) if words is None else words
    return [w for w in words if not any(o != w and w in o for o in words)][:20]


def _bridges(word, leaves, typed):
    """True when every character of `word`, where it stands in a typed word, is covered by
    other pieces there."""
    for whole in typed:
        start = whole.find(word)
        if start < 0 or len(word) == len(whole):
            continue
        covered = set()
        for other in leaves:
            if other == word:
                continue
            at = whole.find(other)
            while at >= 0:
                covered.update(range(at, at + len(other)))
                at = whole.find(other, at + 1)
        if all(i in covered for i in range(start, start + len(word))):
            return True
    return False
