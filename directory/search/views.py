from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from directory.models import Phase, PhaseEntry, PhaseStatus
from directory.search import cache as search_cache
from directory.search import structured, summary
from directory.search.filters import PostingFilter, card_postings, relax_suggestion, with_quality
from employers import schedule as sched
from employers.models import Posting
from employers.quality import badges, meets_minimum_wage, minimum_for
from momjobs.lib import hours, search_version
from momjobs.lib.links import absolute_url
from momjobs.regions import lookup
from momjobs.regions.forms import display
from momjobs.regions.models import MinimumWage
from momjobs.users.services import profile_save_free_windows


def _results_variant(request):
    return request.headers.get("X-Partial", "")


@search_cache.cached_page(variant=_results_variant)
def job_list(request):
    search = PostingFilter(request.GET or None, queryset=Posting.objects.live())
    results = search_cache.SearchResults(search, cards=card_postings())
    paginator = Paginator(results, settings.PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = with_quality(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": search,
        "page": page,
        "query": query.urlencode(),
        "my_fits": _profile_fits(request.user),
        "suggestion": relax_suggestion(search, query)
        if not page.object_list and search.is_bound
        else None,
        "pay_note": search.pay_note(),
        "more_open": _more_filters_used(search),
        "searched": bool(set(request.GET) - {"page"}),
        "chips": summary.chips(search, query),
        "picker_open": bool(
            {"days", "start", "end", "fits"} & (set(request.GET) | set(search.form.errors))
        ),
        # "Save these hours as mine": only when the search names hours and they are not hers.
        "can_save_hours": _can_save_hours(request.user, search),
    }
    # With JavaScript the form asks only for the results fragment (a template partial).
    template = "directory/job_list.html"
    if request.headers.get("X-Partial") == "results":
        template += "#results"
    response = render(request, template, context)
    patch_vary_headers(response, ["X-Partial"])
    return response


def _can_save_hours(user, search):
    if user.is_authenticated and not user.is_seeker:
        return False
    try:
        windows = sched.windows_from_data(search.free_windows() or [])
    except ValidationError:
        return False
    return bool(windows) and sched.format_fits(windows) != _profile_fits(user)


@login_required
def save_hours(request):
    """The hours of a search, saved as her free hours: a page that shows them and a button.
    Signed out, she signs in or up first and comes back here (a GET, so `next` can hold it)."""
    if not request.user.is_seeker:
        raise PermissionDenied
    query = QueryDict((request.POST.get("query") or request.GET.get("query") or "")[:1000])
    search = PostingFilter(query, queryset=Posting.objects.none())
    try:
        windows = sched.windows_from_data(search.free_windows() or [])
    except ValidationError:
        windows = []
    back = reverse("job_list") + ("?" + query.urlencode() if query else "")
    if not windows:
        messages.info(request, _("这次搜索没有选择时间，没有可以保存的空闲时间。"))
        return redirect(back)
    if request.method == "POST":
        profile_save_free_windows(user=request.user, windows=windows)
        messages.success(request, _("已保存为您的空闲时间。以后搜索时点“我的空闲时间”即可。"))
        return redirect(back)
    context = {"described": sched.describe(windows), "query": query.urlencode(), "back": back}
    return render(request, "directory/save_hours.html", context)


# The filters folded under "更多条件" on the search page.
MORE_FILTERS = {"sector", "form", "place", "pay_min", "pay_unit", "contract", "insurance", "phase"}


def _more_filters_used(search):
    """Open the folded filters when one of them narrows the search, has an error, or the order
    is not the default."""
    if not search.is_bound:
        return False
    used = set(search.active_filters()) | set(search.form.errors)
    return bool(used & MORE_FILTERS) or search.form.cleaned_data.get("sort") not in (None, "")


def _profile_fits(user):
    """A signed-in seeker's free hours as a `fits` value, for the one-tap link."""
    if not (user.is_authenticated and user.is_seeker):
        return None
    profile = getattr(user, "seeker_profile", None)
    if profile is None or not profile.free_windows:
        return None
    try:
        return sched.format_fits(sched.windows_from_data(profile.free_windows))
    except ValidationError:
        return None


def _latest_phases():
    return list(
        Phase.objects.published()
        .select_related("catalog__bureau__jurisdiction__parent__parent")
        .with_post_counts()
        .order_by("-published_at", "-pk")[:6]
    )


@search_cache.cached_page(variant=lambda request: "")
def home(request):
    # The latest phases change only with what seekers can find: kept under the search version.
    # The live posts are counted as they change (LiveTally), not on every visit (a million
    # posts: half a second).
    phases = search_version.cached("home-phases", _latest_phases)
    calls = Phase.objects.open_for_submissions().select_related("catalog__bureau")[:6]
    live = Posting.objects.live_count()
    context = {
        "phases": phases,
        "calls": calls,
        "live": live,
        "presets": hours.PRESETS,
        # Her district fills the place in (else her last search does, static/js/search.js).
        "place": display(_profile_district(request.user)),
    }
    return render(request, "directory/home.html", context)


def _profile_district(user):
    if not (user.is_authenticated and user.is_seeker):
        return None
    profile = getattr(user, "seeker_profile", None)
    return profile.district if profile is not None else None


@search_cache.cached_page(variant=lambda request: "")
def posting_detail(request, pk):
    posting = get_object_or_404(
        Posting.objects.select_related("employer", "region__parent__parent").prefetch_related(
            Prefetch(
                "phase_entries",
                queryset=PhaseEntry.objects.filter(
                    phase__status__in=[PhaseStatus.PUBLISHED, PhaseStatus.SUPERSEDED]
                ).select_related("phase"),
                to_attr="public_entries",
            )
        ),
        pk=pk,
    )
    if not posting.is_public:
        raise Http404
    minimum = MinimumWage.in_force(posting.region)
    schedule_text = posting.schedule_text()
    context = {
        "posting": posting,
        "jsonld": structured.as_script_json(structured.job_posting(posting, schedule_text)),
        "canonical": absolute_url(request.path),
        "badges": badges(posting, minimum),
        "below_minimum": meets_minimum_wage(posting, minimum) is False,
        "minimum_line": minimum_for(posting, minimum),
        "phases": [e.phase for e in posting.public_entries],
        "similar": similar_postings(posting),
    }
    return render(request, "directory/posting_detail.html", context)


SIMILAR_COUNT = 4


def similar_postings(posting):
    """A few live posts of the same sector in the same city, newest first, for the bottom of a
    posting's page. The ids are kept per city and sector under the search version (any change
    that could alter them bumps it): every post of that city and sector shares them, so a page
    never seen before costs one query for the cards, not a scan."""
    parts = posting.region.path.strip("/").split("/")
    city = lookup.by_code(parts[1] if len(parts) > 1 else parts[0]) or posting.region
    key = f"similar:{search_version.current()}:{city.pk}:{posting.sector}"
    ids = cache.get(key)
    if ids is None:
        # The city's region ids, as the search does: the posts of one city are read, not a
        # walk through every live post in the country (docs/performance.md). One more than
        # shown, so a post among the newest still has SIMILAR_COUNT others.
        ids = list(
            Posting.objects.live()
            .filter(sector=posting.sector, region_id__in=lookup.ids_within(city))
            .order_by("-published_at", "-id")
            .values_list("pk", flat=True)[: SIMILAR_COUNT + 1]
        )
        cache.set(key, ids, SIMILAR_CACHE_SECONDS)
    ids = [pk for pk in ids if pk != posting.pk][:SIMILAR_COUNT]
    if not ids:
        return []
    cards = {p.pk: p for p in card_postings().filter(pk__in=ids)}
    return with_quality(cards[pk] for pk in ids if pk in cards)


SIMILAR_CACHE_SECONDS = 24 * 3600


@require_safe
def robots_txt(request):
    # The back offices and sign-in pages, in both languages; the admin has no /en/ twin.
    private = ("/accounts/", "/employer/", "/bureau/")
    lines = ["User-agent: *", "Disallow: /admin/"]
    lines += [f"Disallow: {prefix}{path}" for prefix in ("", "/en") for path in private]
    lines.append(f"Sitemap: {absolute_url(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
