"""Faults under load, with real services (issue 13, build 4): Redis stopped and then frozen while comments are
submitted, the Celery worker killed while it works, PostgreSQL restarted under load.

A few clients submit comments through gunicorn over the spare PostgreSQL and Redis (tests/faults/conftest.py),
as an API client should: each comment with an Idempotency-Key of its own, sent again with the same key after
a lost answer or a 503. Afterwards, for every fault: every 201 is a stored comment (one per key, never two),
no half-written rows (each comment has its receipt and its receipt e-mail, each receipt its comment),
`verify_receipts` passes, the only refusals were JSON 503s with Retry-After, and the service recovered by
itself (a new comment answers 201 quickly, with nothing restarted but the failed service).
"""
from __future__ import annotations

import dataclasses
import http.client
import json
import re
import statistics
import threading
import time
import uuid

import pytest

from tests.faults.conftest import wait_until

# One worker runs them all (make test's --dist loadgroup): the services are started once per worker process.
pytestmark = pytest.mark.xdist_group("faults")

CSRF = "f" * 32  # the cookie and the header agree: Django accepts a 32-character secret in both


def survived(record_property, fault: str, figures: dict) -> None:
    """The closing note's "faults survived": recorded on the test's report, which the run's summary lists
    (tests/conftest.py, also under xdist)."""
    record_property("fault survived", f"{fault}: {json.dumps(figures)}")


@dataclasses.dataclass
class Answer:
    key: str
    status: int  # 0: no answer (connection refused or cut)
    seconds: float
    started: float
    body: dict | None = None
    content_type: str = ""
    retry_after: str | None = None
    replayed: bool = False


def submit(platform, citizen: dict, *, key: str, text: str, timeout: float = 20) -> Answer:
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", platform.port, timeout=timeout)
    payload = {"provision": platform.provision, "body": text, "stance": "oppose", "language": "en"}
    headers = {
        "Content-Type": "application/json", "Idempotency-Key": key, "X-CSRFToken": CSRF,
        "Cookie": f"sessionid={citizen['sessionid']}; csrftoken={CSRF}",
    }
    try:
        connection.request("POST", "/api/v1/comments/", json.dumps(payload), headers)
        response = connection.getresponse()
        raw = response.read()
    except (OSError, http.client.HTTPException):
        return Answer(key=key, status=0, seconds=time.monotonic() - started, started=started)
    finally:
        connection.close()
    answer = Answer(
        key=key, status=response.status, seconds=time.monotonic() - started, started=started,
        content_type=response.getheader("Content-Type", ""), retry_after=response.getheader("Retry-After"),
        replayed=response.getheader("Idempotent-Replayed") == "true",
    )
    try:
        answer.body = json.loads(raw)
    except ValueError:
        answer.body = {"raw": raw[:300].decode("utf-8", "replace")}
    return answer


class Load:
    """Clients submitting comments back to back until stopped, each retrying its comment with the same key
    until it is accepted (201) or refused for good (anything but a 503 or no answer)."""

    def __init__(self, platform, scenario: str, clients: int = 4, pause: float = 0, timeout: float = 20):
        self.platform, self.scenario, self.pause, self.timeout = platform, scenario, pause, timeout
        self.answers: list[Answer] = []
        self.accepted: dict[str, int] = {}  # key -> comment id of its 201
        self.texts: dict[str, str] = {}
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._client, args=(platform.citizens[n],)) for n in range(clients)]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join(60)

    def _client(self, citizen: dict) -> None:
        while not self.stopping.is_set():
            key = uuid.uuid4().hex
            text = f"Fault {self.scenario} {key}"
            with self.lock:
                self.texts[key] = text
            retry_until = time.monotonic() + 40  # a comment started is retried through the fault, even after stop
            while time.monotonic() < retry_until:
                answer = submit(self.platform, citizen, key=key, text=text, timeout=self.timeout)
                with self.lock:
                    self.answers.append(answer)
                if answer.status == 201:
                    with self.lock:
                        self.accepted[key] = answer.body["id"]
                    time.sleep(self.pause)
                    break
                if answer.status not in (0, 503):
                    break
                time.sleep(0.2)

    def by_status(self) -> dict[int, int]:
        counts: dict[int, int] = {}
        for answer in self.answers:
            counts[answer.status] = counts.get(answer.status, 0) + 1
        return counts

    def between(self, start: float, end: float) -> list[Answer]:
        return [answer for answer in self.answers if start <= answer.started < end]


