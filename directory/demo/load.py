"""Demo data: Qingdao's published Phase I (190 posts, 7 employers) and Linyi Yihe's open call.

Idempotent: bureaus, catalogs, employers, users and minimum wages are fetched or created by
their natural keys, and a phase that already exists is left alone, so a second run changes
nothing (passwords included). Deterministic: one seeded random generator, dates relative to
today. Every posting passes full_clean() before it is saved, so the demo obeys the same rules
(art. 68 part-time limits, pay ranges) as real submissions.
"""

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from directory.catalog.services import phase_publish
from directory.demo import data
from directory.demo.data import DEMO_TOTP_SECRET
from directory.models import (
    Bureau,
    BureauStaff,
    Catalog,
    EntryDecision,
    Phase,
    PhaseEntry,
    PhaseStatus,
)
from employers import followups
from employers import schedule as sched
from employers.choices import Contract, EmployerKind, Insurance, PayUnit, Place, Sector, WorkForm
from employers.models import (
    FOLLOW_UP_MONTHS,
    Application,
    ApplicationEvent,
    ApplicationStatus,
    DirectoryEvent,
    Employer,
    EmployerMembership,
    EmployerStatus,
    EmployerStatusEvent,
    FollowUp,
    FollowUpSource,
    MembershipRole,
    Party,
    Posting,
    PostingStatus,
)
from employers.uscc import ALPHABET, make_uscc
from momjobs.regions.loader import load_regions
from momjobs.regions.models import MinimumWage, Region
from momjobs.users.models import Role, SeekerProfile, TOTPDevice, User

QINGDAO_BUREAU = "青岛市人力资源和社会保障局"
QINGDAO_CATALOG = "青岛市妈妈岗目录"
QINGDAO_PHASE = "青岛市妈妈岗目录（第一批）"
YIHE_BUREAU = "沂河新区人力资源和社会保障部"
YIHE_CATALOG = "沂河新区妈妈岗目录"
YIHE_PHASE = "沂河新区妈妈岗目录（第一批）"

# Days before today: the Qingdao call opened, closed, was reviewed and published.
QD_OPENED, QD_DEADLINE, QD_PUBLISHED = 262, 241, 220
YIHE_OPENED, YIHE_DEADLINE = 4, 21


@dataclass
class Login:
    role: str
    email: str
    who: str


@dataclass
class DemoSummary:
    created: list = field(default_factory=list)  # what this run added, for the command's output
    logins: list = field(default_factory=list)
    qingdao_phase: Phase | None = None
    yihe_phase: Phase | None = None
    _hash: str = ""

    def password_hash(self):
        # One PBKDF2 run (about half a second) for all new demo accounts instead of one each.
        if not self._hash:
            self._hash = make_password(data.DEMO_PASSWORD)
        return self._hash


def email(local):
    return f"{local}@{data.DEMO_DOMAIN}"


# ---------------------------------------------------------------------------------------------
# Small helpers


def _aware(day, at=time(9, 0)):
    return timezone.make_aware(datetime.combine(day, at))


def _weighted(rng, options):
    """options: [(..., weight)] -> the chosen tuple without its weight."""
    chosen = rng.choices(options, weights=[o[-1] for o in options])[0]
    return chosen[:-1]


def _ceil_to(value, step):
    return int(math.ceil(value / step) * step)


def _round_to(value, step):
    return int(round(value / step) * step)


# ---------------------------------------------------------------------------------------------
# Reference data and people


def ensure_regions():
    if not Region.objects.exists():
        load_regions()


def ensure_minimum_wages(summary):
    for code, hourly, monthly, effective in data.MINIMUM_WAGES:
        _, created = MinimumWage.objects.get_or_create(
            region=Region.objects.get(code=code),
            effective_from=date.fromisoformat(effective),
            defaults={"hourly": hourly, "monthly": monthly, "source": data.WAGE_SOURCE},
        )
        if created:
            summary.created.append(f"最低工资标准 {code} {hourly}元/小时")


