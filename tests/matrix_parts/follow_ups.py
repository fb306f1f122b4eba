"""Permission-matrix rows for hires and follow-ups (employers/views_followup.py,
employers/views_seeker.py, directory/dashboard/outcomes.py).

- The answer page belongs to whoever holds the signed link (no sign-in: the link is sent to one
  person); a tampered link is a 400 with words for everyone.
- "I did not start" and "stop the follow-ups" are the mother's own: every other signed-in
  persona gets 404 (the application is not theirs), the signed-out the sign-in page.
- 录用与留任 and its files are for bureau staff, each over her own jurisdiction (the Linyi officer
  sees Linyi's figures: 200, not Qingdao's).
"""

from datetime import timedelta

from django.utils import timezone

from tests.matrix_base import APPLICATIONS, LOGIN, PERSONAS, SETUP, Redirect, Row  # noqa: F401

ANSWERED = Redirect("followup:answer")

# fmt: off
#                                anon    seek_a  seek_b  empl_a  empl_b  bur_in  bur_out admin   bur_no2fa
MATRIX = {
    "followup:answer": [
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP), case="follow_up"),
        Row("POST",             (ANSWERED, ANSWERED, ANSWERED, ANSWERED, ANSWERED, ANSWERED, ANSWERED, ANSWERED, SETUP),
            case="follow_up", data={"still_working": "1"}),
        Row("POST",             (200,    200,    200,    200,    200,    200,    200,    200,    SETUP),
            case="follow_up", data={"still_working": "0"}),
        Row("GET",              (400,    400,    400,    400,    400,    400,    400,    400,    SETUP), case="follow_up_tampered"),
    ],
    "followup:mine": [
        Row("GET",              (LOGIN,  200,    200,    403,    403,    403,    403,    403,    SETUP)),
        Row("POST",             (LOGIN,  200,    200,    403,    403,    403,    403,    403,    SETUP)),
    ],
    "seeker:not_started": [
        Row("GET",              (LOGIN,  200,    404,    404,    404,    404,    404,    404,    SETUP), case="hire"),
        Row("POST",             (LOGIN,  APPLICATIONS, 404, 404, 404,    404,    404,    404,    SETUP), case="hire"),
        # Not a hire: nothing to mark, back to her applications with a message.
        Row("GET",              (LOGIN,  APPLICATIONS, 404, 404, 404,    404,    404,    404,    SETUP), case="application"),
    ],
    "seeker:stop_follow_ups": [
        Row("GET",              (LOGIN,  405,    405,    405,    405,    405,    405,    405,    SETUP), case="hire"),
        Row("POST",             (LOGIN,  APPLICATIONS, 404, 404, 404,    404,    404,    404,    SETUP), case="hire"),
    ],
    "bureau:outcomes": [
        Row("GET",              (LOGIN,  403,    403,    403,    403,    200,    200,    403,    SETUP)),
        Row("POST",             (LOGIN,  405,    405,    405,    405,    405,    405,    405,    SETUP)),
    ],
    "bureau:outcomes_file": [
        Row("GET",              (LOGIN,  403,    403,    403,    403,    200,    200,    403,    SETUP), case="csv"),
        Row("GET",              (LOGIN,  403,    403,    403,    403,    200,    200,    403,    SETUP), case="xlsx"),
        Row("POST",             (LOGIN,  405,    405,    405,    405,    405,    405,    405,    SETUP), case="csv"),
    ],
}
# fmt: on


def _hire(world):
    """A fresh hire of seeker A at employer A (each persona changes its own)."""
    from employers.models import Application, ApplicationStatus
    from tests.factories import make_posting

    posting = make_posting(world.personas.employer_a, title="回访岗位")
    application = Application.objects.create(
        posting=posting,
        seeker=world.personas.seeker_a,
        status=ApplicationStatus.HIRED,
        start_date=timezone.localdate() - timedelta(days=40),
    )
    return application


def _follow_up(world, client, tamper=False):
    from employers import followups
    from employers.models import FollowUp, FollowUpSource, Party

    application = _hire(world)
    row = FollowUp.objects.create(
        application=application,
        month=1,
        party=Party.SEEKER,
        source=FollowUpSource.ASKED,
        due_on=application.start_date + timedelta(days=30),
        sent_at=timezone.now(),
    )
    token = followups.token_for(row)
    return {"token": token[:-3] + "abc" if tamper else token}


CASES = {
    "hire": lambda world, client: {"pk": _hire(world).pk},
    "follow_up": _follow_up,
    "follow_up_tampered": lambda world, client: _follow_up(world, client, tamper=True),
    "csv": lambda world, client: {"fmt": "csv"},
    "xlsx": lambda world, client: {"fmt": "xlsx"},
}
