"""What every permission-matrix row is made of: the personas (columns), expected redirects and
the Row type. Shared by tests/test_permission_matrix.py and the per-feature row modules in
tests/matrix_parts/ (one module per feature, so features can add rows without touching the
main table)."""

from dataclasses import dataclass, field

PERSONAS = (
    "anon",
    "seeker_a",
    "seeker_b",
    "employer_a",
    "employer_b",
    "bureau_in",
    "bureau_out",
    "admin",
    "bureau_no2fa",
)


@dataclass(frozen=True)
class Redirect:
    """A 302 whose Location resolves (language prefix and query dropped) to the view `to`."""

    to: str
    status: int = 302

    def __str__(self):
        return f"302→{self.to}"


LOGIN = Redirect("users:login")
SETUP = Redirect("users:two_factor_setup")
DASH = Redirect("users:dashboard")
HOME = Redirect("home")
RESET_SENT = Redirect("users:password_reset_done")
RESET_FORM = Redirect("users:password_reset_confirm")  # the token moved into the session
PREVIEW = Redirect("employers:posting_preview")
EDIT = Redirect("employers:posting_edit")
REVIEW = Redirect("bureau:phase_review")
PROFILE = Redirect("users:profile")
APPLICATIONS = Redirect("seeker:applications")
SUB_FORM = Redirect("subscribe:form")
PHASES = Redirect("bureau:phase_list")
REVISIONS = Redirect("bureau:revision_list")


@dataclass(frozen=True)
class Row:
    method: str
    # One expectation per column of PERSONAS, in that order.
    expect: tuple
    # A name from CASES: which object/session state the URL is built for.
    case: str = "plain"
    # POST data, or a function of the world returning it (for ids).
    data: object = field(default_factory=dict)
    # Only for real app bugs reported in docs/testing-matrix.md: xfail(strict=True) as long as
    # every mismatch is the status the bug gives (`bug_gives`); anything else fails.
    bug: str = ""
    bug_gives: int = 500

    def __post_init__(self):
        assert len(self.expect) == len(PERSONAS), f"{self}: one expectation per persona"