def ensure_user(summary, local, *, role, display_name, now, superuser=False):
    user = User.objects.filter(email=email(local)).first()
    if user is None:
        # Only a new account gets the demo password; an existing one keeps whatever it has.
        user = User.objects.create(
            email=email(local),
            password=summary.password_hash(),
            role=role,
            display_name=display_name,
            email_verified_at=now,
            is_staff=superuser,
            is_superuser=superuser,
        )
        summary.created.append(f"用户 {user.email}")
    if role in (Role.BUREAU, Role.ADMIN):
        # These roles must sign in with a second factor; demo accounts share one published key.
        TOTPDevice.objects.get_or_create(user=user, defaults={"secret": DEMO_TOTP_SECRET})
    summary.logins.append(Login(Role(role).label, user.email, display_name))
    return user


def ensure_bureau(summary, *, name, short_name, jurisdiction, address, officer, title):
    bureau, created = Bureau.objects.get_or_create(
        name=name,
        defaults={
            "short_name": short_name,
            "jurisdiction": Region.objects.get(code=jurisdiction),
            "address": address,
            "phone": "12333",
        },
    )
    if created:
        summary.created.append(f"人社部门 {name}")
    BureauStaff.objects.get_or_create(bureau=bureau, user=officer, defaults={"title": title})
    return bureau


def ensure_employer(
    summary,
    *,
    key,
    name,
    sector,
    size,
    region,
    address,
    contact,
    phone,
    description,
    verified_by,
    verified_on,
    staff_name,
    login_index,
    recognised=False,
):
    # Each employer has its own generator, so its code and dates never depend on the others.
    rng = random.Random(f"{data.SEED}-{key}")
    code = make_uscc("91" + region.code[:6] + "MA" + "".join(rng.choices(ALPHABET, k=7)))
    employer = Employer.objects.filter(uscc=code).first()
    if employer is None:
        employer = Employer(
            name=name,
            uscc=code,
            kind=EmployerKind.ENTERPRISE,
            region=region,
            address=address,
            sector=sector,
            size=size,
            contact_name=contact,
            contact_phone=phone,
            description=description,
            status=EmployerStatus.VERIFIED,
            status_reason="",
            status_changed_at=_aware(verified_on, time(10, 30)),
        )
        if recognised:
            employer.recognition = "妈妈岗就业基地"
            employer.recognised_year = 2025
        employer.full_clean()
        employer.save()
        listed = _aware(verified_on - timedelta(days=rng.randint(3, 9)), time(14, 0))
        Employer.objects.filter(pk=employer.pk).update(created_at=listed)
        events = [
            EmployerStatusEvent(
                employer=employer,
                status=EmployerStatus.PENDING,
                reason="单位注册，提交营业执照",
                at=listed,
            ),
            EmployerStatusEvent(
                employer=employer,
                kind=DirectoryEvent.VERIFIED,
                status=EmployerStatus.VERIFIED,
                reason="营业执照与统一社会信用代码核验通过",
                at=employer.status_changed_at,
                by=verified_by,
            ),
        ]
        if recognised:
            events.append(
                EmployerStatusEvent(
                    employer=employer,
                    kind=DirectoryEvent.RECOGNISED,
                    status=EmployerStatus.VERIFIED,
                    reason="认定为2025年度“妈妈岗就业基地”",
                    at=employer.status_changed_at + timedelta(days=1),
                    by=verified_by,
                )
            )
        EmployerStatusEvent.objects.bulk_create(events)
        summary.created.append(f"用人单位 {name}")
    staff = ensure_user(
        summary,
        f"employer{login_index}",
        role=Role.EMPLOYER,
        display_name=staff_name,
        now=timezone.now(),
    )
    EmployerMembership.objects.get_or_create(
        employer=employer, user=staff, defaults={"role": MembershipRole.OWNER}
    )
    return employer


# ---------------------------------------------------------------------------------------------
# Qingdao postings


def _rights(rng, profile, work_form):
    if work_form == WorkForm.FULL_TIME:
        return Contract.LABOUR, Insurance.FULL
    contract, insurance = _weighted(rng, data.RIGHTS[profile])
    return Contract(contract), Insurance(insurance)


