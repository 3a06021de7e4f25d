"""Closed-loop HTTP/1.1 load against a server on this machine, and where the CPU went meanwhile.

Two interchangeable clients post JSON with a session cookie and a CSRF token per virtual client:
`wrk` (C, with bench/comment_load.lua), which leaves the CPU to the server, and a single-process
asyncio client on raw sockets with keep-alive, used when wrk is missing. Both keep every virtual
client busy with one request at a time, count any status but the expected one as an error, and
return the ids (and receipts) of accepted records. Runs are bounded in time and in count, and
only ever target 127.0.0.1.
"""
from __future__ import annotations

import asyncio
import os
import random
import re
import resource
import shutil
import subprocess
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"
LUA_SCRIPT = Path(__file__).with_name("comment_load.lua")
MAX_REQUESTS_PER_RUN = 2_000_000
REQUEST_TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class VirtualClient:
    sessionid: str
    csrftoken: str
    provision: int


@dataclass
class LoadResult:
    label: str
    seconds: float
    requests: int
    statuses: Counter = field(default_factory=Counter)
    socket_errors: Counter = field(default_factory=Counter)
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    accepted: list[tuple[int, str | None]] = field(default_factory=list)
    # Requests that may have reached the server without their answer being read (wrk stops mid-flight).
    unseen_at_most: int = 0
    cpu: dict[str, float] = field(default_factory=dict)  # share of the whole machine, 0..1
    database: dict[str, float] = field(default_factory=dict)  # filled in by the caller, if it watches the database

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def errors(self, expected: int) -> int:
        return sum(n for status, n in self.statuses.items() if status != expected) + sum(self.socket_errors.values())


# --- CPU accounting from /proc -----------------------------------------------------------------------

_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _proc_stat(pid: int) -> tuple[str, int, float] | None:
    """(command, parent pid, CPU seconds) of a process, or None when it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    name = raw[raw.index("(") + 1 : raw.rindex(")")]
    rest = raw[raw.rindex(")") + 2 :].split()
    return name, int(rest[1]), (int(rest[11]) + int(rest[12])) / _CLOCK_TICKS


def _postgres_is_ours(pid: int, database: str) -> bool:
    """A backend serving our database, or one of the server's own processes (WAL writer, checkpointer...)."""
    try:
        title = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return False
    is_backend = "(" in title or "[local]" in title  # "postgres: 15/main: user db 127.0.0.1(port) idle"
    return f" {database} " in title if is_backend else True


@dataclass(frozen=True)
class CpuSnapshot:
    processes: dict[int, tuple[str, float]]  # pid -> (group, CPU seconds)
    machine_busy: float


def cpu_snapshot(server_pid: int, database: str) -> CpuSnapshot:
    """CPU seconds used so far by the server (gunicorn master and workers), our PostgreSQL processes, Redis."""
    processes = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        stat = _proc_stat(pid)
        if stat is None:
            continue
        name, parent, seconds = stat
        if pid == server_pid or parent == server_pid:
            processes[pid] = ("server", seconds)
        elif name == "postgres" and _postgres_is_ours(pid, database):
            processes[pid] = ("postgres", seconds)
        elif name.startswith("redis-server"):
            processes[pid] = ("redis", seconds)
    with open("/proc/stat") as stat:
        fields = [int(v) for v in stat.readline().split()[1:]]
    busy = (sum(fields[:8]) - fields[3] - fields[4]) / _CLOCK_TICKS  # all but idle and iowait
    return CpuSnapshot(processes, busy)


def cpu_shares(before: CpuSnapshot, after: CpuSnapshot, *, seconds: float, client_seconds: float) -> dict[str, float]:
    """Shares of the whole machine (all cores) during a run; `other` is everything else running meanwhile."""
    capacity = seconds * (os.cpu_count() or 1)
    shares = Counter()
    for pid, (group, used) in after.processes.items():
        shares[group] += (used - before.processes.get(pid, (group, 0.0))[1]) / capacity
    shares["client"] = client_seconds / capacity
    shares["machine_busy"] = (after.machine_busy - before.machine_busy) / capacity
    shares["other"] = max(0.0, shares["machine_busy"] - sum(shares[g] for g in ("server", "postgres", "redis", "client")))
    return dict(shares)


def server_cpu_seconds(server_pid: int) -> float:
    """CPU seconds used so far by a process and its direct children (the gunicorn master and its workers)."""
    pids = [server_pid]
    try:
        for task in os.scandir(f"/proc/{server_pid}/task"):
            pids += [int(pid) for pid in Path(task.path, "children").read_text().split()]
    except OSError:
        pass
    return sum(stat[2] for stat in map(_proc_stat, pids) if stat)


