"""Small make_* helpers and the personas of STYLE.md (seeker A/B, employer A/B staff, bureau
staff inside and outside the jurisdiction, admin)."""

import itertools
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.functional import cached_property

from directory.models import (
    Bureau,
    BureauStaff,
    Catalog,
    EntryDecision,
    Phase,
    PhaseEntry,
    PhaseStatus,
)
from employers.models import Employer, EmployerMembership, EmployerStatus, Posting
from employers.uscc import make_uscc
from momjobs.regions.models import Region
from momjobs.users.models import Role, SeekerProfile, User

PASSWORD = "correct-horse-battery-staple-42"
_seq = itertools.count(1)


def region(code):
    return Region.objects.get(code=code)


def make_user(email=None, role=Role.SEEKER, **extra):
    email = email or f"user{next(_seq)}@example.test"
    return User.objects.create_user(email=email, password=PASSWORD, role=role, **extra)


def make_seeker(email=None, name="王丽"):
    user = make_user(email, Role.SEEKER)
    SeekerProfile.objects.create(user=user, name=name)
    return user


def make_employer(name=None, region_code="370202", status=EmployerStatus.VERIFIED, staff=None):
    n = next(_seq)
    employer = Employer.objects.create(
        name=name or f"测试餐饮有限公司{n}",
        uscc=make_uscc(f"91{region_code}MA{n:07d}"),
        region=region(region_code),
        address="测试路1号",
        sector="catering",
        status=status,
    )
    if staff is not None:
        EmployerMembership.objects.create(employer=employer, user=staff, role="owner")
    return employer


def posting_data(**overrides):
    data = dict(
        title="早餐店帮厨",
        description="负责早餐备料和出餐，工作轻松，时间固定。",
        sector="catering",
        openings=2,
        work_form="part_time",
        schedule=[{"days": [1, 2, 3, 4, 5], "start": "06:30", "end": "09:30"}],
        pay_min=Decimal("20"),
        pay_max=Decimal("25"),
        pay_unit="hour",
        contract="part_time_agreement",
        insurance="injury_only",
        school_run=True,
    )
    data.update(overrides)
    return data


def make_posting(employer, region_code=None, **overrides):
    posting = Posting(
        employer=employer,
        region=region(region_code or employer.region.code),
        **posting_data(**overrides),
    )
    posting.full_clean()
    posting.save()
    return posting


def make_bureau(region_code="370200", name=None, staff=None):
    bureau = Bureau.objects.create(
        name=name or f"人社局{region_code}", jurisdiction=region(region_code)
    )
    if staff is not None:
        BureauStaff.objects.create(bureau=bureau, user=staff)
    return bureau


def make_phase(bureau, number=1, status=PhaseStatus.OPEN, **extra):
    catalog = Catalog.objects.filter(bureau=bureau).first() or Catalog.objects.create(
        bureau=bureau, name=f"{bureau.name}妈妈岗目录"
    )
    return Phase.objects.create(
        catalog=catalog,
        number=number,
        title=f"{catalog.name}（第{number}批）",
        status=status,
        submission_deadline=timezone.now() + timedelta(days=14),
        **extra,
    )


def add_entry(phase, posting, decision=EntryDecision.APPROVED):
    return PhaseEntry.objects.create(phase=phase, posting=posting, decision=decision)


def publish(phase, postings, by=None):
    from directory.catalog.services import phase_publish

    for posting in postings:
        add_entry(phase, posting)
    return phase_publish(phase=phase, by=by)


class Personas:
    """Everyone the permission tests talk about, created on first use."""

    @cached_property
    def seeker_a(self):
        return make_seeker("seeker.a@example.test", "王丽")

    @cached_property
    def seeker_b(self):
        return make_seeker("seeker.b@example.test", "李娜")

    @cached_property
    def employer_a_staff(self):
        return make_user("staff.a@example.test", Role.EMPLOYER)

    @cached_property
    def employer_b_staff(self):
        return make_user("staff.b@example.test", Role.EMPLOYER)

    @cached_property
    def employer_a(self):
        return make_employer("青岛甲餐饮有限公司", "370202", staff=self.employer_a_staff)

    @cached_property
    def employer_b(self):
        return make_employer("青岛乙家政服务有限公司", "370203", staff=self.employer_b_staff)

    @cached_property
    def bureau_inside(self):
        return make_user("officer.qingdao@example.test", Role.BUREAU)

    @cached_property
    def bureau_outside(self):
        return make_user("officer.linyi@example.test", Role.BUREAU)

    @cached_property
    def qingdao(self):
        return make_bureau("370200", "青岛市人力资源和社会保障局", staff=self.bureau_inside)

    @cached_property
    def linyi(self):
        return make_bureau("371300", "临沂市人力资源和社会保障局", staff=self.bureau_outside)

    @cached_property
    def admin(self):
        return User.objects.create_superuser(email="admin@example.test", password=PASSWORD)
