import hashlib
import secrets
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.fields.json import KT
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from employers import schedule as sched
from employers.choices import Contract, Insurance, Place, Sector, WorkForm
from employers.fields import WeekMaskField
from momjobs.lib.storage import private_storage

# ---------------------------------------------------------------------------------------------
# Bureaus


class BureauQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(staff__user=user) if user.is_authenticated else self.none()


def in_jurisdiction_of(user, path_field):
    """Q matching rows whose region path (`path_field`) lies inside the jurisdiction of one of
    the user's bureaus: the one jurisdiction rule, used by every staff queryset and view."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    paths = list(
        Bureau.objects.filter(staff__user=user).values_list("jurisdiction__path", flat=True)
    )
    if not paths:
        return Q(pk__in=[])
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{path_field}__startswith": path})
    return condition


class Bureau(models.Model):
    """A human-resources bureau. Its staff act only inside its jurisdiction (a region tree)."""

    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    jurisdiction = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("管辖地区")
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("咨询电话"), max_length=30, blank=True)
    website = models.URLField(_("网站"), blank=True)

    objects = BureauQuerySet.as_manager()

    class Meta:
        ordering = ["jurisdiction__code"]
        verbose_name = _("人社部门")
        verbose_name_plural = _("人社部门")

    def __str__(self):
        return self.name

    def covers(self, region):
        return region is not None and region.path.startswith(self.jurisdiction.path)


class BureauStaff(models.Model):
    bureau = models.ForeignKey(Bureau, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bureau_memberships"
    )
    title = models.CharField(_("职务"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("人社部门工作人员")
        verbose_name_plural = _("人社部门工作人员")
        constraints = [
            models.UniqueConstraint(fields=["bureau", "user"], name="bureaustaff_unique")
        ]

    def __str__(self):
        return f"{self.user} @ {self.bureau}"


# ---------------------------------------------------------------------------------------------
# Catalogs and phases


class Catalog(models.Model):
    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="catalogs")
    name = models.CharField(_("目录名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("岗位目录")
        verbose_name_plural = _("岗位目录")

    def __str__(self):
        return self.name


class PhaseStatus(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    OPEN = "open", _("征集中")
    IN_REVIEW = "in_review", _("审核中")
    PUBLISHED = "published", _("已发布")
    SUPERSEDED = "superseded", _("已被新批次取代")


class PhaseQuerySet(models.QuerySet):
    def published(self):
        # Superseded phases stay public as a record of what was published.
        return self.filter(status__in=[PhaseStatus.PUBLISHED, PhaseStatus.SUPERSEDED])

    def open_for_submissions(self, now=None):
        now = now or timezone.now()
        return self.filter(status=PhaseStatus.OPEN).filter(
            Q(submission_deadline__isnull=True) | Q(submission_deadline__gte=now)
        )

    def with_post_counts(self):
        """Each phase with `posts`, the number of its approved entries."""
        return self.annotate(
            posts=models.Count("entries", filter=Q(entries__decision=EntryDecision.APPROVED))
        )


class Phase(models.Model):
    catalog = models.ForeignKey(Catalog, on_delete=models.PROTECT, related_name="phases")
    number = models.PositiveSmallIntegerField(_("批次"))
    title = models.CharField(_("标题"), max_length=120)
    status = models.CharField(
        _("状态"), max_length=12, choices=PhaseStatus.choices, default=PhaseStatus.DRAFT
    )
    # The public call for submissions: what posts are sought and on what conditions.
    call_text = models.TextField(_("征集说明"), blank=True)
    sought_sectors = models.JSONField(_("征集行业"), default=list, blank=True)
    submission_deadline = models.DateTimeField(_("征集截止时间"), null=True, blank=True)
    opened_at = models.DateTimeField(_("开始征集时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    superseded_at = models.DateTimeField(_("被取代时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PhaseQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-number"]
        verbose_name = _("目录批次")
        verbose_name_plural = _("目录批次")
        constraints = [
            models.UniqueConstraint(fields=["catalog", "number"], name="phase_number_unique")
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("phase_detail", args=[self.pk])

    @property
    def is_public(self):
        return self.status in (PhaseStatus.PUBLISHED, PhaseStatus.SUPERSEDED)

    @property
    def is_frozen(self):
        return self.is_public

    def previous(self):
        return (
            Phase.objects.filter(catalog=self.catalog, number__lt=self.number)
            .order_by("-number")
            .first()
        )


class EntryDecision(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("通过")
    REJECTED = "rejected", _("不通过")
    CHANGES_REQUESTED = "changes", _("退回修改")
    WITHDRAWN = "withdrawn", _("已撤回")


class PhaseEntryQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(decision=EntryDecision.APPROVED)


class PhaseEntry(models.Model):
    """A posting in a phase, with the review decision. Once the phase is published the
    snapshot holds the content as published; later edits of the posting never rewrite it.
    """

    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="entries")
    posting = models.ForeignKey(
        "employers.Posting", on_delete=models.PROTECT, related_name="phase_entries"
    )
    decision = models.CharField(
        _("审核结果"), max_length=10, choices=EntryDecision.choices, default=EntryDecision.PENDING
    )
    reason = models.CharField(_("审核意见"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    carried_over = models.BooleanField(_("上一批次延续"), default=False)
    snapshot = models.JSONField(_("发布时内容"), null=True, blank=True, editable=False)

    objects = PhaseEntryQuerySet.as_manager()

    class Meta:
        ordering = ["phase", "id"]
        verbose_name = _("批次岗位")
        verbose_name_plural = _("批次岗位")
        constraints = [models.UniqueConstraint(fields=["phase", "posting"], name="entry_unique")]
        indexes = [
            # A published phase's page lists its entries by employer, 50 at a time.
            models.Index(
                F("phase"),
                KT("snapshot__employer_name"),
                F("id"),
                condition=Q(decision="approved"),
                name="entry_phase_employer",
            )
        ]

    def __str__(self):
        return f"{self.phase} / {self.posting_id}"


# ---------------------------------------------------------------------------------------------
# Subscriptions and digests


def _token():
    return secrets.token_urlsafe(24)


class SubscriptionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(
            confirmed_at__isnull=False, unsubscribed_at__isnull=True, paused_at__isnull=True
        )


class Subscription(models.Model):
    """Digest sign-up. Filters are columns so matching a phase is one SQL query."""

    email = models.EmailField(_("电子邮箱"))
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("地区")
    )
    language = models.CharField(
        _("语言"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    sector = models.CharField(_("行业"), max_length=20, choices=Sector.choices, blank=True)
    work_form = models.CharField(_("用工形式"), max_length=12, choices=WorkForm.choices, blank=True)
    pay_min_hourly = models.DecimalField(
        _("最低时薪"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    contract = models.CharField(_("合同形式"), max_length=20, choices=Contract.choices, blank=True)
    insurance = models.CharField(
        _("社会保险"), max_length=15, choices=Insurance.choices, blank=True
    )
    school_run = models.BooleanField(_("可接送孩子"), default=False)
    weekends_off = models.BooleanField(_("双休"), default=False)
    fits = models.CharField(_("空闲时间"), max_length=300, blank=True)
    fits_mask = WeekMaskField(null=True)
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("退订时间"), null=True, blank=True)
    paused_at = models.DateTimeField(_("暂停时间"), null=True, blank=True)
    failures = models.PositiveSmallIntegerField(default=0)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("订阅")
        verbose_name_plural = _("订阅")
        constraints = [
            models.UniqueConstraint(
                fields=["email", "region"],
                condition=Q(unsubscribed_at__isnull=True),
                name="subscription_active_unique",
            )
        ]

    def __str__(self):
        return self.email


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
    SKIPPED = "skipped", _("无匹配岗位")


class DigestDelivery(models.Model):
    """Proof that one digest went to one subscription for one phase, once."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    message_id = models.CharField(max_length=200, editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("摘要投递")
        verbose_name_plural = _("摘要投递")
        constraints = [
            models.UniqueConstraint(fields=["subscription", "phase"], name="delivery_once")
        ]
        indexes = [models.Index(fields=["phase", "status"], name="delivery_phase_status")]

    def __str__(self):
        return f"{self.subscription_id}/{self.phase_id} {self.status}"

    def save(self, *args, **kwargs):
        if not self.message_id:
            self.message_id = self.deterministic_message_id(self.subscription_id, self.phase_id)
        super().save(*args, **kwargs)

    @staticmethod
    def deterministic_message_id(subscription_id, phase_id):
        # The same (subscription, phase) always yields the same Message-ID, so a retried send
        # is recognisably the same message.
        digest = hashlib.sha256(f"{subscription_id}:{phase_id}".encode()).hexdigest()[:24]
        domain = settings.SITE_URL.split("//")[-1].split(":")[0].split("/")[0] or "localhost"
        return f"<digest.{phase_id}.{subscription_id}.{digest}@{domain}>"


