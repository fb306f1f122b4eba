from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from momjobs.lib.storage import private_storage

from . import schedule as sched
from .choices import (
    Contract,
    EmployerKind,
    EmployerSize,
    Insurance,
    PayUnit,
    Place,
    Sector,
    WorkForm,
)
from .fields import WeekMaskField
from .rules import validate_wording
from .text import region_terms, segment
from .uscc import normalise, validate_uscc

NO_NUL = ProhibitNullCharactersValidator()

# ---------------------------------------------------------------------------------------------
# Employers


class EmployerStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    VERIFIED = "verified", _("已核验")
    REJECTED = "rejected", _("未通过核验")
    REMOVED = "removed", _("已移出名录")


# Employers with a page in the public directory.
PUBLIC_EMPLOYER_STATUSES = (EmployerStatus.VERIFIED, EmployerStatus.REMOVED)


class EmployerQuerySet(models.QuerySet):
    def with_public_page(self):
        return self.filter(status__in=PUBLIC_EMPLOYER_STATUSES)

    def verified(self):
        return self.filter(status=EmployerStatus.VERIFIED)

    def in_region(self, region):
        return self.filter(region__path__startswith=region.path)

    def for_user(self, user):
        return self.filter(memberships__user=user) if user.is_authenticated else self.none()


