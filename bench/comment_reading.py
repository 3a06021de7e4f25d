"""Reading comments on a provision that has 100,000 of them, as a ratio against the same requests on one with 20.

Issue 3 asks that comments be paginated "so that a provision with 100,000 comments still loads fast";
comparable platforms need about 1 s and 800 SQL queries to serve one page of 20 comments.

In order: a fresh database `consult_bench_reading` with the demo consultation; 20 comments on one
paragraph of the open draft; every request below is timed (in this process, through Django's WSGI
handler: the middleware, the view, the template or the serializer, the SQL) and its SQL statements
counted. Then 100,000 comments (1% with a reply, 1% hidden, 0.4% withdrawn, endorsements spread over
0-49) are written on another paragraph with INSERT ... SELECT generate_series, VACUUM ANALYZE runs, and the
same requests are timed on that paragraph. The report gives, per request, the statements and the
median and p95 times of both, and their ratio; the target is that no request costs more than twice
as much on the large provision, with the same number of statements.

The lists read a page from an index whatever the number of comments (the API requests show it), and
the counts the HTML pages show ("N comments, M hidden") are one row per provision (comments.counting),
so no page grows with the comments. The draft's reader is timed twice for an anonymous reader: as
served (comments.page_cache: rendered once per state, then from the cache) and with the cache off
(READER_CACHE_SECONDS = 0), side by side in the same run; the ratio of their times is the ratio of
the throughput one process gives each (target: at least 5).
"""
from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import dataclass

from bench.environment import (
    database_recreate,
    environment_configure,
    environment_release,
    redis_empty,
)

DESCRIPTION = "reading a page of comments on a provision with 100,000 comments, against one with 20"

DATABASE_NAME = "consult_bench_reading"
REDIS_DB = 12  # used by this benchmark only, emptied before and after
LARGE = 100_000
SMALL = 20
TARGET_RATIO = 2.0
TARGET_CACHE_SPEEDUP = 5.0
COMPARABLE_PLATFORM = (1000.0, 800)  # ms and SQL statements for one page of 20 comments
BODIES = [
    "This paragraph should guarantee peaceful assembly without prior permission.",
    "The grounds for restricting rights must be those the ICCPR allows, nothing vaguer.",
    "Please define public morals; as written it can justify anything.",
    "I support this wording: it is clear and it protects minorities.",
    "The Russian text says something different from the Kazakh text here.",
    "Courts, not the executive, should decide when a right may be limited.",
    "Add a time limit to any restriction, and require that it be necessary and proportionate.",
    "Spiritual and moral values are not a legal standard; remove them from this article.",
]


@dataclass(frozen=True)
class Timing:
    statements: int
    median_ms: float
    p95_ms: float


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench reading", description=DESCRIPTION)
    parser.add_argument("--repeat", type=int, default=30, help="times each request is timed (default 30)")
    parser.add_argument("--comments", type=int, default=LARGE, help=f"comments on the large provision (default {LARGE})")
    parser.add_argument("--keep-database", action="store_true", help=f"leave {DATABASE_NAME} in place for inspection")
    args = parser.parse_args(argv)
    if not 3 <= args.repeat <= 1000 or not 1000 <= args.comments <= 5_000_000:
        parser.error("need 3-1000 repeats and 1,000-5,000,000 comments")
    return args


def _prepare():
    """Migrate and load the demo; the open draft's version and two paragraphs of different articles."""
    import django

    django.setup()
    from django.core.management import call_command

    from consult.demo_data import demo_consultation_load
    from drafts.models import DraftVersion, Provision

    call_command("migrate", interactive=False, verbosity=0)
    consultation = demo_consultation_load(admin_password=None)
    version = DraftVersion.objects.select_related("document").get(document__slug="constitution", number=1)
    paragraphs = list(Provision.objects.filter(version=version, kind="paragraph").order_by("order"))
    small = paragraphs[0]
    large = next(p for p in paragraphs if p.parent_id != small.parent_id)
    return consultation, version, small, large


