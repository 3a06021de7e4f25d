"""The `demo` fixture's shortcut: the rows a real demo load wrote, copied back into later tests' transactions.

Loading the demo consultation (consult.demo_data.demo_consultation_load: three versions imported, published
and aligned) takes about a second, and some 150 tests start with it. Its result is only rows: the first test
that asks for the demo in a run loads it for real, and the rows that load inserted (every table, compared
before and after) are kept as text. A later test in a rolled-back transaction (pytest-django's `db`) gets the
same rows inserted again, with the same ids: the state a real load leaves, in a few milliseconds.

It falls back to the real load, and the test sees no difference, whenever the copy might not be that state:
- outside a transaction that rolls back (transactional tests, the live server's): the real load, always;
- a load that changed or deleted rows that were already there (the test made the demo's admin first, say):
  not kept, the next test captures again;
- rows that are already there and that the load would have used (a user "admin", a consultation or document
  with the demo's slugs: `_demo_state_present`, to extend if the load comes to read other existing rows), a row
  outside the copy that it refers to and that is gone, or any error while inserting the copy (a unique key
  the test's own rows hold: its savepoint rolls back): the real load;
- a copy older than MAX_AGE seconds, or taken in another hour of the local clock (the demo's phases start
  on the hour): captured again, so the demo's timestamps are as recent as a real load's, give or take a minute.

The copy is inserted with triggers off (session_replication_role = replica, for that statement's savepoint
only): the rows were checked by every trigger and constraint when they were first written, and the
demo's triggers must not fire twice. Sequences are moved past the copied ids if they ever fell behind.
What a real load leaves besides rows is not copied: the alignment task it queues on commit never runs in a
transaction that rolls back anyway, and it writes nothing to the cache.
"""
from __future__ import annotations

import collections
import dataclasses
import os
import time

MAX_AGE = 60.0  # seconds
ENABLED = os.environ.get("DEMO_SNAPSHOT", "1") != "0"  # DEMO_SNAPSHOT=0: the real load in every test


@dataclasses.dataclass(frozen=True)
class _Table:
    name: str  # quoted, as regclass prints it
    columns: tuple[str, ...]  # quoted
    rows: tuple[str, ...]  # row literals, "(1,foo,...)"


@dataclasses.dataclass(frozen=True)
class Snapshot:
    tables: tuple[_Table, ...]
    sequences: tuple[tuple[str, int], ...]  # (sequence, highest id the copy holds)
    outside: tuple[tuple[str, str, tuple[str, ...]], ...]  # (table, column, keys): rows the copy refers to but does not hold
    consultation_pk: int
    taken_at: float  # time.monotonic()
    hour: object  # the local hour it was taken in


_snapshot: Snapshot | None = None
stats = collections.Counter()  # "loaded", "restored", "fallback:<why>": reported at the end of a run


def _local_hour():
    from django.utils import timezone

    return timezone.localtime().replace(minute=0, second=0, microsecond=0)


def _tables(cursor) -> list[tuple[str, tuple[str, ...]]]:
    """Every table of the schema, with its insertable columns (quoted identifiers)."""
    cursor.execute(
        """
        SELECT c.oid::regclass::text, array_agg(quote_ident(a.attname) ORDER BY a.attnum)
        FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
        WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace
          AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
        GROUP BY c.oid ORDER BY 1
        """
    )
    return [(name, tuple(columns)) for name, columns in cursor.fetchall()]


def _rows(cursor, tables) -> dict[str, collections.Counter]:
    """Every row of every table, as its row literal (one query)."""
    rows = {name: collections.Counter() for name, _columns in tables}
    if not tables:
        return rows
    union = " UNION ALL ".join(f"SELECT {index}, t::text FROM {name} t" for index, (name, _columns) in enumerate(tables))
    cursor.execute(union)
    for index, row in cursor.fetchall():
        rows[tables[index][0]][row] += 1
    return rows


def _sequences(cursor, tables: dict[str, _Table]) -> tuple[tuple[str, int], ...]:
    """The sequences of the copied tables' columns, with the highest value the copy holds in each."""
    highest = []
    for table in tables.values():
        cursor.execute(
            """
            SELECT quote_ident(a.attname), pg_get_serial_sequence(%s, a.attname)
            FROM pg_attribute a WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped
              AND pg_get_serial_sequence(%s, a.attname) IS NOT NULL
            """,
            [table.name, table.name, table.name],
        )
        for column, sequence in cursor.fetchall():
            cursor.execute(f"SELECT max((r::{table.name}).{column}) FROM unnest(%s::text[]) r", [list(table.rows)])
            value = cursor.fetchone()[0]
            if value is not None:
                highest.append((sequence, int(value)))
    return tuple(highest)


