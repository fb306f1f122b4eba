"""The public employer directory (/employers/): verified employers per region, with their live
postings, their recognition and the directory's history of them.

What is public: name, region, sector, size, kind, the unified social credit code (a public
registry number anyone can check), the description, the recognition, the history's dates, kinds
and reasons. Never the licence, the contact person, phone or email, the address or the staff.

Who is shown: verified employers are listed. A removed employer is not listed, but its page
stays reachable (old links, printed catalogs) and says plainly when and why it was removed.
Pending and rejected employers were never in the directory: 404. A rejection's reason is part
of the private verification, so the public history leaves rejections out.
"""

import django_filters
from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Case, Count, F, IntegerField, Value, When
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from directory.search import cache as search_cache
from directory.search.filters import RegionFilter, card_postings, with_quality
from employers.choices import Sector
from employers.models import DirectoryEvent, Employer, EmployerStatus, Posting

PUBLIC_EVENTS = [
    DirectoryEvent.LISTED,
    DirectoryEvent.VERIFIED,
    DirectoryEvent.RECOGNISED,
    DirectoryEvent.REMOVED,
]


def _truthy_only(queryset, name, value):
    return queryset.filter(**{name: True}) if value else queryset


class DirectoryFilter(django_filters.FilterSet):
    # The search's place box: a city or district by its name (or code), a city including its
    # districts. (A list of every place with a listed employer was 3,000 options at national
    # scale: 180 KB a page and a second to build; docs/performance.md.)
    region = RegionFilter(
        label=_("地点"),
        method="filter_region",
        help_text=_("城市或区县，例如 青岛、市南区（含下辖各区县）。"),
        widget=forms.TextInput(attrs={"placeholder": _("城市或区县，例如 青岛")}),
    )
    sector = django_filters.ChoiceFilter(
        label=_("行业"), choices=Sector.choices, empty_label=_("全部行业")
    )
    recognised = django_filters.BooleanFilter(
        label=_("只看获得认定的单位"), widget=forms.CheckboxInput, method="filter_recognised"
    )

    class Meta:
        model = Employer
        fields = []

    def filter_region(self, queryset, name, region):
        if region is None:
            return queryset
        return queryset.filter(region__path__startswith=region.path)

    def filter_recognised(self, queryset, name, value):
        return queryset.exclude(recognition="") if value else queryset


def listed_employers():
    return (
        Employer.objects.verified()
        .select_related("region__parent__parent")
        .annotate(
            # Recognised employers first (highlighted), then by name.
            plain=Case(
                When(recognition="", then=Value(1)), default=Value(0), output_field=IntegerField()
            ),
        )
        .order_by("plain", F("recognised_year").desc(nulls_last=True), "name", "pk")
    )


def with_live_counts(employers):
    """Each employer of a page with `live_postings`: one GROUP BY over these employers' posts
    only. (Counting inside the directory's query made every page aggregate every posting of
    every employer: 7 s a page at a million postings.)"""
    employers = list(employers)
    counts = dict(
        Posting.objects.live()
        .filter(employer_id__in=[e.pk for e in employers])
        .values("employer_id")
        .annotate(n=Count("employer_id"))  # (not the pk: the count reads the index alone)
        .order_by()
        .values_list("employer_id", "n")
    )
    for employer in employers:
        employer.live_postings = counts.get(employer.pk, 0)
    return employers


def _query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_safe
@search_cache.cached_page(variant=lambda request: "")
def employer_directory(request):
    search = DirectoryFilter(request.GET or None, queryset=listed_employers())
    page = Paginator(search.qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = with_live_counts(page.object_list)
    context = {"filter": search, "page": page, "query": _query_without_page(request)}
    return render(request, "employers_public/directory.html", context)


@require_safe
@search_cache.cached_page(variant=lambda request: "")
def employer_public(request, pk):
    employer = get_object_or_404(
        Employer.objects.with_public_page().select_related("region__parent__parent"),
        pk=pk,
    )
    events = employer.status_events.filter(kind__in=PUBLIC_EVENTS).order_by("-at", "-id")
    context = {"employer": employer, "events": events}
    if employer.status == EmployerStatus.REMOVED:
        return render(request, "employers_public/removed.html", context)
    postings = card_postings().filter(employer=employer)
    page = Paginator(postings, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = with_quality(page.object_list)
    context["page"] = page
    return render(request, "employers_public/employer.html", context)