def _comments_write(*, consultation, provision, count: int) -> None:
    """`count` comments on `provision` by one author, 1% with a reply, in three statements."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from comments.storage import COMMENT_COLUMNS

    author, _created = get_user_model().objects.get_or_create(username="bench-reader", defaults={"email": "reader@example.org"})
    params = {
        "consultation": consultation.pk, "version": provision.version_id, "provision": provision.pk,
        "lineage": provision.lineage_id, "author": author.pk, "count": count, "bodies": BODIES,
    }
    columns = ", ".join(COMMENT_COLUMNS)  # in this order, the values below
    with connection.cursor() as cursor:
        cursor.execute(f"""
            INSERT INTO comments_comment ({columns})
            SELECT %(consultation)s, %(version)s, %(provision)s, %(lineage)s, %(author)s, NULL, false, 'Reader ' || (i %% 5000),
                   'individual', '', (ARRAY['support', 'oppose', 'propose_wording', 'question'])[1 + i %% 4],
                   'Comment ' || i || ': ' || (%(bodies)s::text[])[1 + i %% 8], '', 'en', '', '', '', NULL, NULL, '',
                   CASE WHEN i %% 100 = 0 THEN 'hidden' ELSE 'published' END,
                   CASE WHEN i %% 100 = 0 THEN 'Off topic.' ELSE '' END, (i * 7919) %% 50,
                   now() - (%(count)s - i) * interval '1 second'
            FROM generate_series(1, %(count)s) AS i
        """, params)
        # Withdrawn by their authors (a withdrawal time goes with the status: comment_withdrawal_recorded).
        cursor.execute("""
            UPDATE comments_comment SET status = 'withdrawn', withdrawn_at = created_at + interval '1 hour'
            WHERE provision_id = %(provision)s AND status = 'published' AND substring(body from '^Comment ([0-9]+):')::int %% 250 = 0
        """, params)
        cursor.execute(f"""
            INSERT INTO comments_comment ({columns})
            SELECT consultation_id, version_id, provision_id, lineage_id, author_id, id, false, 'Replier', 'individual', '',
                   'question', 'A reply to comment ' || id, '', 'en', '', '', '', NULL, NULL, '', 'published', '', 0,
                   created_at + interval '1 minute'
            FROM comments_comment WHERE provision_id = %(provision)s AND parent_id IS NULL AND id %% 100 = 7
        """, params)
        # Receipts as the pages show them (their hashes are not a valid chain: nothing here verifies it).
        cursor.execute("""
            INSERT INTO comments_receipt (consultation_id, kind, payload_format, comment_id, sequence, number, content_hash,
                                          previous_hash, chain_hash, created_at)
            SELECT c.consultation_id, 'comment', 1, c.id, 1000000000 + c.id, 'BENCH-' || c.id, md5(c.id::text) || md5(c.id::text),
                   repeat('0', 64), md5('chain' || c.id) || md5('link' || c.id), c.created_at
            FROM comments_comment c LEFT JOIN comments_receipt r ON r.comment_id = c.id
            WHERE c.provision_id = %(provision)s AND r.id IS NULL
        """, params)
        cursor.execute("VACUUM ANALYZE comments_comment")  # as autovacuum would after so many inserts
        cursor.execute("ANALYZE")


def _requests(*, consultation, version, provision) -> dict[str, str]:
    """The requests a reader makes, by name: the provision's page and the API, each ordering, a deep page, search."""
    from comments.models import Comment

    reader = f"/c/{consultation.slug}/{version.document.slug}/v{version.number}/"
    base = f"{reader}p/{provision.path}/"
    top_level = Comment.objects.filter(provision=provision, parent__isnull=True).order_by("-id")
    deep = top_level[top_level.count() // 2]  # half-way down the newest-first list
    api = f"/api/v1/comments/?provision={provision.pk}&page_size=20"
    return {
        "page, newest first": base,
        "page, most endorsed": base + "?order=endorsed",
        "page, oldest first": base + "?order=oldest",
        "page half-way down (cursor)": base + f"?after={deep.endorsement_count}.{deep.pk}",
        "its article's page": f"{reader}p/{provision.path.rsplit('/', 1)[0]}/",
        "its article's page, endorsed": f"{reader}p/{provision.path.rsplit('/', 1)[0]}/?order=endorsed",
        "API, newest first": api,
        "API, most endorsed": api + "&order=endorsed",
        "API, search 'ICCPR'": api + "&search=ICCPR",
        "draft reader with counts": reader,
        "draft reader, cache off": reader,
    }


def _time(path: str, *, repeat: int, cache: bool = True) -> Timing:
    from django.test import Client
    from django.test.utils import override_settings

    with override_settings(**({} if cache else {"READER_CACHE_SECONDS": 0})):
        return _time_requests(Client(), path, repeat=repeat)


def _time_requests(client, path: str, *, repeat: int) -> Timing:
    from django.db import connection

    for _warm in range(3):
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} answered {response.status_code}")
    statements = []
    with connection.execute_wrapper(lambda execute, sql, params, many, context: statements.append(sql) or execute(sql, params, many, context)):
        client.get(path)
    times = []
    for _n in range(repeat):
        started = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return Timing(len(statements), statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))])


