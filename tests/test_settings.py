import os
import subprocess
import sys
from pathlib import Path

import pytest

from momjobs.settings import database_from_url, mailer_from_url

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x7#k2!pQ9vZ$w4Lr8nB@e6Ty1uIo3aSd5fGh0jKl&mN*cVb^xZq",
    "ALLOWED_HOSTS": "momjobs.example.cn",
    "SITE_URL": "https://momjobs.example.cn",
    "EMAIL_URL": "smtp://mailer:secret@smtp.example.cn:587?tls=1",
    "BEHIND_TLS_PROXY": "1",
}


def run_manage(*args, env_extra):
    env = {**os.environ, **env_extra}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_values():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_extra=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


DEMO_COMMANDS = ("load_demo", "make_sample_import", "demo_totp_code")


def test_production_has_no_demo_command():
    """With DEBUG=0 and DEMO_MODE=0 the demo app is not installed: none of its commands exists,
    so no command can create the demo accounts with their published password and key."""
    production = {**PRODUCTION_ENV, "DEMO_MODE": "0"}
    listed = run_manage("help", "--commands", env_extra=production)
    assert listed.returncode == 0, listed.stderr
    commands = set(listed.stdout.split())
    assert "migrate" in commands  # the listing itself worked
    assert not commands & set(DEMO_COMMANDS)
    for command in DEMO_COMMANDS:
        result = run_manage(command, env_extra=production)
        assert result.returncode != 0
        assert f"Unknown command: '{command}'" in result.stderr
    # In demo mode they are there (make run uses them).
    demo = run_manage("help", "--commands", env_extra={"DEBUG": "1", "DEMO_MODE": "1"})
    assert set(DEMO_COMMANDS) <= set(demo.stdout.split()), demo.stderr


@pytest.mark.django_db
def test_load_demo_refuses_outside_demo_mode(settings):
    """A settings mix-up (the app installed, the mode off) still creates nothing."""
    from django.core.management import CommandError, call_command

    from momjobs.users.models import User

    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="DEMO_MODE"):
        call_command("load_demo")
    assert not User.objects.filter(email__endswith="@demo.momjobs.cn").exists()


def test_check_deploy_complains_with_local_defaults():
    # Proves the test above can fail: DEBUG on and insecure cookies are reported.
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={"DEBUG": "1", "SECRET_KEY": "", "SESSION_COOKIE_SECURE": "0"},
    )
    assert result.returncode != 0


def test_production_refuses_the_default_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    env["SECRET_KEY"] = ""
    result = run_manage("check", env_extra={**env, "SECRET_KEY": "django-insecure-x"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_database_url_parsing():
    db = database_from_url("postgres://u%40x:p%2Fw@db.example:6543/jobs?sslmode=require")
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == (
        "u@x",
        "p/w",
        "db.example",
        "6543",
        "jobs",
    )
    assert db["OPTIONS"] == {"sslmode": "require"}
    with pytest.raises(ValueError):
        database_from_url("mysql://x@y/z")


def test_email_url_to_mailers():
    smtp = mailer_from_url("smtp://a:b@mail.example:587?tls=1")
    assert smtp["BACKEND"].endswith("smtp.EmailBackend")
    assert smtp["OPTIONS"]["port"] == 587 and smtp["OPTIONS"]["use_tls"] is True
    assert mailer_from_url("file:///tmp/mail")["OPTIONS"]["file_path"] == "/tmp/mail"
    with pytest.raises(ValueError):
        mailer_from_url("carrier-pigeon://x")


def test_mailers_setting_is_what_django_uses(settings):
    from django.core import mail

    assert "default" in settings.MAILERS
    assert mail.mailers.default is not None


def test_a_fresh_worker_finds_every_task_by_autodiscovery():
    """Tasks are found one way (momjobs/celery.py): a new process that only loads the Celery
    app, as a worker does, knows every task the code queues and every task beat schedules."""
    script = (
        "import django, json; django.setup()\n"
        "from momjobs.celery import app\n"
        "app.loader.import_default_modules()\n"
        "print(json.dumps(sorted(app.tasks)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "momjobs.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    import json

    from django.conf import settings

    names = set(json.loads(result.stdout.strip().splitlines()[-1]))
    assert {
        "momjobs.send_email",
        "directory.relay_outbox",
        "directory.send_digests",
        "directory.sweep_digests",
        "directory.send_subscription_email",
        "directory.render_phase_documents",
        "directory.run_import",
        "directory.erase_report_contacts",
        "employers.anonymise_old_applications",
    } <= names
    assert {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()} <= names
