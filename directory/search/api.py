"""Read-only JSON API, /api/v1/. Same filters as /jobs/; fields from explicit allow-lists so no
applicant, staff or contact data can leak. Documented in docs/api.md.
"""

from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_GET

from directory.models import EntryDecision, Phase
from directory.search import cache as search_cache
from directory.search.filters import PostingFilter, live_postings
from employers.models import Posting
from momjobs.lib.links import absolute_url

MAX_PAGE_SIZE = 100


def posting_json(posting):
    """The public facts of a posting. Adding a field here is a deliberate act: it is public."""
    region = posting.region
    return {
        "id": posting.pk,
        "url": absolute_url(posting),
        "title": posting.title,
        "description": posting.description,
        "requirements": posting.requirements,
        "sector": posting.sector,
        "work_form": posting.work_form,
        "place": posting.place,
        "openings": posting.openings,
        "employer": {"id": posting.employer_id, "name": posting.employer.name},
        "region": {"code": region.code, "name": region.name, "full_name": region.full_name},
        "address": posting.address,
        "schedule": {
            "flexible_hours": posting.flexible_hours,
            "windows": posting.schedule,
            "weekly_hours": round(posting.weekly_minutes / 60, 2)
            if posting.weekly_minutes
            else None,
            "note": posting.schedule_note,
        },
        "pay": {
            "min": str(posting.pay_min),
            "max": str(posting.pay_max),
            "unit": posting.pay_unit,
            "hourly_min": str(posting.hourly_min) if posting.hourly_min is not None else None,
            "hourly_max": str(posting.hourly_max) if posting.hourly_max is not None else None,
        },
        "rights": {
            "contract": posting.contract,
            "insurance": posting.insurance,
            "training": posting.training,
            "career_route": posting.career_route,
            "school_run": posting.school_run,
            "weekends_off": posting.weekends_off,
            "childcare_leave": posting.childcare_leave,
            "no_forced_overtime": posting.no_forced_overtime,
        },
        "published_at": posting.published_at.isoformat() if posting.published_at else None,
        "valid_through": posting.valid_through.isoformat() if posting.valid_through else None,
    }


def _page_size(request):
    try:
        size = int(request.GET.get("page_size", settings.PAGE_SIZE))
    except ValueError:
        size = settings.PAGE_SIZE
    return max(1, min(size, MAX_PAGE_SIZE))


def _paginated(request, queryset, serialise, extra=None):
    paginator = Paginator(queryset, _page_size(request))
    try:
        number = int(request.GET.get("page", 1))
    except ValueError:
        number = 1
    try:
        page = paginator.page(number)
    except EmptyPage:
        page = None

    def link(n):
        params = request.GET.copy()
        params["page"] = n
        return f"{settings.SITE_URL}{request.path}?{params.urlencode()}"

    body = {
        "count": paginator.count,
        "page": number,
        "next": link(number + 1) if page and page.has_next() else None,
        "previous": link(number - 1) if page and page.has_previous() else None,
        "results": [serialise(item) for item in page.object_list] if page else [],
    }
    body.update(extra or {})
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


@require_GET
@search_cache.cached_page(variant=lambda request: "")
def postings(request):
    search = PostingFilter(request.GET or None, queryset=Posting.objects.live())
    errors = (
        {name: [str(e) for e in errs] for name, errs in search.form.errors.items()}
        if search.is_bound
        else {}
    )
    # The same cached results as /jobs/; the JSON needs no phase lines.
    results = search_cache.SearchResults(search, cards=Posting.objects.live().with_cards())
    return _paginated(request, results, posting_json, {"errors": errors} if errors else None)


@require_GET
def posting(request, pk):
    item = get_object_or_404(live_postings(), pk=pk)
    return JsonResponse(posting_json(item), json_dumps_params={"ensure_ascii": False})


def phase_json(phase):
    bureau = phase.catalog.bureau
    return {
        "id": phase.pk,
        "url": absolute_url(phase),
        "title": phase.title,
        "number": phase.number,
        "status": phase.status,
        "catalog": {"id": phase.catalog_id, "name": phase.catalog.name},
        "bureau": {"name": bureau.name, "region_code": bureau.jurisdiction.code},
        "published_at": phase.published_at.isoformat() if phase.published_at else None,
        "postings": phase.posts,
        "postings_api": f"{absolute_url(reverse('api_postings'))}?phase={phase.pk}",
    }


@require_GET
@search_cache.cached_page(variant=lambda request: "")
def phases(request):
    queryset = (
        Phase.objects.published()
        .select_related("catalog__bureau__jurisdiction")
        .annotate(posts=Count("entries", filter=Q(entries__decision=EntryDecision.APPROVED)))
        .order_by("-published_at", "-id")
    )
    return _paginated(request, queryset, phase_json)
