"""On PostgreSQL, a GIN index on the fingerprints' keys, so that a new comment's candidates are one index
lookup (keys ?| array[...]) however many comments there are. Built concurrently; SQLite scans instead."""
from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS fingerprint_keys_gin ON comments_commentfingerprint USING gin (keys jsonb_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS fingerprint_keys_gin")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("comments", "0010_campaigns"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
