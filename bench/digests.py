"""A version report over 1,000,000 generated comments on 400 provisions, against the bare SQL aggregates it needs.

The database (its own, dropped afterwards): a consultation with a document of 20 sections of 20 articles
(400 commentable provisions), a baseline version 0 and draft 1 (a quarter of its articles reworded), aligned;
`--comments` comments on draft 1, written by one INSERT … SELECT: skewed over the articles (a few draw most
comments, as in real consultations), spread over 30 days, four stances, individuals and organisations, 1%
hidden and 1% withdrawn. Then, each in a fresh interpreter so that its peak resident memory is its own:
- the report: what a worker does for draft 1's version report (comments.digests: the request, then the
  build: content, charts, HTML, PDF, CSV, JSON, stored);
- its figures alone (comments.digests.content.report_content for the same report), to tell the part
  that grows with the comments from the rendering, whose cost does not; the SQL it runs is captured;
- the baseline: those same queries replayed bare (the SQL the report needs, rows fetched, nothing else).
Printed: each one's time and peak RSS, and the report's time as a multiple of the baseline's. Targets (issue 10):
the report under 2 minutes and 500 MB peak, and at most 3× the bare queries.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

DESCRIPTION = "a version report over 1,000,000 generated comments on 400 provisions vs the bare aggregate queries"
DATABASE_NAME = "consult_bench_digests"
REDIS_DB = 13  # used by this benchmark only, emptied before and after
SECTIONS, ARTICLES_PER_SECTION = 20, 20
TARGET_SECONDS, TARGET_RSS_MB, TARGET_RATIO = 120.0, 500.0, 3.0
SLUG = "bench-digests"

QUERIES_FILE = "/tmp/consult_bench_digests_queries.json"  # the report's own SQL, captured, replayed bare as the baseline


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench digests", description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=1_000_000, help="comments generated (default 1,000,000)")
    parser.add_argument("--keep-database", action="store_true", help=f"leave {DATABASE_NAME} in place for inspection")
    parser.add_argument("--step", choices=["baseline", "report", "content"], help=argparse.SUPPRESS)  # a child's one measured step
    options = parser.parse_args(argv)
    if options.step:
        return _child(options.step)
    from bench.environment import database_recreate, environment_configure, environment_release, redis_empty

    database_url, redis_url = environment_configure(database_name=DATABASE_NAME, redis_db=REDIS_DB)
    print(f"{DESCRIPTION}\npreparing database {DATABASE_NAME} ...", flush=True)
    try:
        database_recreate(database_url)
        redis_empty(redis_url)
        started = time.perf_counter()
        _prepare(options.comments)
        print(f"{options.comments:,} comments on {SECTIONS * ARTICLES_PER_SECTION} provisions written in {time.perf_counter() - started:.0f} s", flush=True)
        report = _measured("report")
        content = _measured("content")
        baseline = _measured("baseline")
    finally:
        environment_release(database_url, redis_url, keep_database=options.keep_database)
    ratio = report["seconds"] / baseline["seconds"]
    print(f"bare aggregate queries : {baseline['seconds']:7.2f} s, peak RSS {baseline['rss_mb']:6.0f} MB (the baseline)")
    print(f"version report (worker): {report['seconds']:7.2f} s, peak RSS {report['rss_mb']:6.0f} MB, files: {report['files']}")
    print(f"  of which its figures : {content['seconds']:7.2f} s (report_content alone, the same report, fresh process)")
    print(f"  and rendering        : {report['seconds'] - content['seconds']:7.2f} s (charts, HTML, PDF, CSV, JSON: the same whatever the comments)")
    print(f"report / baseline time : {ratio:.2f}x (target at most {TARGET_RATIO:.0f}x)")
    print(f"figures / baseline time: {content['seconds'] / baseline['seconds']:.2f}x (the part that grows with the comments)")
    print(f"report peak RSS / baseline peak RSS: {report['rss_mb'] / baseline['rss_mb']:.2f}x")
    print(f"targets: under {TARGET_SECONDS:.0f} s {'met' if report['seconds'] < TARGET_SECONDS else 'NOT met'}; "
          f"under {TARGET_RSS_MB:.0f} MB {'met' if report['rss_mb'] < TARGET_RSS_MB else 'NOT met'}; "
          f"at most {TARGET_RATIO:.0f}x the bare queries: {'met' if ratio <= TARGET_RATIO else 'NOT met'} for the whole report, "
          f"{'met' if content['seconds'] / baseline['seconds'] <= TARGET_RATIO else 'NOT met'} for its figures")
    return 0


def _measured(step: str) -> dict:
    """Run one step in a fresh interpreter (same environment); its own report of time and peak memory."""
    done = subprocess.run([sys.executable, "-m", "bench", "digests", "--step", step], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"step {step} failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _child(step: str) -> int:
    import django

    django.setup()
    from django.db import connection

    from drafts.models import DraftVersion

    version = DraftVersion.objects.get(document__slug=SLUG, number=1)
    started = time.perf_counter()
    files = ""
    if step == "baseline":
        with open(QUERIES_FILE) as captured, connection.cursor() as cursor:
            for sql in json.load(captured):
                cursor.execute(sql)
                if cursor.description is not None:
                    cursor.fetchall()
    elif step == "content":
        from django.test.utils import CaptureQueriesContext

        from comments.digests.content import report_content
        from comments.models import DigestReport

        report = DigestReport.objects.get(version=version, kind="version")
        with CaptureQueriesContext(connection) as queries:
            report_content(report=report)
        with open(QUERIES_FILE, "w") as captured:
            json.dump([query["sql"] for query in queries.captured_queries], captured)
    else:
        files = _report_build(version)
    seconds = time.perf_counter() - started
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    print(json.dumps({"seconds": seconds, "rss_mb": rss_mb, "files": files}))
    return 0


def _report_build(version) -> str:
    """What the worker does: the version report requested, then built in this process."""
    from comments.digests import services
    from comments.models import DigestReport

    report = services.digest_request(consultation=version.document.consultation_links.get().consultation, kind="version", version=version)
    services.digest_build(report_id=report.pk)
    report = DigestReport.objects.get(pk=report.pk)
    if report.status != "done":
        raise SystemExit(f"the report ended {report.status}: {report.error}")
    return ", ".join(f"{file.format} {file.size / 1024:.0f} KB" for file in report.files.order_by("format"))


# --- the data ------------------------------------------------------------------------------------------


def _document_text(*, reworded: bool) -> str:
    lines = ["# Constitution of Benchland", ""]
    number = 0
    for section in range(1, SECTIONS + 1):
        lines += [f"## Section {section}. Part {section} of the constitutional order", ""]
        for _article in range(ARTICLES_PER_SECTION):
            number += 1
            words = "the state guarantees" if not (reworded and number % 4 == 0) else "the law shall protect"
            lines += [
                f"### Article {number}",
                "",
                f"Everyone has the right {number}, and {words} its exercise in the manner the law of article {number} "
                f"prescribes, within the limits of section {section}.",
                "",
            ]
    return "\n".join(lines)


def _prepare(comment_count: int) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from consult import services as consult_services
    from consult.models import Consultation
    from drafts import services as draft_services
    from drafts.models import Alignment, Provision

    call_command("migrate", interactive=False, verbosity=0)
    consultation = consult_services.consultation_create(
        title="Benchland", slug=SLUG, description="", languages=["en"], starts_on=timezone.localdate(),
        ends_on=timezone.localdate(), status=Consultation.Status.OPEN,
    )
    document = draft_services.document_create(title="Constitution of Benchland", slug=SLUG, authoritative_language="en")
    consult_services.consultation_document_add(consultation=consultation, document=document)
    for number in (0, 1):
        upload = draft_services.DraftUpload(filename=f"v{number}.md", data=_document_text(reworded=number == 1).encode(), language="en")
        sources = draft_services.draft_sources_parse(uploads=[upload])
        version = draft_services.draft_version_import(document=document, sources=sources, number=number, label=f"Draft {number}")
        alignment = Alignment.objects.filter(new_version=version).first()
        if alignment is not None:
            draft_services.alignment_run(alignment_id=alignment.pk)
        draft_services.draft_version_publish(version=version, by=None)
    articles = list(Provision.objects.filter(version=version, kind="article").order_by("order").values_list("id", "lineage_id"))
    assert len(articles) == SECTIONS * ARTICLES_PER_SECTION, len(articles)
    users = get_user_model().objects.bulk_create([get_user_model()(username=f"bench-{n}") for n in range(1000)])
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO comments_comment (
                is_official, author_name, submitter_type, organisation_name, stance, body, proposed_wording, language,
                quote_exact, quote_prefix, quote_suffix, quote_language, status, moderation_reason, endorsement_count,
                created_at, author_id, consultation_id, version_id, provision_id, lineage_id
            )
            SELECT false, 'Sender ' || g, CASE WHEN g %% 10 = 0 THEN 'organisation' ELSE 'individual' END, '',
                   (ARRAY['support', 'oppose', 'propose_wording', 'question'])[1 + g %% 4],
                   'Comment ' || g || ' on the provision: the words should be clearer.', '', 'en', '', '', '', '',
                   CASE WHEN g %% 100 = 0 THEN 'hidden' WHEN g %% 100 = 1 THEN 'withdrawn' ELSE 'published' END,
                   CASE WHEN g %% 100 = 0 THEN 'Off topic.' ELSE '' END, 0,
                   now() - (g %% 30) * interval '1 day' - (g %% 1440) * interval '1 minute',
                   (%(users)s::int[])[1 + g %% 1000], %(consultation)s, %(version)s,
                   (%(provisions)s::bigint[])[1 + pick], (%(lineages)s::bigint[])[1 + pick]
            FROM (SELECT g, floor(400 * power(((g * 2654435761) %% 1000003) / 1000003.0, 2))::int AS pick
                  FROM generate_series(1, %(count)s) AS g) AS generated
            """,
            {
                "users": [user.pk for user in users], "consultation": consultation.pk, "version": version.pk,
                "provisions": [provision for provision, _lineage in articles], "lineages": [lineage for _provision, lineage in articles],
                "count": comment_count,
            },
        )
    connection.close()
    import psycopg
    from django.conf import settings

    database = settings.DATABASES["default"]
    with psycopg.connect(dbname=database["NAME"], user=database["USER"], host=database["HOST"], port=database["PORT"] or 5432, autocommit=True) as raw:
        raw.execute("VACUUM ANALYZE")