def _references_outside(cursor, tables: dict[str, _Table]) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """The rows outside the copy that its foreign keys point to (by the referenced table and column).

    The copy goes in with the key checks off: each of these must be there when it does."""
    cursor.execute(
        """
        SELECT c.conrelid::regclass::text, quote_ident(a.attname), c.confrelid::regclass::text, quote_ident(f.attname)
        FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        JOIN pg_attribute f ON f.attrelid = c.confrelid AND f.attnum = c.confkey[1]
        WHERE c.contype = 'f' AND cardinality(c.conkey) = 1 AND c.conrelid = ANY(%s::regclass[])
        """,
        [list(tables)],
    )
    keys_of = cursor.fetchall()
    cursor.execute(
        "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND cardinality(conkey) <> 1 AND conrelid = ANY(%s::regclass[])",
        [list(tables)],
    )
    if cursor.fetchone()[0]:
        raise _NotCopyable("a foreign key of several columns")
    outside = []
    for table, column, target, target_column in keys_of:
        held = tables.get(target)
        cursor.execute(
            f"SELECT DISTINCT (r::{table}).{column}::text FROM unnest(%s::text[]) r WHERE (r::{table}).{column} IS NOT NULL"
            + (f" EXCEPT SELECT (r::{target}).{target_column}::text FROM unnest(%s::text[]) r" if held else ""),
            [list(tables[table].rows)] + ([list(held.rows)] if held else []),
        )
        keys = tuple(sorted(key for (key,) in cursor.fetchall()))
        if keys:
            outside.append((target, target_column, keys))
    return tuple(outside)


class _NotCopyable(Exception):
    pass


def _demo_state_present() -> bool:
    """Rows the demo load would find and use rather than create."""
    from django.contrib.auth import get_user_model

    from consult.demo_data import CONSTITUTION_SLUG, DEMO_SLUG, REFERENDUM_LAW_SLUG
    from consult.models import Consultation
    from drafts.models import Document

    return (
        Consultation.objects.filter(slug=DEMO_SLUG).exists()
        or Document.objects.filter(slug__in=[CONSTITUTION_SLUG, REFERENDUM_LAW_SLUG]).exists()
        or get_user_model().objects.filter(username="admin").exists()
    )


def _capture_load():
    """Load the demo for real, keeping what it inserted when it only inserted."""
    global _snapshot
    from django.db import connection

    from consult.demo_data import demo_consultation_load

    with connection.cursor() as cursor:
        tables = _tables(cursor)
        before = _rows(cursor, tables)
        hour, started = _local_hour(), time.monotonic()
        consultation = demo_consultation_load(admin_password="admin")
        after = _rows(cursor, tables)
        if any(before[name] - after[name] for name, _columns in tables):  # something was changed or deleted
            stats["fallback:not only inserts"] += 1
            _snapshot = None
            return consultation
        copied = {
            name: _Table(name=name, columns=columns, rows=tuple((after[name] - before[name]).elements()))
            for name, columns in tables
            if after[name] - before[name]
        }
        try:
            outside = _references_outside(cursor, copied)
        except _NotCopyable as reason:
            stats[f"fallback:{reason}"] += 1
            _snapshot = None
            return consultation
        _snapshot = Snapshot(
            tables=tuple(copied.values()), sequences=_sequences(cursor, copied), outside=outside,
            consultation_pk=consultation.pk, taken_at=started, hour=hour,
        )
    stats["loaded"] += 1
    return consultation


def _restore(snapshot: Snapshot):
    from django.db import DatabaseError, connection, transaction

    from consult.models import Consultation

    with connection.cursor() as cursor:
        for table, column, keys in snapshot.outside:
            cursor.execute(f"SELECT count(DISTINCT {column}) FROM {table} WHERE {column}::text = ANY(%s::text[])", [list(keys)])
            if cursor.fetchone()[0] != len(keys):
                stats["fallback:a row it refers to is gone"] += 1
                return None
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            for table in snapshot.tables:
                values = ", ".join(f"(x).{column}" for column in table.columns)
                cursor.execute(
                    f"INSERT INTO {table.name} ({', '.join(table.columns)}) "
                    f"SELECT {values} FROM (SELECT r::{table.name} AS x FROM unnest(%s::text[]) r) s",
                    [list(table.rows)],
                )
            cursor.execute("SET LOCAL session_replication_role = origin")
            if snapshot.sequences:
                sequences, values = zip(*snapshot.sequences)
                cursor.execute(
                    "SELECT setval(s::regclass, v) FROM unnest(%s::text[], %s::bigint[]) AS q(s, v) "
                    "WHERE coalesce(pg_sequence_last_value(s::regclass), 0) < v",
                    [list(sequences), list(values)],
                )
    except DatabaseError:  # a unique key the test's own rows already hold, no right to turn triggers off...
        stats["fallback:insert failed"] += 1
        return None
    stats["restored"] += 1
    return Consultation.objects.get(pk=snapshot.consultation_pk)


def demo_load():
    """What `demo_consultation_load(admin_password="admin")` returns, and the same rows, as fast as it is safe."""
    from django.db import connection

    from consult.demo_data import demo_consultation_load

    if not ENABLED:
        return demo_consultation_load(admin_password="admin")
    if not connection.in_atomic_block:  # a transactional test: its rows are committed, and flushed after it
        stats["fallback:transactional"] += 1
        return demo_consultation_load(admin_password="admin")
    if _demo_state_present():
        stats["fallback:demo rows present"] += 1
        return demo_consultation_load(admin_password="admin")
    snapshot = _snapshot
    if snapshot is not None and time.monotonic() - snapshot.taken_at <= MAX_AGE and snapshot.hour == _local_hour():
        consultation = _restore(snapshot)
        if consultation is not None:
            return consultation
    return _capture_load()
