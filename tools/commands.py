"""The commands that run the portal's processes, defined once.

`make run` (tools/run.py) starts exactly these, docker-compose.yml runs exactly these, and
tests/test_compose.py checks that the two agree. What differs between places is configuration,
passed through the environment, never through the command:
- web: the address comes from GUNICORN_CMD_ARGS ("--bind 127.0.0.1:8000" locally,
  "--bind 0.0.0.0:8000" in a container) and the number of processes from WEB_CONCURRENCY.
- beat: writes its schedule file `celerybeat-schedule` in its working directory
  (.data/dev locally, a volume in a container).
"""

# No control socket: it would be shared in $HOME by every gunicorn of the user, and is not needed.
WEB_CMD = ["gunicorn", "momjobs.wsgi:application", "--access-logfile", "-", "--no-control-socket"]
WORKER_CMD = ["celery", "-A", "momjobs", "worker", "-l", "info", "--concurrency", "2"]
BEAT_CMD = ["celery", "-A", "momjobs", "beat", "-l", "info"]
