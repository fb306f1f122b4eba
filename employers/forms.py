from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from momjobs.regions.models import COUNTY_LEVEL, Region, RegionKind

from . import followups
from .choices import Contract, Insurance
from .models import ApplicationStatus, Posting


def region_choices(employer):
    """County-level places in the employer's city (or municipality), and its functional zones."""
    region = employer.region
    city = region
    while city.parent_id and city.kind not in (
        RegionKind.PREFECTURE,
        RegionKind.PREFECTURE_OTHER,
        RegionKind.MUNICIPALITY,
    ):
        city = city.parent
    kinds = [*COUNTY_LEVEL, RegionKind.ZONE]
    return Region.objects.within(city).filter(kind__in=kinds).order_by("code")


class PostingForm(forms.ModelForm):
    # Filled from the schedule editor in clean(); the model validates it (overlaps, art. 68).
    schedule = forms.JSONField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Posting
        fields = [
            "title",
            "description",
            "requirements",
            "sector",
            "openings",
            "work_form",
            "flexible_hours",
            "schedule",
            "schedule_note",
            "school_run",
            "weekends_off",
            "childcare_leave",
            "no_forced_overtime",
            "region",
            "address",
            "place",
            "pay_min",
            "pay_max",
            "pay_unit",
            "contract",
            "insurance",
            "training",
            "career_route",
            "contact_name",
            "contact_phone",
            "valid_through",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "requirements": forms.Textarea(attrs={"rows": 3}),
            "valid_through": forms.DateInput(attrs={"type": "date"}),
            "pay_min": forms.NumberInput(attrs={"inputmode": "decimal", "min": "0"}),
            "pay_max": forms.NumberInput(attrs={"inputmode": "decimal", "min": "0"}),
            "openings": forms.NumberInput(attrs={"min": "1"}),
        }
        help_texts = {
            "flexible_hours": _("勾选后不用填写固定时间段：由劳动者自行安排工作时间。"),
            "pay_max": _("必须写明薪酬范围，不能只写“面议”。固定薪酬请把最低和最高填成同一个数。"),
            "career_route": _("例如：表现优秀者可转为全日制并缴纳五险。"),
            "contact_phone": _("会显示在岗位页面上。"),
        }

    def __init__(self, *args, employer, windows, **kwargs):
        super().__init__(*args, **kwargs)
        self.employer = employer
        self.windows = windows
        self.instance.employer = employer
        self.fields["region"].queryset = region_choices(employer)
        self.fields["region"].empty_label = None
        if not self.instance.pk:
            self.initial.setdefault("region", employer.region_id)
        # Employers must state contract and insurance; only imported rows say "not stated".
        self.fields["contract"].choices = [
            c for c in Contract.choices if c[0] != Contract.NOT_STATED
        ]
        self.fields["insurance"].choices = [
            c for c in Insurance.choices if c[0] != Insurance.NOT_STATED
        ]
        self.fields["contract"].choices.insert(0, ("", _("请选择")))
        self.fields["insurance"].choices.insert(0, ("", _("请选择")))
        # Every other empty choice reads 请选择 / Choose in the page's language, not "---------".
        for field in self.fields.values():
            choices = getattr(field, "choices", None)
            if choices and not isinstance(field, forms.ModelChoiceField):
                field.choices = [
                    ("", _("请选择")) if value == "" else (value, label) for value, label in choices
                ]
        self.fields["pay_min"].required = True
        self.fields["pay_max"].required = True

    def clean(self):
        data = super().clean()
        if self.windows.is_valid():
            windows = [w for w in (f.window() for f in self.windows.forms) if w]
            data["schedule"] = [] if data.get("flexible_hours") else windows
        else:
            self.add_error(None, _("请检查工作时间段。"))
            data["schedule"] = self.instance.schedule
        return data

    def warnings(self, minimum):
        """Shown, not refused: below the minimum wage, no insurance, no career route."""
        from .quality import meets_minimum_wage

        posting = self.instance
        notes = []
        if meets_minimum_wage(posting, minimum) is False:
            notes.append(_("薪酬折算后低于当地最低工资标准，请核实。"))
        if posting.insurance in (Insurance.NONE, Insurance.ACCIDENT_ONLY):
            notes.append(_("未缴纳社会保险：非全日制用工也应当缴纳工伤保险。"))
        if not posting.career_route:
            notes.append(_("没有写明转全职或晋升通道，求职者会看到“未说明职业发展”。"))
        from .rules import age_ceilings

        for ceiling in age_ceilings(
            " ".join([posting.title, posting.description, posting.requirements])
        ):
            notes.append(
                _("写有年龄上限“%(text)s”：审核人员会核实是否有正当理由，没有的可能被退回修改。")
                % {"text": ceiling}
            )
        return notes