class Employer(models.Model):
    name = models.CharField(_("单位名称"), max_length=120)
    uscc = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_uscc]
    )
    kind = models.CharField(
        _("单位类型"), max_length=20, choices=EmployerKind.choices, default=EmployerKind.ENTERPRISE
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("所在地区")
    )
    address = models.CharField(_("地址"), max_length=200)
    sector = models.CharField(_("行业"), max_length=20, choices=Sector.choices)
    size = models.CharField(
        _("规模"), max_length=10, choices=EmployerSize.choices, default=EmployerSize.SMALL
    )
    contact_name = models.CharField(_("联系人"), max_length=60, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    description = models.TextField(_("单位简介"), blank=True)
    licence = models.FileField(
        _("营业执照"), storage=private_storage, upload_to="licences/", blank=True
    )
    status = models.CharField(
        _("核验状态"), max_length=10, choices=EmployerStatus.choices, default=EmployerStatus.PENDING
    )
    status_reason = models.CharField(_("状态说明"), max_length=300, blank=True)
    status_changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True)
    # Recognition by a bureau, e.g. "妈妈岗就业基地" (employment base) in a given year.
    recognition = models.CharField(_("认定称号"), max_length=60, blank=True)
    recognised_year = models.PositiveSmallIntegerField(_("认定年份"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EmployerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("用人单位")
        verbose_name_plural = _("用人单位")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("employer_public", args=[self.pk])

    def clean(self):
        super().clean()
        self.uscc = normalise(self.uscc)

    @property
    def can_submit(self):
        return self.status == EmployerStatus.VERIFIED

    @property
    def has_public_page(self):
        """The public directory shows verified employers, and removed ones as a plain record."""
        return self.status in PUBLIC_EMPLOYER_STATUSES


class DirectoryEvent(models.TextChoices):
    LISTED = "listed", _("登记入录")
    VERIFIED = "verified", _("核验通过")
    REJECTED = "rejected", _("未通过核验")
    RECOGNISED = "recognised", _("获得认定")
    REMOVED = "removed", _("移出名录")


class EmployerStatusEvent(models.Model):
    """The directory history: listed, verified, recognised, removed, with dates and reasons."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="status_events")
    # What happened (shown in the public directory); `status` is the employer's status after it.
    kind = models.CharField(
        _("事项"), max_length=12, choices=DirectoryEvent.choices, default=DirectoryEvent.LISTED
    )
    status = models.CharField(_("状态"), max_length=10, choices=EmployerStatus.choices)
    reason = models.CharField(_("说明"), max_length=300, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-at"]
        verbose_name = _("名录状态记录")
        verbose_name_plural = _("名录状态记录")

    def __str__(self):
        return f"{self.employer_id} {self.status}"


class MembershipRole(models.TextChoices):
    OWNER = "owner", _("管理员")
    STAFF = "staff", _("工作人员")


class EmployerMembership(models.Model):
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="employer_memberships"
    )
    role = models.CharField(
        _("角色"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.STAFF
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("单位成员")
        verbose_name_plural = _("单位成员")
        constraints = [
            models.UniqueConstraint(fields=["employer", "user"], name="membership_unique")
        ]

    def __str__(self):
        return f"{self.user} @ {self.employer}"


# ---------------------------------------------------------------------------------------------
# Postings


class PostingStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交审核")
    APPROVED = "approved", _("审核通过")
    REJECTED = "rejected", _("未通过审核")
    LIVE = "live", _("招聘中")
    CLOSED = "closed", _("已结束")
    TAKEN_DOWN = "taken_down", _("已下架")


# A posting anyone can open: recruiting, or finished (a closed post still answers, with a clear
# "recruitment has ended"). Drafts, posts under review and taken-down posts are not public.
PUBLIC_POSTING_STATUSES = (PostingStatus.LIVE, PostingStatus.CLOSED)
# What an employer may still edit (a live post's changes go back to review as a revision).
EDITABLE_POSTING_STATUSES = (PostingStatus.DRAFT, PostingStatus.REJECTED, PostingStatus.LIVE)
SUBMITTABLE_POSTING_STATUSES = (PostingStatus.DRAFT, PostingStatus.REJECTED)


class PostingQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status__in=PUBLIC_POSTING_STATUSES)

    def live(self, today=None):
        """What seekers can find: published in a phase, not closed, not expired."""
        today = today or timezone.localdate()
        return self.filter(status=PostingStatus.LIVE).filter(
            Q(valid_through__isnull=True) | Q(valid_through__gte=today)
        )

    def live_count(self, today=None):
        """How many posts are live, as `live().count()` says, from the tally PostgreSQL keeps
        as posts go live and end (LiveTally): a sum over a few hundred rows, not a count of a
        million. Only for the whole table (a filtered queryset counts itself)."""
        today = today or timezone.localdate()
        return LiveTally.objects.filter(
            Q(valid_through__isnull=True) | Q(valid_through__gte=today)
        ).aggregate(n=models.Sum("delta", default=0))["n"]

    def in_region(self, region):
        return self.filter(region__path__startswith=region.path)

    def fitting(self, free_bits):
        return self.filter(schedule_mask__inside=free_bits)

    def for_employer_user(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(employer__memberships__user=user)

    def refresh_region_terms(self, region_ids=None):
        """Rewrite the region words of the postings in these regions (all, without ids) as
        Posting.prepare() writes them: after a region moved, or for postings saved by code that
        did not write them. Returns how many postings changed."""
        from django.db import connection

        from .region_words import REFRESH

        sql = REFRESH
        params = []
        if region_ids is not None:
            sql += " AND r.id = ANY(%s)"
            params = [list(region_ids)]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.rowcount

    def with_cards(self):
        # Up to the province: full_name walks the parents (city, province).
        return self.select_related("employer", "region__parent__parent").defer(
            "search_text", "search_vector"
        )


def _number(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal) and value.is_finite():
        return value
    return None


def _quantize(value):
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class LiveTally(models.Model):
    """Live posts counted as they change, per last day of validity (NULL: open-ended).

    Triggers on employers_posting (migration 0015) append one row per statement that makes
    posts live or ends them (+n, -n), whatever wrote it: the services, `.update()`, the admin,
    an import, raw SQL. Only appends, so writers never wait for one another; `live_count()` sums
    the rows whose day has not passed and `fold()` (a beat task) folds them into one row a day.
    The rule is PostingQuerySet.live()'s, written again in SQL there: tests check both agree.
    """

    valid_through = models.DateField(null=True)
    delta = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["valid_through"], name="livetally_day")]

    def __str__(self):
        return f"{self.valid_through or '-'}: {self.delta:+d}"

    @classmethod
    def fold(cls, today=None):
        """One row per day still to come (days past no longer count): the sum unchanged. Rows
        appended meanwhile by other transactions are not seen, so not touched."""
        from django.db import connection

        today = today or timezone.localdate()
        with connection.cursor() as cursor:
            cursor.execute(
                """
                WITH gone AS (
                    DELETE FROM employers_livetally RETURNING valid_through, delta
                )
                INSERT INTO employers_livetally (valid_through, delta)
                SELECT valid_through, SUM(delta) FROM gone
                WHERE valid_through IS NULL OR valid_through >= %s
                GROUP BY valid_through HAVING SUM(delta) <> 0
                """,
                [today],
            )
        return cls.objects.count()


class Posting(models.Model):
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="postings", verbose_name=_("用人单位")
    )
    title = models.CharField(_("岗位名称"), max_length=80, validators=[validate_wording, NO_NUL])
    description = models.TextField(_("岗位描述"), validators=[validate_wording, NO_NUL])
    requirements = models.TextField(
        _("任职要求"), blank=True, validators=[validate_wording, NO_NUL]
    )
    sector = models.CharField(_("行业"), max_length=20, choices=Sector.choices)
    openings = models.PositiveIntegerField(_("招聘人数"), default=1)
    work_form = models.CharField(_("用工形式"), max_length=12, choices=WorkForm.choices)

    # Working time: weekly windows, or "self-chosen hours" (flexible_hours, no windows).
    schedule = models.JSONField(_("工作时间"), default=list, blank=True)
    flexible_hours = models.BooleanField(_("自选工作时间"), default=False)
    schedule_note = models.CharField(
        _("时间说明"), max_length=200, blank=True, validators=[validate_wording, NO_NUL]
    )
    schedule_mask = WeekMaskField()
    weekly_minutes = models.PositiveIntegerField(default=0, editable=False)

    # Accommodations for carers.
    school_run = models.BooleanField(_("可接送孩子上下学"), default=False)
    weekends_off = models.BooleanField(_("双休"), default=False)
    childcare_leave = models.BooleanField(_("提供育儿假/看护假"), default=False)
    no_forced_overtime = models.BooleanField(_("不强制加班"), default=False)

    # Place.
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("工作地区")
    )
    address = models.CharField(_("工作地点"), max_length=200, blank=True, validators=[NO_NUL])
    place = models.CharField(
        _("工作方式"), max_length=10, choices=Place.choices, default=Place.ON_SITE
    )

    # Pay: a range is required; "面议" alone is not allowed.
    pay_min = models.DecimalField(_("最低薪酬"), max_digits=9, decimal_places=2)
    pay_max = models.DecimalField(_("最高薪酬"), max_digits=9, decimal_places=2)
    pay_unit = models.CharField(_("薪酬单位"), max_length=6, choices=PayUnit.choices)
    # Derived, for comparing like with like (None for piece rates).
    hourly_min = models.DecimalField(
        max_digits=9, decimal_places=2, null=True, blank=True, editable=False
    )
    hourly_max = models.DecimalField(
        max_digits=9, decimal_places=2, null=True, blank=True, editable=False
    )

    # Rights, stated plainly. Imported rows may say "not stated"; employers may not.
    contract = models.CharField(_("合同形式"), max_length=20, choices=Contract.choices)
    insurance = models.CharField(_("社会保险"), max_length=15, choices=Insurance.choices)
    training = models.BooleanField(_("提供岗前/在岗培训"), default=False)
    career_route = models.CharField(
        _("转全职或晋升通道"), max_length=200, blank=True, validators=[validate_wording, NO_NUL]
    )

    contact_name = models.CharField(_("联系人"), max_length=60, blank=True, validators=[NO_NUL])
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True, validators=[NO_NUL])

    status = models.CharField(
        _("状态"), max_length=12, choices=PostingStatus.choices, default=PostingStatus.DRAFT
    )
    valid_through = models.DateField(_("有效期至"), null=True, blank=True)
    imported = models.BooleanField(_("由人社部门导入"), default=False)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    status_reason = models.CharField(_("结束或下架原因"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # jieba-segmented text, kept by prepare(); the tsvector is generated from it by PostgreSQL.
    search_text = models.TextField(default="", editable=False)
    search_vector = models.GeneratedField(
        expression=SearchVector("search_text", config="simple"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = PostingQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")
        indexes = [
            # fastupdate off: no pending list, so a fresh bulk load is searchable through the
            # index at once (reads vastly outnumber writes here).
            GinIndex(fields=["search_vector"], name="posting_search_gin", fastupdate=False),
            models.Index(fields=["status", "valid_through"], name="posting_status"),
            # The default order of the search page, for live postings only.
            models.Index(
                F("published_at").desc(),
                F("id").desc(),
                condition=Q(status="live"),
                name="posting_live_recent",
            ),
            # An employer's live postings, counted from the index alone (the directory's
            # "招聘中的岗位" per employer of a page: 1 ms instead of 30 at a million postings).
            models.Index(
                fields=["employer", "valid_through"],
                condition=Q(status="live"),
                name="posting_live_employer",
            ),
            # The bureau dashboard's figures per region, sector and employer read only this
            # index (an index-only scan): 40 ms instead of 430 for a province's 42,000 posts.
            models.Index(
                fields=["region"],
                include=["id", "sector", "employer", "status", "valid_through", "openings"],
                condition=Q(published_at__isnull=False),
                name="posting_stats",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(pay_min__gte=0), name="posting_pay_min_nonneg"),
            models.CheckConstraint(
                condition=Q(pay_max__gte=models.F("pay_min")), name="posting_pay_range"
            ),
            models.CheckConstraint(condition=Q(openings__gte=1), name="posting_openings"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.prepare()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("posting_detail", args=[self.pk])

    # -- status rules (the one place: views, templates, emails and the API ask these) ---------

    @property
    def is_public(self):
        return self.status in PUBLIC_POSTING_STATUSES

    @property
    def is_live(self):
        return self.status == PostingStatus.LIVE

    @property
    def is_closed(self):
        return self.status == PostingStatus.CLOSED

    @property
    def is_taken_down(self):
        return self.status == PostingStatus.TAKEN_DOWN

    @property
    def is_editable(self):
        return self.status in EDITABLE_POSTING_STATUSES

    @property
    def can_submit(self):
        return self.status in SUBMITTABLE_POSTING_STATUSES

    @property
    def can_delete(self):
        """A draft never submitted anywhere and never applied to: nobody else has seen it."""
        return (
            self.status == PostingStatus.DRAFT
            and not self.phase_entries.exists()
            and not self.applications.exists()
        )

    # -- derived fields ----------------------------------------------------------------------

    @property
    def windows(self):
        return sched.windows_from_data(self.schedule)

    def prepare(self):
        """Compute every derived column. Called by save(); bulk loaders call it themselves."""
        windows = [] if self.flexible_hours else sched.windows_from_data(self.schedule)
        self.schedule_mask = sched.posting_mask(windows)
        self.weekly_minutes = sched.weekly_minutes(windows)
        self.hourly_min = self.to_hourly(self.pay_min)
        self.hourly_max = self.to_hourly(self.pay_max)
        words = segment(
            " ".join([self.title, self.description, self.requirements, self.employer_name_cache()])
        )
        self.search_text = f"{words} {region_terms(self.region.path)}" if self.region_id else words
        return self

    def employer_name_cache(self):
        return self.employer.name if self.employer_id else ""

    def hours_per_month(self):
        # The posting's own weekly hours over an average month (52 weeks / 12), else the
        # standard 21.75 x 8 = 174 hours.
        if self.weekly_minutes:
            return Decimal(self.weekly_minutes) / 60 * 52 / 12
        return Decimal(settings.STANDARD_MONTH_HOURS)

    def hours_per_day(self):
        windows = [] if self.flexible_hours else sched.windows_from_data(self.schedule)
        days = sched.working_days(windows)
        if days and self.weekly_minutes:
            return Decimal(self.weekly_minutes) / 60 / days
        return Decimal(8)

    def to_hourly(self, amount):
        if amount is None:
            return None
        amount = Decimal(amount)
        if self.pay_unit == PayUnit.HOUR:
            return _quantize(amount)
        if self.pay_unit == PayUnit.DAY:
            return _quantize(amount / self.hours_per_day())
        if self.pay_unit == PayUnit.MONTH:
            return _quantize(amount / self.hours_per_month())
        return None

    # -- rules ---------------------------------------------------------------------------------

    def clean(self):
        super().clean()
        errors = {}
        # full_clean() calls clean() even when clean_fields() failed: compare numbers only.
        pay_min, pay_max = _number(self.pay_min), _number(self.pay_max)
        openings = self.openings if isinstance(self.openings, int) else None
        if pay_min is not None and pay_min < 0:
            errors.setdefault("pay_min", []).append(_("薪酬不能为负数。"))
        if pay_min is not None and pay_max is not None and pay_min > pay_max:
            errors.setdefault("pay_max", []).append(_("最高薪酬不能低于最低薪酬。"))
        if openings is not None and openings < 1:
            errors.setdefault("openings", []).append(_("招聘人数至少为1。"))
        try:
            windows = sched.validate_schedule(self.schedule, flexible=self.flexible_hours)
            # Only the known keys are kept (no stray text reaches the JSON column).
            self.schedule = [w.as_dict() for w in windows]
            # Hourly work (小时工) is non-full-time employment under art. 68 as well.
            if self.work_form in (WorkForm.PART_TIME, WorkForm.HOURLY) and windows:
                sched.check_part_time_limits(windows)
        except ValidationError as error:
            errors.setdefault("schedule", []).extend(error.messages)
        if errors:
            raise ValidationError(errors)

    # -- presentation helpers (facts, not rules) -------------------------------------------------

    def schedule_text(self):
        if self.flexible_hours:
            return str(_("自选工作时间"))
        try:
            return sched.describe(self.windows)
        except ValidationError:
            return ""

    @property
    def weekly_hours(self):
        return f"{self.weekly_minutes / 60:g}" if self.weekly_minutes else None

    @property
    def rights_missing(self):
        return self.contract == Contract.NOT_STATED or self.insurance == Insurance.NOT_STATED


# ---------------------------------------------------------------------------------------------
# Applications


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已投递")
    VIEWED = "viewed", _("已查看")
    INTERVIEW = "interview", _("邀请面试")
    HIRED = "hired", _("已录用")
    DECLINED = "declined", _("未录用")
    WITHDRAWN = "withdrawn", _("已撤回")


# Where an application may go from each status, as the employer moves it on. "已查看" is set by
# opening it; a decision (录用, 未录用) is final; an interview may be moved (time or place).
NEXT_STATUSES = {
    ApplicationStatus.SUBMITTED: (
        ApplicationStatus.VIEWED,
        ApplicationStatus.INTERVIEW,
        ApplicationStatus.HIRED,
        ApplicationStatus.DECLINED,
    ),
    ApplicationStatus.VIEWED: (
        ApplicationStatus.INTERVIEW,
        ApplicationStatus.HIRED,
        ApplicationStatus.DECLINED,
    ),
    ApplicationStatus.INTERVIEW: (
        ApplicationStatus.INTERVIEW,
        ApplicationStatus.HIRED,
        ApplicationStatus.DECLINED,
    ),
    ApplicationStatus.HIRED: (),
    ApplicationStatus.DECLINED: (),
    ApplicationStatus.WITHDRAWN: (),
}


class ApplicationQuerySet(models.QuerySet):
    def open_ones(self):
        """Applications still waiting for an outcome (the people told when a post ends)."""
        return self.filter(seeker__isnull=False).exclude(
            status__in=[
                ApplicationStatus.WITHDRAWN,
                ApplicationStatus.DECLINED,
                ApplicationStatus.HIRED,
            ]
        )

    def for_seeker(self, user):
        return self.filter(seeker=user) if user.is_authenticated else self.none()

    def for_employer_user(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(posting__employer__memberships__user=user)


class Application(models.Model):
    posting = models.ForeignKey(Posting, on_delete=models.PROTECT, related_name="applications")
    # Null once the seeker deleted her account or the application was anonymised: the row
    # then only counts towards the bureau's statistics.
    seeker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
    )
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    note = models.TextField(_("附言"), blank=True)
    # What she sent, as she sent it (a snapshot): the employer reads these, never her live
    # profile, so later edits do not reach an employer; withdrawing or anonymising clears them.
    applicant_name = models.CharField(_("姓名"), max_length=60, blank=True)
    applicant_district = models.CharField(_("所在区县"), max_length=100, blank=True)
    applicant_skills = models.TextField(_("技能"), blank=True)
    applicant_experience = models.TextField(_("工作经历"), blank=True)
    contact_email = models.EmailField(_("电子邮箱"), blank=True)
    # Her number, kept only if she agreed on the apply step to give it to this employer.
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    # A copy of her CV at the time (private storage); deleted on withdrawal and anonymisation.
    cv = models.FileField(_("简历"), storage=private_storage, upload_to="applications/", blank=True)
    # Sending the application is her consent to give these to this employer: when, which notice.
    consent_at = models.DateTimeField(_("同意时间"), null=True, blank=True)
    privacy_policy_version = models.CharField(max_length=20, blank=True)
    employer_notes = models.TextField(_("单位内部备注"), blank=True)
    interview_at = models.DateTimeField(_("面试时间"), null=True, blank=True)
    interview_place = models.CharField(_("面试地点"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("投递时间"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)
    # A hire (employers/followups.py): the start date the employer gave (and may correct), her
    # "I did not start", and her "stop asking me" (the follow-ups' consent withdrawn). These are
    # no personal data once the row is anonymous: they stay, and the bureau's figures with them.
    start_date = models.DateField(_("入职日期"), null=True, blank=True)
    not_started_at = models.DateTimeField(_("本人表示未入职"), null=True, blank=True)
    follow_ups_stopped_at = models.DateTimeField(_("停止回访"), null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("求职申请")
        verbose_name_plural = _("求职申请")
        constraints = [
            models.UniqueConstraint(
                fields=["posting", "seeker"],
                condition=Q(seeker__isnull=False),
                name="application_once_per_posting",
            )
        ]
        indexes = [
            # The follow-up task's scan (employers/followups.py send_due): hires by start date.
            models.Index(
                fields=["start_date"],
                condition=Q(status="hired", start_date__isnull=False),
                name="application_hire_start",
            )
        ]

    def __str__(self):
        return f"{self.posting} / {self.seeker_id or '-'}"

    @property
    def can_withdraw(self):
        return self.status not in (ApplicationStatus.HIRED, ApplicationStatus.WITHDRAWN)

    @property
    def next_statuses(self):
        """The steps the employer may take from here (never backwards)."""
        return NEXT_STATUSES[ApplicationStatus(self.status)]

    @property
    def is_withdrawn(self):
        return self.status == ApplicationStatus.WITHDRAWN

    @property
    def employer_sees_applicant(self):
        """What she sent is the employer's to read only while the application stands: not once
        she withdrew it, not once it is anonymous."""
        return self.seeker_id is not None and not self.is_withdrawn

    @property
    def can_apply_again(self):
        """A withdrawn application may be sent again while the post is still recruiting."""
        return self.status == ApplicationStatus.WITHDRAWN and self.posting.is_live


class ApplicationEvent(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("状态"), max_length=10, choices=ApplicationStatus.choices)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    message = models.CharField(_("说明"), max_length=300, blank=True)
    # A message sent without changing the status (the status is the one it had then).
    is_message = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("申请进展")
        verbose_name_plural = _("申请进展")

    def __str__(self):
        return f"{self.application_id} {self.status}"


# ---------------------------------------------------------------------------------------------
# Follow-ups after a hire (employers/followups.py asks; directory/outcomes counts)


class Party(models.TextChoices):
    SEEKER = "seeker", _("求职者本人")
    EMPLOYER = "employer", _("用人单位")


class LeaveReason(models.TextChoices):
    HOURS = "hours", _("工作时间变了")
    PAY = "pay", _("工资待遇")
    CONTRACT_ENDED = "contract_ended", _("合同或用工期满")
    CHILDCARE = "childcare", _("照顾孩子")
    HEALTH = "health", _("健康原因")
    DISMISSED = "dismissed", _("被辞退")
    OTHER_JOB = "other_job", _("找到了其他工作")
    OTHER = "other", _("其他原因")


class FollowUpSource(models.TextChoices):
    ASKED = "asked", _("已询问")
    # Not asked: the same party already said the work had ended (the answer stands), or the
    # follow-up fell due while an earlier one was still to be asked (a start date entered late).
    CARRIED = "carried", _("沿用上次回答")
    SKIPPED = "skipped", _("未询问")


# Months after the start date at which each party is asked "still working there?".
FOLLOW_UP_MONTHS = (1, 3, 6)


class FollowUp(models.Model):
    """One question to one party about one hire at 1, 3 or 6 months: created once (the unique
    constraint), when it falls due, by the task that sends its one message."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="follow_ups"
    )
    month = models.PositiveSmallIntegerField(_("入职后月数"))
    party = models.CharField(_("回答方"), max_length=10, choices=Party.choices)
    source = models.CharField(max_length=10, choices=FollowUpSource.choices)
    due_on = models.DateField(_("回访日期"))
    sent_at = models.DateTimeField(_("发出时间"), null=True, blank=True)
    channel = models.CharField(max_length=10, blank=True)  # "sms" or "email"
    answered_at = models.DateTimeField(_("首次回答时间"), null=True, blank=True)
    changed_at = models.DateTimeField(_("最近修改时间"), null=True, blank=True)
    still_working = models.BooleanField(_("仍在岗"), null=True, blank=True)
    ended_on = models.DateField(_("离职日期"), null=True, blank=True)
    reason = models.CharField(_("离职原因"), max_length=20, choices=LeaveReason.choices, blank=True)

    class Meta:
        ordering = ["month", "party"]
        verbose_name = _("入职回访")
        verbose_name_plural = _("入职回访")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "month", "party"], name="follow_up_once"
            ),
            models.CheckConstraint(condition=Q(month__in=FOLLOW_UP_MONTHS), name="follow_up_month"),
        ]
        indexes = [models.Index(fields=["party", "month", "still_working"])]

    def __str__(self):
        return f"{self.application_id} {self.party} {self.month}"

    @property
    def is_answered(self):
        return self.still_working is not None