RIGHTS_TEXT = {
    (Contract.LABOUR, Insurance.FULL): "签订劳动合同，依法缴纳五项社会保险，享受带薪年休假。",
    (
        Contract.PART_TIME_AGREEMENT,
        Insurance.INJURY_ONLY,
    ): "签订非全日制用工书面协议，单位缴纳工伤保险，工资每半月结算一次。",
    (
        Contract.PART_TIME_AGREEMENT,
        Insurance.ACCIDENT_ONLY,
    ): "签订非全日制用工书面协议，单位购买商业意外险，暂不缴纳社会保险，工资每半月结算。",
    (
        Contract.PART_TIME_AGREEMENT,
        Insurance.NONE,
    ): "签订非全日制用工书面协议，不缴纳社会保险，工资每半月结算。",
    (
        Contract.SERVICE,
        Insurance.ACCIDENT_ONLY,
    ): "签订劳务协议，公司购买商业意外险，不缴纳社会保险，{settle}。",
    (Contract.SERVICE, Insurance.NONE): "签订劳务协议，不缴纳社会保险，{settle}。",
}

INTROS = [
    "{brand}{site}招聘{title}{openings}名，岗位对所有求职者开放，欢迎有照护需要的家长报名。",
    "因业务需要，{brand}{site}现招{title}。",
    "{brand}{site}长期招聘{title}，适合希望兼顾家庭的求职者。",
    "{site}招{title}，离家近、时间稳定。",
]
CLOSINGS = [
    "入职不收取任何费用。",
    "欢迎有接送孩子需求的家长报名，面试可预约在上午。",
    "可先到工作地点了解环境再决定。",
    "",
]
POOR_NOTES = ["订单高峰期需服从临时调度。", "节假日需轮流到岗。"]


def _pay(rng, title, profile, work_form, shift, windows):
    lo, hi = title.band
    lo += rng.choice([0, 0, 1, 2])
    hi = max(hi + rng.choice([-1, 0, 1, 2, 3]), lo + 2)
    if profile == "poor":
        hi = max(hi - 2, lo + 1)
    if work_form == WorkForm.FULL_TIME:
        unit = PayUnit.MONTH
    elif shift == "flex" or work_form == WorkForm.HOURLY:
        unit = PayUnit.HOUR
    else:
        unit = _weighted(rng, [(PayUnit.HOUR, 5), (PayUnit.MONTH, 3), (PayUnit.DAY, 2)])[0]
    weekly_hours = sched.weekly_minutes(windows) / 60
    if unit == PayUnit.MONTH:
        hours = weekly_hours * 52 / 12
        low = _ceil_to(lo * hours, 100)
        return unit, low, max(low + 200, _round_to(hi * hours, 100))
    if unit == PayUnit.DAY:
        hours = weekly_hours / sched.working_days(windows)
        low = _ceil_to(lo * hours, 10)
        return unit, low, max(low + 10, _round_to(hi * hours, 10))
    return unit, lo, hi


def _work_form(rng, sector, shift, forms):
    if forms == data.FULL:
        return WorkForm.FULL_TIME
    hourly_share = 0.6 if sector == Sector.DOMESTIC else 0.3
    if shift == "flex":
        hourly_share = 0.8
    return WorkForm.HOURLY if rng.random() < hourly_share else WorkForm.PART_TIME


def _site(rng, employer, district_code):
    district, roads = data.QINGDAO_DISTRICTS[district_code]
    road = rng.choice(roads)
    number = rng.randint(3, 388)
    label = rng.choice(data.SITE_SUFFIX[employer.sector]).format(road=road, district=district)
    if employer.sector == Sector.DOMESTIC:
        address = f"{district}及周边上门服务（{employer.brand}{label}：{road}{number}号）"
    else:
        address = f"{district}{road}{number}号（{employer.brand}{label}）"
    return district, label, address


