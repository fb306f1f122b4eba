"""How a region code is written, and what was typed made into one."""

import re
import unicodedata

# Six digits, or a functional zone's "<city code>Z<nn>" (momjobs/regions/models.py).
CODE = re.compile(r"^\d{6}(Z\d{2})?$")


def normalise(text):
    """What was typed, as a code would be written: full-width digits (３７０２００, what a phone
    keyboard in Chinese mode types) made ASCII, spaces dropped, a zone's z upper-case."""
    return "".join(unicodedata.normalize("NFKC", text or "").split()).upper()
