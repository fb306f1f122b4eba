"""Chinese word segmentation for full-text search (jieba into a `simple` tsvector)."""

import re
from functools import cache
from pathlib import Path

USER_DICT = Path(__file__).parent / "jieba_userdict.txt"
_KEEP = re.compile(r"[\w\u4e00-\u9fff]+")


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
    """Search-engine mode: 客服专员 -> 客服 专员 客服专员, so a search for 客服 finds it."""
    words = []
    for chunk in _KEEP.findall((text or "").lower()):
        words += [w for w in _jieba().lcut_for_search(chunk) if w.strip()]
    return words


def segment(text):
    return " ".join(tokens(text))