def qingdao_posting(rng, employer_data, employer, title, region, contact_phone, valid_through):
    district, site, address = _site(rng, employer_data, region.code)
    shift = rng.choice(title.shifts)
    windows_data, forms = data.SHIFTS[shift]
    windows = sched.windows_from_data(windows_data)
    sector = employer_data.sector
    work_form = _work_form(rng, sector, shift, forms)
    if work_form != WorkForm.FULL_TIME and windows:
        # The model checks art. 68 for 非全日制 only; 小时工 is non-full-time work as well.
        sched.check_part_time_limits(windows)
    contract, insurance = _rights(rng, employer_data.profile, work_form)
    unit, pay_min, pay_max = _pay(rng, title, employer_data.profile, work_form, shift, windows)
    profile = employer_data.profile
    flexible = shift == "flex"
    openings = rng.choice([1, 1, 2, 2, 3, 4, 5, 6, 8, 10])
    school_run = flexible or sched.school_run_free(windows)
    weekends_off = flexible or not any(d in (6, 7) for w in windows for d in w.days)

    parts = [
        rng.choice(INTROS).format(
            brand=employer_data.brand, site=site, title=title.title, openings=openings
        ),
        title.duties,
    ]
    if flexible:
        parts.append("工作时间由本人在每周排班中自选，每次服务一般2至4小时。")
    else:
        hours = sched.weekly_minutes(windows) / 60
        parts.append(f"工作时间：{sched.describe(windows)}，每周约{hours:g}小时。")
        if school_run:
            parts.append("班次避开上学和放学时段，方便接送孩子。")
    settle = "按单结算" if sector == Sector.DOMESTIC else "劳务费按月结算"
    parts.append(RIGHTS_TEXT[(contract, insurance)].format(settle=settle))
    if title.training:
        parts.append("上岗前提供带教，熟练后可独立上岗。")
    parts.append(rng.choice(CLOSINGS))

    note = rng.choice(data.SCHEDULE_NOTES)
    if profile == "poor" and rng.random() < 0.5:
        note = rng.choice(POOR_NOTES)
    route_chance = {"good": 0.9, "mixed": 0.5, "poor": 0.15}[profile]
    return Posting(
        employer=employer,
        title=title.title,
        description="".join(parts),
        requirements=title.requirements,
        sector=sector,
        openings=openings,
        work_form=work_form,
        schedule=[] if flexible else windows_data,
        flexible_hours=flexible,
        schedule_note=note,
        school_run=school_run,
        weekends_off=weekends_off,
        childcare_leave=profile == "good" or (profile == "mixed" and rng.random() < 0.4),
        no_forced_overtime=rng.random() < {"good": 1.0, "mixed": 0.7, "poor": 0.3}[profile],
        region=region,
        address=address,
        place=Place.ON_SITE,
        pay_min=Decimal(pay_min),
        pay_max=Decimal(pay_max),
        pay_unit=unit,
        contract=contract,
        insurance=insurance,
        training=title.training or (profile == "good" and rng.random() < 0.3),
        career_route=rng.choice(data.CAREER_ROUTES[sector]) if rng.random() < route_chance else "",
        contact_name=rng.choice(data.SURNAMES) + rng.choice(data.CONTACT_TITLES[sector]),
        contact_phone=contact_phone,
        # Reviewed and approved before the phase went out (the entries say by whom and when).
        status=PostingStatus.APPROVED,
        valid_through=valid_through,
    )


def checked(posting):
    """The demo obeys the rules it demonstrates. clean() covers what the check constraints say
    (pay range, openings) and PostgreSQL enforces them on insert, so skipping their one query
    per constraint keeps the load fast without weakening anything.
    """
    posting.full_clean(validate_constraints=False)
    return posting


def saved(posting, minimum_hourly):
    """Save (prepare() computes hourly pay) and refuse anything below the local minimum wage."""
    posting.save()
    if posting.hourly_min is not None and posting.hourly_min < minimum_hourly:
        raise ValueError(
            f"demo posting {posting.title!r} pays {posting.hourly_min}/h, "
            f"below the minimum {minimum_hourly}"
        )
    return posting


