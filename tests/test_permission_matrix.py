"""The permission matrix: every URL pattern of the project, per persona and per method.

Expected statuses are written by hand in MATRIX below, never derived from responses. The route
list is enumerated from the URL resolver; a route without an entry fails
`test_every_route_has_an_entry`, so a new view cannot skip the check (add its rows by hand).

Columns (PERSONAS): anonymous, seeker A, seeker B, employer A staff, employer B staff, bureau
staff inside the jurisdiction (Qingdao), bureau staff outside (Linyi), admin — the last three
signed in with their second factor — and a Qingdao officer who signed in but has not set up
two-factor sign-in yet (confined to the setup page).

Covered by one rule each: the `/en/` twins (the first GET row of every route under
i18n_patterns is replayed under /en/ and must give the same answers) and the Django admin
(`test_admin_rule`). See docs/testing-matrix.md.

A new route: add its rows to MATRIX (one expectation per persona); a row's `case` names an
object of the `world` fixture (its pk is used) or an entry of CASES (URL kwargs, session set-up).

POSTs go through the test client without CSRF enforcement: the matrix is about who may reach a
view, CSRF has its own tests.
"""

import functools
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import Resolver404, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import LocalePrefixPattern
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from directory import audit
from directory.models import (
    AuditAction,
    DigestDelivery,
    EntryDecision,
    ImportJob,
    PhaseDocument,
    PhaseDocumentKind,
    PhaseStatus,
    Report,
    ReportReason,
    Subscription,
)
from employers.models import Application, PostingRevision, PostingStatus
from momjobs.regions.models import MinimumWage
from momjobs.users import twofactor
from momjobs.users.models import Role, TOTPDevice
from tests import matrix_parts
from tests.factories import (
    add_entry,
    make_employer,
    make_phase,
    make_posting,
    make_user,
    publish,
    region,
)
from tests.helpers import force_login_verified, give_device
from tests.matrix_base import (  # noqa: F401 - the names the rows below use
    APPLICATIONS,
    DASH,
    EDIT,
    HOME,
    LOGIN,
    PERSONAS,
    PHASES,
    PREVIEW,
    PROFILE,
    RESET_FORM,
    RESET_SENT,
    REVIEW,
    REVISIONS,
    SETUP,
    SUB_FORM,
    Redirect,
    Row,
)

pytestmark = pytest.mark.django_db


