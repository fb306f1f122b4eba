from django.conf import settings
from django.urls import translate_url


def site(request):
    # Language switch as plain links: the same page under the other language's prefix.
    path = request.get_full_path()
    switch = [(code, name, translate_url(path, code)) for code, name in settings.LANGUAGES]
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "SITE_URL": settings.SITE_URL,
        "language_links": switch,
    }
