import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "momjobs.settings")

app = Celery("momjobs")
app.config_from_object("django.conf:settings", namespace="CELERY")


def task_packages():
    """Where tasks are found, the one way: every package of the project's own apps that has a
    tasks.py (directory/subscriptions, directory/imports, employers …), and momjobs/lib (mail)."""
    from django.apps import apps
    from django.conf import settings

    base = Path(settings.BASE_DIR).resolve()
    app_roots = {Path(config.path).resolve() for config in apps.get_app_configs()}
    packages = ["momjobs.lib"]
    for root in sorted(app_roots):
        if base not in root.parents:
            continue  # Django's and third-party apps
        for tasks in sorted(root.rglob("tasks.py")):
            folder = tasks.parent
            # A package that is an app of its own (the demo) is listed for itself, if installed.
            owner = next(p for p in [folder, *folder.parents] if p in app_roots)
            if owner == root:
                packages.append(".".join(folder.relative_to(base).parts))
    return packages


app.autodiscover_tasks(task_packages)


@app.task(name="momjobs.ping")
def ping():
    return "pong"