# fmt: off
#                                anon    seek_a  seek_b  empl_a  empl_b  bur_in  bur_out admin   bur_no2fa
MATRIX = {
    "healthz": [
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    200)),
        # Any method answers (the orchestrator only GETs; see docs/testing-matrix.md).
        Row("POST",             (200,    200,    200,    200,    200,    200,    200,    200,    200)),
    ],
    "admin_login_redirect": [
        Row("GET",              (LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  SETUP)),
        Row("POST",             (LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  SETUP)),
    ],
    # -- public pages ----------------------------------------------------------------------------
    "home": [
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP)),
        Row("POST",             (200,    200,    200,    200,    200,    200,    200,    200,    SETUP)),
    ],
    "phase_list": [
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP)),
        Row("POST",             (200,    200,    200,    200,    200,    200,    200,    200,    SETUP)),
    ],
    "phase_detail": [
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP), case="published_phase"),
        Row("POST",             (200,    200,    200,    200,    200,    200,    200,    200,    SETUP), case="published_phase"),
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP), case="superseded_phase"),
        # Not public, whoever asks (its own bureau's officers too: the back office is elsewhere).
        Row("GET",              (404,    404,    404,    404,    404,    404,    404,    404,    SETUP), case="open_phase"),
        Row("GET",              (404,    404,    404,    404,    404,    404,    404,    404,    SETUP), case="draft_phase"),
        Row("GET",              (404,    404,    404,    404,    404,    404,    404,    404,    SETUP), case="missing_id"),
    ],
    "job_list": [
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP)),
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP), case="search"),
        Row("POST",             (200,    200,    200,    200,    200,    200,    200,    200,    SETUP)),
    ],
    # Place names as she types: the same public list for everyone; GET only.
    "regions:suggest": [
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP)),
        Row("POST",             (405,    405,    405,    405,    405,    405,    405,    405,    SETUP)),
    ],
    "posting_detail": [
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP), case="live_posting"),
        Row("POST",             (200,    200,    200,    200,    200,    200,    200,    200,    SETUP), case="live_posting"),
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP), case="closed_posting"),
        # Employer A's own draft is not public either: its owner edits it in the back office.
        Row("GET",              (404,    404,    404,    404,    404,    404,    404,    404,    SETUP), case="draft_posting"),
        Row("GET",              (404,    404,    404,    404,    404,    404,    404,    404,    SETUP), case="taken_down_posting"),
        Row("GET",              (404,    404,    404,    404,    404,    404,    404,    404,    SETUP), case="missing_id"),
    ],
    # -- read-only API (not language-prefixed) -------------------------------------------------
    "api_postings": [
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP)),
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP), case="search"),
        Row("POST",             (405,    405,    405,    405,    405,    405,    405,    405,    SETUP)),
        Row("PUT",              (405,    405,    405,    405,    405,    405,    405,    405,    SETUP)),
        Row("DELETE",           (405,    405,    405,    405,    405,    405,    405,    405,    SETUP)),
    ],
    "api_posting": [
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP), case="live_posting"),
        Row("POST",             (405,    405,    405,    405,    405,    405,    405,    405,    SETUP), case="live_posting"),
        Row("DELETE",           (405,    405,    405,    405,    405,    405,    405,    405,    SETUP), case="live_posting"),
        # The API shows live postings only (the page also shows closed ones, as a record).
        Row("GET",              (404,    404,    404,    404,    404,    404,    404,    404,    SETUP), case="closed_posting"),
        Row("GET",              (404,    404,    404,    404,    404,    404,    404,    404,    SETUP), case="draft_posting"),
        Row("GET",              (404,    404,    404,    404,    404,    404,    404,    404,    SETUP), case="taken_down_posting"),
        Row("GET",              (404,    404,    404,    404,    404,    404,    404,    404,    SETUP), case="missing_id"),
    ],
    "api_phases": [
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP)),
        Row("POST",             (405,    405,    405,    405,    405,    405,    405,    405,    SETUP)),
    ],
    # -- accounts ---------------------------------------------------------------------------------
    "users:login": [
        Row("GET",              (200,    DASH,   DASH,   DASH,   DASH,   DASH,   DASH,   DASH,   SETUP)),
        Row("POST",             (200,    DASH,   DASH,   DASH,   DASH,   DASH,   DASH,   DASH,   SETUP),
            data={"username": "nobody@example.test", "password": "wrong"}),
    ],
    "users:logout": [
        Row("GET",              (405,    405,    405,    405,    405,    405,    405,    405,    405)),
        Row("POST",             (HOME,   HOME,   HOME,   HOME,   HOME,   HOME,   HOME,   HOME,   HOME)),
    ],
    "users:dashboard": [
        Row("GET",              (LOGIN,  200,    200,    200,    200,    200,    200,    200,    SETUP)),
        Row("POST",             (LOGIN,  200,    200,    200,    200,    200,    200,    200,    SETUP)),
    ],
    "users:two_factor_verify": [
        # Without a pending password step there is nothing to verify.
        Row("GET",              (LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  SETUP)),
        Row("POST",             (LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  SETUP),
            data={"code": "123456"}),
        # Password given for the Qingdao officer (who has a device): the code form.
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP), case="pending"),
        Row("POST",             (200,    200,    200,    200,    200,    200,    200,    200,    SETUP), case="pending",
            data={"code": "not-a-code"}),
        # Her device was removed between the two steps (by an admin, or from another session).
        Row("GET",              (LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  SETUP), case="pending_device_gone"),
    ],
    "users:two_factor_setup": [
        Row("GET",              (LOGIN,  200,    200,    200,    200,    200,    200,    200,    200)),
        Row("POST",             (LOGIN,  200,    200,    200,    200,    200,    200,    200,    200),
            data={"code": "not-a-code"}),
    ],
    "users:two_factor_disable": [
        Row("GET",              (LOGIN,  405,    405,    405,    405,    405,    405,    405,    SETUP)),
        # The roles that must keep 2FA replace their authenticator: straight to the setup page.
        Row("POST",             (LOGIN,  DASH,   DASH,   DASH,   DASH,   SETUP,  SETUP,  SETUP,  SETUP)),
    ],
    "users:password_reset": [
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP)),
        Row("POST",             (RESET_SENT, RESET_SENT, RESET_SENT, RESET_SENT, RESET_SENT, RESET_SENT, RESET_SENT, RESET_SENT, SETUP),
            data={"email": "nobody@example.test"}),
        Row("POST",             (200,    200,    200,    200,    200,    200,    200,    200,    SETUP),
            data={"email": "not an address"}),
    ],
    "users:password_reset_done": [
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP)),
        Row("POST",             (405,    405,    405,    405,    405,    405,    405,    405,    SETUP)),
    ],
    "users:password_reset_confirm": [
        # Seeker A's valid link: the token moves into the session, then the set-password form.
        Row("GET",              (RESET_FORM, RESET_FORM, RESET_FORM, RESET_FORM, RESET_FORM, RESET_FORM, RESET_FORM, RESET_FORM, SETUP), case="valid_token"),
        Row("POST",             (RESET_FORM, RESET_FORM, RESET_FORM, RESET_FORM, RESET_FORM, RESET_FORM, RESET_FORM, RESET_FORM, SETUP), case="valid_token"),
        # A bad or used link: a page that says so.
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP), case="bad_token"),
        Row("POST",             (200,    200,    200,    200,    200,    200,    200,    200,    SETUP), case="bad_token",
            data={"new_password1": "a-brand-new-passphrase-2026", "new_password2": "a-brand-new-passphrase-2026"}),
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP), case="set_password_without_session"),
    ],
    "users:password_reset_complete": [
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP)),
        Row("POST",             (405,    405,    405,    405,    405,    405,    405,    405,    SETUP)),
    ],
    # -- employer back office: staff of the owning employer only ---------------------------------
    # Outsiders (the other employer's staff) get 404, other roles 403 (employers/access.py).
    "employers:dashboard": [
        Row("GET",              (LOGIN,  403,    403,    200,    200,    403,    403,    403,    SETUP)),
        Row("POST",             (LOGIN,  403,    403,    200,    200,    403,    403,    403,    SETUP)),
    ],
    "employers:posting_create": [
        Row("GET",              (LOGIN,  403,    403,    200,    200,    403,    403,    403,    SETUP)),
        Row("POST",             (LOGIN,  403,    403,    200,    200,    403,    403,    403,    SETUP)),
    ],
    "employers:posting_preview": [
        Row("GET",              (LOGIN,  403,    403,    200,    404,    403,    403,    403,    SETUP), case="draft_posting"),
        Row("GET",              (LOGIN,  403,    403,    200,    404,    403,    403,    403,    SETUP), case="live_posting"),
        # Employer B's own posting: B sees it, A gets 404.
        Row("GET",              (LOGIN,  403,    403,    404,    200,    403,    403,    403,    SETUP), case="taken_down_posting"),
        Row("GET",              (LOGIN,  403,    403,    404,    404,    403,    403,    403,    SETUP), case="missing_id"),
        Row("POST",             (LOGIN,  403,    403,    200,    404,    403,    403,    403,    SETUP), case="draft_posting"),
    ],
    "employers:posting_edit": [
        Row("GET",              (LOGIN,  403,    403,    200,    404,    403,    403,    403,    SETUP), case="draft_posting"),
        Row("POST",             (LOGIN,  403,    403,    200,    404,    403,    403,    403,    SETUP), case="draft_posting"),
        # A live posting is edited as a revision for the bureau to approve.
        Row("GET",              (LOGIN,  403,    403,    200,    404,    403,    403,    403,    SETUP), case="live_posting"),
        Row("GET",              (LOGIN,  403,    403,    PREVIEW, 404,   403,    403,    403,    SETUP), case="closed_posting"),
        Row("GET",              (LOGIN,  403,    403,    404,    404,    403,    403,    403,    SETUP), case="missing_id"),
    ],
    "posting_submit": [
        Row("GET",              (LOGIN,  403,    403,    200,    404,    403,    403,    403,    SETUP), case="draft_posting"),
        Row("POST",             (LOGIN,  403,    403,    200,    404,    403,    403,    403,    SETUP), case="draft_posting"),
    ],
    "employers:posting_duplicate": [
        Row("GET",              (LOGIN,  405,    405,    405,    405,    405,    405,    405,    SETUP), case="draft_posting"),
        Row("POST",             (LOGIN,  403,    403,    EDIT,   404,    403,    403,    403,    SETUP), case="draft_posting"),
    ],
    "employers:posting_close": [
        Row("GET",              (LOGIN,  405,    405,    405,    405,    405,    405,    405,    SETUP), case="live_posting"),
        Row("POST",             (LOGIN,  403,    403,    PREVIEW, 404,   403,    403,    403,    SETUP), case="live_posting"),
    ],
    "employers:application_list": [
        Row("GET",              (LOGIN,  403,    403,    200,    404,    403,    403,    403,    SETUP), case="live_posting"),
        Row("GET",              (LOGIN,  403,    403,    404,    200,    403,    403,    403,    SETUP), case="taken_down_posting"),
    ],
    "employers:application_export": [
        Row("GET",              (LOGIN,  403,    403,    200,    404,    403,    403,    403,    SETUP), case="export_csv"),
        Row("GET",              (LOGIN,  403,    403,    200,    404,    403,    403,    403,    SETUP), case="export_xlsx"),
        Row("GET",              (LOGIN,  403,    403,    404,    404,    403,    403,    403,    SETUP), case="export_pdf"),
    ],
    "employers:application_detail": [
        # Seeker A is the applicant, but this is the employer's page: 403 for her too.
        Row("GET",              (LOGIN,  403,    403,    200,    404,    403,    403,    403,    SETUP), case="application"),
        Row("POST",             (LOGIN,  403,    403,    200,    404,    403,    403,    403,    SETUP), case="application"),
        # Anonymised (the seeker deleted her account): only a number in the statistics.
        Row("GET",              (LOGIN,  403,    403,    404,    404,    403,    403,    403,    SETUP), case="anonymised_application"),
        Row("GET",              (LOGIN,  403,    403,    404,    404,    403,    403,    403,    SETUP), case="missing_id"),
    ],
    "employers:application_cv": [
        Row("GET",              (LOGIN,  403,    403,    200,    404,    403,    403,    403,    SETUP), case="application"),
        Row("GET",              (LOGIN,  403,    403,    404,    404,    403,    403,    403,    SETUP), case="application_no_cv"),
    ],
    # -- employer accounts: registration, staff, invitations (employers/views_account.py) ----------
    "employers:register": [
        # Signed-in people get a page asking them to sign out first (registering makes an account).
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP)),
        Row("POST",             (200,    200,    200,    200,    200,    200,    200,    200,    SETUP),
            data={"email": "not an address"}),
    ],
    "employers:register_done": [
        Row("GET",              (LOGIN,  403,    403,    200,    200,    403,    403,    403,    SETUP)),
    ],
    "employers:staff": [
        Row("GET",              (LOGIN,  403,    403,    200,    200,    403,    403,    403,    SETUP)),
    ],
    "employers:staff_invite": [
        Row("GET",              (LOGIN,  405,    405,    405,    405,    405,    405,    405,    SETUP)),
        # Both employers' staff personas are their organisation's owner.
        Row("POST",             (LOGIN,  403,    403,    Redirect("employers:staff"), Redirect("employers:staff"), 403, 403, 403, SETUP),
            data={"email": "new.colleague@example.test"}),
    ],
    "employers:staff_remove": [
        Row("GET",              (LOGIN,  405,    405,    405,    405,    405,    405,    405,    SETUP), case="missing_id"),
        Row("POST",             (LOGIN,  403,    403,    404,    404,    403,    403,    403,    SETUP), case="missing_id"),
        # Employer B's owner membership: A's owner gets 404; B's own last owner is kept (message).
        Row("POST",             (LOGIN,  403,    403,    404,    Redirect("employers:staff"), 403, 403, 403, SETUP), case="membership_b"),
    ],
    "employers:invitation": [
        # An open invitation of employer A to an address without an account: the sign-up form for
        # a visitor, "this invitation is for someone else" (403) for anyone signed in.
        Row("GET",              (200,    403,    403,    403,    403,    403,    403,    403,    SETUP), case="invitation"),
        Row("POST",             (200,    403,    403,    403,    403,    403,    403,    403,    SETUP), case="invitation"),
        Row("GET",              (404,    404,    404,    404,    404,    404,    404,    404,    SETUP), case="dead_invitation"),
    ],
    # -- bureau back office: employers in the officer's jurisdiction (directory/verification/views.py) ---
    "bureau:employer_list": [
        Row("GET",              (LOGIN,  403,    403,    403,    403,    200,    200,    403,    SETUP)),
    ],
    "bureau:employer_detail": [
        # Employer A is in Qingdao: Linyi's officer gets 404.
        Row("GET",              (LOGIN,  403,    403,    403,    403,    200,    404,    403,    SETUP), case="employer_a"),
        Row("GET",              (LOGIN,  403,    403,    403,    403,    404,    404,    403,    SETUP), case="missing_id"),
    ],
    "bureau:employer_licence": [
        Row("GET",              (LOGIN,  403,    403,    403,    403,    200,    404,    403,    SETUP), case="employer_a"),
        Row("GET",              (LOGIN,  403,    403,    403,    403,    404,    404,    403,    SETUP), case="missing_id"),
    ],
    "bureau:employer_decide": [
        Row("GET",              (LOGIN,  405,    405,    405,    405,    405,    405,    405,    SETUP), case="employer_a"),
        # Removal asks first (its confirmation page), then removes.
        Row("POST",             (LOGIN,  403,    403,    403,    403,    200,    404,    403,    SETUP), case="employer_a",
            data={"status": "removed", "reason": "测试"}),
        Row("POST",             (LOGIN,  403,    403,    403,    403,    Redirect("bureau:employer_detail"), 404, 403, SETUP), case="employer_a",
            data={"status": "removed", "reason": "测试", "confirmed": "1"}),
        Row("POST",             (LOGIN,  403,    403,    403,    403,    404,    404,    403,    SETUP), case="missing_id",
            data={"status": "verified"}),
    ],
    # -- bureau back office: phases, review, revisions, take-downs (directory/catalog/views.py) -----
    # Own bureau's phases and entries, postings and revisions inside the jurisdiction; the other
    # bureau's officer gets 404, every other role 403 (the admin too: not a bureau's staff).
    "bureau:phase_list": [
        Row("GET",              (LOGIN,  403,    403,    403,    403,    200,    200,    403,    SETUP)),
    ],
    "bureau:phase_create": [
        Row("GET",              (LOGIN,  405,    405,    405,    405,    405,    405,    405,    SETUP)),
        # Qingdao's catalog: created for Qingdao; refused (form error) for Linyi's officer.
        Row("POST",             (LOGIN,  403,    403,    403,    403,    REVIEW, PHASES, 403,    SETUP),
            data=lambda w: {"catalog": w.objects["published_phase"].catalog_id, "title": "第9批"}),
    ],
    "bureau:phase_call": [
        Row("GET",              (LOGIN,  403,    403,    403,    403,    200,    404,    403,    SETUP), case="draft_phase"),
        Row("POST",             (LOGIN,  403,    403,    403,    403,    200,    404,    403,    SETUP), case="draft_phase"),
        Row("GET",              (LOGIN,  403,    403,    403,    403,    404,    200,    403,    SETUP), case="open_phase"),
    ],
    "bureau:phase_review": [
        Row("GET",              (LOGIN,  403,    403,    403,    403,    200,    404,    403,    SETUP), case="published_phase"),
        Row("GET",              (LOGIN,  403,    403,    403,    403,    404,    200,    403,    SETUP), case="open_phase"),
        Row("GET",              (LOGIN,  403,    403,    403,    403,    404,    404,    403,    SETUP), case="missing_id"),
    ],
    "bureau:bulk_approve": [
        Row("GET",              (LOGIN,  405,    405,    405,    405,    405,    405,    405,    SETUP), case="draft_phase"),
        Row("POST",             (LOGIN,  403,    403,    403,    403,    REVIEW, 404,    403,    SETUP), case="draft_phase"),
    ],
    "bureau:phase_publish": [
        # The confirmation page: what publishing will do.
        Row("GET",              (LOGIN,  403,    403,    403,    403,    200,    404,    403,    SETUP), case="draft_phase"),
        # Nothing approved in it: refused with a message, back to the review.
        Row("POST",             (LOGIN,  403,    403,    403,    403,    REVIEW, 404,    403,    SETUP), case="draft_phase"),
    ],
    "bureau:entry_decide": [
        Row("GET",              (LOGIN,  405,    405,    405,    405,    405,    405,    405,    SETUP), case="pending_entry"),
        # No decision chosen: the posting's page again, the error beside the field.
        Row("POST",             (LOGIN,  403,    403,    403,    403,    200,    404,    403,    SETUP), case="pending_entry"),
        Row("POST",             (LOGIN,  403,    403,    403,    403,    404,    200,    403,    SETUP), case="linyi_entry"),
        Row("POST",             (LOGIN,  403,    403,    403,    403,    REVIEW, 404,    403,    SETUP), case="pending_entry",
            data={"decision": "approved"}),
        Row("POST",             (LOGIN,  403,    403,    403,    403,    404,    REVIEW, 403,    SETUP), case="linyi_entry",
            data={"decision": "approved"}),
    ],
    "bureau:revision_list": [
        Row("GET",              (LOGIN,  403,    403,    403,    403,    200,    200,    403,    SETUP)),
    ],
    "bureau:revision_decide": [
        Row("GET",              (LOGIN,  405,    405,    405,    405,    405,    405,    405,    SETUP), case="revision"),
        Row("POST",             (LOGIN,  403,    403,    403,    403,    REVISIONS, 404,  403,    SETUP), case="revision",
            data={"approve": "0", "reason": "请写明工作时间"}),
    ],
    "bureau:posting_view": [
        Row("GET",              (LOGIN,  403,    403,    403,    403,    200,    404,    403,    SETUP), case="draft_posting"),
        Row("GET",              (LOGIN,  403,    403,    403,    403,    404,    200,    403,    SETUP), case="linyi_posting"),
        Row("GET",              (LOGIN,  403,    403,    403,    403,    404,    404,    403,    SETUP), case="missing_id"),
    ],
    "bureau:posting_take_down": [
        Row("GET",              (LOGIN,  403,    403,    403,    403,    200,    404,    403,    SETUP), case="live_posting"),
        # Without the (required) reason: the form again.
        Row("POST",             (LOGIN,  403,    403,    403,    403,    200,    404,    403,    SETUP), case="live_posting"),
        Row("GET",              (LOGIN,  403,    403,    403,    403,    404,    200,    403,    SETUP), case="linyi_posting"),
    ],
    # The public call page of a phase open for submissions.
    "phase_call_public": [
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP), case="open_phase"),
        Row("GET",              (404,    404,    404,    404,    404,    404,    404,    404,    SETUP), case="draft_phase"),
        Row("GET",              (404,    404,    404,    404,    404,    404,    404,    404,    SETUP), case="published_phase"),
    ],
    # -- seekers: sign-up, profile, privacy (momjobs/users/seeker_views.py) ------------------------
    "users:sign_up": [
        Row("GET",              (200,    DASH,   DASH,   DASH,   DASH,   DASH,   DASH,   DASH,   SETUP)),
        Row("POST",             (200,    DASH,   DASH,   DASH,   DASH,   DASH,   DASH,   DASH,   SETUP),
            data={"email": "not an address"}),
    ],
    "users:verify_email": [
        # Seeker A's link: her profile when it is she who follows it, or when nobody is signed in
        # (the first confirmation signs her in: the link came to her mailbox); else sign-in.
        Row("GET",              (PROFILE, PROFILE, LOGIN, LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  SETUP), case="verify_token_a"),
        Row("GET",              (400,    400,    400,    400,    400,    400,    400,    400,    SETUP), case="bad_verify_token"),
    ],
    "users:resend_verification": [
        Row("GET",              (LOGIN,  405,    405,    405,    405,    405,    405,    405,    SETUP)),
        Row("POST",             (LOGIN,  PROFILE, PROFILE, PROFILE, PROFILE, PROFILE, PROFILE, PROFILE, SETUP)),
    ],
    "users:profile": [
        Row("GET",              (LOGIN,  200,    200,    403,    403,    403,    403,    403,    SETUP)),
        Row("POST",             (LOGIN,  200,    200,    403,    403,    403,    403,    403,    SETUP)),
    ],
    "users:cv_download": [
        # Seeker A uploaded a CV, seeker B did not.
        Row("GET",              (LOGIN,  200,    404,    403,    403,    403,    403,    403,    SETUP)),
    ],
    "users:my_data": [
        # Everyone signed in may download what the portal holds about her.
        Row("GET",              (LOGIN,  200,    200,    200,    200,    200,    200,    200,    SETUP)),
    ],
    "users:delete_account": [
        Row("GET",              (LOGIN,  200,    200,    403,    403,    403,    403,    403,    SETUP)),
        Row("POST",             (LOGIN,  200,    200,    403,    403,    403,    403,    403,    SETUP),
            data={"password": "wrong"}),
    ],
    "privacy": [
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP)),
    ],
    # -- seekers' applications (employers/views_seeker.py) ---------------------------------------
    "seeker:apply": [
        Row("GET",              (LOGIN,  200,    200,    403,    403,    403,    403,    403,    SETUP), case="live_posting"),
        # Both seekers applied already: the page says so.
        Row("POST",             (LOGIN,  200,    200,    403,    403,    403,    403,    403,    SETUP), case="live_posting"),
        # Closed: "recruitment has ended" rather than a 404.
        Row("GET",              (LOGIN,  200,    200,    403,    403,    403,    403,    403,    SETUP), case="closed_posting"),
        Row("GET",              (LOGIN,  404,    404,    403,    403,    403,    403,    403,    SETUP), case="draft_posting"),
    ],
    "seeker:applications": [
        Row("GET",              (LOGIN,  200,    200,    403,    403,    403,    403,    403,    SETUP)),
    ],
    "seeker:withdraw": [
        # The confirmation page (what withdrawing does), for her only.
        Row("GET",              (LOGIN,  200,    404,    404,    404,    404,    404,    404,    SETUP), case="application"),
        # Seeker A's application. Other roles get 404 here, not the 403 of architecture.md:
        # get_application_for_seeker scopes by seeker but does not check the role.
        Row("POST",             (LOGIN,  APPLICATIONS, 404, 404,  404,    404,    404,    404,    SETUP), case="application"),
    ],
    # -- digest subscriptions, no account needed (directory/subscriptions/views.py) -------------------
    # Every link carries a signed token: a bad one is a 404 whoever follows it.
    "subscribe:form": [
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP)),
        Row("POST",             (200,    200,    200,    200,    200,    200,    200,    200,    SETUP),
            data={"email": "not an address"}),
        Row("PUT",              (405,    405,    405,    405,    405,    405,    405,    405,    SETUP)),
    ],
    "subscribe:sent": [
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP)),
    ],
    "subscribe:from_search": [
        Row("GET",              (LOGIN,  405,    405,    405,    405,    405,    405,    405,    SETUP)),
        # A search without a place: finish on the form, prefilled.
        Row("POST",             (LOGIN,  SUB_FORM, SUB_FORM, SUB_FORM, SUB_FORM, SUB_FORM, SUB_FORM, SUB_FORM, SETUP),
            data={"query": "q=帮厨"}),
    ],
    "subscribe:confirm": [
        # GET shows the button (mail scanners open links); POST confirms.
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP), case="sub_confirm"),
        Row("POST",             (200,    200,    200,    200,    200,    200,    200,    200,    SETUP), case="sub_confirm"),
        Row("GET",              (404,    404,    404,    404,    404,    404,    404,    404,    SETUP), case="sub_bad_token"),
        # A manage link is not a confirm link.
        Row("GET",              (404,    404,    404,    404,    404,    404,    404,    404,    SETUP), case="sub_manage"),
        Row("PUT",              (405,    405,    405,    405,    405,    405,    405,    405,    SETUP), case="sub_confirm"),
    ],
    "subscribe:manage": [
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP), case="sub_manage"),
        Row("POST",             (200,    200,    200,    200,    200,    200,    200,    200,    SETUP), case="sub_manage"),
        Row("GET",              (404,    404,    404,    404,    404,    404,    404,    404,    SETUP), case="sub_unsubscribe"),
        Row("GET",              (404,    404,    404,    404,    404,    404,    404,    404,    SETUP), case="sub_bad_token"),
    ],
    "subscribe:unsubscribe": [
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP), case="sub_unsubscribe"),
        # RFC 8058 one-click: a POST without cookies or CSRF token.
        Row("POST",             (200,    200,    200,    200,    200,    200,    200,    200,    SETUP), case="sub_unsubscribe"),
        Row("GET",              (404,    404,    404,    404,    404,    404,    404,    404,    SETUP), case="sub_manage"),
        Row("DELETE",           (405,    405,    405,    405,    405,    405,    405,    405,    SETUP), case="sub_unsubscribe"),
    ],
}
# fmt: on