# The outbox event a publish writes; the digest relay reads it (directory/subscriptions/tasks.py).
OUTBOX_PHASE_PUBLISHED = "phase_published"


class OutboxEvent(models.Model):
    """Work written in the same transaction as the change that caused it; Celery relays it."""

    kind = models.CharField(max_length=40)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["id"]
        verbose_name = _("待处理任务")
        verbose_name_plural = _("待处理任务")
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(processed_at__isnull=True),
                name="outbox_unprocessed",
            )
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk}"


# ---------------------------------------------------------------------------------------------
# Reports from the public, the audit log, spreadsheet imports and rendered phase documents


class ReportReason(models.TextChoices):
    DISCRIMINATION = "discrimination", _("歧视性要求（性别、婚育、年龄等）")
    FEES = "fees", _("收取押金、培训费或其他费用")
    MISLEADING = "misleading", _("薪酬或工作时间与实际不符")
    FILLED = "filled", _("岗位已招满或不存在")
    OVERTIME = "overtime", _("强制加班或不守约定时间")
    FRAUD = "fraud", _("疑似诈骗")
    OTHER = "other", _("其他")


class ReportStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    DISMISSED = "dismissed", _("已核实，无需处理")
    ACTED = "acted", _("已处理")


class ReportQuerySet(models.QuerySet):
    def for_staff(self, user):
        return self.filter(in_jurisdiction_of(user, "posting__region__path"))

    def open(self):
        return self.filter(status=ReportStatus.OPEN)


