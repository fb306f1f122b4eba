"""Permission-matrix rows for the routes of one feature (see tests/matrix_base.py for Row and
the personas, tests/test_permission_matrix.py for the world the rows run in).

MATRIX: route name -> rows, as in the main table. CASES: case name -> function(world, client)
returning URL kwargs; it may create the objects it needs (world.personas holds the personas,
world.objects the shared objects)."""

from tests.matrix_base import LOGIN, PERSONAS, SETUP, Redirect, Row  # noqa: F401

MATRIX = {}
CASES = {}
