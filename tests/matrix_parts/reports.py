"""Permission-matrix rows for the routes of one feature (see tests/matrix_base.py for Row and
the personas, tests/test_permission_matrix.py for the world the rows run in).

Reports from the public (anyone, public postings only), the bureau's report queue (own
jurisdiction; other bureaus 404, other roles 403) and the carry-over choice of a phase.

MATRIX: route name -> rows, as in the main table. CASES: case name -> function(world, client)
returning URL kwargs; it may create the objects it needs (world.personas holds the personas,
world.objects the shared objects)."""

from directory.models import Report, ReportReason
from tests.matrix_base import LOGIN, PERSONAS, REVIEW, SETUP, Redirect, Row  # noqa: F401

SENT = Redirect("report_sent")
QUEUE = Redirect("bureau:report_list")
REPORT = {"reason": "fees", "details": "面试时要求先交培训费"}
DISMISS = {"action": "dismiss", "note": "电话核实，未收费"}


def _report(posting):
    # A fresh report per persona: the one before may have handled the last one.
    return {"pk": Report.objects.create(posting=posting, reason=ReportReason.FEES).pk}


# fmt: off
#                                anon    seek_a  seek_b  empl_a  empl_b  bur_in  bur_out admin   bur_no2fa
MATRIX = {
    "report_posting": [
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP), case="live_posting"),
        Row("POST",             (SENT,   SENT,   SENT,   SENT,   SENT,   SENT,   SENT,   SENT,   SETUP), case="live_posting",
            data=REPORT),
        # No reason given: the form again, with the error.
        Row("POST",             (200,    200,    200,    200,    200,    200,    200,    200,    SETUP), case="live_posting"),
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP), case="closed_posting"),
        Row("DELETE",           (405,    405,    405,    405,    405,    405,    405,    405,    SETUP), case="live_posting"),
        # Not public, whoever asks (the owner of the draft too).
        Row("GET",              (404,    404,    404,    404,    404,    404,    404,    404,    SETUP), case="draft_posting"),
        Row("POST",             (404,    404,    404,    404,    404,    404,    404,    404,    SETUP), case="taken_down_posting",
            data=REPORT),
        Row("GET",              (404,    404,    404,    404,    404,    404,    404,    404,    SETUP), case="missing_id"),
    ],
    "report_sent": [
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP), case="live_posting"),
        Row("POST",             (405,    405,    405,    405,    405,    405,    405,    405,    SETUP), case="live_posting"),
        Row("GET",              (404,    404,    404,    404,    404,    404,    404,    404,    SETUP), case="taken_down_posting"),
    ],
    # Each officer sees the reports inside her own jurisdiction (an empty queue is a queue).
    "bureau:report_list": [
        Row("GET",              (LOGIN,  403,    403,    403,    403,    200,    200,    403,    SETUP)),
    ],
    "bureau:report_handle": [
        Row("GET",              (LOGIN,  405,    405,    405,    405,    405,    405,    405,    SETUP), case="open_report"),
        Row("POST",             (LOGIN,  403,    403,    403,    403,    QUEUE,  404,    403,    SETUP), case="open_report",
            data=DISMISS),
        Row("POST",             (LOGIN,  403,    403,    403,    403,    404,    QUEUE,  403,    SETUP), case="linyi_report",
            data=DISMISS),
        # Without a note: refused with a message, back to the queue.
        Row("POST",             (LOGIN,  403,    403,    403,    403,    QUEUE,  404,    403,    SETUP), case="open_report"),
        Row("POST",             (LOGIN,  403,    403,    403,    403,    404,    404,    403,    SETUP), case="missing_id",
            data=DISMISS),
    ],
    "bureau:phase_carry": [
        Row("GET",              (LOGIN,  405,    405,    405,    405,    405,    405,    405,    SETUP), case="draft_phase"),
        Row("POST",             (LOGIN,  403,    403,    403,    403,    REVIEW, 404,    403,    SETUP), case="draft_phase",
            data=lambda w: {"postings": [w.objects["live_posting"].pk]}),
        Row("POST",             (LOGIN,  403,    403,    403,    403,    404,    REVIEW, 403,    SETUP), case="open_phase"),
        # A published phase is frozen: refused with a message, back to its review page.
        Row("POST",             (LOGIN,  403,    403,    403,    403,    REVIEW, 404,    403,    SETUP), case="published_phase"),
        Row("POST",             (LOGIN,  403,    403,    403,    403,    404,    404,    403,    SETUP), case="missing_id"),
    ],
}
# fmt: on

CASES = {
    "open_report": lambda w, c: _report(w.objects["live_posting"]),
    "linyi_report": lambda w, c: _report(w.objects["linyi_posting"]),
}
