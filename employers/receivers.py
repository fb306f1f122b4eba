"""What the employers app does when a lower app tells it something changed."""

from momjobs.lib import search_version

from .models import Posting


def rewrite_region_words(sender, region_ids, **kwargs):
    """A district moved to another city: its postings' region search words follow, and cached
    search results are dropped (what a search finds in those regions changed)."""
    Posting.objects.refresh_region_terms(region_ids)
    search_version.bump()
