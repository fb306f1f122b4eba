"""What the employers app does when a lower app tells it something changed."""

from momjobs.lib import search_version

from .models import Posting


def rewrite_region_words(sender, region_ids, **kwargs):
    """A district moved to another city: its postings' region search words follow, and cached
    search results are dropped (what a search finds in those regions changed)."""
    Posting.objects.refresh_region_terms(region_ids)
    search_version.bump()


def public_row_saved(sender, instance, **kwargs):
    """A posting or employer the public can see was saved (by a service, or in the admin): the
    cached public pages and search results keyed by the search version are dropped. Drafts
    change nothing the public sees, so they do not churn the cache."""
    # An employer may have just left the directory: any employer save counts (they are rare).
    if sender is not Posting or instance.published_at is not None:
        search_version.bump()
