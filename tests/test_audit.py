"""The audit log: each staff action writes one line in its own transaction, on the bureau it
belongs to; a failed action writes none."""

import pytest
from django.core.exceptions import ValidationError

from directory.catalog import services
from directory.models import AuditAction, AuditEntry, EntryDecision, PhaseStatus
from directory.moderation import services as moderation
from directory.verification import services as verification
from employers.models import EmployerStatus, PostingRevision
from tests.factories import add_entry, make_employer, make_phase, make_posting, publish

pytestmark = pytest.mark.django_db


def actions():
    return list(AuditEntry.objects.order_by("id").values_list("action", "bureau__name"))


def test_review_and_publish_are_logged_on_the_phase_bureau(personas):
    officer = personas.bureau_inside
    phase = make_phase(personas.qingdao, status=PhaseStatus.OPEN)
    good, bad = make_posting(personas.employer_a), make_posting(personas.employer_a)
    entries = [add_entry(phase, p, decision=EntryDecision.PENDING) for p in (good, bad)]
    services.entry_decide(entry=entries[0], decision=EntryDecision.APPROVED, by=officer)
    services.entry_decide(
        entry=entries[1], decision=EntryDecision.REJECTED, by=officer, reason="工作时间未写明"
    )
    services.phase_publish(phase=phase, by=officer)
    qingdao = personas.qingdao.name
    assert actions() == [
        (AuditAction.ENTRY_APPROVE, qingdao),
        (AuditAction.ENTRY_REJECT, qingdao),
        (AuditAction.PHASE_PUBLISH, qingdao),
    ]
    rejected = AuditEntry.objects.get(action=AuditAction.ENTRY_REJECT)
    assert rejected.actor == officer and officer.email in rejected.actor_label
    assert rejected.detail == "工作时间未写明" and rejected.object_id == str(bad.pk)


def test_a_refused_action_leaves_no_line(personas):
    phase = make_phase(personas.qingdao, status=PhaseStatus.OPEN)
    with pytest.raises(ValidationError):
        services.phase_publish(phase=phase, by=personas.bureau_inside)  # nothing approved
    with pytest.raises(ValidationError):
        services.entry_decide(
            entry=add_entry(phase, make_posting(personas.employer_a)),
            decision=EntryDecision.REJECTED,
            by=personas.bureau_inside,
        )  # no reason
    assert not AuditEntry.objects.exists()


def test_employer_decisions_take_downs_and_revisions(personas):
    personas.linyi  # noqa: B018 - the Linyi bureau and its officer
    officer = personas.bureau_outside
    employer = make_employer("临沂丁家政服务有限公司", "371302", status=EmployerStatus.PENDING)
    verification.employer_decide(employer=employer, by=officer, status=EmployerStatus.VERIFIED)
    posting = make_posting(employer)
    publish(make_phase(personas.linyi, status=PhaseStatus.IN_REVIEW), [posting])
    revision = PostingRevision.objects.create(posting=posting, data={"openings": 3})
    services.revision_decide(revision=revision, approve=False, by=officer, reason="人数不符")
    moderation.posting_take_down(posting=posting, by=officer, reason="举报核实：收取押金")
    linyi = personas.linyi.name
    assert actions()[0] == (AuditAction.EMPLOYER_VERIFY, linyi)
    assert actions()[-2:] == [
        (AuditAction.REVISION_REJECT, linyi),
        (AuditAction.POSTING_TAKE_DOWN, linyi),
    ]
    assert AuditEntry.objects.for_staff(officer).count() == len(actions())
    assert not AuditEntry.objects.for_staff(personas.bureau_inside).exists()
