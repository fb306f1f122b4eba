"""The commands that run the portal's processes, defined once.

`make run` (tools/run.py) starts exactly these, docker-compose.yml runs exactly these, and
tests/test_compose.py checks that the two agree. What differs between places is configuration,
passed through the environment, never through the command:
- web: the address comes from GUNICORN_CMD_ARGS ("--bind 127.0.0.1:8000" locally,
  "--bind 0.0.0.0:8000" in a container) and the number of processes from WEB_CONCURRENCY.
- documents: the worker of the "documents" queue; one process is enough.
- beat: writes its schedule file `celerybeat-schedule` in its working directory
  (.data/dev locally, a volume in a container).
"""

# No control socket: it would be shared in $HOME by every gunicorn of the user, and is not needed.
WEB_CMD = ["gunicorn", "momjobs.wsgi:application", "--access-logfile", "-", "--no-control-socket"]


def _worker(queue, concurrency, *extra):
    return ["celery", "-A", "momjobs", "worker", "-l", "info",
            "--concurrency", str(concurrency), "-Q", queue, *extra]  # fmt: skip


# The main worker: mail, SMS, digests, imports, follow-ups (the default queue, "celery").
WORKER_CMD = _worker("celery", 2)
# Documents (a phase's PDF and XLSX, seconds of CPU each) on their own queue and process, so
# that rendering never holds up a digest (CELERY_TASK_ROUTES in momjobs/settings.py).
DOCUMENTS_CMD = _worker("documents", 1, "-n", "documents@%h")
BEAT_CMD = ["celery", "-A", "momjobs", "beat", "-l", "info"]
