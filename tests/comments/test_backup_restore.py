"""Backup and restore as the README tells it (issue 13, "what to build" 7): pg_dump of a database holding comments
and their receipt chain, pg_restore into a new database, and `verify_receipts` on the restored one finds the chain
intact; an altered restored row is caught, so the check is real."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

from comments import services

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not shutil.which("pg_dump") or not shutil.which("pg_restore"), reason="pg_dump/pg_restore are not installed"),
]


def _url(name: str) -> str:
    settings = connection.settings_dict
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    return f"postgres://{settings['USER']}{password}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{name}"


def _run(*command: str, **environment: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, env={**os.environ, **environment}, capture_output=True, text=True, timeout=300)


def test_a_restored_backup_verifies_its_receipt_chain(aigerim_in_demo, tmp_path):
    author, provision = aigerim_in_demo
    for number in range(3):
        services.comment_submit(author=author, provision_id=provision.pk, body=f"Backed up {number}.", stance="support", language="en")
    if connection.vendor != "postgresql":
        pytest.skip("backup and restore are PostgreSQL's")
    dump = tmp_path / "consult.dump"
    source = connection.settings_dict["NAME"]
    dumped = _run("pg_dump", "--format=custom", "--no-owner", f"--file={dump}", _url(source))
    assert dumped.returncode == 0, dumped.stderr
    restored_name = f"restore_{uuid.uuid4().hex[:8]}"
    assert _run("createdb", "--template=template0", restored_name, **_libpq()).returncode == 0
    try:
        loaded = _run("pg_restore", "--no-owner", f"--dbname={_url(restored_name)}", str(dump))
        assert loaded.returncode == 0, loaded.stderr
        verified = _run(sys.executable, "manage.py", "verify_receipts", DATABASE_URL=_url(restored_name), DJANGO_SETTINGS_MODULE="config.settings.test")
        assert verified.returncode == 0, verified.stdout + verified.stderr
        assert "chain intact" in verified.stdout and "tarvania-2026: 3 receipts" in verified.stdout
        tampered = _run("psql", "-q", "-c", "UPDATE comments_comment SET body = 'Rewritten.' WHERE body = 'Backed up 1.'", _url(restored_name))
        assert tampered.returncode == 0, tampered.stderr
        caught = _run(sys.executable, "manage.py", "verify_receipts", DATABASE_URL=_url(restored_name), DJANGO_SETTINGS_MODULE="config.settings.test")
        assert caught.returncode != 0 and "broken" in caught.stderr
    finally:
        _run("dropdb", "--if-exists", restored_name, **_libpq())


def _libpq() -> dict[str, str]:
    settings = connection.settings_dict
    return {"PGHOST": settings["HOST"] or "127.0.0.1", "PGPORT": str(settings["PORT"] or 5432), "PGUSER": settings["USER"],
            **({"PGPASSWORD": settings["PASSWORD"]} if settings.get("PASSWORD") else {})}


@pytest.fixture
def aigerim_in_demo(demo, make_participant):
    from drafts.models import Provision

    return make_participant("Aigerim"), Provision.objects.get(version__document__slug="constitution", version__number=1, path="II/25/1")
