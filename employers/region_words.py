"""The SQL that rewrites postings' region search words exactly as Posting.prepare() writes them
(employers.text.region_terms, docs/decisions/0005-region-words.md).

Migration 0008 keeps its own frozen copy of this statement, as migrations must;
tests/test_search.py checks the two are still the same and that both equal prepare().
"""

# The words without any region word: what `tokens()` keeps.
WORDS = r"ltrim(regexp_replace(p.search_text, '(^| )rgn[0-9a-z]+(?= |$)', '', 'g'), ' ')"
# The region words of the posting's region, as region_terms() writes them (with a leading space).
REGION = r"lower(regexp_replace(trim(BOTH '/' FROM r.path), '(^|/)', ' rgn', 'g'))"

# Exactly Posting.prepare()'s "<words> rgn370000 rgn370200 rgn370202". Built from the constants
# above only (no input reaches it; region ids are passed as parameters by the caller).
REFRESH = f"""
UPDATE employers_posting AS p
SET search_text = {WORDS} || {REGION}
FROM regions_region AS r
WHERE r.id = p.region_id AND p.search_text IS DISTINCT FROM {WORDS} || {REGION}
"""  # noqa: S608
