"""Fixed-window rate limits kept in Redis (Django's cache), shared by every web process.

Used on sign-in, password reset and, as they arrive, sign-up, subscribe, apply and report.
A refused request gets HTTP 429 with Retry-After and a page that says when to try again.
"""

import functools
import hashlib
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render


def client_ip(request):
    """The visitor's address. Behind TRUSTED_PROXIES proxies, each appends the address it saw to
    X-Forwarded-For, so the visitor is the TRUSTED_PROXIES-th entry from the right; anything left
    of it was typed by the client and is ignored. Without trusted proxies, the connection's."""
    trusted = settings.TRUSTED_PROXIES
    if trusted > 0:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= trusted and _is_address(hops[-trusted]):
            return hops[-trusted]
    return request.META.get("REMOTE_ADDR", "unknown")


def _is_address(text):
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _window_key(scope, key, period):
    window = int(time.time() // period)
    # `key` can be anything typed (an email address on sign-in): hashed, so that a key is short
    # and plain whatever was typed.
    digest = hashlib.sha256(str(key).encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"rl:{scope}:{digest}:{window}", period - int(time.time() % period)


def count(scope, key, period):
    cache_key, _ = _window_key(scope, key, period)
    return cache.get(cache_key, 0)


def hit(scope, key, period):
    """Count one event; returns the count in the current window."""
    cache_key, remaining = _window_key(scope, key, period)
    if cache.add(cache_key, 1, timeout=remaining + 1):
        return 1
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=remaining + 1)
        return 1


def reset(scope, key, period):
    cache_key, _ = _window_key(scope, key, period)
    cache.delete(cache_key)


def retry_after(period):
    return period - int(time.time() % period)


def too_many(request, period):
    response = render(
        request, "429.html", {"retry_minutes": max(1, retry_after(period) // 60)}, status=429
    )
    response["Retry-After"] = str(retry_after(period))
    return response


def limit(scope, *, rate, period, methods=("POST",)):
    """Decorator: at most `rate` requests per client address per `period` seconds."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if (
                request.method in methods
                and settings.RATE_LIMITS_ENABLED
                and hit(scope, client_ip(request), period) > rate
            ):
                return too_many(request, period)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