def build_qingdao(summary, *, now, today, officer):
    bureau = ensure_bureau(
        summary,
        name=QINGDAO_BUREAU,
        short_name="青岛市人社局",
        jurisdiction="370200",
        address="青岛市市南区（示例地址）",
        officer=officer,
        title="就业促进处 科员",
    )
    catalog, created = Catalog.objects.get_or_create(
        bureau=bureau,
        name=QINGDAO_CATALOG,
        defaults={
            "description": "青岛市面向照护12岁以下儿童的家长等群体征集发布的灵活就业岗位目录，分批次发布、定期更新。"
        },
    )
    employers = []
    verified_on = today - timedelta(days=QD_OPENED + 10)
    for index, spec in enumerate(data.QINGDAO_EMPLOYERS, start=1):
        district, roads = data.QINGDAO_DISTRICTS[spec.district]
        employer = ensure_employer(
            summary,
            key=spec.key,
            name=spec.name,
            sector=spec.sector,
            size=spec.size,
            region=Region.objects.get(code=spec.district),
            address=f"青岛市{district}{roads[0]}{10 + index * 7}号",
            contact=spec.contact,
            phone=f"0532-8000-0{index:02d}0",
            description=spec.description,
            verified_by=officer,
            verified_on=verified_on + timedelta(days=index),
            recognised=spec.recognised,
            staff_name=f"{spec.brand}·{spec.contact}",
            login_index=index,
        )
        employers.append((spec, employer))

    phase = Phase.objects.filter(catalog=catalog, number=1).first()
    if phase is not None:
        return phase

    rng = random.Random(f"{data.SEED}-qingdao")
    opened = now - timedelta(days=QD_OPENED)
    deadline = _aware(today - timedelta(days=QD_DEADLINE), time(17, 0))
    published = _aware(today - timedelta(days=QD_PUBLISHED), time(10, 0))
    phase = Phase.objects.create(
        catalog=catalog,
        number=1,
        title=QINGDAO_PHASE,
        status=PhaseStatus.IN_REVIEW,
        call_text=(
            "面向全市征集餐饮、家政、安保等行业的“妈妈岗”岗位：工作时间灵活，"
            "便于接送孩子上下学；明确薪酬、合同形式和社会保险；不得设置性别、婚育限制。"
        ),
        sought_sectors=[Sector.CATERING, Sector.DOMESTIC, Sector.SECURITY],
        opened_at=opened,
        submission_deadline=deadline,
    )
    Phase.objects.filter(pk=phase.pk).update(created_at=opened - timedelta(days=2))
    minimum = MinimumWage.hourly_for(Region.objects.get(code="370200"), on=today)
    valid_through = published.date() + timedelta(days=365)

    regions = {r.code: r for r in Region.objects.filter(code__in=data.QINGDAO_DISTRICTS)}
    postings, submitted = [], []
    for spec, employer in employers:
        titles = list(spec.titles)
        # Every title at least once, then the most common ones again at other shops.
        order = titles + [rng.choice(titles) for _ in range(spec.count - len(titles))]
        for title in order:
            region = regions[rng.choice(spec.sites)]
            posting = qingdao_posting(
                rng, spec, employer, title, region, employer.contact_phone, valid_through
            )
            postings.append(saved(checked(posting), minimum))
            submitted.append(
                opened + timedelta(hours=rng.randint(24, (QD_OPENED - QD_DEADLINE) * 24))
            )
    # created_at is auto_now_add: move it back to when the post was submitted.
    for posting, at in zip(postings, submitted, strict=True):
        posting.created_at = posting.updated_at = at
    Posting.objects.bulk_update(postings, ["created_at", "updated_at"])
    PhaseEntry.objects.bulk_create(
        PhaseEntry(
            phase=phase,
            posting=posting,
            decision=EntryDecision.APPROVED,
            reason="",
            decided_by=officer,
            decided_at=deadline
            + timedelta(hours=rng.randint(20, (QD_DEADLINE - QD_PUBLISHED - 2) * 24)),
            submitted_at=at,
        )
        for posting, at in zip(postings, submitted, strict=True)
    )
    phase = phase_publish(phase=phase, by=officer, at=published)
    summary.created.append(f"{QINGDAO_PHASE}：{len(postings)} 个岗位，已发布")
    return phase


