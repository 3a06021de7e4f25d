"""Load at a fixed arrival rate (`make load`): 90% reads and 10% comment submissions, stepped up until p99 passes 100 ms.

Open loop: request i of a step is sent at start + i / rate whatever the server is doing, and its latency is
counted from that instant, so a server that falls behind shows its queue in the latencies (clients that wait
for each answer before sending the next, as in `make bench`, would slow down with it and hide it).
Every tenth request is a submission by one of 32 verified participants (each with its session and CSRF
token); the others read what a flash crowd reads, anonymously: the draft's reader page (half of the reads),
an article's page and the API's list of its comments (a quarter each).

Each rate is offered twice, alternately: with the submissions going to the one-INSERT baseline view
(bench/views.py, the least a Django view can do to accept a comment) and to the real endpoint
(POST /api/v1/comments/: checks, comment, receipt, outbox, counts). The rate goes up by RATE_STEP until
the submissions of both mixes have passed a p99 of 100 ms (or been refused), or the time budget is spent. The report gives,
per rate and endpoint, the throughput, p50 and p99; the highest rate each mix held with the submissions'
p99 under 100 ms; and the target: the real mix holds at least half the rate the baseline mix holds
(issue 13). Afterwards every 201 is checked against the database: comments stored = receipts received,
and verify_receipts walks the chain.

Same services as `make bench` (PostgreSQL and Redis from DATABASE_URL and REDIS_URL); its own database
`consult_load` and Redis database 14, dropped and emptied at the end, even on failure; gunicorn as
production runs it (sync x4) on 127.0.0.1 only.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bench.comment_submission import BASELINE_PATH, TARGET_PATH, Ledger, Server, ServerConfig, _integrity, _prepare, _wait_for_quiet
from bench.environment import database_recreate, environment_configure, environment_release, redis_empty
from bench.loadgen import HOST, VirtualClient, _percentile

DESCRIPTION = "load at a fixed arrival rate: 90% reads, 10% comment submissions, against the one-INSERT baseline"

DATABASE_NAME = "consult_load"
REDIS_DB = 14  # used by the load test only, emptied before and after
CLIENTS = 32
TARGET_P99_MS = 100.0
TARGET_RATIO = 0.5
RATE_STEP = 1.4
SUBMISSION_EVERY = 10  # one request in ten
REQUEST_TIMEOUT_SECONDS = 10
MAX_IN_FLIGHT = 512  # connections open at once; later arrivals wait (and their wait counts in their latency)
UNLIMITED = "1000000/h"
SERVER = "sync:4"
QUIET_WAIT_SECONDS = 60  # at most, for other work to leave the machine (a shared one) before the steps begin


@dataclass
class Step:
    mix: str  # "baseline" or "target"
    rate: float
    seconds: float
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    errors: Counter = field(default_factory=Counter)
    accepted: list[tuple[int, str | None]] = field(default_factory=list)
    lag_ms: float = 0.0  # how late the generator sent its last request (its own overload would show here)

    def p(self, endpoint: str, percentile: float) -> float:
        return _percentile(sorted(self.latencies[endpoint]), percentile) * 1000

    def ok(self, endpoint: str) -> int:
        expected = 201 if endpoint == "submit" else 200
        return self.statuses[endpoint][expected]

    def failed(self, endpoint: str) -> int:
        expected = 201 if endpoint == "submit" else 200
        return sum(n for status, n in self.statuses[endpoint].items() if status != expected)

    def held(self, endpoint: str = "submit") -> bool:
        return self.p(endpoint, 99) < TARGET_P99_MS and not self.failed(endpoint) and not self.errors

    def all_held(self) -> bool:
        return all(self.held(endpoint) for endpoint in self.latencies)


@dataclass(frozen=True)
class Paths:
    reader: str
    article: str
    api: str


def _paths() -> Paths:
    from consult.demo_data import CONSTITUTION_SLUG
    from consult.models import Consultation
    from drafts.models import Provision

    consultation = Consultation.objects.order_by("id").first()
    provision = Provision.objects.get(version__document__slug=CONSTITUTION_SLUG, version__number=1, path="II/25/1")
    reader = f"/c/{consultation.slug}/{CONSTITUTION_SLUG}/v1/"
    return Paths(reader=reader, article=f"{reader}p/{provision.parent.path}/", api=f"/api/v1/comments/?provision={provision.pk}&page_size=20")


async def _exchange(port: int, request: bytes) -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        writer.write(request)
        response = await reader.read()  # "Connection: close": the whole answer, up to EOF
    finally:
        writer.close()
    head, _, body = response.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1."):
        raise ConnectionError("no HTTP answer")
    return int(head[9:12]), body


def _get(path: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nAccept-Language: en\r\nConnection: close\r\n\r\n".encode()


def _post(path: str, client: VirtualClient, number: int) -> bytes:
    body = json.dumps({
        "provision": client.provision, "stance": "oppose", "language": "en",
        "body": f"Load test comment {number}: this article should guarantee peaceful assembly without prior permission.",
    }).encode()
    return (
        f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        f"Cookie: sessionid={client.sessionid}; csrftoken={client.csrftoken}\r\nX-CSRFToken: {client.csrftoken}\r\n"
        f"Connection: close\r\n\r\n"
    ).encode() + body


def _plan(number: int, *, mix: str, paths: Paths, clients: list[VirtualClient]) -> tuple[str, bytes]:
    """What arrival `number` asks for: every tenth a submission, the rest reads (reader 1/2, article 1/4, API 1/4)."""
    if number % SUBMISSION_EVERY == 0:
        return "submit", _post(BASELINE_PATH if mix == "baseline" else TARGET_PATH, clients[(number // SUBMISSION_EVERY) % len(clients)], number)
    read = number % 4
    if read in (1, 3):
        return "reader", _get(paths.reader)
    return ("article", _get(paths.article)) if read == 2 else ("api", _get(paths.api))


async def _offer(step: Step, *, port: int, paths: Paths, clients: list[VirtualClient], first_number: int) -> None:
    loop = asyncio.get_running_loop()
    slots = asyncio.Semaphore(MAX_IN_FLIGHT)
    total = int(step.rate * step.seconds)
    start = loop.time() + 0.05

    async def one(number: int, due: float) -> None:
        endpoint, request = _plan(number, mix=step.mix, paths=paths, clients=clients)
        async with slots:
            try:
                async with asyncio.timeout(REQUEST_TIMEOUT_SECONDS):
                    status, body = await _exchange(port, request)
            except (OSError, TimeoutError, ConnectionError, asyncio.IncompleteReadError) as error:
                step.errors[f"{endpoint}: {type(error).__name__}"] += 1
                return
        step.latencies[endpoint].append(loop.time() - due)
        step.statuses[endpoint][status] += 1
        if endpoint == "submit" and status == 201:
            record = json.loads(body)
            step.accepted.append((record["id"], record.get("receipt")))

    tasks = []
    for index in range(total):
        due = start + index / step.rate
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        step.lag_ms = max(step.lag_ms, (loop.time() - due) * 1000)
        tasks.append(asyncio.create_task(one(first_number + index, due)))
    await asyncio.gather(*tasks)  # every answer is read: none is left in flight when the step ends


def _run(step: Step, *, port: int, paths: Paths, clients: list[VirtualClient], first_number: int) -> Step:
    asyncio.run(_offer(step, port=port, paths=paths, clients=clients, first_number=first_number))
    return step


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=DESCRIPTION)
    parser.add_argument("--start-rate", type=float, default=20, help="requests/s of the first step (default 20)")
    parser.add_argument("--max-rate", type=float, default=2000, help="never offer more than this (default 2000)")
    parser.add_argument("--seconds", type=float, default=6, help="length of each step (default 6)")
    parser.add_argument("--budget", type=float, default=240, help="seconds of load at most, all steps together (default 240)")
    parser.add_argument("--keep-database", action="store_true", help=f"leave {DATABASE_NAME} in place for inspection")
    args = parser.parse_args(argv)
    if not 1 <= args.start_rate <= args.max_rate <= 10_000 or not 2 <= args.seconds <= 60 or not 10 <= args.budget <= 600:
        parser.error("need 1 <= start rate <= max rate <= 10,000, 2-60 s steps and a 10-600 s budget")
    return args


def main(argv: list[str]) -> int:
    args = _arguments(argv)
    extra = {
        "RATE_COMMENT_USER": UNLIMITED, "RATE_COMMENT_IP": UNLIMITED, "RATE_API_ANON": UNLIMITED, "RATE_API_USER": UNLIMITED,
        "BENCH_STATIC_UNHASHED": "1",  # the pages name static files without collectstatic's manifest (bench/settings.py)
    }
    database_url, redis_url = environment_configure(database_name=DATABASE_NAME, redis_db=REDIS_DB, extra=extra)
    started = time.monotonic()
    steps: list[Step] = []
    ledger = Ledger()
    print(f"{DESCRIPTION}\npreparing database {DATABASE_NAME} and {CLIENTS} participants ...", flush=True)
    try:
        database_recreate(database_url)
        redis_empty(redis_url)
        clients, baseline_ids = _prepare(CLIENTS)
        os.environ["BENCH_BASELINE_PROVISIONS"] = json.dumps(baseline_ids)
        paths = _paths()
        with tempfile.TemporaryDirectory(prefix="bench-load-") as folder, Server(ServerConfig.parse(SERVER), log_dir=Path(folder)) as server:
            _warm_up(server, paths, clients, ledger)
            busy = _wait_for_quiet(QUIET_WAIT_SECONDS)  # the server idle: what other work takes
            steps = _step_up(args, server.port, paths, clients, ledger)
            server_log = server.log_tail()
        findings, problems = _integrity(ledger)
        _report(steps, findings, problems, server_log, busy=busy, elapsed=time.monotonic() - started)
    finally:
        environment_release(database_url, redis_url, keep_database=args.keep_database)
    return 1 if problems else 0


def _warm_up(server: Server, paths: Paths, clients: list[VirtualClient], ledger: Ledger) -> None:
    """Each page once, one after the other (the first renders fill the reader's cache), then a slow step of each mix,
    so that the workers have imported their templates before anything is measured."""
    async def prime() -> None:
        for path in (paths.reader, paths.article, paths.api) * 4:
            status, _body = await _exchange(server.port, _get(path))
            if status != 200:
                raise RuntimeError(f"GET {path} answered {status}:\n{server.log_tail()}")

    asyncio.run(prime())
    for number, mix in enumerate(("baseline", "target")):
        step = _run(Step(mix, rate=10, seconds=2), port=server.port, paths=paths, clients=clients, first_number=10_000_000 * (number + 1))
        _record(step, ledger)


def _record(step: Step, ledger: Ledger) -> None:
    """What the clients were told, for the integrity check; a submission whose answer never came may be stored."""
    unseen = sum(n for error, n in step.errors.items() if error.startswith("submit:"))
    if step.mix == "target":
        ledger.target.extend(step.accepted)
        ledger.target_unseen_at_most += unseen
    else:
        ledger.baseline.extend(record_id for record_id, _receipt in step.accepted)
        ledger.baseline_unseen_at_most += unseen


def _step_up(args, port: int, paths: Paths, clients: list[VirtualClient], ledger: Ledger) -> list[Step]:
    """Each rate offered to each mix still holding; a rate a mix did not hold is offered to it once more (a burst of
    other work on a shared machine breaks one step), and a mix stops at the rate it failed twice."""
    steps, rate, spent, number = [], args.start_rate, 0.0, 0
    broken = {"baseline": False, "target": False}
    print(f"stepping up from {rate:g} requests/s, x{RATE_STEP} a step, {args.seconds:g} s each, baseline and real mix alternately:", flush=True)
    while rate <= args.max_rate and spent + 2 * args.seconds <= args.budget and not all(broken.values()):
        for mix in ("baseline", "target"):
            for attempt in (1, 2):
                if broken[mix] or spent + args.seconds > args.budget:
                    break
                step = _run(Step(mix, rate=rate, seconds=args.seconds), port=port, paths=paths, clients=clients, first_number=number)
                number += int(rate * args.seconds)
                spent += args.seconds
                _record(step, ledger)
                steps.append(step)
                held = step.held("submit")
                print(f"  {rate:7.0f}/s {mix:<8} p99 ms: submit {step.p('submit', 99):7.1f}, reader {step.p('reader', 99):7.1f}, "
                      f"article {step.p('article', 99):7.1f}, api {step.p('api', 99):7.1f}"
                      f"{'' if held else '  (submissions over 100 ms or refused)'}", flush=True)
                time.sleep(1)  # the queue of a step that broke drains before the next
                if held:
                    break
                broken[mix] = attempt == 2
        rate = round(rate * RATE_STEP)
    return steps


def _highest(steps: list[Step], mix: str, *, endpoint: str | None = "submit") -> float:
    """The highest rate at which a step of the mix held (on its first offer or its second)."""
    held = [s.rate for s in steps if s.mix == mix and (s.held(endpoint) if endpoint else s.all_held())]
    return max(held, default=0.0)


def _report(steps: list[Step], findings: list[str], problems: list[str], server_log: str, *, busy: float, elapsed: float) -> None:
    out = print
    out()
    out(f"Open-loop load, {os.cpu_count()} cores, gunicorn {SERVER} on 127.0.0.1 (the generator in this process)")
    out(f"  offered: 1 request in {SUBMISSION_EVERY} a comment submission (32 signed-in participants), the rest anonymous reads:")
    out("  reader = the draft's reader page (1/2 of reads), article = an article's page, api = GET /api/v1/comments/ (1/4 each)")
    if busy > 0.1:
        out(f"  NOTE: other processes kept {busy:.0%} of the machine busy before the load began: every figure is depressed")
    out(f"  {'rate/s':>7} {'mix':<8} {'endpoint':<8} {'done/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'failed':>6}")
    for step in steps:
        for endpoint in ("submit", "reader", "article", "api"):
            done = step.ok(endpoint) / step.seconds
            mark = "" if step.held(endpoint) else "  > 100 ms" if step.p(endpoint, 99) >= TARGET_P99_MS else "  errors"
            out(f"  {step.rate:7.0f} {step.mix:<8} {endpoint:<8} {done:7.1f} {step.p(endpoint, 50):8.1f} {step.p(endpoint, 99):8.1f} "
                f"{step.failed(endpoint):6d}{mark}")
        if step.errors:
            out(f"  {'':7} {'':8} connection errors: {dict(step.errors)}")
        if step.lag_ms > 50:
            out(f"  {'':7} {'':8} the generator sent up to {step.lag_ms:.0f} ms late (its own CPU)")
    baseline, target = _highest(steps, "baseline"), _highest(steps, "target")
    baseline_all, target_all = _highest(steps, "baseline", endpoint=None), _highest(steps, "target", endpoint=None)
    out()
    out("highest offered rate held (submissions' p99 under 100 ms, none refused):")
    out(f"  baseline mix  {baseline:6.0f} requests/s ({baseline / SUBMISSION_EVERY:5.1f} one-INSERT submissions/s); every endpoint: {baseline_all:.0f}/s")
    out(f"  real mix      {target:6.0f} requests/s ({target / SUBMISSION_EVERY:5.1f} comments/s with receipts); every endpoint: {target_all:.0f}/s")
    ratio = target / baseline if baseline else 0.0
    out(f"  real / baseline: {ratio:.2f}; target >= {TARGET_RATIO:g} with p99 < {TARGET_P99_MS:g} ms: {'met' if ratio >= TARGET_RATIO else 'NOT MET'}")
    at_half = [s for s in steps if s.mix == "target" and s.rate >= TARGET_RATIO * baseline]
    if at_half:
        nearest = min(at_half, key=lambda s: s.rate)
        out(f"  the real mix at {nearest.rate:.0f}/s (>= half the baseline's {baseline:.0f}/s): submissions p50 {nearest.p('submit', 50):.1f} ms, "
            f"p99 {nearest.p('submit', 99):.1f} ms")
    out()
    out("integrity (every answer read; nothing left in flight):")
    for line in findings:
        out(f"  {line}")
    for line in problems:
        out(f"  PROBLEM: {line}")
    if not problems:
        out("  comments lost: 0")
    if any(s.errors or any(s.failed(e) for e in s.statuses) for s in steps):
        out("  server log tail:\n" + server_log)
    out(f"\n({elapsed:.0f} s in all)")


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
