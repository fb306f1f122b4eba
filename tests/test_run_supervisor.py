"""`make run` keeps the portal up when a background process dies (issue: killing the Celery
worker stopped `make run` altogether): tools/run.py's Supervisor restarts the worker and beat,
says so, and gives up on one that keeps dying instead of looping; the web server is not
restartable (its death stops everything, as before)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
import run  # noqa: E402


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


DIE = ["python", "-c", "import sys; sys.exit(3)"]
LIVE = ["python", "-c", "import time; time.sleep(30)"]


@pytest.fixture
def children(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "PIDS", tmp_path / "run.pids")
    started = {}
    yield started
    run.stop_children(started, timeout=2)


def wait_dead(process):
    process.wait(timeout=10)


def test_a_dead_worker_is_restarted_and_the_web_stays_up(children, capsys):
    children["web"] = run.start_child("web", LIVE, {})
    children["worker"] = run.start_child("worker", DIE, {})
    wait_dead(children["worker"])
    first = children["worker"]
    supervisor = run.Supervisor(children, {"worker": (LIVE, run.REPO)}, {}, clock=Clock())
    assert supervisor.check() is None
    assert children["worker"] is not first and children["worker"].poll() is None
    assert children["web"].poll() is None
    assert "worker exited with code 3; restarting it" in capsys.readouterr().out


def test_one_that_keeps_dying_is_left_down_without_stopping_the_portal(children, capsys):
    clock = Clock()
    children["web"] = run.start_child("web", LIVE, {})
    children["beat"] = run.start_child("beat", DIE, {})
    supervisor = run.Supervisor(children, {"beat": (DIE, run.REPO)}, {}, clock=clock)
    for _ in range(run.Supervisor.MAX_RESTARTS + 1):
        wait_dead(children["beat"])
        assert supervisor.check() is None
        clock.now += 1
    assert "leaving it stopped" in capsys.readouterr().out
    assert children["web"].poll() is None
    assert supervisor.check() is None  # no tight loop


def test_the_web_server_dying_stops_everything(children):
    children["web"] = run.start_child("web", DIE, {})
    wait_dead(children["web"])
    supervisor = run.Supervisor(children, {"worker": (LIVE, run.REPO)}, {}, clock=Clock())
    assert supervisor.check() == "web"
