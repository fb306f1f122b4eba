from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import EntryDecision, Phase
from employers.choices import Sector


class PhaseForm(forms.Form):
    catalog = forms.ModelChoiceField(label=_("岗位目录"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("批次标题"), max_length=120)
    carry_over = forms.BooleanField(
        label=_("延续当前批次中仍在招聘的岗位"),
        required=False,
        initial=True,
        help_text=_(
            "勾选后，当前已发布批次中仍在招聘的岗位全部带入新批次（视为已审核通过），"
            "可在新批次的审核页面逐个取消。未延续的岗位在新批次发布时结束招聘。"
        ),
    )

    def __init__(self, *args, catalogs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["catalog"].queryset = catalogs


class CallForm(forms.ModelForm):
    sought_sectors = forms.TypedMultipleChoiceField(
        label=_("征集行业"),
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Phase
        fields = ["title", "call_text", "sought_sectors", "submission_deadline"]
        widgets = {
            "call_text": forms.Textarea(attrs={"rows": 6}),
            "submission_deadline": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }
        help_texts = {
            "call_text": _(
                "写明征集什么岗位和条件：弹性工时、劳动强度适中、便于接送孩子、双休等。"
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission_deadline"].required = True
        self.fields["submission_deadline"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        self.fields["call_text"].required = True

    def clean_submission_deadline(self):
        deadline = self.cleaned_data["submission_deadline"]
        if deadline <= timezone.now():
            raise forms.ValidationError(_("截止时间必须晚于现在。"))
        return deadline


class DecisionForm(forms.Form):
    """No decision is chosen for the officer: she picks one, and a refusal or a return states its
    reason, beside the field when it is missing."""

    decision = forms.ChoiceField(
        label=_("审核结果"),
        choices=[
            ("", _("请选择")),
            (EntryDecision.APPROVED, EntryDecision.APPROVED.label),
            (EntryDecision.REJECTED, EntryDecision.REJECTED.label),
            (EntryDecision.CHANGES_REQUESTED, EntryDecision.CHANGES_REQUESTED.label),
        ],
        error_messages={"required": _("请选择审核结果。")},
    )
    reason = forms.CharField(
        label=_("审核意见（不通过或退回修改时必填）"), max_length=500, required=False
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("decision")
            in (
                EntryDecision.REJECTED,
                EntryDecision.CHANGES_REQUESTED,
            )
            and not (data.get("reason") or "").strip()
        ):
            self.add_error("reason", _("不通过或退回修改时必须填写理由。"))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=500, required=False)

    def __init__(self, *args, required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required


class CarryForm(forms.Form):
    """Checks a carry-over choice: the ticked postings must be among `candidates`. The boxes
    themselves are written by templates/review/phase_review.html (a page of 50 at a time)."""

    postings = forms.TypedMultipleChoiceField(label=_("延续的岗位"), coerce=int, required=False)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["postings"].choices = [(e.posting_id, e.posting_id) for e in candidates]


class SubmitForm(forms.Form):
    phase = forms.TypedChoiceField(label=_("提交到批次"), coerce=int)

    def __init__(self, *args, phases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = [
            (
                p.pk,
                _("%(phase)s（%(bureau)s）") % {"phase": p.title, "bureau": p.catalog.bureau.name},
            )
            for p in phases
        ]