def wait_until_idle(server_pid: int, *, limit_seconds: float = 20.0, window: float = 0.25, busy_below: float = 0.05) -> float:
    """Wait until the server stops working on requests a client gave up on; the seconds waited (bounded)."""
    started = time.monotonic()
    while time.monotonic() - started < limit_seconds:
        before = server_cpu_seconds(server_pid)
        time.sleep(window)
        if (server_cpu_seconds(server_pid) - before) / window < busy_below:
            break
    return time.monotonic() - started


def machine_busy_share(seconds: float = 2.0) -> float:
    """The share of all cores busy over the next `seconds` (whoever uses them)."""
    def busy_and_total() -> tuple[int, int]:
        with open("/proc/stat") as stat:
            fields = [int(v) for v in stat.readline().split()[1:]]
        return sum(fields[:8]) - fields[3] - fields[4], sum(fields[:8])

    busy_before, total_before = busy_and_total()
    time.sleep(seconds)
    busy_after, total_after = busy_and_total()
    return (busy_after - busy_before) / max(1, total_after - total_before)


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# --- wrk --------------------------------------------------------------------------------------------


def wrk_path(*, install: bool) -> str | None:
    """wrk's path; with `install`, installs Debian's package first when missing and we are root."""
    found = shutil.which("wrk")
    if found or not install or os.geteuid() != 0 or not shutil.which("apt-get"):
        return found
    print("wrk is missing: installing Debian's package (apt-get install wrk)", flush=True)
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "check": False}
    if subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], **quiet).returncode != 0:
        subprocess.run(["apt-get", "update", "-qq"], **quiet)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], **quiet)
    return shutil.which("wrk")


def run_wrk(
    *, wrk: str, label: str, port: int, path: str, clients: list[VirtualClient], seconds: float, server_pid: int, database: str,
    threads: int = 1,
) -> LoadResult:
    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as folder:
        clients_file, out_file = Path(folder, "clients.tsv"), Path(folder, "out.txt")
        clients_file.write_text("".join(f"{c.sessionid}\t{c.csrftoken}\t{c.provision}\n" for c in clients))
        env = {**os.environ, "BENCH_WRK_CLIENTS": str(clients_file), "BENCH_WRK_OUT": str(out_file)}
        command = [
            wrk, f"--threads={threads}", f"--connections={len(clients)}", f"--duration={max(1, round(seconds))}s",
            f"--timeout={REQUEST_TIMEOUT_SECONDS}s", f"--script={LUA_SCRIPT}", f"http://{HOST}:{port}{path}",
        ]
        cpu_before, children_before = cpu_snapshot(server_pid, database), _children_cpu_seconds()
        started = time.monotonic()
        finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=seconds + 60, check=False)
        elapsed = time.monotonic() - started
        client_seconds = _children_cpu_seconds() - children_before
        cpu_after = cpu_snapshot(server_pid, database)
        if finished.returncode != 0 or not out_file.exists():
            raise RuntimeError(f"wrk failed ({finished.returncode}): {finished.stderr.strip() or finished.stdout.strip()}")
        values: dict[str, int] = {}
        statuses: Counter = Counter()
        accepted: list[tuple[int, str | None]] = []
        for line in out_file.read_text().splitlines():
            kind, _, rest = line.partition(" ")
            if kind == "status":
                status, count = rest.split()
                statuses[int(status)] += int(count)
            elif kind == "accepted":
                record_id, receipt = rest.split()
                accepted.append((int(record_id) if record_id.isdigit() else -1, None if receipt == "-" else receipt))
            else:
                values[kind] = int(rest)
    duration = values["duration_us"] / 1e6
    return LoadResult(
        label=label,
        seconds=duration,
        requests=values["requests"],
        statuses=statuses,
        socket_errors=Counter({k: values[f"socket_{k}"] for k in ("connect", "read", "write", "timeout") if values[f"socket_{k}"]}),
        p50_ms=values["p50_us"] / 1000, p95_ms=values["p95_us"] / 1000, p99_ms=values["p99_us"] / 1000, max_ms=values["max_us"] / 1000,
        accepted=accepted,
        unseen_at_most=len(clients),
        cpu=cpu_shares(cpu_before, cpu_after, seconds=elapsed, client_seconds=client_seconds),
    )


