import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "momjobs.settings")

app = Celery("momjobs")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="momjobs.ping")
def ping():
    return "pong"
