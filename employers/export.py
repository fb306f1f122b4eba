"""Spreadsheet exports: a cell that starts with = + - @ (or a tab/CR) would run as a formula in
Excel or WPS (CSV/formula injection), so such text is prefixed with an apostrophe."""

DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(DANGEROUS_FIRST):
        return "'" + value
    return value
