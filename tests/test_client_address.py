"""The client's address behind the proxy (issue: every visitor shared one rate-limit bucket
behind the proxy): per-address limits apply per visitor, and a forged X-Forwarded-For entry
is ignored."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from momjobs.lib import ratelimit

pytestmark = pytest.mark.django_db


def address(settings, trusted, forwarded=None, remote="10.0.0.2"):
    settings.TRUSTED_PROXIES = trusted
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return ratelimit.client_ip(RequestFactory().get("/", **extra))


def test_without_a_proxy_the_connection_is_the_client(settings):
    assert address(settings, 0, "1.2.3.4") == "10.0.0.2"  # a header anyone can send


def test_behind_one_proxy_the_last_entry_is_the_client(settings):
    assert address(settings, 1, "203.0.113.7") == "203.0.113.7"
    # A forged entry typed by the client sits to the left and is ignored.
    assert address(settings, 1, "6.6.6.6, 203.0.113.7") == "203.0.113.7"


def test_behind_two_proxies(settings):
    assert address(settings, 2, "6.6.6.6, 203.0.113.7, 10.1.1.1") == "203.0.113.7"


def test_a_missing_or_broken_header_falls_back_to_the_connection(settings):
    assert address(settings, 1) == "10.0.0.2"
    assert address(settings, 1, "not-an-address") == "10.0.0.2"
    assert address(settings, 2, "203.0.113.7") == "10.0.0.2"


def test_the_setting_is_defined_from_the_environment():
    from django.conf import settings

    assert isinstance(settings.TRUSTED_PROXIES, int)
    assert isinstance(settings.BEHIND_TLS_PROXY, bool)


def test_per_address_limits_apply_per_visitor_behind_the_proxy(client, settings):
    """Ten sign-ups an hour per address: one busy visitor is refused, the next is not."""
    settings.TRUSTED_PROXIES = 1
    url = reverse("users:sign_up")
    data = {"email": "not an address"}
    for _ in range(10):
        assert client.post(url, data, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 200
    assert client.post(url, data, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
    assert client.post(url, data, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 200
