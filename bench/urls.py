"""The project's URLs plus /bench/ok, a trivial view for the benchmark's baseline (scenario a).

The project's urlpatterns are spliced in, not include()d: i18n_patterns must stay at the root.
"""

from django.http import HttpResponse
from django.urls import path

from momjobs.urls import urlpatterns as project_urlpatterns


def ok(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/ok", ok, name="bench_ok"), *project_urlpatterns]
