"""Reference data a process keeps for a while (the region tree, the search words): built once,
rebuilt when older than max_age seconds, forgotten when it changes. Every request in between
reads it from memory, with no query.

The built value says when it was taken (`.taken`, time.monotonic()), so a failed build can
ask to be tried again sooner. `max_age` is given at each read, so a module's MAX_AGE (which
tests shorten) stays the one setting.
"""

import threading
import time


class Kept:
    def __init__(self, build):
        self._build = build
        self._lock = threading.Lock()
        self.value = None

    def get(self, max_age):
        value = self.value
        if value is None or time.monotonic() - value.taken > max_age:
            with self._lock:
                if self.value is None or time.monotonic() - self.value.taken > max_age:
                    self.value = self._build()
                value = self.value
        return value

    def forget(self):
        self.value = None