# --- asyncio ----------------------------------------------------------------------------------------

_ID = re.compile(rb'"id":\s*(\d+)')
_RECEIPT = re.compile(rb'"receipt":\s*"([^"]+)"')
BODY_TEMPLATE = (
    '{{"provision": {provision}, "body": "Benchmark comment {client}-{n}: this article should guarantee '
    'peaceful assembly without prior permission.", "stance": "oppose", "language": "en"}}'
)


def _percentile(ordered: list[float], p: float) -> float:
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


async def _client_loop(number: int, client: VirtualClient, *, port: int, path: str, deadline: float, budget: list[int],
                       latencies: list[float], statuses: Counter, socket_errors: Counter, accepted: list,
                       think_ms: float = 0) -> None:
    reader = writer = None
    head_common = (
        f"POST {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nContent-Type: application/json\r\n"
        f"Cookie: sessionid={client.sessionid}; csrftoken={client.csrftoken}\r\nX-CSRFToken: {client.csrftoken}\r\n"
    ).encode()
    sent = 0
    try:
        while time.monotonic() < deadline and budget[0] > 0:
            if think_ms:  # a pause of random length before each request, as the wrk script's delay()
                await asyncio.sleep(random.expovariate(1000 / think_ms))
                if time.monotonic() >= deadline:
                    break
            budget[0] -= 1
            sent += 1
            body = BODY_TEMPLATE.format(provision=client.provision, client=number, n=sent).encode()
            request = head_common + b"Content-Length: %d\r\n\r\n" % len(body) + body
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection(HOST, port)
                started = time.perf_counter()
                async with asyncio.timeout(REQUEST_TIMEOUT_SECONDS):
                    writer.write(request)
                    head = (await reader.readuntil(b"\r\n\r\n")).lower()
                    status = int(head[9:12])
                    length = re.search(rb"\r\ncontent-length:\s*(\d+)", head)
                    if length is None:
                        raise ConnectionError("response without content-length")
                    payload = await reader.readexactly(int(length.group(1)))
                latencies.append(time.perf_counter() - started)
                statuses[status] += 1
                if status == 201:
                    found_id, found_receipt = _ID.search(payload), _RECEIPT.search(payload)
                    accepted.append((int(found_id.group(1)) if found_id else -1, found_receipt.group(1).decode() if found_receipt else None))
                if b"\r\nconnection: close" in head or think_ms:
                    # Paced, a new connection for each comment: a kept-alive one could be closed by the
                    # server during the pause, just as the next request is written on it.
                    writer.close()
                    reader = writer = None
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError, ValueError) as error:
                socket_errors[type(error).__name__] += 1
                if writer is not None:
                    writer.close()
                reader = writer = None
    finally:
        if writer is not None:
            writer.close()


def run_asyncio(
    *, label: str, port: int, path: str, clients: list[VirtualClient], seconds: float, server_pid: int, database: str,
    think_ms: float = 0,
) -> LoadResult:
    latencies: list[float] = []
    statuses: Counter = Counter()
    socket_errors: Counter = Counter()
    accepted: list[tuple[int, str | None]] = []
    budget = [MAX_REQUESTS_PER_RUN]

    async def load() -> None:
        deadline = time.monotonic() + seconds
        await asyncio.gather(*(
            _client_loop(number, client, port=port, path=path, deadline=deadline, budget=budget, latencies=latencies,
                         statuses=statuses, socket_errors=socket_errors, accepted=accepted, think_ms=think_ms)
            for number, client in enumerate(clients, start=1)
        ))

    cpu_before, own_before = cpu_snapshot(server_pid, database), time.process_time()
    started = time.monotonic()
    asyncio.run(load())  # every client finishes the request it has in flight, so nothing goes unseen
    elapsed = time.monotonic() - started
    client_seconds = time.process_time() - own_before
    cpu_after = cpu_snapshot(server_pid, database)
    ordered = sorted(latencies)
    return LoadResult(
        label=label,
        seconds=elapsed,
        requests=len(latencies),
        statuses=statuses,
        socket_errors=socket_errors,
        p50_ms=_percentile(ordered, 50) * 1000, p95_ms=_percentile(ordered, 95) * 1000,
        p99_ms=_percentile(ordered, 99) * 1000, max_ms=(ordered[-1] * 1000 if ordered else 0.0),
        accepted=accepted,
        unseen_at_most=0,
        cpu=cpu_shares(cpu_before, cpu_after, seconds=elapsed, client_seconds=client_seconds),
    )
