"""Shared hypothesis strategies for fuzzing forms, filters, validators and imports.

What people (and scripts) really type into a Chinese job portal: CJK text, emoji, full-width
digits and punctuation, numbers written every which way, copy-pasted control characters, very
long strings, and the usual SQL/HTML/template payloads. Each feature's fuzz test composes these;
add a strategy here when a new form or import needs one.
"""

import string
from decimal import Decimal

from hypothesis import strategies as st

from employers.uscc import ALPHABET, make_uscc

# -- characters --------------------------------------------------------------------------------

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
EMOJI = st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF)
# Several code points that make one picture (ZWJ sequences, modifiers, flags).
EMOJI_SEQUENCES = st.sampled_from(["👩\u200d👧", "🧑🏽\u200d🍳", "❤️", "🇨🇳"])
FULL_WIDTH_DIGITS = st.characters(min_codepoint=0xFF10, max_codepoint=0xFF19)
CONTROL = st.characters(min_codepoint=0x00, max_codepoint=0x1F) | st.sampled_from(
    # DEL, zero-width space, right-to-left override, BOM, line/paragraph separators, NBSP
    ["\x7f", "\u200b", "\u202e", "\ufeff", "\u2028", "\u2029", "\xa0", "\x85"]
)
PUNCTUATION = st.sampled_from(list("，。；：、（）“”‘’【】《》～—！？") + list(string.punctuation))

any_char = st.one_of(
    st.characters(exclude_categories=["Cs"]),  # anything encodable
    CJK,
    EMOJI,
    FULL_WIDTH_DIGITS,
    CONTROL,
    PUNCTUATION,
)

# -- text ------------------------------------------------------------------------------------------

PAYLOADS = [
    "' OR '1'='1",
    "'; DROP TABLE employers_posting; --",
    '" OR ""="',
    "1; SELECT pg_sleep(5)",
    "%' AND 1=1 --",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "%s%s%s%n",
    "../../../../etc/passwd",
    "\x00",
    "a\x00b",
    "NULL",
    "None",
    "undefined",
    "[]",
    "{}",
    '{"days": [1]}',
    "true",
    "\\",
    "$(reboot)",
    "\u202egnp.exe",
    "　",  # ideographic space
    " ",
    "",
]

# Numbers written as text, as forms receive them.
NUMBERS_AS_TEXT = [
    "0",
    "-0",
    "-1",
    "1.5",
    "1,000",
    "1_000",
    " 12 ",
    "１２",  # full-width
    "١٢",  # Arabic-Indic
    "二十",
    "1e3",
    "1E-5000",  # beyond PostgreSQL's numeric exponent range
    "1e-99999",
    "1e309",
    "9" * 40,
    "0." + "0" * 30 + "1",
    "NaN",
    "sNaN",
    "Infinity",
    "-inf",
    "0x1F",
    "12元",
    "20-25",
]

short_text = st.text(any_char, max_size=30)
payload = st.sampled_from(PAYLOADS)
long_text = st.builds(
    lambda s, n: s * n, st.text(any_char, min_size=1, max_size=4), st.integers(300, 3000)
)

text = st.one_of(
    st.text(any_char, max_size=200),
    st.text(CJK, min_size=1, max_size=40),
    payload,
    long_text,
    st.builds(lambda a, b: a + b, payload, st.text(any_char, max_size=20)),
    st.lists(st.one_of(EMOJI_SEQUENCES, st.text(CJK, max_size=3)), max_size=6).map("".join),
)

numbers_as_text = st.one_of(
    st.sampled_from(NUMBERS_AS_TEXT),
    st.integers().map(str),
    st.integers(0, 10**6).map(
        lambda n: str(n).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    ),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(repr),
)

# -- domain shapes ---------------------------------------------------------------------------------

_colon = st.sampled_from([":", "：", ".", ""])
_dash = st.sampled_from(["-", "–", "—", "~", "～", "至", "到", "", "--"])
_sep = st.sampled_from([",", "，", ";", "；", " ", "、", "\n"])


