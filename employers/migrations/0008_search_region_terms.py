"""Region words in every posting's search text (Posting.prepare, employers.text.region_terms).

"/370000/370200/370202/" adds "rgn370000 rgn370200 rgn370202": a word searched in a city is then
one lookup in the text index (docs/decisions/0005-region-words.md). Words of that shape already
in a posting's own text are dropped, as `employers.text.tokens` now drops them. One UPDATE over
the table; on a million postings it rewrites every row (minutes, and twice the table's size on
disk while it runs). `manage.py refresh_region_words` runs the same statement again (after a
deploy, for postings saved by the old code meanwhile).
"""

from django.db import migrations

# The words without any region word: what `tokens()` keeps.
WORDS = r"ltrim(regexp_replace(p.search_text, '(^| )rgn[0-9a-z]+(?= |$)', '', 'g'), ' ')"
# The region words of the posting's region, as region_terms() writes them (with a leading space).
REGION = r"lower(regexp_replace(trim(BOTH '/' FROM r.path), '(^|/)', ' rgn', 'g'))"

# Exactly Posting.prepare()'s "<words> rgn370000 rgn370200 rgn370202" (tested).
ADD = f"""
UPDATE employers_posting AS p
SET search_text = {WORDS} || {REGION}
FROM regions_region AS r
WHERE r.id = p.region_id AND p.search_text IS DISTINCT FROM {WORDS} || {REGION}
"""

REMOVE = f"""
UPDATE employers_posting AS p
SET search_text = {WORDS}
WHERE p.search_text ~ '(^| )rgn[0-9a-z]+( |$)'
"""


class Migration(migrations.Migration):
    dependencies = [
        ("employers", "0007_bureau_tools"),
        ("regions", "0001_initial"),
    ]

    operations = [migrations.RunSQL(ADD, REMOVE)]