class CloseForm(forms.Form):
    reason = forms.CharField(label=_("结束原因（会告知申请人）"), max_length=300, required=False)


class StatusForm(forms.Form):
    """Only the next steps from where the application is (Application.next_statuses), and no
    step chosen until she picks one: a slip cannot move an application backwards."""

    status = forms.ChoiceField(
        label=_("下一步"),
        choices=[],
        error_messages={"required": _("请选择下一步。"), "invalid_choice": _("请选择下一步。")},
    )
    interview_at = forms.DateTimeField(
        label=_("面试时间"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    interview_place = forms.CharField(label=_("面试地点"), max_length=200, required=False)
    start_date = forms.DateField(
        label=_("入职日期（录用时填写）"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("还没定的话，先填预计日期，以后可以修改。入职后 1、3、6 个月时平台会回访。"),
    )
    message = forms.CharField(label=_("给求职者的留言（可选）"), max_length=300, required=False)

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        labels = dict(ApplicationStatus.choices)
        steps = [
            (s, _("改面试时间或地点") if s == application.status else labels[s])
            for s in application.next_statuses
            if s != ApplicationStatus.VIEWED  # set by opening the application
        ]
        self.fields["status"].choices = [("", _("请选择"))] + steps
        if application.status == ApplicationStatus.INTERVIEW:
            self.fields["interview_at"].initial = application.interview_at
            self.fields["interview_place"].initial = application.interview_place

    def clean(self):
        data = super().clean()
        if data.get("status") == ApplicationStatus.INTERVIEW:
            if not data.get("interview_at"):
                self.add_error("interview_at", _("邀请面试时请填写面试时间。"))
            if not data.get("interview_place"):
                self.add_error("interview_place", _("邀请面试时请填写面试地点。"))
        if data.get("status") == ApplicationStatus.HIRED and "start_date" not in self.errors:
            try:
                followups.check_start_date(self.application, data.get("start_date"))
            except ValidationError as error:
                self.add_error("start_date", error)
        return data


class StartDateForm(forms.Form):
    """The employer corrects the start date of a hire."""

    start_date = forms.DateField(
        label=_("入职日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("请填写入职日期。"),
            "invalid": _("请按 年-月-日 填写日期。"),
        },
    )

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        self.fields["start_date"].initial = application.start_date

    def clean_start_date(self):
        return followups.check_start_date(self.application, self.cleaned_data["start_date"])


class MessageForm(forms.Form):
    """A message to the applicant on its own: her status and interview details stay as they are."""

    text = forms.CharField(
        label=_("留言内容"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写留言内容。")},
        help_text=_("只发送留言，不改变申请状态；求职者会收到短信或邮件。"),
    )


class NotesForm(forms.Form):
    employer_notes = forms.CharField(
        label=_("内部备注"),
        required=False,
        max_length=2000,
        help_text=_(
            "不显示在求职者的页面上，但她下载自己的数据时可以看到（《个人信息保护法》第四十五条）；"
            "她撤回申请后备注会被删除。"
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
