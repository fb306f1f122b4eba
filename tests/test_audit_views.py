"""The audit-log page (issue 6, item 8): a bureau's staff see their bureau's lines, newest first,
filtered by action and by who did it, paginated; nobody else sees them there (the admin sees all
lines in the read-only admin)."""

import os
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from directory import audit
from directory.catalog import services
from directory.models import AuditAction, AuditEntry, PhaseStatus
from directory.verification import services as verification
from employers.models import EmployerStatus
from momjobs.users.models import Role
from tests import strategies as s
from tests.factories import make_employer, make_phase, make_user
from tests.helpers import force_login_verified, status_for

pytestmark = pytest.mark.django_db

LOG = reverse("bureau:audit_log")


def lines(response):
    return list(response.context["page"].object_list)


@pytest.fixture
def log(personas):
    """Qingdao: a verification by the inside officer, a phase created by her colleague, a
    publication; Linyi: a verification; an admin's line without a bureau."""
    officer, linyi_officer = personas.bureau_inside, personas.bureau_outside
    personas.linyi  # noqa: B018
    colleague = make_user("officer.colleague@example.test", Role.BUREAU, display_name="王科员")
    personas.qingdao.staff.create(user=colleague)
    qingdao_employer = make_employer("青岛待核验公司", "370202", status=EmployerStatus.PENDING)
    verification.employer_decide(
        employer=qingdao_employer, by=officer, status=EmployerStatus.VERIFIED
    )
    phase = services.phase_create(
        catalog=make_phase(personas.qingdao, status=PhaseStatus.DRAFT).catalog,
        title="青岛市妈妈岗目录（第二批）",
        by=colleague,
    )
    linyi_employer = make_employer("临沂待核验公司", "371302", status=EmployerStatus.PENDING)
    verification.employer_decide(
        employer=linyi_employer, by=linyi_officer, status=EmployerStatus.REJECTED, reason="执照模糊"
    )
    audit.record(actor=personas.admin, action=AuditAction.PHASE_PUBLISH, obj=phase)
    # Spread in time so "newest first" is observable.
    for n, entry in enumerate(AuditEntry.objects.order_by("id")):
        AuditEntry.objects.filter(pk=entry.pk).update(at=timezone.now() - timedelta(hours=10 - n))
    return {
        "officer": officer,
        "colleague": colleague,
        "employer": qingdao_employer,
        "phase": phase,
    }


def test_the_bureau_sees_its_own_lines_newest_first(client, personas, log):
    force_login_verified(client, log["officer"])
    response = client.get(LOG)
    assert response.status_code == 200
    seen = lines(response)
    assert [e.action for e in seen] == [AuditAction.PHASE_CREATE, AuditAction.EMPLOYER_VERIFY]
    assert all(e.bureau == personas.qingdao for e in seen)
    body = response.content.decode()
    assert "临沂待核验公司" not in body and "执照模糊" not in body
    assert personas.admin.email not in body
    # Who and when, and the object linked to its back-office page.
    assert log["officer"].email in body and "王科员" in body
    assert reverse("bureau:employer_detail", args=[log["employer"].pk]) in body
    assert "<time datetime=" in body


def test_linyi_sees_only_linyi(client, personas, log):
    force_login_verified(client, personas.bureau_outside)
    seen = lines(client.get(LOG))
    assert [(e.action, e.detail) for e in seen] == [(AuditAction.EMPLOYER_REJECT, "执照模糊")]


