"""Permission-matrix rows for seekers' mobile-number accounts (momjobs/users/phone_views.py),
saving a search's hours as hers, and staff recovery codes (momjobs/users/views.py).

The code and welcome steps belong to whoever holds the session that asked for the code: without
one they send her back to the sign-in page; with one they answer anybody (a signed-in staff
member who typed a number gets the same page, and only a seeker's account can be signed in to).
"""

import itertools
import time

from momjobs.users.phone_views import CONFIRMED, FLOW
from tests.matrix_base import LOGIN, PERSONAS, SETUP, Redirect, Row  # noqa: F401

CODE = Redirect("users:phone_code")
JOBS = Redirect("job_list")
SIGN_UP = Redirect("users:sign_up")
_numbers = itertools.count(13900000000)


def _new_number(world):
    # A fresh number per persona: one code a minute per number.
    return {"phone": str(next(_numbers))}


def _flow(world, client, purpose="sign_in"):
    session = client.session
    session[FLOW] = {
        "phone": "13800000000",
        "purpose": purpose,
        "next": "",
        "name": "",
        "consent": False,
    }
    session.save()
    return {}


def _confirmed(world, client):
    session = client.session
    session[CONFIRMED] = {"phone": "13800000000", "at": time.time(), "next": ""}
    session.save()
    return {}


# fmt: off
#                                anon    seek_a  seek_b  empl_a  empl_b  bur_in  bur_out admin   bur_no2fa
MATRIX = {
    "users:phone_code": [
        Row("GET",              (LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  SETUP)),
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP), case="phone_flow"),
        Row("POST",             (200,    200,    200,    200,    200,    200,    200,    200,    SETUP), case="phone_flow",
            data={"code": "12"}),
        # Adding a number is for the signed-in account that asked: signed out, back to sign-in.
        Row("GET",              (LOGIN,  200,    200,    200,    200,    200,    200,    200,    SETUP), case="phone_flow_add"),
    ],
    # After an email sign-up: "check your mail"; without one, back to the sign-up page.
    "users:sign_up_sent": [
        Row("GET",              (SIGN_UP, SIGN_UP, SIGN_UP, SIGN_UP, SIGN_UP, SIGN_UP, SIGN_UP, SIGN_UP, SETUP)),
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP), case="sign_up_sent"),
    ],
    "users:phone_finish": [
        Row("GET",              (LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  SETUP)),
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP), case="phone_confirmed"),
        Row("POST",             (200,    200,    200,    200,    200,    200,    200,    200,    SETUP), case="phone_confirmed",
            data={"name": ""}),
    ],
    "users:phone_add": [
        Row("GET",              (LOGIN,  200,    200,    403,    403,    403,    403,    403,    SETUP)),
        Row("POST",             (LOGIN,  200,    200,    403,    403,    403,    403,    403,    SETUP),
            data={"phone": "0532-88886666"}),
        Row("POST",             (LOGIN,  CODE,   CODE,   403,    403,    403,    403,    403,    SETUP),
            data=_new_number),
    ],
    "users:recovery_codes": [
        Row("GET",              (LOGIN,  405,    405,    405,    405,    405,    405,    405,    SETUP)),
        # Without an authenticator there is nothing to recover: the setup page. Bureau staff and
        # the admin have one: their new codes, shown once.
        Row("POST",             (LOGIN,  SETUP,  SETUP,  SETUP,  SETUP,  200,    200,    200,    SETUP)),
    ],
    # "Save these hours as mine" from a search (directory/search/views.py): seekers only.
    # An employer deletes a draft nobody has seen (a fresh draft of employer A for each persona).
    "employers:posting_delete": [
        Row("GET",              (LOGIN,  403,    403,    200,    404,    403,    403,    403,    SETUP), case="deletable_draft"),
        Row("POST",             (LOGIN,  403,    403,    Redirect("employers:dashboard"), 404, 403, 403, 403, SETUP), case="deletable_draft"),
    ],
    "save_hours": [
        # No hours in the search: nothing to save, back to the results.
        Row("GET",              (LOGIN,  JOBS,   JOBS,   403,    403,    403,    403,    403,    SETUP)),
        Row("POST",             (LOGIN,  JOBS,   JOBS,   403,    403,    403,    403,    403,    SETUP),
            data={"query": "region=370200&hours=school"}),
    ],
}
# fmt: on


def _deletable_draft(world, client):
    from tests.factories import make_posting

    return {"pk": make_posting(world.personas.employer_a, title="草稿").pk}


def _sent(world, client):
    session = client.session
    session["sign_up_sent_to"] = "someone@example.test"
    session.save()
    return {}


CASES = {
    "sign_up_sent": _sent,
    "deletable_draft": _deletable_draft,
    "phone_flow": _flow,
    "phone_flow_add": lambda w, c: _flow(w, c, purpose="add"),
    "phone_confirmed": _confirmed,
}