def assert_invariants(platform, load: Load) -> dict:
    """What must hold after any fault; returns the figures."""
    statuses = load.by_status()
    unexpected = [a for a in load.answers if a.status not in (0, 201, 503)]
    assert not unexpected, [(a.status, a.body) for a in unexpected[:5]]
    for answer in load.answers:
        if answer.status == 503:  # the refusal a client can act on: JSON in the error shape, and when to come back
            assert answer.content_type.startswith("application/json"), (answer.content_type, answer.body)
            assert set(answer.body) == {"message", "code", "fields"} and answer.retry_after, answer.body
        if answer.status == 201:
            assert answer.body["id"] == load.accepted[answer.key]  # a retry's 201 is the first comment, never another

    # Every 201 is a stored comment, with the words sent; each key made one comment, never two.
    rows = platform.postgres.sql(
        f"SELECT id, body FROM comments_comment WHERE body LIKE 'Fault {load.scenario} %' ORDER BY id"
    )
    stored = dict(line.split("|", 1) for line in rows.splitlines()) if rows else {}
    assert {int(comment_id) for comment_id in stored} == set(load.accepted.values())
    assert sorted(stored.values()) == sorted(load.texts[key] for key in load.accepted)
    assert len(set(stored.values())) == len(stored)

    # No half-written rows: a comment without its receipt or receipt e-mail, a receipt or e-mail without its comment.
    half_written = platform.postgres.sql(
        "SELECT (SELECT count(*) FROM comments_comment c WHERE NOT EXISTS (SELECT 1 FROM comments_receipt r WHERE r.comment_id = c.id))"
        " + (SELECT count(*) FROM comments_comment c WHERE NOT EXISTS (SELECT 1 FROM comments_outboxemail o WHERE o.comment_id = c.id))"
        " + (SELECT count(*) FROM comments_receipt r WHERE r.kind = 'comment' AND r.comment_id IS NULL)"
        " + (SELECT count(*) FROM comments_submissionkey k WHERE NOT EXISTS (SELECT 1 FROM comments_comment c WHERE c.id = k.comment_id))"
    )
    assert half_written == "0"
    verified = platform.manage("verify_receipts")
    assert verified.returncode == 0 and "chain intact" in verified.stdout, verified.stdout + verified.stderr

    # Recovered by itself: a new comment is accepted at once, with nothing restarted but the failed service.
    after = submit(platform, platform.citizens[-1], key=uuid.uuid4().hex, text=f"After {load.scenario}", timeout=5)
    assert after.status == 201 and after.seconds < 2, (after.status, after.body, after.seconds)
    seconds = [answer.seconds for answer in load.answers if answer.status == 201]
    return {
        "accepted": len(load.accepted), "answers": statuses, "retries": len(load.answers) - len(load.accepted),
        "replayed 201s": sum(answer.replayed for answer in load.answers),
        "p50 s": round(statistics.median(seconds), 3), "max s": round(max(seconds), 3),
    }


