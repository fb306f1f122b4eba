"""Settings for the benchmark's gunicorn: the project's settings plus a bench-only URLconf.

Everything else (DEBUG=0, SECRET_KEY, ALLOWED_HOSTS, ...) comes from the environment that
bench/search.py sets, exactly as in production.
"""

from momjobs.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