class Report(models.Model):
    """Anyone may report a posting; the report lands in the queue of the bureaus covering it."""

    posting = models.ForeignKey(
        "employers.Posting", on_delete=models.CASCADE, related_name="reports"
    )
    reason = models.CharField(_("举报原因"), max_length=20, choices=ReportReason.choices)
    details = models.TextField(_("具体情况"), max_length=2000, blank=True)
    # Personal data: optional, shown only to the bureau handling the report, erased on handling
    # plus the retention period (see the privacy notice).
    contact = models.CharField(_("联系方式（选填）"), max_length=100, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("举报时间"), default=timezone.now)
    status = models.CharField(
        _("处理状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    resolution = models.CharField(_("处理说明"), max_length=500, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("岗位举报")
        verbose_name_plural = _("岗位举报")
        indexes = [models.Index(fields=["status", "created_at"], name="report_status_created")]

    def __str__(self):
        return f"{self.posting_id} {self.get_reason_display()}"


class AuditAction(models.TextChoices):
    EMPLOYER_VERIFY = "employer_verify", _("核验单位")
    EMPLOYER_REJECT = "employer_reject", _("单位未通过核验")
    EMPLOYER_REMOVE = "employer_remove", _("移出名录")
    EMPLOYER_RECOGNISE = "employer_recognise", _("认定称号")
    PHASE_CREATE = "phase_create", _("新建批次")
    PHASE_CALL = "phase_call", _("发布征集")
    PHASE_PUBLISH = "phase_publish", _("发布批次")
    ENTRY_APPROVE = "entry_approve", _("审核通过")
    ENTRY_REJECT = "entry_reject", _("审核不通过")
    ENTRY_CHANGES = "entry_changes", _("退回修改")
    REVISION_APPROVE = "revision_approve", _("通过岗位修改")
    REVISION_REJECT = "revision_reject", _("驳回岗位修改")
    POSTING_TAKE_DOWN = "posting_take_down", _("下架岗位")
    POSTING_EDIT = "posting_edit", _("修改岗位")
    REPORT_HANDLE = "report_handle", _("处理举报")
    IMPORT = "import", _("导入表格")
    RECOVERY_CODES = "recovery_codes", _("发放双重验证恢复码")


class AuditEntryQuerySet(models.QuerySet):
    def for_staff(self, user):
        return self.filter(bureau__in=Bureau.objects.for_user(user))


class AuditEntry(models.Model):
    """One staff action: who, when, what, on which object. Written in the action's transaction;
    never edited (the admin shows it read-only)."""

    bureau = models.ForeignKey(
        Bureau, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_entries"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Kept when the account is deleted, so the log still says who it was.
    actor_label = models.CharField(_("操作人"), max_length=200, blank=True)
    action = models.CharField(_("操作"), max_length=30, choices=AuditAction.choices)
    object_type = models.CharField(_("对象类型"), max_length=40)
    object_id = models.CharField(_("对象编号"), max_length=40, blank=True)
    object_label = models.CharField(_("对象"), max_length=200, blank=True)
    detail = models.CharField(_("说明"), max_length=500, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("操作记录")
        verbose_name_plural = _("操作记录")
        indexes = [models.Index(fields=["bureau", "-at"], name="audit_bureau_at")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.get_action_display()}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("正在检查")
    FAILED = "failed", _("有错误，未导入")
    DONE = "done", _("已导入")


class ImportJob(models.Model):
    """A bureau's spreadsheet, checked and saved by a Celery task: all rows or none."""

    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="imports")
    catalog = models.ForeignKey(Catalog, on_delete=models.PROTECT, related_name="imports")
    # The phase the rows went into (created by the import), once it succeeded.
    phase = models.ForeignKey(
        Phase, on_delete=models.SET_NULL, null=True, blank=True, related_name="imports"
    )
    phase_title = models.CharField(_("批次标题"), max_length=120)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    file = models.FileField(storage=private_storage, upload_to="imports/")
    original_name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(default=0)
    status = models.CharField(
        _("状态"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    # [{"row": 5, "column": "薪资待遇", "message": "..."}]; a file-level error has no row.
    errors = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("表格导入")
        verbose_name_plural = _("表格导入")

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"


class PhaseDocumentKind(models.TextChoices):
    PDF = "pdf", _("PDF（A4 打印版）")
    XLSX = "xlsx", _("Excel 表格")


class PhaseDocument(models.Model):
    """A published phase rendered once (PDF with QR codes, XLSX) for job fairs and downloads."""

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=8, choices=PhaseDocumentKind.choices)
    file = models.FileField(storage=private_storage, upload_to="phases/")
    rendered_at = models.DateTimeField(default=timezone.now)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("批次文件")
        verbose_name_plural = _("批次文件")
        constraints = [
            models.UniqueConstraint(fields=["phase", "kind"], name="phase_document_once")
        ]

    def __str__(self):
        return f"{self.phase} {self.kind}"


# ---------------------------------------------------------------------------------------------
# Everyday search words

# The search's GET parameters (directory/search/filters.py) a SearchWord may stand for, by the
# kind of value they take.
SEARCH_WORD_CHOICES = {
    "sector": Sector,
    "form": WorkForm,
    "place": Place,
    "contract": Contract,
    "insurance": Insurance,
}
SEARCH_WORD_FLAGS = ("school_run", "weekends", "childcare_leave", "no_overtime")
SEARCH_WORD_FITS = "fits"

_CONTROL = {"Cc", "Cf", "Cs", "Co", "Cn"}


def normalise_search_text(text):
    """Words as the search compares them: full-width to half-width (NFKC), case folded, control
    characters and runs of spaces made one space. A mother's ＷＩＦＩ and a bureau's wifi meet."""
    text = unicodedata.normalize("NFKC", str(text or "")).casefold()
    text = "".join(" " if unicodedata.category(c) in _CONTROL else c for c in text)
    return " ".join(text.split())


def clean_search_filters(value):
    """A SearchWord's filters in canonical form, or a ValidationError that says what is wrong.

    The keys are the search's GET parameters; each key narrows the search, as on the form:
    - sector, form, place, contract, insurance: a list of choice values meaning ANY of them
      ({"form": ["part_time", "hourly"]}); a lone string is a list of one. Today the search
      form takes one value of each, so a list longer than one needs the search to accept several.
    - school_run, weekends, childcare_leave, no_overtime: true (false is dropped: an unticked
      box does not narrow);
    - fits: free hours in the search form's syntax, "1-7@17:00-24:00" (posts whose every working
      hour lies inside; posts with self-chosen hours fit any).
    """
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValidationError(_('筛选须为一个字典，例如 {"form": ["part_time"]}。'))
    clean = {}
    for key, item in value.items():
        if key in SEARCH_WORD_CHOICES:
            choices = SEARCH_WORD_CHOICES[key]
            items = [item] if isinstance(item, str) else item
            if not isinstance(items, list | tuple) or not items:
                raise ValidationError(
                    _("“%(key)s”的取值无效：%(value)s。"), params={"key": key, "value": item}
                )
            for choice in items:
                if choice not in choices.values:
                    raise ValidationError(
                        _("“%(key)s”的取值无效：%(value)s。"),
                        params={"key": key, "value": choice},
                    )
            clean[key] = list(dict.fromkeys(items))
        elif key in SEARCH_WORD_FLAGS:
            if not isinstance(item, bool):
                raise ValidationError(
                    _("“%(key)s”的取值无效：%(value)s。"), params={"key": key, "value": item}
                )
            if item:
                clean[key] = True
        elif key == SEARCH_WORD_FITS:
            if not isinstance(item, str):
                raise ValidationError(
                    _("“%(key)s”的取值无效：%(value)s。"), params={"key": key, "value": item}
                )
            clean[key] = sched.format_fits(sched.parse_fits(item))
        else:
            raise ValidationError(_("未知的搜索参数：%(key)s。"), params={"key": key})
    return clean


class SearchWord(models.Model):
    """An everyday word that means a filter of the job search: 兼职 is 非全日制 or 小时工, 双休 is
    the weekends-off box, 宝妈 means nothing (every post is a Mom Job). directory/search/words.py
    turns a mother's words into filters with the active rows; bureaus extend them in the admin.
    """

    word = models.CharField(
        _("词语"),
        max_length=20,
        unique=True,
        help_text=_("求职者可能输入的词，例如“兼职”。全角半角、大小写不区分。"),
    )
    filters = models.JSONField(
        _("对应筛选"),
        default=dict,
        blank=True,
        help_text=_(
            '搜索参数及取值，例如 {"form": ["part_time", "hourly"]}。'
            "可用：form、place、sector、contract、insurance（选项代码列表，满足其一即可）；"
            "school_run、weekends、childcare_leave、no_overtime（true）；"
            'fits（空闲时间，例如 "1-7@17:00-24:00"）。'
        ),
    )
    drop = models.BooleanField(
        _("从关键词中去掉"),
        default=True,
        help_text=_(
            "勾选：这个词不再作为关键词查找（筛选为空时即不作限制，匹配全部岗位）。"
            "不勾选：保留为关键词，同时应用上面的筛选。"
        ),
    )
    note = models.CharField(_("含义说明"), max_length=300)
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["word"]
        verbose_name = _("搜索用语")
        verbose_name_plural = _("搜索用语")

    def __str__(self):
        return self.word

    def clean(self):
        super().clean()
        # Stored as the search compares it, so the unique check sees ＷＩＦＩ and wifi as one word.
        self.word = normalise_search_text(self.word)
        if not self.word:
            raise ValidationError({"word": _("请填写词语。")})
        try:
            self.filters = clean_search_filters(self.filters)
        except ValidationError as error:
            raise ValidationError({"filters": error.messages}) from error