# ---------------------------------------------------------------------------------------------
# Staff invitations and changes to live postings


def _invite_token():
    import secrets

    return secrets.token_urlsafe(32)


class EmployerInvitation(models.Model):
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("电子邮箱"))
    token = models.CharField(max_length=64, unique=True, default=_invite_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("成员邀请")
        verbose_name_plural = _("成员邀请")

    def __str__(self):
        return f"{self.email} → {self.employer}"

    @property
    def is_open(self):
        from datetime import timedelta

        return self.accepted_at is None and self.created_at >= timezone.now() - timedelta(days=14)


class RevisionStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("未通过")


class PostingRevision(models.Model):
    """A change to the facts of a live posting. The live version stays until a bureau approves."""

    posting = models.ForeignKey(Posting, on_delete=models.CASCADE, related_name="revisions")
    data = models.JSONField()
    status = models.CharField(
        max_length=10, choices=RevisionStatus.choices, default=RevisionStatus.PENDING
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("审核意见"), max_length=500, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("岗位修改")
        verbose_name_plural = _("岗位修改")
        constraints = [
            models.UniqueConstraint(
                fields=["posting"],
                condition=Q(status="pending"),
                name="one_pending_revision",
            )
        ]

    def __str__(self):
        return f"{self.posting_id} {self.status}"