def test_celery_worker_killed_while_sending(platform, record_property):
    """The receipt e-mails are sent by a worker; one killed with SIGKILL mid-work loses nothing: comments never
    wait for it, and what it had taken is given back to the queue (acks_late, reject_on_worker_lost) and sent
    by the next worker, which is all the operator starts."""
    first = platform.start_worker("first")
    assert wait_until(lambda: "ready" in (platform.root / "worker-first.log").read_text(), seconds=30), (
        (platform.root / "worker-first.log").read_text()[-2000:]
    )
    delivered_before = len(platform.mail.messages)
    with Load(platform, "worker", clients=2, pause=0.2) as load:
        # The first comment's sweep is queued a second after it; the worker is killed while it sends (the relay is slow).
        assert wait_until(lambda: len(platform.mail.messages) > delivered_before + 2 and platform.mail.sending, seconds=20, every=0.01)
        platform.kill_worker(first)
        killed = time.monotonic()
        time.sleep(1)
    figures = assert_invariants(platform, load)
    assert figures["answers"].keys() == {201}, figures
    unsent = (  # the receipt e-mails of this test's comments (earlier tests' wait for their lease, as in production)
        "SELECT count(*) FROM comments_outboxemail o JOIN comments_comment c ON c.id = o.comment_id"
        " WHERE o.sent_at IS NULL AND o.failed_at IS NULL AND (c.body LIKE 'Fault worker %' OR c.body = 'After worker')"
    )
    left_by_the_kill = int(platform.postgres.sql(unsent))
    platform.start_worker("second")  # all the operator does: no sweep is asked for, beat is not running
    assert wait_until(lambda: platform.postgres.sql(unsent) == "0", seconds=45, every=0.5), (
        platform.postgres.sql(unsent), (platform.root / "worker-second.log").read_text()[-3000:]
    )
    attempted_again = platform.postgres.sql(
        "SELECT count(*) FROM comments_outboxemail o JOIN comments_comment c ON c.id = o.comment_id"
        " WHERE o.attempts > 1 AND c.body LIKE 'Fault worker %'"
    )
    numbers = platform.postgres.sql(
        "SELECT r.number FROM comments_receipt r JOIN comments_comment c ON c.id = r.comment_id WHERE c.body LIKE 'Fault worker %'"
    ).splitlines()
    copies = [sum(number in message for message in platform.mail.messages) for number in numbers]
    assert all(copies), [number for number, count in zip(numbers, copies) if not count][:5]  # every receipt reached the relay
    first_log = (platform.root / "worker-first.log").read_text()
    taken = set(re.findall(r"outbox_email_send\[([0-9a-f-]+)\] received", first_log))
    done = set(re.findall(r"outbox_email_send\[([0-9a-f-]+)\] succeeded", first_log))

    def redelivered() -> set[str]:
        second_log = (platform.root / "worker-second.log").read_text()
        return (taken - done) & set(re.findall(r"outbox_email_send\[([0-9a-f-]+)\] received", second_log))

    # The killed worker held tasks it never finished; what matters is that their e-mails were sent (asserted above):
    # the starting worker's catch-up sweep queues every pending e-mail again, whether or not the broker gives the
    # held messages back in time (acks_late; counted below, not relied on).
    assert taken - done, "the worker was killed before it held any task: the test proved nothing"
    survived(record_property, "Celery worker killed (SIGKILL) while sending", {
        "tasks it held unfinished": len(taken - done), "of those redelivered by the broker so far": len(redelivered()),
        **figures, "e-mails pending at the kill": left_by_the_kill,
        "e-mails left unsent after the next worker": 0, "e-mails tried again after the kill": int(attempted_again),
        "receipt e-mails delivered twice (at least once, by design)": sum(count > 1 for count in copies),
        "recovered in s": round(time.monotonic() - killed, 1),
        "services started, migrated, seeded, served in s": {step: round(t, 1) for step, t in platform.timings.items()},
    })


