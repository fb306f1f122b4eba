"""The demo loader (issue 2, item 6) against a real PostgreSQL: Qingdao Phase I as published
(190 posts, 7 employers), Linyi Yihe's open call, a login for every role, and idempotence.
"""

import io
from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from directory.demo.data import DEMO_PASSWORD
from directory.demo.load import QD_PUBLISHED, QINGDAO_PHASE, YIHE_PHASE, load_demo
from directory.models import (
    Bureau,
    BureauStaff,
    Catalog,
    EntryDecision,
    OutboxEvent,
    Phase,
    PhaseEntry,
    PhaseStatus,
)
from employers import schedule as sched
from employers.choices import Contract, Insurance, Sector, WorkForm
from employers.models import (
    Employer,
    EmployerMembership,
    EmployerStatus,
    EmployerStatusEvent,
    MembershipRole,
    Posting,
    PostingStatus,
)
from momjobs.regions.loader import load_regions
from momjobs.regions.models import MinimumWage, Region
from momjobs.users.models import Role, SeekerProfile, User

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load the demo once for the module. Each test runs in a savepoint inside this
    transaction, and the whole load is rolled back when the module is done.
    """
    # The same fast hasher as conftest's per-test fixture, which is not active yet here.
    hashers = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), hashers, transaction.atomic():
        load_regions()
        yield load_demo()
        transaction.set_rollback(True)


def qingdao_postings():
    return Posting.objects.filter(phase_entries__phase__title=QINGDAO_PHASE).select_related(
        "employer", "region"
    )


def counts():
    models = [
        Region,
        MinimumWage,
        User,
        SeekerProfile,
        Bureau,
        BureauStaff,
        Catalog,
        Phase,
        PhaseEntry,
        Employer,
        EmployerMembership,
        EmployerStatusEvent,
        Posting,
        OutboxEvent,
    ]
    return {model.__name__: model.objects.count() for model in models}


def fingerprint():
    return sorted(
        (
            p.employer.uscc,
            p.title,
            p.region.code,
            p.work_form,
            str(p.pay_min),
            str(p.pay_max),
            p.pay_unit,
            p.contract,
            p.insurance,
            str(p.schedule),
            p.description,
        )
        for p in Posting.objects.select_related("employer", "region")
    )


# ---------------------------------------------------------------------------------------------
# Qingdao Phase I


def test_qingdao_phase_one_is_published_with_190_posts_from_7_employers(demo):
    phase = Phase.objects.get(title=QINGDAO_PHASE)
    assert phase.status == PhaseStatus.PUBLISHED
    assert phase.catalog.name == "青岛市妈妈岗目录"
    assert phase.catalog.bureau.name == "青岛市人力资源和社会保障局"
    assert phase.catalog.bureau.jurisdiction.code == "370200"
    assert timezone.localtime(phase.published_at).date() == timezone.localdate() - timedelta(
        days=QD_PUBLISHED
    )
    assert phase.published_by.email == "qingdao@demo.momjobs.cn"
    entries = phase.entries.all()
    assert entries.count() == 190
    assert entries.approved().count() == 190
    assert entries.filter(snapshot__isnull=True).count() == 0
    assert OutboxEvent.objects.filter(payload__phase_id=phase.pk).count() == 1

    postings = qingdao_postings()
    assert postings.count() == 190
    assert postings.values("employer").distinct().count() == 7
    assert set(postings.values_list("sector", flat=True)) == {
        Sector.CATERING,
        Sector.DOMESTIC,
        Sector.SECURITY,
    }
    assert postings.exclude(status=PostingStatus.LIVE).count() == 0
    assert Posting.objects.live().filter(pk__in=postings).count() == 190


def test_snapshots_hold_the_published_content(demo):
    entry = PhaseEntry.objects.filter(phase__title=QINGDAO_PHASE).select_related("posting").first()
    assert entry.snapshot["title"] == entry.posting.title
    assert entry.snapshot["pay_min"] == str(entry.posting.pay_min)
    assert entry.snapshot["employer_name"] == entry.posting.employer.name
    assert entry.snapshot["region_name"].startswith("山东省青岛市")


def test_qingdao_posts_are_varied_and_mostly_part_time_or_hourly(demo):
    postings = list(qingdao_postings())
    assert len({p.title for p in postings}) >= 60
    forms = Counter(p.work_form for p in postings)
    assert forms[WorkForm.PART_TIME] + forms[WorkForm.HOURLY] > len(postings) / 2
    assert forms[WorkForm.FULL_TIME] > 0
    # Located across the city's districts, never outside it.
    assert all(p.region.path.startswith("/370000/370200/") for p in postings)
    assert len({p.region.code for p in postings}) >= 7
    # Rights as in reality: some good, many part-time agreements with work-injury cover only,
    # some service agreements with nothing.
    rights = Counter((p.contract, p.insurance) for p in postings)
    assert rights[(Contract.LABOUR, Insurance.FULL)] > 0
    assert rights[(Contract.PART_TIME_AGREEMENT, Insurance.INJURY_ONLY)] > 0
    assert rights[(Contract.SERVICE, Insurance.NONE)] > 0
    assert not any(p.rights_missing for p in postings)  # employers must state both
    assert any(p.flexible_hours for p in postings)
    assert sum(p.school_run for p in postings) > len(postings) / 2
    # Every fixed schedule is readable, and full-time posts come with a labour contract.
    assert all(p.flexible_hours or p.schedule_text() for p in postings)
    assert all(p.contract == Contract.LABOUR for p in postings if p.work_form == WorkForm.FULL_TIME)


def test_every_demo_posting_passes_the_rules(demo):
    for posting in Posting.objects.select_related("employer", "region"):
        posting.full_clean()  # includes art. 68 for 非全日制, pay range and schedule rules
        if posting.work_form in (WorkForm.PART_TIME, WorkForm.HOURLY) and posting.schedule:
            sched.check_part_time_limits(posting.windows)


def test_pay_is_believable_and_at_least_the_local_minimum_wage(demo):
    today = timezone.localdate()
    for posting in Posting.objects.select_related("region"):
        assert posting.pay_min <= posting.pay_max
        if posting.hourly_min is not None:
            assert posting.hourly_min >= MinimumWage.hourly_for(posting.region, on=today)
    hourly = qingdao_postings().filter(pay_unit="hour")
    assert min(p.pay_min for p in hourly) >= 22
    assert max(p.pay_max for p in hourly) <= 60


def test_employers_are_verified_with_their_history(demo):
    employers = Employer.objects.all()
    assert employers.count() == 10  # 7 in Qingdao, 3 in Yihe
    for employer in employers:
        assert employer.status == EmployerStatus.VERIFIED
        assert employer.status_events.filter(status=EmployerStatus.VERIFIED).exists()
        assert employer.memberships.filter(role=MembershipRole.OWNER).count() == 1
    base = employers.get(recognition="妈妈岗就业基地")
    assert base.recognised_year == 2025


def test_minimum_wages_are_seeded_for_shandong(demo):
    def hourly(code):
        return str(MinimumWage.hourly_for(Region.objects.get(code=code)))

    assert hourly("370213") == "22.00"  # 李沧区 inherits Qingdao's
    assert hourly("371300Z01") == "20.00"  # 沂河新区 inherits Linyi's
    assert hourly("370102") == "18.00"  # 济南市历下区: the province row
    assert all("山东省人民政府" in w.source for w in MinimumWage.objects.all())


# ---------------------------------------------------------------------------------------------
# Linyi Yihe


def test_yihe_phase_is_open_for_submissions_with_a_review_queue(demo):
    phase = Phase.objects.get(title=YIHE_PHASE)
    now = timezone.now()
    assert phase.status == PhaseStatus.OPEN
    assert phase.catalog.bureau.jurisdiction.code == "371300Z01"
    assert phase.opened_at < now < phase.submission_deadline
    assert phase.submission_deadline - now > timedelta(days=14)
    assert Phase.objects.open_for_submissions().filter(pk=phase.pk).exists()
    assert set(phase.sought_sectors) == {"customer_service", "ecommerce", "handicraft", "content"}
    for word in ("客服", "电商直播", "手工", "新媒体", "接送", "双休"):
        assert word in phase.call_text
    entries = phase.entries.select_related("posting")
    assert entries.count() >= 4
    assert {e.decision for e in entries} == {EntryDecision.PENDING}
    assert {e.posting.status for e in entries} == {PostingStatus.SUBMITTED}
    assert entries.values("posting__employer").distinct().count() in (2, 3)


# ---------------------------------------------------------------------------------------------
# Users


def test_demo_users_exist_for_every_role(demo):
    seeker = User.objects.get(email="seeker@demo.momjobs.cn")
    assert seeker.role == Role.SEEKER
    assert seeker.check_password(DEMO_PASSWORD)
    profile = seeker.seeker_profile
    assert profile.name == "王丽"
    assert profile.district.name == "李沧区"
    assert profile.free_windows == [{"days": [1, 2, 3, 4, 5], "start": "08:30", "end": "15:30"}]

    for employer in Employer.objects.all():
        owner = employer.memberships.get().user
        assert owner.role == Role.EMPLOYER
        assert owner.email.endswith("@demo.momjobs.cn")

    qingdao = User.objects.get(email="qingdao@demo.momjobs.cn")
    assert qingdao.role == Role.BUREAU
    assert Bureau.objects.for_user(qingdao).get().jurisdiction.code == "370200"
    linyi = User.objects.get(email="linyi@demo.momjobs.cn")
    assert Bureau.objects.for_user(linyi).get().jurisdiction.code == "371300Z01"

    admin = User.objects.get(email="admin@demo.momjobs.cn")
    assert admin.role == Role.ADMIN and admin.is_superuser and admin.is_staff
    assert admin.check_password(DEMO_PASSWORD)


# ---------------------------------------------------------------------------------------------
# Running it again


def test_second_run_changes_nothing(demo):
    before = counts()
    staff = User.objects.get(email="employer1@demo.momjobs.cn")
    staff.set_password("her-own-password-now")
    staff.save()
    prints = fingerprint()

    summary = load_demo()

    assert summary.created == []
    assert counts() == before
    assert fingerprint() == prints
    staff.refresh_from_db()
    assert staff.check_password("her-own-password-now")  # not reset to the demo password


def test_command_prints_a_summary_and_the_logins(demo):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    assert DEMO_PASSWORD in text
    assert "already present" in text
    for local in ("seeker", "qingdao", "linyi", "admin", "employer1", "employer7"):
        assert f"{local}@demo.momjobs.cn" in text
    assert "190" in text


def test_loads_regions_itself_and_is_deterministic(demo):
    prints = fingerprint()
    # An empty database (inside this test's savepoint): the loader must load regions first.
    with connection.cursor() as cursor:
        # Foreign keys are deferred; fire their pending checks so TRUNCATE is allowed.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {Region._meta.db_table} CASCADE")
    assert not Region.objects.exists()
    User.objects.filter(email__endswith="@demo.momjobs.cn").delete()

    load_demo()

    assert Region.objects.county_level().count() >= 2800
    assert qingdao_postings().count() == 190
    assert fingerprint() == prints  # same seed, same catalog
