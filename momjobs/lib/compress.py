"""HTML, JSON, XML and CSV compressed on the wire (gzip), where it pays.

Django's own GZipMiddleware does the work, including its BREACH mitigation (a random-length
padding in each response, "Heal The Breach"), since our pages carry CSRF tokens next to text a
visitor typed. This subclass leaves alone what is already compressed or not worth it: PDFs,
spreadsheets, images, CV downloads (static files never reach it: WhiteNoise serves them, already
compressed, in front of it). Figures in docs/performance.md ("Compression").
"""

from django.middleware.gzip import GZipMiddleware

COMPRESSIBLE = (
    "text/html",
    "text/plain",
    "text/csv",
    "text/xml",
    "application/json",
    "application/xml",
    "application/atom+xml",
    "application/rss+xml",
)


class TextGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        kind = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
        if kind not in COMPRESSIBLE:
            return response
        return super().process_response(request, response)