# ---------------------------------------------------------------------------------------------
# Linyi Yihe: the open call


def build_yihe(summary, *, now, today, officer):
    zone = Region.objects.get(code="371300Z01")
    bureau = ensure_bureau(
        summary,
        name=YIHE_BUREAU,
        short_name="沂河新区人社部",
        jurisdiction=zone.code,
        address="临沂市沂河新区（示例地址）",
        officer=officer,
        title="就业服务科 科员",
    )
    catalog, _ = Catalog.objects.get_or_create(
        bureau=bureau,
        name=YIHE_CATALOG,
        defaults={"description": "沂河新区“妈妈岗”岗位目录，按批次征集、审核和发布。"},
    )
    employers = {}
    first_login = len(data.QINGDAO_EMPLOYERS) + 1
    for offset, spec in enumerate(data.LINYI_EMPLOYERS):
        employers[spec["key"]] = ensure_employer(
            summary,
            key=spec["key"],
            name=spec["name"],
            sector=spec["sector"],
            size=spec["size"],
            region=zone,
            address=f"临沂市沂河新区{spec['road']}{18 + offset * 11}号",
            contact=spec["contact"],
            phone=f"0539-8000-0{offset + 1:02d}0",
            description=spec["description"],
            verified_by=officer,
            verified_on=today - timedelta(days=30 + offset * 3),
            staff_name=f"{spec['name']}·{spec['contact']}",
            login_index=first_login + offset,
        )

    phase = Phase.objects.filter(catalog=catalog, number=1).first()
    if phase is not None:
        return phase
    rng = random.Random(f"{data.SEED}-yihe")
    opened = _aware(today - timedelta(days=YIHE_OPENED), time(9, 0))
    phase = Phase.objects.create(
        catalog=catalog,
        number=1,
        title=YIHE_PHASE,
        status=PhaseStatus.OPEN,
        call_text=data.YIHE_CALL_TEXT,
        sought_sectors=list(data.YIHE_SECTORS),
        opened_at=opened,
        submission_deadline=_aware(today + timedelta(days=YIHE_DEADLINE), time(17, 0)),
    )
    Phase.objects.filter(pk=phase.pk).update(created_at=opened - timedelta(days=1))
    minimum = MinimumWage.hourly_for(zone, on=today)
    entries = []
    for index, row in enumerate(data.LINYI_POSTINGS):
        (
            key,
            title,
            sector,
            work_form,
            place,
            shift,
            unit,
            pay_min,
            pay_max,
            contract,
            insurance,
            description,
            requirements,
        ) = row
        windows_data, _forms = data.SHIFTS[shift]
        windows = sched.windows_from_data(windows_data)
        employer = employers[key]
        posting = checked(
            Posting(
                employer=employer,
                title=title,
                description=description,
                requirements=requirements,
                sector=sector,
                openings=rng.choice([2, 3, 5, 10]),
                work_form=work_form,
                schedule=windows_data,
                flexible_hours=not windows_data,
                school_run=not windows or sched.school_run_free(windows),
                weekends_off=True,
                childcare_leave=contract == Contract.LABOUR,
                no_forced_overtime=True,
                region=zone,
                address=employer.address if place != Place.HOME else "居家办公（沂河新区范围内）",
                place=place,
                pay_min=Decimal(pay_min),
                pay_max=Decimal(pay_max),
                pay_unit=unit,
                contract=contract,
                insurance=insurance,
                training=True,
                contact_name=employer.contact_name,
                contact_phone=employer.contact_phone,
                status=PostingStatus.SUBMITTED,
            )
        )
        saved(posting, minimum)
        at = opened + timedelta(hours=6 + index * 9)
        Posting.objects.filter(pk=posting.pk).update(created_at=at, updated_at=at)
        entries.append(PhaseEntry(phase=phase, posting=posting, submitted_at=at))
    PhaseEntry.objects.bulk_create(entries)
    summary.created.append(f"{YIHE_PHASE}：征集中，{len(entries)} 个岗位待审核")
    return phase


