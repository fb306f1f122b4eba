"""News from the regions app to the apps above it, which it may not import.

`regions_moved` is sent inside load_regions' transaction with the ids of regions whose place in
the tree changed (a district moved to another city): postings carry their regions' codes as
search words, so the employers app rewrites them (employers/apps.py connects the receiver).
"""

from django.dispatch import Signal

regions_moved = Signal()  # kwargs: region_ids
