"""The bureau's phases: create, open a call, review submissions and changes, publish, take down.

Staff act only on their own bureau's catalogs and on postings inside their jurisdiction;
everything is fetched through directory.access helpers (outsiders get 404, other roles 403).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Count, IntegerField, Q, Sum, Window
from django.db.models.fields.json import KT, KeyTextTransform
from django.db.models.functions import Cast, Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from directory import access
from directory.access import require_bureau_staff
from directory.catalog import changes as phase_changes
from directory.catalog import services
from directory.catalog.forms import (
    CallForm,
    CarryForm,
    DecisionForm,
    PhaseForm,
    ReasonForm,
    SubmitForm,
)
from directory.models import (
    Bureau,
    Catalog,
    EntryDecision,
    Phase,
    PhaseEntry,
    PhaseStatus,
    in_jurisdiction_of,
)
from directory.outcomes import figures as outcomes
from directory.search import cache as search_cache
from employers import access as employers_access
from employers import services as employer_services
from employers.choices import Sector, WorkForm
from employers.models import PostingRevision, RevisionStatus
from employers.rules import age_ceilings
from momjobs.lib import search_version

# ---------------------------------------------------------------------------------------------
# Public pages: published phases and open calls


def _published_phases():
    return list(
        Phase.objects.published()
        .select_related("catalog__bureau__jurisdiction__parent__parent")
        .with_post_counts()
        .order_by("-published_at")
    )


@search_cache.cached_page(variant=lambda request: "")
def phase_list(request):
    # Published phases and their post counts change only when a phase is published (which
    # changes the search version): counted once, not on every visit.
    phases = search_version.cached("phase-list", _published_phases)
    return render(request, "directory/phase_list.html", {"phases": phases})


# Entries shown per page of a public phase (a province's phase can hold 10,000).
PHASE_PAGE_SIZE = 50


def _labelled(rows, labels=None):
    labels = labels or {}
    return sorted(
        ((labels.get(k, k), n) for k, n in rows), key=lambda item: (-item[1], str(item[0]))
    )


def phase_summary(phase):
    """The phase's totals and breakdowns, from its frozen snapshots, counted in SQL (a handful
    of GROUP BY queries whatever the size). A published phase's snapshots never change, so its
    figures are counted once and kept (the labels are put on per request, in her language)."""
    key = f"phase-summary:{phase.pk}:{phase.published_at.isoformat()}"
    counted = cache.get(key)
    if counted is None:
        counted = _count_summary(phase)
        cache.set(key, counted, PHASE_SUMMARY_SECONDS)
    return {
        **counted["totals"],
        "by_sector": _labelled(counted["sector"], dict(Sector.choices)),
        "by_form": _labelled(counted["work_form"], dict(WorkForm.choices)),
        "by_district": _labelled(counted["region_name"]),
    }


PHASE_SUMMARY_SECONDS = 30 * 24 * 3600


def _count_summary(phase):
    approved = PhaseEntry.objects.filter(phase=phase, decision=EntryDecision.APPROVED)

    def snap(key):
        return KeyTextTransform(key, "snapshot")

    totals = approved.aggregate(
        posts=Count("pk"),
        openings=Coalesce(Sum(Cast(snap("openings"), IntegerField())), 0),
        employers=Count(snap("employer_id"), distinct=True),
    )

    def grouped(key):
        rows = approved.annotate(k=snap(key)).values("k").annotate(n=Count("pk")).order_by()
        return [(row["k"], row["n"]) for row in rows]

    return {
        "totals": totals,
        **{key: grouped(key) for key in ("sector", "work_form", "region_name")},
    }


@search_cache.cached_page(variant=lambda request: "")
def phase_detail(request, pk):
    phase = get_object_or_404(
        Phase.objects.published().select_related("catalog__bureau__jurisdiction"), pk=pk
    )
    # A published phase shows what it published: the frozen snapshots, not today's postings.
    entries = (
        PhaseEntry.objects.filter(phase=phase, decision=EntryDecision.APPROVED)
        .select_related("posting")
        # In the order of the index entry_phase_employer: a page of a 10,000-entry phase reads
        # its 50 rows, it does not sort them all.
        .order_by(KT("snapshot__employer_name"), "id")
    )
    summary = phase_summary(phase)
    page = _narrow_page(entries, request.GET.get("page"), PHASE_PAGE_SIZE, summary["posts"])
    context = {
        "phase": phase,
        "page": page,
        "entries": page.object_list,
        "posts": summary["posts"],
        "openings": summary["openings"],
        "employer_count": summary["employers"],
        "by_sector": summary["by_sector"],
        "by_form": summary["by_form"],
        "by_district": summary["by_district"],
        "changes": phase_changes.phase_changes(phase),
        # Did its posts work? Totals only, small counts as "<5" (directory/outcomes).
        "outcomes": outcomes.public_phase_totals(phase),
    }
    return render(request, "directory/phase_detail.html", context)


def call_detail(request, pk):
    """The public call for submissions of an open phase."""
    phase = get_object_or_404(
        Phase.objects.filter(status=PhaseStatus.OPEN).select_related("catalog__bureau"), pk=pk
    )
    return render(request, "directory/call_detail.html", {"phase": phase})


# ---------------------------------------------------------------------------------------------
# The bureau's review


@login_required
def review_phase_list(request):
    phases = (
        access.phases_for_staff(request.user)
        .annotate(
            pending=Count("entries", filter=Q(entries__decision=EntryDecision.PENDING)),
            approved=Count("entries", filter=Q(entries__decision=EntryDecision.APPROVED)),
        )
        .order_by("catalog__name", "-number")
    )
    bureaus = Bureau.objects.for_user(request.user)
    form = PhaseForm(catalogs=Catalog.objects.filter(bureau__in=bureaus))
    revisions = PostingRevision.objects.filter(
        in_jurisdiction_of(request.user, "posting__region__path"),
        status=RevisionStatus.PENDING,
    ).count()
    context = {"phases": phases, "form": form, "revisions": revisions}
    return render(request, "review/phase_list.html", context)


@login_required
@require_POST
def phase_create(request):
    require_bureau_staff(request.user)
    bureaus = Bureau.objects.for_user(request.user)
    form = PhaseForm(request.POST, catalogs=Catalog.objects.filter(bureau__in=bureaus))
    if form.is_valid():
        phase = services.phase_create(
            catalog=form.cleaned_data["catalog"],
            title=form.cleaned_data["title"],
            by=request.user,
            carry_over=form.cleaned_data["carry_over"],
        )
        messages.success(request, _("已新建批次。"))
        return redirect("bureau:phase_review", phase.pk)
    messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("bureau:phase_list")


@login_required
def phase_call(request, pk):
    phase = access.get_phase_for_staff(request.user, pk)
    form = CallForm(request.POST or None, instance=phase)
    if request.method == "POST" and form.is_valid():
        try:
            services.phase_open_call(phase=form.instance, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已开始征集，征集页面已公开。"))
            return redirect("bureau:phase_review", phase.pk)
    return render(request, "review/phase_call.html", {"phase": phase, "form": form})


REVIEW_PAGE_SIZE = 50
# The carry-over choice a page at a time: a provincial phase has thousands of postings to carry.
CARRY_PAGE_SIZE = 50


@login_required
def phase_review(request, pk):
    phase = access.get_phase_for_staff(request.user, pk)
    entries = (
        PhaseEntry.objects.filter(phase=phase)
        .select_related("posting__employer", "posting__region")
        .order_by("decision", "posting__employer__name", "id")
    )
    decision = request.GET.get("decision", "")
    sector = request.GET.get("sector", "")
    if decision in EntryDecision.values:
        entries = entries.filter(decision=decision)
    if sector in Sector.values:
        entries = entries.filter(posting__sector=sector)
    counts = dict(
        PhaseEntry.objects.filter(phase=phase)
        .values_list("decision")
        .annotate(n=Count("id"))
        .order_by()
    )
    # A phase imported from a big spreadsheet has thousands of entries: a page at a time.
    entries_page = _narrow_page(entries, request.GET.get("page"), REVIEW_PAGE_SIZE)
    for entry in entries_page.object_list:
        p = entry.posting
        entry.age_ceilings = age_ceilings(" ".join([p.title, p.description, p.requirements]))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "phase": phase,
        "entries": entries_page.object_list,
        "entries_page": entries_page,
        "query": query.urlencode(),
        "counts": counts,
        "decisions": [(v, label, counts.get(v, 0)) for v, label in EntryDecision.choices],
        "sectors": Sector.choices,
        "decision": decision,
        "sector": sector,
        "decision_form": DecisionForm(),
        "changes": phase_changes.phase_changes(phase),
        **_carry_context(phase, request.GET.get("carry_page")),
    }
    return render(request, "review/phase_review.html", context)


def _narrow_page(entries, number, size, count=None):
    """A page of `entries`, sorted and cut on their ids alone, then read whole: sorting a
    provincial phase's thousands of entries with their postings' texts costs more than the
    page itself. The ids and the total come from one query (a window count), or the total is
    `count` when the caller knows it."""
    paginator = Paginator(entries.values_list("pk", flat=True), size)
    try:
        number = max(1, int(number))
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * size
    if count is None:
        rows = list(
            entries.annotate(total=Window(Count("pk"))).values_list("pk", "total")[
                start : start + size
            ]
        )
        total = rows[0][1] if rows else 0
        ids = [pk for pk, _total in rows]
    else:
        ids, total = list(entries.values_list("pk", flat=True)[start : start + size]), count
    if not ids and number > 1:
        # Past the end: the last page, as Paginator.get_page answers.
        return _narrow_page(entries, paginator.num_pages, size, count)
    paginator.count = total  # a cached property: no COUNT query
    found = entries.in_bulk(ids)
    return Page([found[pk] for pk in ids], number, paginator)


def _carry_context(phase, number):
    # The boxes are written by the template (a form's widgets rendered through templates cost a
    # millisecond each); CarryForm checks what comes back.
    source, entries = phase_changes.carry_candidates_query(phase)
    page = _narrow_page(entries, number, CARRY_PAGE_SIZE)
    candidates = page.object_list
    return {
        "carry_source": source,
        "carry_candidates": candidates,
        "carry_page": page,
        "carry_chosen": phase_changes.carried_choice(phase, candidates),
    }


@login_required
@require_POST
def phase_carry(request, pk):
    """Choose which still-open postings of the current published phase carry over."""
    phase = access.get_phase_for_staff(request.user, pk)
    back = reverse("bureau:phase_review", args=[phase.pk])
    page = request.POST.get("carry_page", "")
    if page.isdigit():
        back += f"?carry_page={page}"
    back += "#carry-heading"
    everything = request.POST.get("all")
    if everything in ("carry", "drop"):
        # One tap for the whole list, however many pages it has.
        posting_ids, scope = (None if everything == "carry" else []), None
    else:
        # A page of the form decides for the postings it showed, and only those.
        shown = [int(v) for v in request.POST.getlist("shown") if v.isdigit()]
        _source, entries = phase_changes.carry_candidates_query(phase)
        candidates = entries.filter(posting_id__in=shown) if shown else entries
        form = CarryForm(request.POST, candidates=list(candidates))
        if not form.is_valid():
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
            return redirect(back)
        posting_ids, scope = form.cleaned_data["postings"], (shown or None)
    try:
        carried, dropped = services.phase_carry_over(
            phase=phase, posting_ids=posting_ids, by=request.user, scope=scope
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("已保存：延续 %(carried)s 个岗位，不延续 %(dropped)s 个。")
            % {"carried": carried, "dropped": dropped},
        )
    return redirect(back)


@login_required
@require_POST
def entry_decide(request, pk):
    """Decide one entry; back where the officer was (the list with its filters, or the posting's
    page). A form with a problem is shown again on the posting's page, the error beside its
    field."""
    entry = access.get_entry_for_staff(request.user, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.entry_decide(
                entry=entry,
                decision=form.cleaned_data["decision"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("“%(title)s”：%(decision)s")
                % {"title": entry.posting.title, "decision": entry.get_decision_display()},
            )
            return redirect(_back(request, reverse("bureau:phase_review", args=[entry.phase_id])))
    return _posting_view(request, entry.posting, forms={entry.pk: form}, status=200)


def _back(request, default):
    """The page the officer came from (a review list with its filters), if it is ours."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