def main(argv: list[str]) -> int:
    args = _arguments(argv)
    database_url, redis_url = environment_configure(database_name=DATABASE_NAME, redis_db=REDIS_DB, extra={"BENCH_STATIC_UNHASHED": "1"})
    started = time.monotonic()
    print(f"{DESCRIPTION}\npreparing database {DATABASE_NAME} ...", flush=True)
    try:
        database_recreate(database_url)
        redis_empty(redis_url)
        consultation, version, small, large = _prepare()
        _comments_write(consultation=consultation, provision=small, count=SMALL)
        print(f"timing {SMALL} comments on {small.path} ...", flush=True)
        before = {name: _time(path, repeat=args.repeat, cache="cache off" not in name)
                  for name, path in _requests(consultation=consultation, version=version, provision=small).items()}
        write_started = time.monotonic()
        _comments_write(consultation=consultation, provision=large, count=args.comments)
        print(f"wrote {args.comments:,} comments on {large.path} in {time.monotonic() - write_started:.0f} s; timing ...", flush=True)
        after = {name: _time(path, repeat=args.repeat, cache="cache off" not in name)
                 for name, path in _requests(consultation=consultation, version=version, provision=large).items()}
        _report(before, after, comments=args.comments)
    finally:
        environment_release(database_url, redis_url, keep_database=args.keep_database)
    print(f"\n({time.monotonic() - started:.0f} s in all)")
    return 0


def _report(before: dict[str, Timing], after: dict[str, Timing], *, comments: int) -> None:
    out = print
    out()
    out(f"Reading comments: a provision with {SMALL} comments, then one with {comments:,} (in this process, anonymous reader)")
    out(f"  {'request':<30} {'statements':>12} {'median ms':>17} {'p95 ms':>17} {'ratio':>6}")
    ratios = {}
    for name, small in before.items():
        large = after[name]
        ratios[name] = large.median_ms / small.median_ms if small.median_ms else 0.0
        out(f"  {name:<30} {small.statements:>5} / {large.statements:<5} {small.median_ms:>7.1f} / {large.median_ms:<7.1f} "
            f"{small.p95_ms:>7.1f} / {large.p95_ms:<7.1f} {ratios[name]:>6.2f}")
    pages = {name: ratio for name, ratio in ratios.items() if not name.startswith("draft reader")}
    worst_name = max(pages, key=pages.get)
    worst = pages[worst_name]
    same_statements = all(before[name].statements == after[name].statements for name in before)
    slowest = max(after[name].median_ms for name in pages)
    most_statements = max(after[name].statements for name in pages)
    comparable_ms, comparable_statements = COMPARABLE_PLATFORM
    out()
    out(f"  worst ratio of a page of comments: {worst:.2f} ({worst_name}); target <= {TARGET_RATIO:g}: "
        f"{'met' if worst <= TARGET_RATIO else 'NOT MET'}")
    out(f"  statements per request the same with {comments:,} comments as with {SMALL}: {'yes' if same_statements else 'NO'}")
    out(f"  slowest page of 20 comments out of {comments:,}: {slowest:.1f} ms and at most {most_statements} statements, "
        f"against about {comparable_ms:.0f} ms and {comparable_statements} statements on a comparable platform "
        f"(x{comparable_ms / slowest:.0f} faster)")
    out(f"  the draft's reader with its counts: {after['draft reader with counts'].median_ms:.1f} ms with {comments:,} comments against "
        f"{before['draft reader with counts'].median_ms:.1f} ms (ratio {ratios['draft reader with counts']:.2f}); target <= {TARGET_RATIO:g}: "
        f"{'met' if ratios['draft reader with counts'] <= TARGET_RATIO else 'NOT MET'}")
    for label, timings in ((f"{SMALL} comments", before), (f"{comments:,} comments", after)):
        cached, uncached = timings["draft reader with counts"], timings["draft reader, cache off"]
        speedup = uncached.median_ms / cached.median_ms if cached.median_ms else 0.0
        out(f"  anonymous reader page, {label}: {1000 / cached.median_ms:.0f} pages/s from the cache against "
            f"{1000 / uncached.median_ms:.0f} rendered ({cached.statements} / {uncached.statements} statements), x{speedup:.1f}; "
            f"target >= x{TARGET_CACHE_SPEEDUP:g}: {'met' if speedup >= TARGET_CACHE_SPEEDUP else 'NOT MET'}")
