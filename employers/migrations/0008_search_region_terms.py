"""Region words in every posting's search text (Posting.prepare, employers.text.region_terms).

"/370000/370200/370202/" adds "rgn370000 rgn370200 rgn370202": a word searched in a city is then
one lookup in the text index (docs/performance.md). One UPDATE over the table; on a million
postings it rewrites every row (about 3 minutes and twice the table's size on disk while it runs).
"""

from django.db import migrations

# The same text as Posting.prepare: "<words> rgn370000 rgn370200 rgn370202" (lower() as region_term).
ADD = r"""
UPDATE employers_posting AS p
SET search_text = p.search_text || lower(
    regexp_replace(trim(BOTH '/' FROM r.path), '(^|/)', ' rgn', 'g')
)
FROM regions_region AS r
WHERE r.id = p.region_id AND p.search_text !~ ' rgn[0-9a-z]+$'
"""

# Trimmed back: everything from the first region word to the end.
REMOVE = r"""
UPDATE employers_posting
SET search_text = regexp_replace(search_text, '( +rgn[0-9a-z]+)+$', '')
WHERE search_text ~ ' rgn[0-9a-z]+$'
"""


class Migration(migrations.Migration):
    dependencies = [
        ("employers", "0007_bureau_tools"),
        ("regions", "0001_initial"),
    ]

    operations = [migrations.RunSQL(ADD, REMOVE)]
