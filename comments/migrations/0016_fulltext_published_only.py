"""The full-text index holds published comments only, as comments.selectors.comment_search searches only them
(the words of a hidden or withdrawn comment are never matched). Same expression as 0002's comment_fulltext,
with the search's condition, so that the planner reads it for every search; built CONCURRENTLY, then the old
index is dropped CONCURRENTLY (PostgreSQL only; SQLite searches by containment)."""
from django.db import migrations

CREATE = (
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS comment_fulltext_published ON comments_comment "
    "USING gin (to_tsvector('simple'::regconfig, COALESCE(body, ''))) WHERE status = 'published'"
)
CREATE_OLD = (
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS comment_fulltext ON comments_comment "
    "USING gin (to_tsvector('simple'::regconfig, COALESCE(body, '')))"
)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)
        schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS comment_fulltext", params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_OLD, params=None)
        schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS comment_fulltext_published", params=None)


class Migration(migrations.Migration):
    atomic = False  # CREATE/DROP INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [("comments", "0015_digest_reports")]
    operations = [migrations.RunPython(forward, backward, elidable=False)]
