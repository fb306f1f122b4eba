"""Requests carrying a NUL character are refused with a plain 400 page before any view runs.

PostgreSQL text cannot hold NUL, so a NUL in a path or a parameter that reaches a query is a 500
(`/employers/?region=%00` was one). Forms already refuse NUL in their fields; this covers every
path and query string the views read directly, in one place.
"""

from django.http import JsonResponse
from django.shortcuts import render


def _has_nul(values):
    return any("\x00" in key or any("\x00" in v for v in vals) for key, vals in values.lists())


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Path and query string only: the body is left for the view to read (the import sets
        # its own upload handlers first), and every form already refuses NUL in its fields.
        if "\x00" in request.path or _has_nul(request.GET):
            if request.path.startswith("/api/"):
                return JsonResponse({"error": "invalid characters in the request"}, status=400)
            return render(request, "400.html", status=400)
        return self.get_response(request)
