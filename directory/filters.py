import django_filters
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from employers.choices import Sector, WorkForm
from employers.models import Posting
from employers.text import tokens
from momjobs.regions.models import Region


class PostingFilter(django_filters.FilterSet):
    """Search over live postings. Every parameter is a GET parameter, so a search is a link."""

    q = django_filters.CharFilter(label=_("关键词"), method="filter_q")
    region = django_filters.CharFilter(label=_("地区代码"), method="filter_region")
    sector = django_filters.ChoiceFilter(label=_("行业"), choices=Sector.choices)
    form = django_filters.ChoiceFilter(
        label=_("用工形式"), field_name="work_form", choices=WorkForm.choices
    )

    class Meta:
        model = Posting
        fields = []

    def filter_q(self, queryset, name, value):
        words = tokens(value[:200])[:20]
        if not words:
            return queryset
        # Segmented words ANDed, each a plain lexeme in the `simple` configuration.
        query = None
        for word in dict.fromkeys(words):
            part = SearchQuery(word, config="simple", search_type="plain")
            query = part if query is None else query & part
        return (
            queryset.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "-published_at", "-id")
        )

    def filter_region(self, queryset, name, value):
        region = Region.objects.filter(code=value.strip()).first()
        if region is None:
            self.unknown_region = value
            return queryset
        self.region_obj = region
        return queryset.in_region(region)
