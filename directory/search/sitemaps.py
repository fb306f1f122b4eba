"""The sitemap: the public pages, the published phases and the live postings.

Links use settings.SITE_URL (as feeds and QR codes do), not the host of the request. Postings are
paged, POSTINGS_PER_PAGE per page, by ranges of ids, so a million of them make a thousand files
listed by one index (/sitemap.xml); each posting's Chinese URL carries its English twin as an
hreflang alternate. The small sections list both languages (Django's i18n sitemaps).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from directory.models import Phase
from employers.models import Posting
from momjobs.lib.links import absolute_url

# 1,000 URLs a file (the protocol allows 50,000): each file about 280 KB (80 gzipped) with its
# English alternates, served from the cache at half the trivial view's rate and rendered in about
# 50 ms when not; 10,000 a file made 2.8 MB files that crawlers fetch at 7 % of that rate and
# that took half a second to render (docs/performance.md). A million postings: 1,000 files.
POSTINGS_PER_PAGE = 1_000


class SiteSitemap(Sitemap):
    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class PagesSitemap(SiteSitemap):
    i18n = True
    alternates = True
    changefreq = "daily"

    def items(self):
        return ["home", "job_list", "phase_list"]

    def location(self, name):
        return reverse(name)


class PhaseSitemap(SiteSitemap):
    i18n = True
    alternates = True

    def items(self):
        return Phase.objects.published().order_by("pk").only("pk", "published_at", "superseded_at")

    def location(self, phase):
        return reverse("phase_detail", args=[phase.pk])

    def lastmod(self, phase):
        return phase.superseded_at or phase.published_at


class _RangePage:
    def __init__(self, object_list):
        self.object_list = object_list


class PkRangePaginator:
    """Sitemap pages by ranges of ids: page n lists the live postings with ids in
    [(n - 1) * size + 1, n * size], so any page is one index range scan, never an OFFSET past
    hundreds of thousands of rows (7 s for a deep page at a million postings). A page holds at
    most `size` URLs (the protocol allows 50,000); pages with none are still valid, empty."""

    def __init__(self, queryset, size):
        self.queryset = queryset
        self.size = size

    @property
    def num_pages(self):
        last = self.queryset.order_by("-pk").values_list("pk", flat=True).first()
        return max(1, -(-(last or 0) // self.size))

    def page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger from None
        if number < 1 or number > self.num_pages:
            raise EmptyPage
        low = (number - 1) * self.size
        return _RangePage(self.queryset.filter(pk__gt=low, pk__lte=low + self.size))


class PostingSitemap(SiteSitemap):
    """The live postings, for the index (how many files); the files themselves are written by
    `postings_section`."""

    limit = POSTINGS_PER_PAGE

    @property
    def paginator(self):
        return PkRangePaginator(self.items(), self.limit)

    def items(self):
        return Posting.objects.live().order_by("pk").values_list("pk", "updated_at", named=True)

    def get_latest_lastmod(self):
        # Django's default reads every item; the index does without it.
        return None


_HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)
_MARK = 987654321


def postings_section(request):
    """A file of the postings' sitemap, written directly: Django's sitemap machinery (three
    `reverse()` and two language switches per URL, then a template) took 0.14 ms a URL, 140 ms a
    file of 1,000. Each posting's Chinese URL with its English twin as an hreflang alternate and
    its last change as lastmod (the day in the site's time zone), as Django's would."""
    sitemap = PostingSitemap()
    try:
        page = sitemap.paginator.page(request.GET.get("p", 1))
    except (EmptyPage, PageNotAnInteger):
        raise Http404 from None
    base = f"{sitemap.get_protocol()}://{sitemap.get_domain()}"
    # Each language's URL of a posting from one reverse(): "https://…/en/jobs/{pk}/".
    urls = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            url = escape(base + reverse("posting_detail", args=[_MARK]))
        urls[code] = url.replace(str(_MARK), "{pk}")
    main = urls[settings.LANGUAGE_CODE]
    alternates = "".join(
        f'<xhtml:link rel="alternate" hreflang="{code}" href="{url}"/>'
        for code, url in urls.items()
    )
    row = f"<url><loc>{main}</loc><lastmod>{{day}}</lastmod>{alternates}</url>"
    body = "".join(
        row.format(pk=pk, day=timezone.localtime(updated).date().isoformat())
        for pk, updated in page.object_list
    )
    response = HttpResponse(_HEADER + body + "\n</urlset>\n", content_type="application/xml")
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response


SITEMAPS = {"pages": PagesSitemap, "phases": PhaseSitemap, "postings": PostingSitemap}


def index(request):
    """The sitemap index: every page of every section, with SITE_URL links."""
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        url = absolute_url(reverse("sitemap_section", kwargs={"section": section}))
        entries.append(SitemapIndexItem(url, sitemap.get_latest_lastmod()))
        pages = sitemap.paginator.num_pages
        entries += [SitemapIndexItem(f"{url}?p={n}") for n in range(2, pages + 1)]
    response = TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response