@require_POST
def bulk_approve(request, pk):
    phase = access.get_phase_for_staff(request.user, pk)
    ids = [int(i) for i in request.POST.getlist("entries") if i.isdigit()]
    try:
        count = services.entries_bulk_approve(phase=phase, entry_ids=ids, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已通过 %(n)s 个岗位。") % {"n": count})
    return redirect(_back(request, reverse("bureau:phase_review", args=[phase.pk])))


@login_required
def phase_publish(request, pk):
    """A page that says exactly what publishing does (posts in, posts left out and why, who is
    emailed); its button publishes. Publishing cannot be undone."""
    phase = access.get_phase_for_staff(request.user, pk)
    if phase.is_public and request.method != "POST":
        return redirect("phase_detail", phase.pk)
    if request.method == "POST":
        try:
            services.phase_publish(phase=phase, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("bureau:phase_review", phase.pk)
        messages.success(request, _("批次已发布，订阅者将收到邮件摘要。"))
        return redirect("phase_detail", phase.pk)
    return render(request, "review/publish_confirm.html", services.publish_summary(phase=phase))


@login_required
def revision_list(request):
    require_bureau_staff(request.user)
    revisions = (
        PostingRevision.objects.filter(
            in_jurisdiction_of(request.user, "posting__region__path"),
            status=RevisionStatus.PENDING,
        )
        .select_related("posting__employer")
        .order_by("submitted_at")
    )
    rows = []
    for revision in revisions:
        live = employer_services.revision_data(revision.posting)
        changes = [
            (name, live.get(name), value)
            for name, value in revision.data.items()
            if live.get(name) != value
        ]
        rows.append((revision, changes))
    return render(request, "review/revision_list.html", {"rows": rows, "form": ReasonForm()})


@login_required
@require_POST
def revision_decide(request, pk):
    revision = access.get_revision_for_staff(request.user, pk)
    form = ReasonForm(request.POST)
    approve = request.POST.get("approve") == "1"
    if form.is_valid():
        try:
            services.revision_decide(
                revision=revision,
                approve=approve,
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("已处理修改。"))
    return redirect("bureau:revision_list")


@login_required
def posting_view(request, pk):
    """Review on one page: the whole posting as seekers would see it, the rule warnings, the
    employer's verification and history, and the decision for each phase it is in."""
    posting = access.get_posting_for_staff(request.user, pk)
    return _posting_view(request, posting)


def _posting_view(request, posting, forms=None, status=200):
    from employers.quality import badges, meets_minimum_wage, minimum_for
    from momjobs.regions.models import MinimumWage

    minimum = MinimumWage.in_force(posting.region)
    entries = list(posting.phase_entries.select_related("phase").order_by("-phase_id"))
    forms = forms or {}
    for entry in entries:
        entry.can_decide = not entry.phase.is_frozen and entry.decision != EntryDecision.WITHDRAWN
        entry.form = forms.get(entry.pk) or DecisionForm(prefix=None)
    text = " ".join([posting.title, posting.description, posting.requirements])
    context = {
        "posting": posting,
        "badges": badges(posting, minimum),
        "below_minimum": meets_minimum_wage(posting, minimum) is False,
        "minimum_line": minimum_for(posting, minimum),
        "entries": entries,
        "age_ceilings": age_ceilings(text),
        "employer_events": posting.employer.status_events.order_by("-at")[:5],
    }
    return render(request, "review/posting_view.html", context, status=status)


# ---------------------------------------------------------------------------------------------
# An employer submits a posting to an open phase (under /employer/, the employer's pages)


@login_required
def posting_submit(request, pk):
    posting = employers_access.get_posting_for_user(request.user, pk)
    employer = posting.employer
    phases = services.phases_open_to(employer) if employer.can_submit else []
    form = SubmitForm(request.POST or None, phases=phases)
    if request.method == "POST" and form.is_valid():
        try:
            services.posting_submit(
                posting=posting, phase_id=form.cleaned_data["phase"], by=request.user
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("已提交审核。审核结果会通过邮件通知您。"))
            return redirect("employers:posting_preview", posting.pk)
    context = {"posting": posting, "form": form, "phases": phases, "employer": employer}
    return render(request, "employers/posting_submit.html", context)
