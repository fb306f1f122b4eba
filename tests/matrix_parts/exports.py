"""Permission-matrix rows for the routes of one feature (see tests/matrix_base.py for Row and
the personas, tests/test_permission_matrix.py for the world the rows run in).

Phase downloads (PDF, XLSX, print page), the Atom feeds, the sitemap and robots.txt: public to
everyone for public phases (published or superseded), 404 for any other phase whoever asks;
reads only (405 for other methods). The unverified officer is held on the two-factor setup
page, as everywhere. The PDF and XLSX rows render the documents on first request (the world
publishes without running the on-commit rendering), then serve the stored files.

MATRIX: route name -> rows, as in the main table. CASES: case name -> function(world, client)
returning URL kwargs; it may create the objects it needs (world.personas holds the personas,
world.objects the shared objects)."""

from tests.matrix_base import LOGIN, PERSONAS, SETUP, Redirect, Row  # noqa: F401


# fmt: off
#                                anon    seek_a  seek_b  empl_a  empl_b  bur_in  bur_out admin   bur_no2fa
def _phase_rows():
    return [
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP), case="published_phase"),
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP), case="superseded_phase"),
        Row("POST",             (405,    405,    405,    405,    405,    405,    405,    405,    SETUP), case="published_phase"),
        # Not public, whoever asks (its own bureau's officers too).
        Row("GET",              (404,    404,    404,    404,    404,    404,    404,    404,    SETUP), case="open_phase"),
        Row("GET",              (404,    404,    404,    404,    404,    404,    404,    404,    SETUP), case="draft_phase"),
        Row("GET",              (404,    404,    404,    404,    404,    404,    404,    404,    SETUP), case="missing_id"),
    ]


MATRIX = {
    "phase_pdf": _phase_rows(),
    "phase_xlsx": _phase_rows(),
    "phase_print": _phase_rows(),
    "feed_catalog": [
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP), case="feed_catalog_public"),
        Row("POST",             (405,    405,    405,    405,    405,    405,    405,    405,    SETUP), case="feed_catalog_public"),
        # Linyi's catalog has an open phase only: nothing public yet.
        Row("GET",              (404,    404,    404,    404,    404,    404,    404,    404,    SETUP), case="feed_catalog_unpublished"),
        Row("GET",              (404,    404,    404,    404,    404,    404,    404,    404,    SETUP), case="missing_id"),
    ],
    "feed_region": [
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP), case="feed_region_qingdao"),
        # A region with nothing live is an empty feed, not an error.
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP), case="feed_region_beijing"),
        Row("POST",             (405,    405,    405,    405,    405,    405,    405,    405,    SETUP), case="feed_region_qingdao"),
        Row("GET",              (404,    404,    404,    404,    404,    404,    404,    404,    SETUP), case="feed_region_unknown"),
    ],
    # Outside the language prefix.
    "sitemap": [
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP)),
        Row("POST",             (405,    405,    405,    405,    405,    405,    405,    405,    SETUP)),
    ],
    "sitemap_section": [
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP), case="sitemap_postings"),
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP), case="sitemap_phases"),
        Row("POST",             (405,    405,    405,    405,    405,    405,    405,    405,    SETUP), case="sitemap_postings"),
        Row("GET",              (404,    404,    404,    404,    404,    404,    404,    404,    SETUP), case="sitemap_unknown"),
    ],
    # The postings' files (written directly; "sitemap_section" with section=postings lands here).
    "sitemap_postings": [
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP)),
        Row("POST",             (405,    405,    405,    405,    405,    405,    405,    405,    SETUP)),
    ],
    "robots_txt": [
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP)),
        Row("POST",             (405,    405,    405,    405,    405,    405,    405,    405,    SETUP)),
    ],
}
# fmt: on

CASES = {
    "feed_catalog_public": lambda w, c: {"pk": w.objects["published_phase"].catalog_id},
    "feed_catalog_unpublished": lambda w, c: {"pk": w.objects["open_phase"].catalog_id},
    "feed_region_qingdao": lambda w, c: {"code": "370200"},
    "feed_region_beijing": lambda w, c: {"code": "110000"},
    "feed_region_unknown": lambda w, c: {"code": "999999"},
    "sitemap_postings": lambda w, c: {"section": "postings"},
    "sitemap_phases": lambda w, c: {"section": "phases"},
    "sitemap_unknown": lambda w, c: {"section": "nothing"},
}
