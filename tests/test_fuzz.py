"""Fuzzing every form, filter and validator that exists: no 500, no unexpected exception, and
nothing half-written when input is refused.

Strategies live in tests/strategies.py. The "ci" profile below is derandomised (the same
examples on every run, so CI is deterministic), bounded and without deadline; run more examples
locally with FUZZ_EXAMPLES=1000. A failure prints the smallest input that breaks the code.
"""

import os
import re
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlsplit

import pyotp
import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.models import EntryDecision, PhaseStatus
from directory.search.filters import PostingFilter
from employers import schedule as sched
from employers.choices import Contract, Insurance, PayUnit, Place, Sector, WorkForm
from employers.models import ApplicationStatus, Posting, PostingStatus
from employers.uscc import check_character, validate_uscc
from momjobs.users import twofactor
from momjobs.users.models import TOTPDevice, User
from tests import strategies as s
from tests.factories import (
    PASSWORD,
    add_entry,
    make_employer,
    make_phase,
    make_posting,
    publish,
    region,
)
from tests.helpers import force_login_verified, give_device, status_for
from tests.test_permission_matrix import private_files_in

pytestmark = [
    pytest.mark.django_db,
    # Long generated strings make hypothesis warn about the size of an example's repr.
    pytest.mark.filterwarnings("ignore:Generating overly large repr"),
]

settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),
    deadline=None,
    print_blob=True,
    suppress_health_check=[
        # Examples share the test's client and database fixtures on purpose; each example cleans
        # up what it changes (rolled_back, cache.clear).
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
ci = settings.get_profile("ci")


@contextmanager
def rolled_back():
    """Each example in its own savepoint, rolled back: examples stay independent, and a database
    error in one example cannot poison the test's transaction."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def row_counts():
    from directory.models import OutboxEvent, Phase, PhaseEntry
    from employers.models import Application, Employer
    from momjobs.users.models import SeekerProfile

    models = [User, SeekerProfile, TOTPDevice, Employer, Posting, Application, Phase]
    models += [PhaseEntry, OutboxEvent]
    return {m.__name__: m.objects.count() for m in models}


def no_server_error(response):
    assert response.status_code < 500, response.status_code


# -- accounts forms ----------------------------------------------------------------------------

emailish = st.one_of(
    s.text,
    st.emails().map(str),
    st.builds(lambda a, b: f"{a}@{b}", s.short_text, s.short_text),
    st.sampled_from(
        ["seeker.a@example.test ", "SEEKER.A@EXAMPLE.TEST", "seeker.a@example.test\x00"]
    ),
)


@ci
@given(
    data=st.fixed_dictionaries(
        {}, optional={"username": emailish, "password": s.text, "next": s.text}
    )
)
def test_sign_in_form(client, personas, data):
    personas.seeker_a  # noqa: B018
    cache.clear()
    before = row_counts()
    response = client.post(reverse("users:login"), data)
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert row_counts() == before


OFF_SITE = ["//evil.example/", "https://evil.example/x", "/\\evil.example", "javascript:alert(1)"]


@ci
@given(next_url=st.one_of(s.text, st.sampled_from([*OFF_SITE, "/jobs/?q=帮厨", "\x00/"])))
def test_sign_in_never_redirects_off_site(client, personas, next_url):
    cache.clear()
    user = personas.seeker_a
    response = client.post(
        reverse("users:login"), {"username": user.email, "password": PASSWORD, "next": next_url}
    )
    client.logout()
    # 400: Django refuses a Location longer than 16 KB (DisallowedRedirect), a fine answer.
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        location = response["Location"]
        parts = urlsplit(location)
        assert parts.scheme in ("", "http", "https") and parts.netloc in ("", "testserver")
        assert not location.startswith(("//", "/\\", "\\"))


@ci
@given(email=emailish)
def test_password_reset_form(client, personas, email):
    personas.seeker_a  # noqa: B018
    cache.clear()
    mail.outbox = []
    before = row_counts()
    response = client.post(reverse("users:password_reset"), {"email": email})
    assert response.status_code in (200, 302)
    # Mail goes only to the account the address names, and only when it does name one.
    assert [m.to for m in mail.outbox] in ([], [[personas.seeker_a.email]])
    assert row_counts() == before


@ci
@given(p1=s.text, p2=st.one_of(s.text, st.just(None)))
def test_set_password_form(client, personas, p1, p2):
    user = personas.seeker_a
    link = reverse(
        "users:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    form_url = client.get(link)["Location"]
    response = client.post(
        form_url, {"new_password1": p1, "new_password2": p1 if p2 is None else p2}
    )
    assert response.status_code in (200, 302)
    user.refresh_from_db()
    if response.status_code == 302:  # accepted: put the known password back for the next example
        assert user.check_password(p1)
        user.set_password(PASSWORD)
        user.save()
    else:
        assert user.check_password(PASSWORD)


codes = st.one_of(
    s.text,
    s.numbers_as_text,
    st.text("0123456789", min_size=5, max_size=7),
    st.text(s.FULL_WIDTH_DIGITS, min_size=6, max_size=6),
)


@ci
@given(code=codes)
def test_two_factor_code_form(client, personas, code):
    officer = personas.bureau_inside
    if not TOTPDevice.objects.filter(user=officer).exists():
        give_device(officer)
    cache.clear()
    session = client.session
    session[twofactor.SESSION_PENDING] = officer.pk
    session.save()
    response = client.post(reverse("users:two_factor_verify"), {"code": code})
    assert response.status_code in (200, 302)
    if response.status_code == 302:  # only the code of the moment signs in
        assert code.strip() == pyotp.TOTP(TOTPDevice.objects.get(user=officer).secret).now()
        client.logout()


@ci
@given(code=codes)
def test_two_factor_setup_form(client, personas, code):
    staff = personas.employer_a_staff
    client.force_login(staff)
    response = client.post(reverse("users:two_factor_setup"), {"code": code})
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert not TOTPDevice.objects.filter(user=staff).exists()
    else:
        TOTPDevice.objects.filter(user=staff).delete()


# -- job search: the page and the API ------------------------------------------------------------


@pytest.fixture
def catalogue(personas):
    """A small live catalogue, so that filters have something to narrow."""
    p = personas
    postings = [
        make_posting(p.employer_a, title="早餐店帮厨"),
        make_posting(
            p.employer_b,
            title="家政保洁",
            sector="domestic",
            work_form="hourly",
            pay_unit="day",
            pay_min=150,
            pay_max=200,
            schedule=[{"days": [6, 7], "start": "09:00", "end": "12:00"}],
            weekends_off=False,
        ),
        make_posting(
            p.employer_a,
            title="线上客服",
            sector="customer_service",
            work_form="full_time",
            flexible_hours=True,
            schedule=[],
            pay_unit="month",
            pay_min=3000,
            pay_max=4000,
            contract="labour",
            insurance="full",
        ),
    ]
    phase = make_phase(p.qingdao, status=PhaseStatus.IN_REVIEW)
    publish(phase, postings)
    return phase


def _param_values(name, phase):
    special = {
        "q": st.one_of(
            s.text,
            st.sampled_from(
                [
                    "帮厨",
                    "客服 保洁",
                    "早餐店帮厨",
                    "&|!:*",
                    "兼职",
                    "在家 客服",
                    "崂山 兼职",
                    "宝妈",
                ]
            ),
        ),
        # Places by name too: shared names (a choice), unknown ones, very long ones.
        "region": st.one_of(
            s.numbers_as_text,
            s.text,
            st.sampled_from(
                ["370200", "370202", "37", "371300 ", "青岛", "市南区", "鼓楼区", "朝阳区", "火星"]
            ),
            st.just("青" * 10000),
        ),
        "fits": st.one_of(
            s.fits_like,
            st.sampled_from(
                ["周一到周五 9点到3点", "工作日上午", "周末全天", "25点到26点", "3点到5点"]
            ),
        ),
        "hours": st.one_of(st.sampled_from(["school", "morning", "weekend", "any"]), s.short_text),
        "days": st.one_of(st.sampled_from([str(d) for d in range(0, 9)]), s.short_text),
        "start": st.one_of(st.sampled_from(["09:00", "15:00", "24:00", "9"]), s.short_text),
        "end": st.one_of(st.sampled_from(["15:00", "09:00", "24:00", "25:00"]), s.short_text),
        "pay_min": s.numbers_as_text,
        "page": st.one_of(s.numbers_as_text, s.text),
        "page_size": s.numbers_as_text,
        "phase": st.one_of(s.numbers_as_text, st.just(str(phase.pk)), s.text),
    }
    checkbox = st.sampled_from(["on", "true", "1", "off", "false", "0", "", "yes", "是"])
    values = special.get(name, st.one_of(s.short_text, checkbox, s.text))
    return st.one_of(values, st.lists(values, min_size=2, max_size=3))  # repeated parameters


SEARCH_NAMES = sorted({*PostingFilter.base_filters, "page", "page_size"})


def test_the_fuzzed_search_parameters_are_the_filters():
    # New filters are fuzzed automatically; these are the ones issue 3 lists by name.
    assert {
        "q", "region", "sector", "form", "pay_min", "fits", "contract", "insurance",
        "school_run", "weekends", "childcare_leave", "no_overtime", "phase", "sort",
        "hours", "days", "start", "end",
    } <= set(SEARCH_NAMES)  # fmt: skip


def search_params(phase):
    return st.fixed_dictionaries(
        {}, optional={name: _param_values(name, phase) for name in SEARCH_NAMES}
    ).flatmap(
        lambda known: st.dictionaries(s.short_text.filter(bool), s.short_text, max_size=2).map(
            lambda extra: {**extra, **known}
        )
    )


@ci
@given(data=st.data())
def test_job_search_page(client, catalogue, data):
    params = data.draw(search_params(catalogue))
    partial = data.draw(st.booleans())
    with rolled_back():
        headers = {"X-Partial": "results"} if partial else {}
        response = client.get(reverse("job_list"), params, headers=headers)
        assert response.status_code == status_for(params)


@ci
@given(data=st.data())
def test_job_search_api(client, catalogue, data):
    params = data.draw(search_params(catalogue))
    with rolled_back():
        response = client.get(reverse("api_postings"), params)
        assert response.status_code == status_for(params)
        body = response.json()
        if response.status_code == 400:
            assert "error" in body
            return
        assert body["count"] >= len(body["results"])


@ci
@given(pk=st.one_of(st.integers(-(2**70), 2**70), s.numbers_as_text, s.short_text))
def test_api_and_pages_with_any_id(client, catalogue, pk):
    for path in (f"/api/v1/postings/{pk}/", f"/jobs/{pk}/", f"/phases/{pk}/"):
        with rolled_back():
            no_server_error(client.get(path))


# -- validators and parsers ----------------------------------------------------------------------


@ci
@given(data=s.schedule_like, flexible=st.one_of(st.booleans(), s.json_ish))
def test_validate_schedule(data, flexible):
    try:
        windows = sched.validate_schedule(data, flexible=flexible)
    except ValidationError:
        return
    assert len(sched.posting_mask(windows)) == sched.MASK_BITS
    assert 0 <= sched.weekly_minutes(windows) <= sched.WEEK_MINUTES
    assert isinstance(sched.describe(windows), str)
    with suppress(ValidationError):
        sched.check_part_time_limits(windows)


@ci
@given(data=s.json_ish)
def test_windows_from_any_json(data):
    with suppress(ValidationError):
        sched.windows_from_data(data)


@ci
@given(text=s.fits_like)
def test_parse_fits(text):
    try:
        windows = sched.parse_fits(text)
    except ValidationError:
        return
    mask = sched.free_mask(windows)
    assert len(mask) == sched.MASK_BITS
    # What the page writes back into the form means the same free time.
    assert sched.free_mask(sched.parse_fits(sched.format_fits(windows))) == mask


@ci
@given(value=s.uscc_like)
def test_validate_uscc(value):
    try:
        code = validate_uscc(value)
    except ValidationError:
        return
    assert len(code) == 18 and check_character(code[:17]) == code[17]


# -- the posting model: full_clean decides, save never fails after it --------------------------------

dates = st.one_of(st.none(), st.dates(), s.short_text)
flags = st.one_of(st.booleans(), st.booleans(), st.none(), s.short_text)

POSTING_FIELDS = {
    "title": s.text,
    "description": s.text,
    "sector": s.choice_or_garbage(Sector.choices),
    "work_form": s.choice_or_garbage(WorkForm.choices),
    "schedule": s.schedule_like,
    "pay_min": s.decimal_like,
    "pay_max": s.decimal_like,
    "pay_unit": s.choice_or_garbage(PayUnit.choices),
    "contract": s.choice_or_garbage(Contract.choices),
    "insurance": s.choice_or_garbage(Insurance.choices),
}
POSTING_OPTIONAL = {
    "requirements": s.text,
    "openings": st.one_of(st.integers(), s.numbers_as_text),
    "flexible_hours": flags,
    "schedule_note": s.text,
    "school_run": flags,
    "weekends_off": flags,
    "childcare_leave": flags,
    "no_forced_overtime": flags,
    "address": s.text,
    "place": s.choice_or_garbage(Place.choices),
    "training": flags,
    "career_route": s.text,
    "contact_name": s.short_text,
    "contact_phone": st.one_of(s.numbers_as_text, s.short_text),
    "status": s.choice_or_garbage(PostingStatus.choices),
    "valid_through": dates,
}
posting_values = st.fixed_dictionaries(POSTING_FIELDS, optional=POSTING_OPTIONAL)


VALID_POSTING = {
    "title": "早餐店帮厨",
    "description": "负责早餐备料和出餐。",
    "sector": "catering",
    "work_form": "part_time",
    "schedule": [{"days": [1, 2, 3, 4, 5], "start": "06:30", "end": "09:30"}],
    "pay_min": Decimal("20"),
    "pay_max": Decimal("25"),
    "pay_unit": "hour",
    "contract": "part_time_agreement",
    "insurance": "injury_only",
}
# A valid posting with a few fields replaced by anything: reaches save() far more often than
# values that are all arbitrary.
_ANY_FIELD = {**POSTING_FIELDS, **POSTING_OPTIONAL}
near_valid_posting = (
    st.lists(st.sampled_from(sorted(_ANY_FIELD)), min_size=1, max_size=3, unique=True)
    .flatmap(lambda names: st.fixed_dictionaries({n: _ANY_FIELD[n] for n in names}))
    .map(lambda changes: {**VALID_POSTING, **changes})
)


@ci
@given(values=st.one_of(posting_values, near_valid_posting))
def test_posting_full_clean(personas, values):
    employer = personas.employer_a
    with rolled_back():
        before = row_counts()
        posting = Posting(employer=employer, region=region("370202"), **values)
        try:
            posting.full_clean()
        except ValidationError:
            assert row_counts() == before
            return
        posting.save()
        after = row_counts()
        assert after == {**before, "Posting": before["Posting"] + 1}


@settings(ci, max_examples=max(10, ci.max_examples // 2))  # the admin form is slow to render
@given(values=st.one_of(posting_values, near_valid_posting))
def test_posting_admin_form(client, personas, values):
    """The admin's add form is the one form that writes postings today."""
    force_login_verified(client, personas.admin)
    data = {k: ("" if v is None else v) for k, v in values.items()}
    data = {k: ("on" if v is True else "" if v is False else v) for k, v in data.items()}
    import json

    if not isinstance(data["schedule"], str):
        data["schedule"] = json.dumps(data["schedule"], ensure_ascii=False)
    data.update(employer=personas.employer_a.pk, region=region("370202").pk)
    data.setdefault("openings", "1")
    data.setdefault("place", "on_site")
    data.setdefault("status", "draft")
    with rolled_back():
        before = row_counts()
        response = client.post(reverse("admin:employers_posting_add"), data)
        assert response.status_code in (200, 302)
        after = row_counts()
        if response.status_code == 200:  # refused: nothing written
            assert after == before
        else:
            assert after == {**before, "Posting": before["Posting"] + 1}


# -- the employer's forms: the posting editor and the applicant forms ------------------------------

_choice = s.choice_or_garbage
_field = st.one_of(s.text, s.numbers_as_text, st.just(""))
_checkbox = st.sampled_from(["on", "", "true", "0", "是"])

editor_fields = st.fixed_dictionaries(
    {
        "title": s.text,
        "description": s.text,
        "sector": _choice(Sector.choices),
        "work_form": _choice(WorkForm.choices),
        "pay_min": s.numbers_as_text,
        "pay_max": s.numbers_as_text,
        "pay_unit": _choice(PayUnit.choices),
        "contract": _choice(Contract.choices),
        "insurance": _choice(Insurance.choices),
        "region": st.one_of(st.just("370202"), s.numbers_as_text),  # replaced by a pk below
        # A forged huge count: test_schedule_editor_row_count.
        "win-TOTAL_FORMS": st.sampled_from(["4", "1", "0", "15", "-1", "x"]),
        "win-INITIAL_FORMS": st.sampled_from(["0", "1", "x"]),
        "win-0-days": st.lists(st.one_of(st.integers(0, 8).map(str), s.short_text), max_size=8),
        "win-0-start": s.time_like,
        "win-0-end": s.time_like,
    },
    optional={
        "openings": _field,
        "requirements": s.text,
        "flexible_hours": _checkbox,
        "schedule": st.one_of(s.text, s.schedule_like.map(str)),
        "schedule_note": s.text,
        "school_run": _checkbox,
        "weekends_off": _checkbox,
        "address": s.text,
        "place": _choice(Place.choices),
        "career_route": s.text,
        "contact_name": s.short_text,
        "contact_phone": _field,
        "valid_through": st.one_of(st.dates().map(str), s.short_text),
        "win-1-days": st.lists(st.integers(1, 7).map(str), max_size=7),
        "win-1-start": s.time_like,
        "win-1-end": s.time_like,
    },
)


def _none_to_empty(data):
    return {k: ("" if v is None else v) for k, v in data.items()}


@settings(ci, max_examples=max(10, ci.max_examples // 2))  # the editor page is slow to render
@given(data=editor_fields)
def test_posting_editor_form(client, personas, data):
    personas.employer_a  # noqa: B018 - the staff member's employer
    client.force_login(personas.employer_a_staff)
    data = _none_to_empty(data)
    if data["region"] == "370202":
        data["region"] = str(region("370202").pk)
    with rolled_back():
        before = row_counts()
        response = client.post(reverse("employers:posting_create"), data)
        assert response.status_code in (200, 302)
        expected = (
            {**before, "Posting": before["Posting"] + 1} if response.status_code == 302 else before
        )
        assert row_counts() == expected


@pytest.fixture
def applicant(personas, catalogue):
    from employers.models import Application

    posting = Posting.objects.filter(employer=personas.employer_a).first()
    return Application.objects.create(posting=posting, seeker=personas.seeker_a)


employer_forms = st.one_of(
    st.tuples(
        st.just("status"),
        st.fixed_dictionaries(
            {"status": _choice(ApplicationStatus.choices)},
            optional={
                "interview_at": st.one_of(s.text, st.datetimes().map(str)),
                "interview_place": s.text,
                "message": s.text,
            },
        ),
    ),
    st.tuples(st.just("notes"), st.fixed_dictionaries({"employer_notes": s.text})),
    st.tuples(st.just("close"), st.fixed_dictionaries({}, optional={"reason": s.text})),
    st.tuples(st.just("submit"), st.fixed_dictionaries({}, optional={"phase": s.numbers_as_text})),
)


@ci
@given(form=employer_forms)
def test_employer_action_forms(client, personas, applicant, form):
    kind, data = form
    client.force_login(personas.employer_a_staff)
    url = {
        "status": reverse("employers:application_detail", args=[applicant.pk]),
        "notes": reverse("employers:application_detail", args=[applicant.pk]),
        "close": reverse("employers:posting_close", args=[applicant.posting_id]),
        "submit": reverse("posting_submit", args=[applicant.posting_id]),
    }[kind]
    with rolled_back():
        response = client.post(url, _none_to_empty(data))
        assert response.status_code in (200, 302)


# -- every other form: one table ------------------------------------------------------------------
# (persona, URL, field strategies, whether a 200 means "refused, nothing written"). A new form
# gets a line here; its fields come from the form class, its values from tests/strategies.py.


def _upload(names):
    heads = [b"", b"%PDF-1.4\n", b"PK\x03\x04", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"MZ"]
    return st.builds(
        lambda name, head, body: SimpleUploadedFile(name, head + body),
        st.sampled_from(names),
        st.sampled_from(heads),
        st.binary(max_size=3000),
    )


_password = st.one_of(s.text, st.just("correct-horse-battery-staple-42"))
_uscc = s.uscc_like
_region_code = st.one_of(st.sampled_from(["370202", "青岛市市南区", "370200", "999999"]), s.text)


# What people type into a mobile-number box: numbers in every dress, landlines, foreign numbers,
# full-width digits, letters, and anything at all.
phoneish = st.one_of(
    s.text,
    s.numbers_as_text,
    st.builds(
        lambda prefix, rest, sep: prefix + sep.join([rest[:3], rest[3:7], rest[7:]]),
        st.sampled_from(["", "+86", "+86 ", "0086", "86", "+1 ", "00", "０"]),
        st.text("0123456789１３８", min_size=0, max_size=14),
        st.sampled_from(["", " ", "-", "－", "\t"]),
    ),
    st.sampled_from(
        ["13812345678", "１３８１２３４５６７８", "0532-88886666", "1" * 200, "12012345678"]
    ),
)


@dataclass
class FormTarget:
    persona: str | None  # a Personas attribute; None: a visitor
    url: object  # world -> URL
    fields: dict
    optional: dict = field(default_factory=dict)
    refused_is_200: bool = True  # a 200 answer means the form was refused: nothing written


FORMS = {
    "sign_up": FormTarget(
        None,
        lambda w: reverse("users:sign_up"),
        {"email": emailish, "name": s.text, "password1": _password, "password2": _password},
        {"consent": _checkbox},
    ),
    "profile": FormTarget(
        "seeker_a",
        lambda w: reverse("users:profile"),
        {"name": s.text, "win-TOTAL_FORMS": st.sampled_from(["4", "0", "1", "x"])},
        {
            "phone": st.one_of(s.numbers_as_text, s.text),
            "district": _region_code,
            "skills": s.text,
            "experience": s.text,
            "cares_for_child_under_12": _checkbox,
            "notify_by": st.one_of(st.sampled_from(["sms", "email"]), s.short_text),
            "email": emailish,
            "cv": _upload(["cv.pdf", "cv.docx", "简历.pdf", "../../x.pdf", "cv.exe", "cv"]),
            "win-INITIAL_FORMS": st.sampled_from(["0", "x"]),
            "win-0-days": st.lists(st.integers(0, 8).map(str), max_size=8),
            "win-0-start": s.time_like,
            "win-0-end": s.time_like,
        },
    ),
    "apply": FormTarget(
        "seeker_b",
        lambda w: reverse("seeker:apply", args=[w["fresh_posting"].pk]),
        {},
        {"note": s.text, "share_phone": _checkbox},
    ),
    "phone_sign_in": FormTarget(
        None,
        lambda w: reverse("users:login"),
        {"method": st.just("phone"), "m-phone": phoneish},
        {"next": s.text},
    ),
    "phone_sign_up": FormTarget(
        None,
        lambda w: reverse("users:sign_up"),
        {"method": st.just("phone"), "m-phone": phoneish, "m-name": s.text},
        {"m-consent": _checkbox, "next": s.text},
    ),
    "phone_add": FormTarget("seeker_a", lambda w: reverse("users:phone_add"), {"phone": phoneish}),
    "save_hours": FormTarget(
        "seeker_a",
        lambda w: reverse("save_hours"),
        {"query": st.one_of(s.text, st.just("hours=school"), st.just("fits=1-5@09:00-15:00"))},
        refused_is_200=False,  # always back to the search, saved or not
    ),
    "employer_register": FormTarget(
        None,
        lambda w: reverse("employers:register"),
        {
            "email": emailish,
            "password1": _password,
            "password2": _password,
            "display_name": s.text,
            "name": s.text,
            "uscc": _uscc,
            "region": _region_code,
            "address": s.text,
            "contact_phone": st.one_of(s.numbers_as_text, s.text),
        },
        {
            "kind": s.short_text,
            "sector": _choice(Sector.choices),
            "size": s.short_text,
            "licence": _upload(["licence.pdf", "执照.jpg", "x.png", "x.svg", "x.html", "licence"]),
        },
    ),
    "staff_invite": FormTarget(
        "employer_a_staff", lambda w: reverse("employers:staff_invite"), {"email": emailish}
    ),
    "invitation_sign_up": FormTarget(
        None,
        lambda w: reverse("employers:invitation", args=[w["invitation"].token]),
        {"display_name": s.text, "password1": _password, "password2": _password},
    ),
    "employer_decide": FormTarget(
        "bureau_inside",
        lambda w: reverse("bureau:employer_decide", args=[w["pending_employer"].pk]),
        {"status": st.one_of(st.sampled_from(["verified", "rejected", "removed"]), s.text)},
        {"reason": s.text},
    ),
    "phase_create": FormTarget(
        "bureau_inside",
        lambda w: reverse("bureau:phase_create"),
        {"catalog": st.one_of(s.numbers_as_text, st.just("QINGDAO")), "title": s.text},
        refused_is_200=False,  # refused with a message and a redirect
    ),
    "phase_call": FormTarget(
        "bureau_inside",
        lambda w: reverse("bureau:phase_call", args=[w["draft_phase"].pk]),
        {"title": s.text, "call_text": s.text},
        {
            "sought_sectors": st.lists(_choice(Sector.choices), max_size=3),
            "submission_deadline": st.one_of(st.datetimes().map(str), s.text),
        },
    ),
    "entry_decide": FormTarget(
        "bureau_inside",
        lambda w: reverse("bureau:entry_decide", args=[w["entry"].pk]),
        {"decision": s.choice_or_garbage(EntryDecision.choices)},
        {"reason": s.text},
        refused_is_200=False,
    ),
    "bulk_approve": FormTarget(
        "bureau_inside",
        lambda w: reverse("bureau:bulk_approve", args=[w["draft_phase"].pk]),
        {"entries": st.lists(st.one_of(s.numbers_as_text, st.just("ENTRY")), max_size=4)},
        refused_is_200=False,
    ),
    "revision_decide": FormTarget(
        "bureau_inside",
        lambda w: reverse("bureau:revision_decide", args=[w["revision"].pk]),
        {"approve": st.one_of(st.sampled_from(["0", "1"]), s.short_text)},
        {"reason": s.text},
        refused_is_200=False,
    ),
    "take_down": FormTarget(
        "bureau_inside",
        lambda w: reverse("bureau:posting_take_down", args=[w["live"].pk]),
        {},
        {"reason": s.text},
    ),
}


@pytest.fixture
def form_world(personas, catalogue, monkeypatch, tmp_path):
    from directory.models import EntryDecision as Decision
    from employers.models import EmployerInvitation, EmployerStatus, PostingRevision

    private_files_in(tmp_path, monkeypatch)
    p = personas
    live = Posting.objects.filter(employer=p.employer_a, status=PostingStatus.LIVE).first()
    draft = make_posting(p.employer_a, title="草稿")
    draft_phase = make_phase(p.qingdao, number=7, status=PhaseStatus.DRAFT)
    return {
        "live": live,
        "fresh_posting": live,
        "draft_phase": draft_phase,
        "entry": add_entry(draft_phase, draft, decision=Decision.PENDING),
        "revision": PostingRevision.objects.create(posting=live, data={"title": "改"}),
        "invitation": EmployerInvitation.objects.create(
            employer=p.employer_a, email="invited@example.test"
        ),
        "pending_employer": make_employer("青岛待核验有限公司", status=EmployerStatus.PENDING),
        "catalog": draft_phase.catalog,
    }


def _resolve_placeholders(data, world):
    swaps = {"QINGDAO": str(world["catalog"].pk), "ENTRY": str(world["entry"].pk)}
    return {
        k: [swaps.get(x, x) for x in v] if isinstance(v, list) else swaps.get(v, v)
        for k, v in data.items()
    }


@pytest.mark.parametrize("name", sorted(FORMS))
@settings(ci, max_examples=max(10, ci.max_examples // 2))
@given(data=st.data())
def test_form(client, personas, form_world, name, data):
    target = FORMS[name]
    values = data.draw(st.fixed_dictionaries(target.fields, optional=target.optional))
    values = _resolve_placeholders(_none_to_empty(values), form_world)
    cache.clear()  # rate limits (sign-up, registration, apply) count per example
    client.logout()
    if target.persona:
        force_login_verified(client, getattr(personas, target.persona))
    with rolled_back():
        before = row_counts()
        response = client.post(target.url(form_world), values)
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 200 and target.refused_is_200:
            assert row_counts() == before


GET_FILTERS = {
    "bureau_employer_list": (
        "bureau_inside",
        lambda w: reverse("bureau:employer_list"),
        {"status": s.short_text, "q": s.text, "page": s.numbers_as_text},
    ),
    "bureau_phase_review": (
        "bureau_inside",
        lambda w: reverse("bureau:phase_review", args=[w["draft_phase"].pk]),
        {"decision": s.short_text, "sector": s.short_text},
    ),
}


@pytest.mark.parametrize("name", sorted(GET_FILTERS))
@settings(ci, max_examples=max(10, ci.max_examples // 2))
@given(data=st.data())
def test_back_office_filters(client, personas, form_world, name, data):
    persona, url, fields = GET_FILTERS[name]
    params = data.draw(st.fixed_dictionaries({}, optional=fields))
    force_login_verified(client, getattr(personas, persona))
    with rolled_back():
        assert client.get(url(form_world), params).status_code == status_for(params)


# -- what the fuzzers found (fixed in c6e7d20; docs/testing-matrix.md) ---------------------------


@pytest.mark.parametrize("path", ["/jobs/", "/api/v1/postings/"])
def test_pay_min_with_a_huge_exponent(client, catalogue, path):
    """Was a DataError (500): the decimal overflowed PostgreSQL's numeric."""
    client.raise_request_exception = False
    assert client.get(path, {"pay_min": "1E-99999"}).status_code == 200


@pytest.mark.parametrize(
    ("name", "value"),
    [("pay_min", "1,000"), ("pay_max", Decimal("NaN")), ("openings", "-1")],
)
def test_posting_clean_with_a_raw_value(personas, name, value):
    """Was a TypeError/InvalidOperation: clean() compared a value clean_fields() had refused."""
    values = {
        "title": "帮厨",
        "description": "备料",
        "sector": "catering",
        "work_form": "full_time",
    }
    values.update(pay_min=Decimal("20"), pay_max=Decimal("25"), pay_unit="hour")
    values.update(contract="labour", insurance="full", flexible_hours=True, schedule=[])
    values[name] = value
    posting = Posting(employer=personas.employer_a, region=region("370202"), **values)
    with pytest.raises(ValidationError) as error:
        posting.full_clean()
    assert name in error.value.message_dict


@pytest.mark.parametrize(
    "changes",
    [
        {"title": "帮\x00厨"},
        {"description": "备料\x00"},
        {"schedule": [{"days": [1], "start": "08:00", "end": "09:00", "note": "\x00"}]},
    ],
)
def test_posting_with_nul(personas, changes):
    """full_clean() refuses it (ValidationError), or what it accepts can be saved."""
    posting = Posting(
        employer=personas.employer_a, region=region("370202"), **{**VALID_POSTING, **changes}
    )
    try:
        posting.full_clean()
    except ValidationError:
        return
    with transaction.atomic():
        posting.save()


def test_schedule_editor_row_count(client, personas):
    """A forged management form must not make the server build and render 1,014 rows."""
    personas.employer_a  # noqa: B018
    client.force_login(personas.employer_a_staff)
    data = {"title": "x", "win-TOTAL_FORMS": "99999999", "win-INITIAL_FORMS": "0"}
    response = client.post(reverse("employers:posting_create"), data)
    assert response.status_code == 200
    assert len(re.findall(r'name="win-\d+-start"', response.content.decode())) <= 15


@ci
@given(
    code=st.one_of(s.text, s.numbers_as_text, st.text("0123456789０１ -", max_size=30)),
    step=st.sampled_from(["code", "finish"]),
    name=s.text,
)
def test_sms_code_and_welcome_steps(client, code, step, name):
    """Any code and any name: a clear answer and no account unless the code is the one sent."""
    from momjobs.users.models import PhoneCode
    from momjobs.users.phone_views import CONFIRMED, FLOW

    cache.clear()
    client.logout()
    with rolled_back():
        session = client.session
        if step == "code":
            session[FLOW] = {
                "phone": "13812345678",
                "purpose": PhoneCode.Purpose.SIGN_IN,
                "next": "",
                "name": "王丽",
                "consent": True,
            }
        else:
            import time

            session[CONFIRMED] = {"phone": "13812345678", "at": time.time(), "next": ""}
        session.save()
        before = row_counts()
        if step == "code":
            response = client.post(reverse("users:phone_code"), {"code": code})
            assert response.status_code == 200  # no code was ever sent: nothing matches
            assert not User.objects.filter(phone="13812345678").exists()
        else:
            response = client.post(reverse("users:phone_finish"), {"name": name})
            assert response.status_code == 200  # no consent ticked: refused
            assert row_counts() == before
