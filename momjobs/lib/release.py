"""What code is running, as a short token, so that pages cached by an older release are never
served by a newer one (cached search pages hold rendered HTML: a deploy that changes a template
must not show the old one until the next publish).

`RELEASE` in the environment wins (set it to the image tag or commit in production); otherwise
it is a hash of the names, sizes and modification times of the code and templates, which every
process started from the same files computes alike.
"""

import hashlib
import os
from pathlib import Path

from django.conf import settings

_WATCHED = ("momjobs", "employers", "directory", "templates", "locale")
_SUFFIXES = {".py", ".html", ".txt", ".mo"}


def _fingerprint(base):
    digest = hashlib.blake2b(digest_size=6)
    for folder in _WATCHED:
        for path in sorted((base / folder).rglob("*")):
            if path.suffix in _SUFFIXES and "migrations" not in path.parts:
                stat = path.stat()
                digest.update(
                    f"{path.relative_to(base)}:{stat.st_size}:{stat.st_mtime_ns}".encode()
                )
    return digest.hexdigest()


def token():
    global _token
    if _token is None:
        _token = os.environ.get("RELEASE") or _fingerprint(Path(settings.BASE_DIR))
    return _token


_token = None
