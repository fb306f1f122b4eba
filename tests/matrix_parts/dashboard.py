"""Permission-matrix rows for the routes of one feature (see tests/matrix_base.py for Row and
the personas, tests/test_permission_matrix.py for the world the rows run in).

MATRIX: route name -> rows, as in the main table. CASES: case name -> function(world, client)
returning URL kwargs; it may create the objects it needs (world.personas holds the personas,
world.objects the shared objects).

The bureau's dashboard, its CSV and the audit log (directory/dashboard/views.py): any bureau's
staff (each sees her own jurisdiction), every other role 403 (the admin too: she reads the audit
log in the admin). Recognition of an employer (directory/verification/views.py): staff whose
jurisdiction covers the employer; the other bureau's officer gets 404."""

from tests.matrix_base import LOGIN, PERSONAS, SETUP, Redirect, Row  # noqa: F401

DETAIL = Redirect("bureau:employer_detail")

# fmt: off
#                                anon    seek_a  seek_b  empl_a  empl_b  bur_in  bur_out admin   bur_no2fa
MATRIX = {
    "bureau:dashboard": [
        Row("GET",              (LOGIN,  403,    403,    403,    403,    200,    200,    403,    SETUP)),
        Row("POST",             (LOGIN,  405,    405,    405,    405,    405,    405,    405,    SETUP)),
    ],
    "bureau:dashboard_csv": [
        Row("GET",              (LOGIN,  403,    403,    403,    403,    200,    200,    403,    SETUP)),
        Row("POST",             (LOGIN,  405,    405,    405,    405,    405,    405,    405,    SETUP)),
    ],
    "bureau:audit_log": [
        Row("GET",              (LOGIN,  403,    403,    403,    403,    200,    200,    403,    SETUP)),
        Row("POST",             (LOGIN,  405,    405,    405,    405,    405,    405,    405,    SETUP)),
    ],
    "bureau:employer_recognise": [
        Row("GET",              (LOGIN,  405,    405,    405,    405,    405,    405,    405,    SETUP), case="employer_a"),
        # Employer A is in Qingdao: Linyi's officer gets 404.
        Row("POST",             (LOGIN,  403,    403,    403,    403,    DETAIL, 404,    403,    SETUP), case="employer_a",
            data={"title": "妈妈岗就业基地", "year": "2025"}),
        # A form error is shown on the employer's page.
        Row("POST",             (LOGIN,  403,    403,    403,    403,    200,    404,    403,    SETUP), case="employer_a",
            data={"title": "", "year": ""}),
        Row("POST",             (LOGIN,  403,    403,    403,    403,    404,    404,    403,    SETUP), case="missing_id",
            data={"title": "妈妈岗就业基地", "year": "2025"}),
    ],
}
# fmt: on

CASES = {}
