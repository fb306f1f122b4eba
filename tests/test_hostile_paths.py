"""Every route survives hostile text in its path and its parameters (issue: a NUL byte in a
region code gave a 500): NUL, invalid UTF-8, a lone surrogate, 10,000 characters. Walks the URL
list (tests/test_permission_matrix.py all_routes) as a visitor and as a signed-in officer."""

import re

import pytest

from tests.helpers import force_login_verified
from tests.test_permission_matrix import all_routes

pytestmark = pytest.mark.django_db

HOSTILE = ["%00", "%FF%FE", "%ED%A0%80", "a%00b", "x" * 10000, "%E4%B8", "..%2F..%2Fetc"]
PARAMS = ["q", "region", "page", "hours", "fits", "sector", "next", "query", "decision", "status"]
_GROUP = re.compile(r"<(?:(\w+):)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def hostile_urls():
    for route in all_routes():
        if route.admin:
            continue
        pattern = route.pattern.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\", "")
        for value in HOSTILE:
            path = _GROUP.sub(value, pattern)
            if path != pattern:
                yield route.key, "/" + path
        # Parameters on the route as written, with its groups filled with a harmless value.
        plain = "/" + _GROUP.sub("1", pattern)
        for value in HOSTILE[:4]:
            yield route.key, plain + "?" + "&".join(f"{name}={value}" for name in PARAMS)


URLS = sorted(set(hostile_urls()))


@pytest.mark.parametrize("who", ["visitor", "officer"])
def test_no_route_answers_hostile_text_with_a_server_error(personas, who):
    from django.test import Client

    client = Client(raise_request_exception=False)
    if who == "officer":
        personas.qingdao  # noqa: B018 - her bureau
        force_login_verified(client, personas.bureau_inside)
    failures = []
    for key, url in URLS:
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if response.status_code >= 500:
                failures.append(f"{method.upper()} {url[:120]} ({key}): {response.status_code}")
    assert not failures, "\n".join(failures[:30])


def test_a_nul_byte_gets_a_clear_400_page(client):
    for url in ("/feeds/regions/%00/", "/employers/?region=%00", "/jobs/?q=%00"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "无法处理的字符" in response.content.decode()
    # In a form, NUL is the form's to refuse: a field error, not a 500.
    assert client.post("/accounts/login/", {"username": "a\x00b"}).status_code == 200
