# Production image for web, worker and beat (see docker-compose.yml). Build: docker compose build
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    # beat runs in its volume (/var/lib/momjobs/beat) and must still find the code.
    PYTHONPATH=/app \
    DEBUG=0 \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/var/lib/momjobs/media \
    PRIVATE_ROOT=/var/lib/momjobs/private

WORKDIR /app

# gettext only while compiling translations, removed in the same layer; Pango stays (WeasyPrint
# renders the phase PDFs with it, docs/exports.md).
COPY requirements/base.txt requirements/base.txt
RUN pip install -r requirements/base.txt

COPY . .
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext libpango-1.0-0 libpangoft2-1.0-0 \
    && if ls locale/*/LC_MESSAGES/*.po >/dev/null 2>&1; then \
         SECRET_KEY=build-only python manage.py compilemessages --ignore=.venv --ignore=.data; fi \
    && apt-get purge -y --auto-remove gettext \
    && rm -rf /var/lib/apt/lists/* \
    && SECRET_KEY=build-only python manage.py collectstatic --noinput \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin momjobs \
    && mkdir -p /var/lib/momjobs/media /var/lib/momjobs/private /var/lib/momjobs/beat \
    && chown -R momjobs:momjobs /var/lib/momjobs

USER momjobs
EXPOSE 8000
# The web command of tools/commands.py; docker-compose.yml sets it (and the others) explicitly.
CMD ["gunicorn", "momjobs.wsgi:application", "--access-logfile", "-", "--no-control-socket"]
