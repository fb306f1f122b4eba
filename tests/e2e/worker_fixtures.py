"""A real Celery worker (with beat) for the feature journeys, run with exactly `server.env`.

Imported by test_feature_journeys.py. The e2e server sets CELERY_TASK_ALWAYS_EAGER=1 in
`server.env`, so gunicorn runs most tasks in-process; the worker consumes whatever reaches the
broker anyway (beat's digest sweep, anything queued from outside gunicorn) on the same
database, Redis and mail folder.
"""

import contextlib
import os
import signal
import subprocess
import time

import pytest

from tests.e2e.conftest import BIN, ROOT


@pytest.fixture(scope="module")
def celery_worker(server, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("celery")
    log_path = tmp / "worker.log"
    command = [
        str(BIN / "celery"),
        "-A",
        "momjobs",
        "worker",
        # Both queues: the default one and the documents one (tools/commands.py).
        "-Q",
        "celery,documents",
        "--concurrency",
        "1",
        "-P",
        "solo",
        "--beat",
        "--schedule",
        str(tmp / "beat-schedule"),
        "--loglevel",
        "INFO",
    ]
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=server.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 90
        while "ready." not in log_path.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the Celery worker did not start:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.5)
        process.log_path = log_path
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
