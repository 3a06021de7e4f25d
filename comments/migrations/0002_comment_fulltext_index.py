"""Full-text index on comment bodies (PostgreSQL only; SQLite searches by containment).

The indexed expression is exactly the one comments.selectors.comment_search queries, so the
planner can use it.
"""
from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS comment_fulltext ON comments_comment "
            "USING gin (to_tsvector('simple'::regconfig, COALESCE(body, '')))",
            params=None,
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS comment_fulltext", params=None)


class Migration(migrations.Migration):
    dependencies = [("comments", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