# ---------------------------------------------------------------------------------------------


def ensure_seeker(summary, now):
    user = ensure_user(summary, "seeker", role=Role.SEEKER, display_name="王丽", now=now)
    SeekerProfile.objects.get_or_create(
        user=user,
        defaults={
            "name": "王丽",
            "phone": "138-0000-0000",
            "district": Region.objects.get(code="370213"),
            "free_windows": [{"days": [1, 2, 3, 4, 5], "start": "08:30", "end": "15:30"}],
            "skills": "收银、简单面点制作、会用电脑和手机办公软件",
            "experience": "曾在超市做收银员三年，孩子上小学后希望找接送时间以外的工作。",
            "cares_for_child_under_12": True,
            "eligibility_consent_at": now,
        },
    )
    return user


# ---------------------------------------------------------------------------------------------
# Hires and follow-ups: what the bureau's 录用与留任 shows (anonymous rows, as retention leaves
# them), and one hire of the demo seeker whose one-month question is open.

OUTCOME_REASONS = [
    ("pay", 5),
    ("hours", 4),
    ("childcare", 4),
    ("contract_ended", 2),
    ("other_job", 3),
    ("health", 1),
    ("dismissed", 1),
    ("other", 1),
]
# The chance that someone still works there at each follow-up, given she did at the last one.
STAYS = {1: 0.88, 3: 0.8, 6: 0.82}


def build_outcomes(summary, *, phase, seeker, now, today):
    postings = list(
        Posting.objects.filter(phase_entries__phase=phase).select_related("employer").order_by("pk")
    )
    if not postings or Application.objects.filter(posting__in=postings).exists():
        return
    rng = random.Random(f"{data.SEED}-outcomes")
    published = timezone.localdate(phase.published_at)
    staff = {
        m.employer_id: m.user
        for m in EmployerMembership.objects.filter(role=MembershipRole.OWNER).select_related("user")
    }
    applications, events, follow_ups = [], [], []
    for posting in postings:
        for _n in range(rng.choice([0, 1, 2, 3, 3, 4, 5, 6])):
            # A new catalog draws most of its applications in its first month.
            applied = published + timedelta(
                days=rng.randint(1, 30) if rng.random() < 0.7 else rng.randint(31, 150)
            )
            roll = rng.random()
            status = (
                ApplicationStatus.HIRED
                if roll < 0.24
                else ApplicationStatus.DECLINED
                if roll < 0.5
                else ApplicationStatus.INTERVIEW
                if roll < 0.58
                else ApplicationStatus.VIEWED
                if roll < 0.8
                else ApplicationStatus.SUBMITTED
            )
            application = Application(
                posting=posting,
                seeker=None,
                status=status,
                anonymised_at=now,
                created_at=_aware(applied, time(rng.randint(8, 21), rng.randint(0, 59))),
            )
            interviewed = status == ApplicationStatus.INTERVIEW or (
                status in (ApplicationStatus.HIRED, ApplicationStatus.DECLINED)
                and rng.random() < 0.8
            )
            steps = [(ApplicationStatus.SUBMITTED, 0)]
            if interviewed:
                steps.append((ApplicationStatus.INTERVIEW, 3))
            if status in (ApplicationStatus.HIRED, ApplicationStatus.DECLINED):
                steps.append((status, 6))
            if status == ApplicationStatus.HIRED:
                application.start_date = applied + timedelta(days=rng.randint(8, 20))
                if rng.random() < 0.06:
                    application.not_started_at = _aware(application.start_date, time(20, 0))
            applications.append((application, steps))
    Application.objects.bulk_create([a for a, _steps in applications])
    # auto_now_add overrides created_at on insert: put the dates back.
    Application.objects.bulk_update([a for a, _steps in applications], ["created_at"])
    for application, steps in applications:
        for status, after in steps:
            events.append(
                ApplicationEvent(
                    application=application,
                    status=status,
                    at=application.created_at + timedelta(days=after),
                )
            )
        if application.start_date and not application.not_started_at:
            follow_ups += _demo_follow_ups(rng, application, today)
    ApplicationEvent.objects.bulk_create(events)
    FollowUp.objects.bulk_create(follow_ups)
    hires = sum(1 for a, _s in applications if a.status == ApplicationStatus.HIRED)
    summary.created.append(
        f"录用与留任：{len(applications)} 份匿名申请，{hires} 人录用，{len(follow_ups)} 条回访"
    )
    # The demo seeker's own hire, its one-month question open (the link is printed).
    posting = postings[0]
    mine = Application.objects.create(
        posting=posting,
        seeker=seeker,
        status=ApplicationStatus.HIRED,
        applicant_name="王丽",
        applicant_district="市南区",
        contact_email=seeker.email,
        consent_at=now - timedelta(days=50),
        start_date=today - timedelta(days=35),
    )
    Application.objects.filter(pk=mine.pk).update(created_at=now - timedelta(days=50))
    ApplicationEvent.objects.create(
        application=mine, status=ApplicationStatus.SUBMITTED, at=now - timedelta(days=50)
    )
    ApplicationEvent.objects.create(
        application=mine,
        status=ApplicationStatus.HIRED,
        at=now - timedelta(days=42),
        by=staff.get(posting.employer_id),
    )
    for party in (Party.SEEKER, Party.EMPLOYER):
        FollowUp.objects.create(
            application=mine,
            month=1,
            party=party,
            source=FollowUpSource.ASKED,
            due_on=followups.due_on(mine.start_date, 1),
            sent_at=now - timedelta(days=4),
            channel="email",
        )


