"""Migration operations that change a busy table without locking it for long (PostgreSQL), plain elsewhere.

Use them in a migration with `atomic = False`: each statement then commits on its own, so the
brief lock of one is not held while the next one scans the table. On SQLite (`make run`) they do
what the plain operations do.
"""
from __future__ import annotations

from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations


class _ConcurrentlyOnPostgreSQL:
    """The concurrent operation on PostgreSQL, the plain one (`plain`) elsewhere."""

    plain: type[migrations.operations.base.Operation]

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        return self.plain.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        return self.plain.database_backwards(self, app_label, schema_editor, from_state, to_state)


class AddIndexWithoutLocking(_ConcurrentlyOnPostgreSQL, AddIndexConcurrently):
    """CREATE INDEX CONCURRENTLY on PostgreSQL: writes to the table go on while the index is built."""

    plain = migrations.AddIndex


class RemoveIndexWithoutLocking(_ConcurrentlyOnPostgreSQL, RemoveIndexConcurrently):
    """DROP INDEX CONCURRENTLY on PostgreSQL."""

    plain = migrations.RemoveIndex


class AddCheckWithoutLocking(migrations.AddConstraint):
    """A CHECK constraint added NOT VALID (a brief lock, no scan), then validated (a scan that lets writes go on).

    Rows written meanwhile are checked as they are written, from the first statement on.
    """

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        if schema_editor.connection.vendor != "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        table = schema_editor.quote_name(model._meta.db_table)
        schema_editor.execute(f"ALTER TABLE {table} ADD {self.constraint.constraint_sql(model, schema_editor)} NOT VALID")
        schema_editor.execute(f"ALTER TABLE {table} VALIDATE CONSTRAINT {schema_editor.quote_name(self.constraint.name)}")


class AddUniqueWithoutLocking(migrations.AddConstraint):
    """A UNIQUE constraint on plain columns whose index is built CONCURRENTLY, then attached (a brief lock).

    On PostgreSQL: CREATE UNIQUE INDEX CONCURRENTLY, then ALTER TABLE … ADD CONSTRAINT … UNIQUE USING INDEX.
    A conditional or expression constraint cannot be attached this way and is refused.
    """

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        if schema_editor.connection.vendor != "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        constraint = self.constraint
        if constraint.condition is not None or constraint.expressions or not constraint.fields:
            raise ValueError(f"{constraint.name}: only a unique constraint on plain columns can be added without locking")
        table, name = schema_editor.quote_name(model._meta.db_table), schema_editor.quote_name(constraint.name)
        columns = ", ".join(schema_editor.quote_name(model._meta.get_field(field).column) for field in constraint.fields)
        schema_editor.execute(f"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {table} ({columns})")
        schema_editor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} UNIQUE USING INDEX {name}")
