"""Atom feeds: the postings of a catalog's published phases, and the live postings of a region
(a province or city includes everything below it, as the search's region filter does).

Newest first, at most FEED_ITEMS entries, links absolute with settings.SITE_URL. Titles are
plain text in Atom; summaries are `type="html"`, so text that employers wrote is escaped.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from directory.models import Catalog, EntryDecision, Phase, PhaseEntry
from directory.models import PhaseStatus as Status
from employers.models import Posting, PostingStatus
from employers.templatetags.jobs import (
    contract_label,
    form_label,
    insurance_label,
    pay_range,
    schedule_text,
    sector_label,
)
from momjobs.lib.links import absolute_url
from momjobs.regions.models import Region

FEED_ITEMS = 50
PUBLIC = (Status.PUBLISHED, Status.SUPERSEDED)


def summary(facts, place):
    """One line of the facts a mother decides on; `facts` is a snapshot or a posting."""
    get = facts.get if isinstance(facts, dict) else lambda name: getattr(facts, name, None)
    text = _(
        "薪酬：%(pay)s；工时：%(hours)s；地点：%(place)s；用工形式：%(form)s；"
        "合同：%(contract)s；社保：%(insurance)s"
    ) % {
        "pay": pay_range(facts),
        "hours": schedule_text(facts),
        "place": place,
        "form": form_label(get("work_form")),
        "contract": contract_label(get("contract")),
        "insurance": insurance_label(get("insurance")),
    }
    return escape(text)


def catalogs_with_public_phases():
    return Catalog.objects.filter(
        Exists(Phase.objects.published().filter(catalog=OuterRef("pk")))
    ).select_related("bureau")


class AtomFeed(Feed):
    feed_type = Atom1Feed

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        # xml:lang as BCP 47 writes it (the page's own lang attribute says zh-Hans too).
        code = get_language() or settings.LANGUAGE_CODE
        feed.feed["language"] = "zh-Hans" if code == "zh-hans" else code
        return feed


class CatalogFeed(AtomFeed):
    """Postings published in the catalog's phases, newest phase first (a posting carried over
    into a later phase appears once, with that phase)."""

    def get_object(self, request, pk):
        catalog = get_object_or_404(catalogs_with_public_phases(), pk=pk)
        catalog.latest_phase = catalog.phases.published().order_by("-published_at").first()
        if catalog.latest_phase is None:  # published between the two queries? then gone
            raise Http404
        return catalog

    def title(self, catalog):
        return _("%(catalog)s：最新岗位") % {"catalog": catalog.name}

    def subtitle(self, catalog):
        return _("%(bureau)s发布的妈妈岗目录中的岗位，最新发布的在前。") % {
            "bureau": catalog.bureau.name
        }

    def link(self, catalog):
        return absolute_url(reverse("phase_detail", args=[catalog.latest_phase.pk]))

    def feed_url(self, catalog):
        return absolute_url(reverse("feed_catalog", args=[catalog.pk]))

    def author_name(self, catalog):
        return catalog.bureau.name

    def items(self, catalog):
        entries = (
            PhaseEntry.objects.filter(
                phase__catalog=catalog, phase__status__in=PUBLIC, decision=EntryDecision.APPROVED
            )
            .exclude(posting__status=PostingStatus.TAKEN_DOWN)
            .select_related("phase")
            .order_by("-phase__published_at", "-id")[: FEED_ITEMS * 3]
        )
        seen, items = set(), []
        for entry in entries:
            if entry.posting_id not in seen:
                seen.add(entry.posting_id)
                items.append(entry)
        return items[:FEED_ITEMS]

    def item_title(self, entry):
        s = entry.snapshot or {}
        return _("%(title)s · %(employer)s") % {
            "title": s.get("title", ""),
            "employer": s.get("employer_name", ""),
        }

    def item_link(self, entry):
        return absolute_url(reverse("posting_detail", args=[entry.posting_id]))

    def item_description(self, entry):
        s = entry.snapshot or {}
        place = " ".join(filter(None, [s.get("region_name", ""), s.get("address", "")]))
        return summary(s, place)

    def item_pubdate(self, entry):
        return entry.phase.published_at

    def item_updateddate(self, entry):
        return entry.phase.published_at

    def item_author_name(self, entry):
        return (entry.snapshot or {}).get("employer_name", "")

    def item_categories(self, entry):
        sector = (entry.snapshot or {}).get("sector")
        return [sector_label(sector)] if sector else []


class RegionFeed(AtomFeed):
    """Live postings in a region and everything below it, newest first."""

    def get_object(self, request, code):
        return get_object_or_404(Region.objects.select_related("parent__parent"), code=code)

    def title(self, region):
        return _("%(region)s：正在招聘的妈妈岗") % {"region": region.full_name}

    def subtitle(self, region):
        return _("%(region)s及下辖各地正在招聘的岗位，最新发布的在前。") % {
            "region": region.full_name
        }

    def link(self, region):
        return absolute_url(reverse("job_list") + "?" + urlencode({"region": region.code}))

    def feed_url(self, region):
        return absolute_url(reverse("feed_region", args=[region.code]))

    def author_name(self, region):
        return _("妈妈岗服务平台")

    def items(self, region):
        # The ids first, as the search does (directory/search/filters.py: filter_region).
        within = list(Region.objects.within(region).values_list("pk", flat=True))
        return (
            Posting.objects.live()
            .filter(region_id__in=within)
            .with_cards()
            .order_by("-published_at", "-id")[:FEED_ITEMS]
        )

    def item_title(self, posting):
        return _("%(title)s · %(employer)s") % {
            "title": posting.title,
            "employer": posting.employer.name,
        }

    def item_link(self, posting):
        return absolute_url(reverse("posting_detail", args=[posting.pk]))

    def item_description(self, posting):
        place = " ".join(filter(None, [posting.region.full_name, posting.address]))
        return summary(posting, place)

    def item_pubdate(self, posting):
        return posting.published_at

    def item_updateddate(self, posting):
        return max(filter(None, [posting.published_at, posting.updated_at]))

    def item_author_name(self, posting):
        return posting.employer.name

    def item_categories(self, posting):
        return [sector_label(posting.sector)]