def test_redis_stopped_then_frozen_while_comments_are_submitted(platform, record_property):
    """Redis is the cache, the rate limits' counters and the broker: without it comments go on (fail open),
    each in well under a second, and what it should have done (the receipt e-mail) waits in the outbox."""
    log_before = (platform.root / "gunicorn.log").read_text()
    with Load(platform, "redis") as load:
        time.sleep(0.5)
        stopped = time.monotonic()
        platform.redis.stop()
        time.sleep(2)
        platform.redis.start()  # the same port, empty: as a restarted Redis without persistence
        time.sleep(1)
        frozen = time.monotonic()
        platform.redis.freeze()
        time.sleep(3)
        thawed = time.monotonic()
        platform.redis.thaw()
        time.sleep(0.5)
    figures = assert_invariants(platform, load)
    assert figures["answers"].keys() == {201}, figures  # Redis is never a reason to refuse a comment
    down, hung = load.between(stopped, frozen - 1), load.between(frozen, thawed)
    assert len(down) >= 4 and len(hung) >= 4, (len(down), len(hung))
    # Each Redis call on the request path waits at most its short timeout (0.25 s), then goes on without it
    # (the issue measured 4 s a comment with Redis frozen; the maxima leave room for a machine under load).
    assert statistics.median(a.seconds for a in hung) < 2 and max(a.seconds for a in hung) < 5, sorted(a.seconds for a in hung)
    assert statistics.median(a.seconds for a in down) < 0.5 and max(a.seconds for a in down) < 5, sorted(a.seconds for a in down)
    # Redis down is logged once a minute per kind of failure and process, not a traceback per request.
    logged = (platform.root / "gunicorn.log").read_text()[len(log_before):]
    assert "Traceback" not in logged and len(logged.splitlines()) < 30, logged[-3000:]
    survived(record_property, "Redis stopped 2 s, then frozen 3 s", {
        "log lines while Redis was down": len(logged.splitlines()),
        **figures, "comments while stopped": len(down), "comments while frozen": len(hung),
        "p50 s while frozen": round(statistics.median(a.seconds for a in hung), 3),
        # With 4 clients back to back: what each state lets through (the frozen one is a timeout per Redis call).
        "comments/s up (after its restart), stopped, frozen": [
            round(len(load.between(frozen - 1, frozen)), 1), round(len(down) / (frozen - 1 - stopped), 1),
            round(len(hung) / (thawed - frozen), 1),
        ],
    })


def test_answers_lost_after_commit_are_retried_to_the_original_receipt(platform, record_property):
    """A comment can be committed while its client sees an error. With Redis hanging, a comment used to take over
    a second (each Redis call waited its timeout), most of it after the commit; clients that give up after 0.6 s
    lost answers to comments already made. Their retries with the same Idempotency-Key get the original
    comment back (Idempotent-Replayed), so no comment is made twice."""
    with Load(platform, "impatient", clients=3, timeout=0.6) as load:
        time.sleep(0.5)
        platform.redis.freeze()
        time.sleep(2.5)
        platform.redis.thaw()
        time.sleep(1)
    figures = assert_invariants(platform, load)  # one comment per key, although answers were lost
    lost = {answer.key for answer in load.answers if answer.status == 0}
    replayed = {answer.key for answer in load.answers if answer.replayed}
    # Since the Redis breaker (config.redis_breaker) a frozen Redis delays only the first request of each server
    # process, so few answers, if any, are lost here now; every one that was lost and retried is its first comment
    # (assert_invariants: one comment per key), and the idempotency tests cover the replay itself.
    assert replayed <= lost, (len(lost), len(replayed))
    survived(record_property, "answers lost after commit (client timeout 0.6 s, Redis frozen 2.5 s)", {
        **figures, "comments whose answer was lost": len(lost), "of which already made, returned by the retry": len(replayed),
    })


def test_postgresql_restarted_under_load(platform, record_property):
    """`pg_ctl restart -m fast` cuts every connection gunicorn's workers keep (CONN_MAX_AGE 60): the clients get
    JSON 503s with Retry-After (or no answer) while it is down, their retries with the same key make each comment
    once, and the workers reconnect by themselves (CONN_HEALTH_CHECKS): no 500, no restart of gunicorn."""
    with Load(platform, "postgres") as load:
        time.sleep(1)
        restarted = time.monotonic()
        platform.postgres.stop("fast")
        time.sleep(2)  # down long enough for the clients to meet it
        platform.postgres.start()
        back = time.monotonic()
        time.sleep(1.5)
    figures = assert_invariants(platform, load)
    refused = [a for a in load.answers if a.status in (0, 503)]
    # Refused only while it was down: once pg_ctl says it accepts connections, every kept connection is
    # checked before use (CONN_HEALTH_CHECKS) and replaced if the restart cut it, so no request fails on one.
    assert refused and all(restarted - 0.5 <= a.started <= back for a in refused), [(a.status, a.started - back) for a in refused]
    assert figures["answers"].get(503), figures  # the clients were told, in JSON, to come back (not cut off)
    assert len([a for a in load.between(back, back + 10) if a.status == 201]) >= 4  # and came back after the restart
    assert "Traceback" not in (platform.root / "gunicorn.log").read_text()  # no 500 anywhere, no unhandled error
    survived(record_property, "PostgreSQL stopped 2 s and started (pg_ctl -m fast)", figures)