def _demo_follow_ups(rng, application, today):
    rows, working, ended = [], True, None
    for month in FOLLOW_UP_MONTHS:
        due = followups.due_on(application.start_date, month)
        if due > today:
            break
        if working and rng.random() > STAYS[month]:
            working = False
            ended = (
                due - timedelta(days=rng.randint(1, 25)),
                _weighted(rng, OUTCOME_REASONS)[0],
            )
        # The employer sees what she sees, nearly always.
        theirs = working if rng.random() > 0.07 else not working
        for party, answered, still in (
            (Party.SEEKER, rng.random() < 0.72, working),
            (Party.EMPLOYER, rng.random() < 0.86, theirs),
        ):
            sent = _aware(due, time(10, 0))
            row = FollowUp(
                application=application,
                month=month,
                party=party,
                source=FollowUpSource.ASKED,
                due_on=due,
                sent_at=sent,
                channel="email",
            )
            if answered:
                row.answered_at = row.changed_at = sent + timedelta(hours=rng.randint(1, 72))
                row.still_working = still
                if not still:
                    day, reason = ended or (
                        due - timedelta(days=rng.randint(1, 20)),
                        _weighted(rng, OUTCOME_REASONS)[0],
                    )
                    row.ended_on = max(day, application.start_date)
                    row.reason = reason
            rows.append(row)
    return rows


@transaction.atomic
def load_demo():
    """Create whatever part of the demo is missing; returns a DemoSummary."""
    ensure_regions()
    now = timezone.now()
    today = timezone.localdate()
    summary = DemoSummary()
    ensure_minimum_wages(summary)
    ensure_user(
        summary, "admin", role=Role.ADMIN, display_name="平台管理员", now=now, superuser=True
    )
    qingdao_officer = ensure_user(
        summary, "qingdao", role=Role.BUREAU, display_name="青岛市人社局·张科员", now=now
    )
    yihe_officer = ensure_user(
        summary, "linyi", role=Role.BUREAU, display_name="沂河新区人社部·李科员", now=now
    )
    seeker = ensure_seeker(summary, now)
    summary.qingdao_phase = build_qingdao(summary, now=now, today=today, officer=qingdao_officer)
    build_outcomes(summary, phase=summary.qingdao_phase, seeker=seeker, now=now, today=today)
    summary.yihe_phase = build_yihe(summary, now=now, today=today, officer=yihe_officer)
    return summary