def _clock(hours=None, minutes=None):
    hours = st.integers(-1, 30) if hours is None else hours
    minutes = st.integers(-1, 75) if minutes is None else minutes
    return st.builds(
        lambda h, c, m, pad: f"{h:02d}{c}{m:02d}" if pad else f"{h}{c}{m}",
        hours,
        _colon,
        minutes,
        st.booleans(),
    )


time_like = st.one_of(
    _clock(st.integers(0, 24), st.integers(0, 59)),
    _clock(),
    st.sampled_from(["24:00", "00:00", "23:59", "８:３０", "08：30", " 08:30 ", "8:5", "25:00"]),
    short_text,
    numbers_as_text,
)

fits_item = st.builds(
    lambda d1, d2, t1, dash, t2, at: (
        f"{d1}{'-' + str(d2) if d2 is not None else ''}{at}{t1}{dash}{t2}"
    ),
    st.integers(0, 9),
    st.none() | st.integers(0, 9),
    time_like,
    _dash,
    time_like,
    st.sampled_from(["@", "＠", " @ ", ""]),
)

# "1-5@08:30-15:30,6@09:00-12:00" and its near misses.
fits_like = st.one_of(
    st.lists(fits_item, min_size=1, max_size=25).flatmap(
        lambda items: _sep.map(lambda sep: sep.join(items))
    ),
    st.sampled_from(
        ["1-5@08:30-15:30", "1-5@08:30-15:30,6@09:00-12:00", "7@22:00-06:00", "1-7@00:00-24:00"]
    ),
    text,
)

json_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    short_text,
    time_like,
)
json_ish = st.recursive(
    json_scalar,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(short_text, children, max_size=5)
    ),
    max_leaves=20,
)

days_like = st.one_of(
    st.lists(st.integers(1, 7), min_size=1, max_size=7, unique=True),
    st.lists(st.integers(-3, 10), max_size=9),
    st.lists(st.one_of(st.booleans(), st.floats(1, 7), st.text(max_size=2)), max_size=4),
    json_ish,
)
window_like = st.fixed_dictionaries(
    {"days": days_like, "start": time_like, "end": time_like},
    optional={"note": json_ish},
)
# The schedule JSON of postings and profiles: mostly window-shaped, sometimes anything.
schedule_like = st.one_of(st.lists(window_like, max_size=6), json_ish)

_uscc_chars = ALPHABET + "IOSVZ" + "abcxyz" + "０１９ＡＹ -"
uscc_like = st.one_of(
    st.text(st.sampled_from(_uscc_chars), max_size=24),
    # well-formed first 17 characters: valid, or with the check character replaced
    st.builds(
        lambda region, rest, tamper, c: (
            (make_uscc(f"91{region}{rest}")[:17] + c) if tamper else make_uscc(f"91{region}{rest}")
        ),
        st.integers(110000, 659999).map(str),
        st.text(st.sampled_from(ALPHABET), min_size=9, max_size=9),
        st.booleans(),
        st.sampled_from(ALPHABET),
    ),
    text,
)

decimal_like = st.one_of(
    st.none(),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.decimals(min_value=Decimal("-1000"), max_value=Decimal("100000"), places=2),
    st.integers(),
    numbers_as_text,
)


def choice_or_garbage(choices):
    """A valid value of a TextChoices (most of the time), or anything."""
    return st.one_of(st.sampled_from([value for value, _ in choices]), short_text, st.none())


def query_params(names, values=None):
    """GET parameters: known names (repeated or not) and strangers, with arbitrary values."""
    values = values or st.one_of(
        text, numbers_as_text, fits_like, st.sampled_from(["on", "true", "1", "off"])
    )
    known = st.dictionaries(st.sampled_from(names), values, max_size=len(names))
    return st.builds(
        lambda a, b: {**b, **a},
        known,
        st.dictionaries(short_text.filter(bool), values, max_size=3),
    )