def test_filter_by_action_and_actor(client, personas, log):
    force_login_verified(client, log["officer"])
    only = lines(client.get(LOG, {"action": AuditAction.EMPLOYER_VERIFY}))
    assert [e.action for e in only] == [AuditAction.EMPLOYER_VERIFY]
    colleague = AuditEntry.objects.get(actor=log["colleague"]).actor_label
    response = client.get(LOG, {"actor": colleague})
    assert [e.actor for e in lines(response)] == [log["colleague"]]
    # The actor list holds the people of this bureau's lines only.
    choices = [value for value, _ in response.context["filter"].form.fields["actor"].choices]
    assert set(choices) == {"", colleague, AuditEntry.objects.get(actor=log["officer"]).actor_label}
    both = lines(client.get(LOG, {"action": AuditAction.PHASE_CREATE, "actor": colleague}))
    assert len(both) == 1
    assert lines(client.get(LOG, {"action": AuditAction.EMPLOYER_VERIFY, "actor": colleague})) == []


def test_bad_filter_values_are_ignored_with_a_message(client, personas, log):
    force_login_verified(client, log["officer"])
    # Another bureau's officer is not a valid choice: nothing of Linyi's shows through it.
    linyi_label = AuditEntry.objects.get(actor=personas.bureau_outside).actor_label
    for params in ({"action": "drop table"}, {"actor": linyi_label}, {"page": "x"}):
        response = client.get(LOG, params)
        assert response.status_code == 200
        assert len(lines(response)) == 2
    # A NUL is refused before the view, with a plain page (momjobs/lib/hostile.py).
    assert client.get(LOG, {"page": "x\x00"}).status_code == 400
    assert "执照模糊" not in client.get(LOG, {"actor": linyi_label}).content.decode()


def test_paginated(client, personas, log):
    officer = log["officer"]
    for n in range(settings.PAGE_SIZE):
        audit.record(
            actor=officer,
            action=AuditAction.EMPLOYER_VERIFY,
            obj=log["employer"],
            bureau=personas.qingdao,
            detail=f"第{n}次",
        )
    force_login_verified(client, officer)
    first = client.get(LOG)
    assert len(lines(first)) == settings.PAGE_SIZE
    assert first.context["page"].paginator.count == settings.PAGE_SIZE + 2
    second = client.get(LOG, {"page": 2, "action": ""})
    assert len(lines(second)) == 2


def test_queries_do_not_grow_with_the_lines(client, personas, log):
    force_login_verified(client, log["officer"])
    client.get(LOG)
    with CaptureQueriesContext(connection) as few:
        client.get(LOG)
    for n in range(10):
        audit.record(
            actor=log["colleague"],
            action=AuditAction.PHASE_CALL,
            obj=log["phase"],
            bureau=personas.qingdao,
            detail=str(n),
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(LOG)
    assert len(lines(response)) == 12
    assert len(many) == len(few)


def test_who_may_look(client, personas, log):
    client.logout()
    response = client.get(LOG)
    assert response.status_code == 302 and reverse("users:login") in response.url
    for user in (personas.seeker_a, personas.employer_a_staff, personas.admin):
        force_login_verified(client, user)
        assert client.get(LOG).status_code == 403
    force_login_verified(client, log["officer"])
    assert client.post(LOG).status_code == 405


def test_the_admin_sees_every_line_in_the_admin(client, personas, log):
    force_login_verified(client, personas.admin)
    response = client.get(reverse("admin:directory_auditentry_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == AuditEntry.objects.count() == 4


def test_the_bureau_dashboard_links_to_the_log_and_the_figures(client, personas, log):
    force_login_verified(client, log["officer"])
    body = client.get(reverse("users:dashboard")).content.decode()
    assert f'href="{LOG}"' in body and f'href="{reverse("bureau:dashboard")}"' in body


FUZZ = hsettings(
    derandomize=True,
    database=None,
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


@FUZZ
@given(
    action=st.one_of(s.text, st.sampled_from(AuditAction.values)),
    actor=s.text,
    page=st.one_of(s.numbers_as_text, s.short_text),
)
def test_fuzz_the_log_filters(client, personas, log, action, actor, page):
    force_login_verified(client, log["officer"])
    params = {"action": action, "actor": actor, "page": page}
    response = client.get(LOG, params)
    assert response.status_code == status_for(params)
    if response.status_code == 200:
        assert all(e.bureau == personas.qingdao for e in lines(response))