# -- the route list -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    key: str  # the namespaced URL name, or the pattern of an unnamed route
    pattern: str
    i18n: bool  # inside i18n_patterns: also served under /en/
    admin: bool  # inside the Django admin: covered by test_admin_rule


def walk(patterns, prefix="", namespace="", i18n=False):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            locale = isinstance(entry.pattern, LocalePrefixPattern)
            ns = ":".join(filter(None, [namespace, entry.namespace]))
            yield from walk(
                entry.url_patterns,
                prefix if locale else prefix + str(entry.pattern),
                ns,
                i18n or locale,
            )
        else:
            pattern = prefix + str(entry.pattern)
            key = ":".join(filter(None, [namespace, entry.name])) if entry.name else pattern
            yield Route(key, pattern, i18n, namespace.split(":")[0] == "admin")


def all_routes():
    with translation.override("zh-hans"):
        return list(walk(get_resolver().url_patterns))


def test_every_route_has_an_entry():
    routes = {r.key for r in all_routes() if not r.admin}
    missing = sorted(routes - MATRIX.keys())
    stale = sorted(MATRIX.keys() - routes)
    assert not missing, f"routes without a row in the permission matrix: {missing}"
    assert not stale, f"matrix rows for routes that no longer exist: {stale}"


def test_route_walk_sees_everything():
    routes = all_routes()
    keys = {r.key for r in routes}
    # Sanity of the walk itself: an include, i18n_patterns, the admin and the API are all seen.
    assert {"healthz", "users:login", "home", "admin:index"} <= keys
    assert {r.key for r in routes if r.i18n} >= {"home", "users:login", "posting_detail"}
    assert not any(r.i18n for r in routes if r.key == "healthz")
    assert len([r for r in routes if r.admin]) > 50


