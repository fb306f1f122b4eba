"""Permission-matrix rows for the routes of one feature (see tests/matrix_base.py for Row and
the personas, tests/test_permission_matrix.py for the world the rows run in).

MATRIX: route name -> rows, as in the main table. CASES: case name -> function(world, client)
returning URL kwargs; it may create the objects it needs (world.personas holds the personas,
world.objects the shared objects).

The public employer directory (directory/verification/public.py): everyone may read it; it is
read-only (POST 405); a removed employer's page stays reachable, a pending or rejected one was
never public (404)."""

from employers.models import EmployerStatus
from tests.factories import make_employer
from tests.matrix_base import LOGIN, PERSONAS, SETUP, Redirect, Row  # noqa: F401


def _employer_with(status):
    def case(world, client):
        employer = world.objects.get(f"directory_{status}")
        if employer is None:
            employer = make_employer(f"青岛{status}测试公司", "370203", status=status)
            world.objects[f"directory_{status}"] = employer
        return {"pk": employer.pk}

    return case


# fmt: off
#                                anon    seek_a  seek_b  empl_a  empl_b  bur_in  bur_out admin   bur_no2fa
MATRIX = {
    "employer_directory": [
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP)),
        Row("POST",             (405,    405,    405,    405,    405,    405,    405,    405,    SETUP)),
    ],
    "employer_public": [
        # Employer A is verified: its page with its live postings.
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP), case="employer_a"),
        Row("POST",             (405,    405,    405,    405,    405,    405,    405,    405,    SETUP), case="employer_a"),
        # Removed from the directory: not listed, but its page says when and why.
        Row("GET",              (200,    200,    200,    200,    200,    200,    200,    200,    SETUP), case="directory_removed"),
        # Never in the directory, whoever asks (the bureau's own back office shows them).
        Row("GET",              (404,    404,    404,    404,    404,    404,    404,    404,    SETUP), case="directory_pending"),
        Row("GET",              (404,    404,    404,    404,    404,    404,    404,    404,    SETUP), case="directory_rejected"),
        Row("GET",              (404,    404,    404,    404,    404,    404,    404,    404,    SETUP), case="missing_id"),
    ],
}
# fmt: on

CASES = {
    "directory_removed": _employer_with(EmployerStatus.REMOVED),
    "directory_pending": _employer_with(EmployerStatus.PENDING),
    "directory_rejected": _employer_with(EmployerStatus.REJECTED),
}
