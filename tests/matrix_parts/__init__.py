"""Per-feature permission-matrix rows, merged into the main table by
tests/test_permission_matrix.py. A module here must not repeat a route or a case name."""

from . import dashboard, exports, follow_ups, imports, phone_accounts, public_directory, reports

PARTS = (imports, exports, reports, public_directory, dashboard, phone_accounts, follow_ups)
