"""Migrations of the comment tables never lock them for long on a deploy.

From migration 0005 on, an index on a comment table is built or dropped CONCURRENTLY and a CHECK
constraint is added NOT VALID then validated (config/schema.py), in a migration that is not atomic.
"""
import pytest
from django.db import migrations
from django.db.models import CheckConstraint, UniqueConstraint
from django.db.migrations.loader import MigrationLoader

from config.schema import AddCheckWithoutLocking, AddIndexWithoutLocking, AddUniqueWithoutLocking, RemoveIndexWithoutLocking

HOT_MODELS = {"comment", "receipt", "outboxemail", "endorsement", "report"}
FIRST_CHECKED = "0005"
WITHOUT_LOCKING = (AddIndexWithoutLocking, RemoveIndexWithoutLocking, AddCheckWithoutLocking, AddUniqueWithoutLocking)


def _comment_migrations():
    loader = MigrationLoader(None, ignore_no_migrations=True)  # from disk: no database needed
    return [migration for (app, name), migration in sorted(loader.disk_migrations.items()) if app == "comments" and name >= FIRST_CHECKED]


def _locking(operation) -> bool:
    if isinstance(operation, WITHOUT_LOCKING):
        return False
    if operation.__class__ in (migrations.AddIndex, migrations.RemoveIndex, migrations.RenameIndex):
        return operation.model_name.lower() in HOT_MODELS
    if operation.__class__ is migrations.AddConstraint:
        return operation.model_name.lower() in HOT_MODELS and isinstance(operation.constraint, (CheckConstraint, UniqueConstraint))
    return False


@pytest.mark.parametrize("migration", _comment_migrations(), ids=lambda migration: migration.name)
def test_no_migration_locks_a_comment_table_while_it_builds(migration):
    locking = [str(operation.describe()) for operation in migration.operations if _locking(operation)]
    assert locking == [], f"use config.schema's operations in a non-atomic migration: {locking}"
    if any(isinstance(operation, WITHOUT_LOCKING) for operation in migration.operations):
        assert migration.atomic is False


def test_the_check_catches_a_plain_index_on_comments():
    from django.db import models

    operation = migrations.AddIndex(model_name="comment", index=models.Index(fields=["stance"], name="x"))
    assert _locking(operation)
    assert not _locking(AddIndexWithoutLocking(model_name="comment", index=models.Index(fields=["stance"], name="x")))


def test_the_check_catches_a_plain_unique_constraint_on_the_outbox():
    constraint = UniqueConstraint(fields=["key"], name="x")
    assert _locking(migrations.AddConstraint(model_name="outboxemail", constraint=constraint))
    assert not _locking(AddUniqueWithoutLocking(model_name="outboxemail", constraint=constraint))