# -- the world the rows are checked in --------------------------------------------------------------


@dataclass
class World:
    personas: object
    clients: dict
    objects: dict


def _client(n):
    # Each persona comes from its own address, so per-address rate limits stay per persona.
    return Client(REMOTE_ADDR=f"10.20.0.{n + 1}")


def private_files_in(folder, monkeypatch):
    """CVs and licences of the test go to `folder`, not PRIVATE_ROOT. The file fields hold the
    storage object made at import, so its location and cached paths are patched (and put back
    after the test by monkeypatch)."""
    from employers.models import Employer
    from momjobs.users.models import SeekerProfile

    fields = [SeekerProfile._meta.get_field("cv"), Employer._meta.get_field("licence")]
    for storage in {id(f.storage): f.storage for f in fields}.values():
        monkeypatch.setattr(storage, "_location", str(folder))
        monkeypatch.setitem(storage.__dict__, "base_location", str(folder))
        monkeypatch.setitem(storage.__dict__, "location", str(Path(folder).resolve()))


@pytest.fixture
def world(personas, monkeypatch, tmp_path):
    p = personas
    p.employer_a, p.employer_b, p.qingdao, p.linyi  # noqa: B018 - memberships and bureaus
    for officer in (p.bureau_inside, p.bureau_outside, p.admin):
        give_device(officer)
    unverified = make_user("officer.new@example.test", Role.BUREAU)
    p.qingdao.staff.create(user=unverified)

    live = make_posting(p.employer_a, title="早餐店帮厨")
    closed = make_posting(p.employer_a, title="午餐帮厨")
    first = make_phase(p.qingdao, number=1, status=PhaseStatus.IN_REVIEW)
    publish(first, [closed])
    second = make_phase(p.qingdao, number=2, status=PhaseStatus.IN_REVIEW)
    publish(second, [live])  # supersedes the first
    closed.refresh_from_db()
    closed.status = PostingStatus.CLOSED
    closed.save()
    taken_down = make_posting(p.employer_b, title="保洁员")
    taken_down.status = PostingStatus.TAKEN_DOWN
    taken_down.save()
    # Seeker A applied with a CV (kept in a temporary private storage), seeker B without.
    private_files_in(tmp_path, monkeypatch)
    p.seeker_a.seeker_profile.cv.save("cv.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    p.employer_a.licence.save("licence.pdf", ContentFile(b"%PDF-1.4 licence"), save=True)
    # What each sent (as applying does: a snapshot with a copy of the CV).
    from employers.services import take_snapshot

    application = Application(posting=live, seeker=p.seeker_a)
    take_snapshot(application, p.seeker_a, share_phone=False)
    application.save()
    application_no_cv = Application(posting=live, seeker=p.seeker_b)
    take_snapshot(application_no_cv, p.seeker_b, share_phone=False)
    application_no_cv.save()
    anonymised = Application.objects.create(posting=live, seeker=None)
    # A pending change to A's live posting; a draft of a Linyi employer in Linyi's open phase;
    # a pending entry of A's draft in Qingdao's draft phase.
    revision = PostingRevision.objects.create(
        posting=live, data={"title": "早餐店帮厨（改）"}, submitted_by=p.employer_a_staff
    )
    open_phase = make_phase(p.linyi, number=1, status=PhaseStatus.OPEN)
    draft_phase = make_phase(p.qingdao, number=3, status=PhaseStatus.DRAFT)
    linyi_posting = make_posting(make_employer("临沂丙食品有限公司", "371302"), title="面点师")
    draft = make_posting(p.employer_a, title="草稿岗位")
    objects = {
        "live_posting": live,
        "closed_posting": closed,
        "draft_posting": draft,
        "linyi_posting": linyi_posting,
        "taken_down_posting": taken_down,
        "published_phase": second,
        "superseded_phase": first,
        "open_phase": open_phase,
        "draft_phase": draft_phase,
        "pending_entry": add_entry(draft_phase, draft, decision=EntryDecision.PENDING),
        "linyi_entry": add_entry(open_phase, linyi_posting, decision=EntryDecision.PENDING),
        "revision": revision,
        "subscription": Subscription.objects.create(
            email="digest.reader@example.test", region=region("370200")
        ),
        "application": application,
        "application_no_cv": application_no_cv,
        "anonymised_application": anonymised,
    }
    users = {
        "anon": None,
        "seeker_a": p.seeker_a,
        "seeker_b": p.seeker_b,
        "employer_a": p.employer_a_staff,
        "employer_b": p.employer_b_staff,
        "bureau_in": p.bureau_inside,
        "bureau_out": p.bureau_outside,
        "admin": p.admin,
        "bureau_no2fa": unverified,
    }
    clients = {}
    for n, (name, user) in enumerate(users.items()):
        client = _client(n)
        if name == "bureau_no2fa":
            client.force_login(user)
        elif user is not None:
            force_login_verified(client, user)
        clients[name] = client
    return World(p, clients, objects)


def _pending(world, client, *, device=True):
    officer = world.personas.bureau_inside
    if not device:
        TOTPDevice.objects.filter(user=officer).delete()
    session = client.session
    session[twofactor.SESSION_PENDING] = officer.pk
    session.save()


def _uid(user):
    return urlsafe_base64_encode(force_bytes(user.pk))


def _invitation(world, *, open_):
    from employers.models import EmployerInvitation

    invitation = EmployerInvitation.objects.create(
        employer=world.personas.employer_a, email="invited.person@example.test"
    )
    if not open_:
        invitation.accepted_at = timezone.now()
        invitation.save()
    return {"token": invitation.token}


def _verify_token(user):
    from django.core import signing

    from momjobs.users.seeker_views import VERIFY_SALT

    return signing.dumps({"u": user.pk, "e": user.email}, salt=VERIFY_SALT)


def _sub_token(world, purpose):
    from directory.subscriptions import digests

    subscription = world.objects["subscription"]
    if purpose == "confirm":
        return digests.confirm_token(subscription)
    return digests.link_token(subscription, purpose)


# Case name -> URL kwargs (and any session set-up) for the rows that name it. A case that names
# an object of world.objects needs no entry here: its pk is used. Add a line per new case.
CASES = {
    "plain": lambda world, client: {},
    "missing_id": lambda world, client: {"pk": 987654321},
    "search": lambda world, client: {},  # + SEARCH_QUERY
    "export_csv": lambda w, c: {"pk": w.objects["live_posting"].pk, "fmt": "csv"},
    "export_xlsx": lambda w, c: {"pk": w.objects["live_posting"].pk, "fmt": "xlsx"},
    "export_pdf": lambda w, c: {"pk": w.objects["live_posting"].pk, "fmt": "pdf"},
    "valid_token": lambda w, c: {
        "uidb64": _uid(w.personas.seeker_a),
        "token": default_token_generator.make_token(w.personas.seeker_a),
    },
    "bad_token": lambda w, c: {"uidb64": _uid(w.personas.seeker_a), "token": "1-bad"},
    "set_password_without_session": lambda w, c: {
        "uidb64": _uid(w.personas.seeker_a),
        "token": "set-password",
    },
    "pending": lambda w, c: _pending(w, c),
    "pending_device_gone": lambda w, c: _pending(w, c, device=False),
    "employer_a": lambda w, c: {"pk": w.personas.employer_a.pk},
    "membership_b": lambda w, c: {"pk": w.personas.employer_b.memberships.get().pk},
    "invitation": lambda w, c: _invitation(w, open_=True),
    "dead_invitation": lambda w, c: _invitation(w, open_=False),
    "verify_token_a": lambda w, c: {"token": _verify_token(w.personas.seeker_a)},
    "bad_verify_token": lambda w, c: {"token": "not-a-signed-token"},
    "sub_confirm": lambda w, c: {"token": _sub_token(w, "confirm")},
    "sub_manage": lambda w, c: {"token": _sub_token(w, "manage")},
    "sub_unsubscribe": lambda w, c: {"token": _sub_token(w, "unsubscribe")},
    "sub_bad_token": lambda w, c: {"token": "abc:def"},
}
SEARCH_QUERY = "?q=帮厨&region=370200&sector=catering&sort=newest"

# Rows and cases of the per-feature modules (tests/matrix_parts/).
for _part in matrix_parts.PARTS:
    assert not (_part.MATRIX.keys() & MATRIX.keys()), f"{_part.__name__} repeats a route"
    assert not (_part.CASES.keys() & CASES.keys()), f"{_part.__name__} repeats a case"
    MATRIX.update(_part.MATRIX)
    CASES.update(_part.CASES)


def build(world, route, case, client):
    """The URL of `route` for `case`; may also prepare the client's session."""
    if case in world.objects:
        kwargs = {"pk": world.objects[case].pk}
    else:
        assert case in CASES, f"unknown case {case}: add it to CASES"
        kwargs = CASES[case](world, client) or {}
    with translation.override("zh-hans"):
        return reverse(route, kwargs=kwargs) + (SEARCH_QUERY if case == "search" else "")


def redirect_target(response):
    path = urlsplit(response["Location"]).path
    if path.startswith("/en/"):
        path = path[3:]
    with translation.override("zh-hans"):
        try:
            return resolve(path).view_name
        except Resolver404:
            return response["Location"]


def outcome(response):
    if response.status_code in (301, 302):
        return Redirect(redirect_target(response), response.status_code)
    return response.status_code


def request(client, method, url, data):
    if method == "GET":
        return client.get(url, data)
    if method == "POST":
        return client.post(url, data)
    return client.generic(method, url)


def check_row(world, route, row, prefix=""):
    mismatches = []
    for persona, expected in zip(PERSONAS, row.expect, strict=True):
        client = world.clients[persona]
        url = prefix + build(world, route, row.case, client)
        client.raise_request_exception = False
        data = row.data(world) if callable(row.data) else row.data
        response = request(client, row.method, url, data)
        got = outcome(response)
        if isinstance(expected, int):
            got = response.status_code
        if got != expected:
            mismatches.append((persona, expected, got))
    report = f"{row.method} {route} [{row.case}] {prefix}\n" + "\n".join(
        f"{persona:>13}: expected {expected}, got {got}" for persona, expected, got in mismatches
    )
    if row.bug and mismatches and all(got == row.bug_gives for _, _, got in mismatches):
        raise KnownBug(report)
    assert not mismatches, report


class KnownBug(AssertionError):
    """The server error a row's `bug` describes; any other mismatch fails the xfail row."""


def _row_params(rows_filter=lambda route, row: True):
    params = []
    for route, rows in MATRIX.items():
        for row in rows:
            if not rows_filter(route, row):
                continue
            bug = pytest.mark.xfail(strict=True, raises=KnownBug, reason=row.bug)
            marks = [bug] if row.bug else []
            params.append(
                pytest.param(route, row, id=f"{route}-{row.method}-{row.case}", marks=marks)
            )
    return params


@pytest.mark.parametrize(("route", "row"), _row_params())
def test_matrix(world, route, row):
    check_row(world, route, row)


@functools.cache
def _i18n_keys():
    return frozenset(r.key for r in all_routes() if r.i18n)


def _first_get_row(route, row):
    # A sample: the first GET row of every route served under /en/ too.
    rows = [r for r in MATRIX[route] if r.method == "GET"]
    return route in _i18n_keys() and bool(rows) and row is rows[0]


@pytest.mark.parametrize(("route", "row"), _row_params(_first_get_row))
def test_english_twins_give_the_same_status(world, route, row):
    check_row(world, route, row, prefix="/en")


def test_the_unverified_officer_is_sent_to_setup_even_in_english(world):
    response = world.clients["bureau_no2fa"].get("/en/accounts/")
    assert response.status_code == 302
    assert response["Location"] in ("/en/accounts/2fa/setup/", "/accounts/2fa/setup/")


# -- the Django admin: one rule ------------------------------------------------------------------

# What the admin (signed in with the second factor) gets on each kind of admin URL.
ADMIN_EXPECTED = {
    "index": 200,
    "app_list": 200,
    "changelist": 200,
    "add": 200,
    "change": 200,
    "history": 200,
    "delete": 200,
    "user_password": 200,
    "object_redirect": "302 to the object's change page",
    "password_change": 200,
    "password_change_done": 200,
    "jsi18n": 200,
    "autocomplete": 403,  # without its parameters
    "view_on_site": 302,  # to the object's page (Posting.get_absolute_url)
    "logout": 405,  # GET; the admin logs out by POST
    "login": LOGIN,  # /admin/login/ is the portal's sign-in (admin_login_redirect)
    "catch_all": 404,
}
# Everyone else gets the admin's sign-in redirect (the portal's sign-in), except on its logout.
ADMIN_OUTSIDER = Redirect("admin_login_redirect")
ADMIN_OUTSIDER_SPECIAL = {"login": LOGIN, "logout": Redirect("admin:index")}
ADMIN_PERSONAS = ("anon", "seeker_a", "employer_a", "bureau_in", "admin", "bureau_no2fa")


def _admin_models():
    return {f"{m._meta.app_label}_{m._meta.model_name}": m for m in admin.site._registry}


def admin_kind(route):
    """(kind, model key) of an admin route; (None, None) for one the rule does not know."""
    simple = {
        "admin:index": "index",
        "admin:login": "login",
        "admin:logout": "logout",
        "admin:password_change": "password_change",
        "admin:password_change_done": "password_change_done",
        "admin:autocomplete": "autocomplete",
        "admin:jsi18n": "jsi18n",
        "admin:view_on_site": "view_on_site",
        "admin:app_list": "app_list",
        "admin:auth_user_password_change": "user_password",
    }
    if route.key in simple:
        return simple[route.key], None
    for model_key in _admin_models():
        for kind in ("changelist", "add", "history", "delete", "change"):
            if route.key == f"admin:{model_key}_{kind}":
                return kind, model_key
    if route.key.endswith("/<path:object_id>/"):
        app, model = route.key.split("/")[1:3]
        if f"{app}_{model}" in _admin_models():
            return "object_redirect", f"{app}_{model}"
    if route.key == "admin/(?P<url>.*)$":
        return "catch_all", None
    return None, None


def test_every_admin_route_has_a_kind():
    unknown = [r.key for r in all_routes() if r.admin and admin_kind(r)[0] is None]
    assert not unknown, f"admin routes the admin rule does not know: {unknown}"


@pytest.fixture
def admin_world(world):
    """One object of every model the admin shows, for its change/history/delete pages."""
    subscription = Subscription.objects.create(email="sub@example.test", region=region("370200"))
    DigestDelivery.objects.create(
        subscription=subscription, phase=world.objects["published_phase"], message_id="<m@x>"
    )
    Group.objects.create(name="editors")
    live, phase = world.objects["live_posting"], world.objects["published_phase"]
    Report.objects.create(posting=live, reason=ReportReason.FEES)
    audit.record(actor=world.personas.bureau_inside, action=AuditAction.PHASE_PUBLISH, obj=phase)
    ImportJob.objects.create(
        bureau=world.personas.qingdao,
        catalog=phase.catalog,
        phase_title="第三批",
        original_name="岗位.xlsx",
    )
    PhaseDocument.objects.create(phase=phase, kind=PhaseDocumentKind.PDF, file="phases/x.pdf")
    if not MinimumWage.objects.exists():
        MinimumWage.objects.create(
            region=region("370200"), hourly="23.00", effective_from=timezone.localdate()
        )
    return world


def admin_urls():
    """(kind, model key, url) for every admin route; object routes get an existing object."""
    models = _admin_models()
    urls = []
    with translation.override("zh-hans"):
        for route in all_routes():
            if not route.admin:
                continue
            kind, model_key = admin_kind(route)
            pk = None
            if model_key:
                pk = models[model_key]._default_manager.order_by("pk").values_list("pk", flat=True)
                pk = pk.first()
            if kind in ("change", "history", "delete", "object_redirect"):
                assert pk is not None, f"admin_world has no {model_key}"
            if kind in ("change", "history", "delete"):
                url = reverse(route.key, args=[pk])
            elif kind == "user_password":
                url = reverse(route.key, args=[models["users_user"].objects.first().pk])
            elif kind == "object_redirect":
                url = "/" + route.key.replace("<path:object_id>", str(pk))
            elif kind == "app_list":
                for label in sorted({m._meta.app_label for m in admin.site._registry}):
                    urls.append((kind, None, reverse(route.key, kwargs={"app_label": label})))
                continue
            elif kind == "view_on_site":
                posting = models["employers_posting"].objects.first()
                content_type = ContentType.objects.get_for_model(posting)
                url = reverse(route.key, args=[content_type.pk, posting.pk])
            elif kind == "catch_all":
                url = "/admin/no-such-page/"
            else:
                url = reverse(route.key)
            urls.append((kind, model_key, url))
    return urls


def _admin_expected(persona, kind, model_key):
    if persona == "bureau_no2fa":
        return SETUP
    if persona != "admin":
        return ADMIN_OUTSIDER_SPECIAL.get(kind, ADMIN_OUTSIDER)
    if kind == "object_redirect":
        return Redirect(f"admin:{model_key}_change")
    if model_key in READ_ONLY_ADMIN and kind in ("add", "delete"):
        return 403  # the audit log is never written or erased by hand
    return ADMIN_EXPECTED[kind]


READ_ONLY_ADMIN = {"directory_auditentry"}


@pytest.mark.parametrize("persona", ADMIN_PERSONAS)
def test_admin_rule(admin_world, persona):
    client = admin_world.clients[persona]
    client.raise_request_exception = False
    urls = admin_urls()
    mismatches = []
    for kind, model_key, url in urls:
        expected = _admin_expected(persona, kind, model_key)
        response = client.get(url)
        got = outcome(response) if isinstance(expected, Redirect) else response.status_code
        if got != expected:
            mismatches.append(f"{kind:>20} {url}: expected {expected}, got {got}")
    assert len(urls) > 80
    assert not mismatches, f"{persona}:\n" + "\n".join(mismatches)


def test_admin_without_second_factor_reaches_nothing(admin_world):
    client = _client(99)
    client.force_login(admin_world.personas.admin)  # password only
    for path in ("/admin/", "/admin/users/user/", "/accounts/", "/api/v1/postings/"):
        response = client.get(path)
        assert (response.status_code, redirect_target(response)) == (302, SETUP.to), path
