"""Real services of the fault tests, started by the suite on spare ports: a PostgreSQL cluster of its own
(initdb in a temporary directory), a redis-server of its own, the platform under gunicorn with the
production settings pointed at them, and a Celery worker when a test asks. The machine's own PostgreSQL
and Redis are never touched: these tests stop, freeze, kill and restart only what they started.

Everything runs in processes of its own, as in production; the test process reads the results through
manage.py (verify_receipts) and plain SQL (psql) against the spare cluster. Without initdb, pg_ctl,
redis-server or gunicorn the module is skipped, saying which is missing.
"""
from __future__ import annotations

import contextlib
import dataclasses
import glob
import json
import os
import pwd
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
PG_BIN = max(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda path: int(Path(path).parent.name) if Path(path).parent.name.isdigit() else 0, default="")
DATABASE = "faults"


def _missing() -> list[str]:
    tools = [Path(PG_BIN) / "initdb" if PG_BIN else None, Path(PG_BIN) / "pg_ctl" if PG_BIN else None]
    missing = [name for name, path in zip(["initdb", "pg_ctl"], tools) if path is None or not path.exists()]
    missing += [name for name in ("redis-server", *(["runuser"] if os.geteuid() == 0 else [])) if shutil.which(name) is None]
    missing += [name for name in ("gunicorn", "celery") if not (VENV_BIN / name).exists()]
    return missing


def spare_port() -> int:
    """A port nothing listens on now (the kernel's choice), for a server this suite starts."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, *, seconds: float, every: float = 0.1) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if condition():
                return True
        time.sleep(every)
    return False


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


class PostgresCluster:
    """A cluster of its own in a temporary directory, run as the postgres user (initdb refuses root)."""

    def __init__(self, root: Path):
        self.port = spare_port()
        self.data, self.log = root / "pgdata", root / "postgres.log"
        self.socket_dir = root
        self.user = "postgres" if os.geteuid() == 0 else None
        if self.user:
            owner = pwd.getpwnam(self.user)
            os.chown(root, owner.pw_uid, owner.pw_gid)
        self._run("initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8")
        # Durability off: these tests restart the server, they do not test the disk.
        (self.data / "postgresql.auto.conf").write_text(
            f"port = {self.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{self.socket_dir}'\n"
            "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 60\n"
        )

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def _run(self, tool: str, *args) -> None:
        command = [str(Path(PG_BIN) / tool), *map(str, args)]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        self._run("pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "30", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", self.data, "-m", mode, "-w", "-t", "30", "stop")

    def restart(self) -> None:
        """`pg_ctl restart -m fast`: every connection is cut, as when the database is restarted in production."""
        self._run("pg_ctl", "-D", self.data, "-l", self.log, "-m", "fast", "-w", "-t", "30", "restart")

    def sql(self, query: str) -> str:
        """One query's result through psql, rows separated by newlines, columns by |."""
        return subprocess.run(
            [str(Path(PG_BIN) / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", DATABASE,
             "-At", "-c", query],
            check=True, capture_output=True, text=True, timeout=30,
        ).stdout.strip()


class RedisServer:
    """A redis-server of its own (no persistence). Stopped, frozen (SIGSTOP) and started again on the same port."""

    def __init__(self, root: Path):
        self.port, self.root = spare_port(), root
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--daemonize", "no", "--dir", str(self.root)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        assert wait_until(lambda: _listening(self.port), seconds=10), "redis-server did not start"

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)  # a frozen server must be able to exit
            self.process.kill()
            self.process.wait(10)

    def freeze(self) -> None:
        """The process stops answering but its socket stays open: clients wait, as on a hung or swapped-out server."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)


class MailSink:
    """An SMTP server that accepts every message, taking `delay` seconds over each (a slow relay, so that a
    worker killed under load is killed mid-send), and keeps them to be counted."""

    def __init__(self, delay: float = 0.25):
        self.port, self.delay, self.messages, self.sending = spare_port(), delay, [], 0
        sink = self

        class Session(socketserver.StreamRequestHandler):
            def handle(self):
                self.wfile.write(b"220 faults ESMTP\r\n")
                data, lines = False, []
                for line in iter(self.rfile.readline, b""):
                    if data:
                        if line != b".\r\n":
                            lines.append(line)
                            continue
                        sink.sending += 1
                        time.sleep(sink.delay)
                        sink.sending -= 1
                        # Taken for delivery before the sender hears so: a sender killed now has its e-mail sent
                        # and does not know it (why e-mail is at least once).
                        sink.messages.append(b"".join(lines).decode("utf-8", "replace"))
                        data, lines = False, []
                        self.wfile.write(b"250 queued\r\n")
                        continue
                    command = line[:4].upper()
                    if command == b"QUIT":
                        self.wfile.write(b"221 bye\r\n")
                        return
                    data = command == b"DATA"
                    self.wfile.write(b"354 end with .\r\n" if data else b"250 ok\r\n")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", self.port), Session)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclasses.dataclass
class Platform:
    """The platform as deployed, over the spare services: its URL, the citizens' sessions, a provision open for comment."""

    postgres: PostgresCluster
    redis: RedisServer
    mail: MailSink
    env: dict
    root: Path
    port: int = 0
    server: subprocess.Popen | None = None
    citizens: list = dataclasses.field(default_factory=list)  # [{"sessionid": ..., "csrftoken": ...}]
    provision: int = 0
    workers: list = dataclasses.field(default_factory=list)
    timings: dict = dataclasses.field(default_factory=dict)  # seconds from the start, after each step of the setup

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def manage(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=self.env, capture_output=True, text=True, timeout=timeout
        )

    def start_server(self) -> None:
        """gunicorn with two workers of four threads, connections kept (CONN_MAX_AGE 60), so health checks matter."""
        self.port = spare_port()
        log = open(self.root / "gunicorn.log", "ab")
        self.server = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "config.wsgi:application", "-b", f"127.0.0.1:{self.port}", "-w", "2",
             "-k", "gthread", "--threads", "4", "--timeout", "30", "--graceful-timeout", "2",
             "--no-control-socket"],  # its default path is one per user, shared with any other gunicorn
            cwd=BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT,
        )
        assert wait_until(lambda: urllib.request.urlopen(self.url + "/api/v1/consultations/", timeout=2).status == 200, seconds=30), (
            "gunicorn did not answer: " + (self.root / "gunicorn.log").read_text()[-2000:]
        )

    def start_worker(self, name: str) -> subprocess.Popen:
        log = open(self.root / f"worker-{name}.log", "ab")
        worker = subprocess.Popen(
            [str(VENV_BIN / "celery"), "-A", "config", "worker", "-P", "prefork", "-c", "2", "-n", f"{name}@%h", "--without-mingle",
             "--without-gossip", "-l", "info"],
            cwd=BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        self.workers.append(worker)
        return worker

    def kill_worker(self, worker: subprocess.Popen) -> None:
        """SIGKILL to the worker and its pool processes at once: nothing runs its shutdown, as on an OOM kill."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(10)

    def stop(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(worker.pid, signal.SIGTERM)
        for process in [*self.workers, self.server]:
            if process and process.poll() is None:
                process.terminate()
        for process in [*self.workers, self.server]:
            if process:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(3)
                if process.poll() is None:
                    process.kill()


SEED = """
import json
from django.test import Client
from drafts.models import Provision
from tests.factories import participant_user
from consult.demo_data import demo_consultation_load
demo_consultation_load(admin_password=None)
citizens = []
for n in range({citizens}):
    client = Client()
    client.force_login(participant_user(f"Fault Citizen {{n}}"))
    citizens.append({{"sessionid": client.cookies["sessionid"].value}})
provision = Provision.objects.get(version__document__slug="constitution", version__number=1, path="II/25/1")
print(json.dumps({{"citizens": citizens, "provision": provision.pk}}))
"""


@pytest.fixture(scope="module")
def platform():
    """The platform over its own PostgreSQL and Redis, migrated, with the demo draft open for comment."""
    missing = _missing()
    if missing:
        pytest.skip(f"fault tests need their own services; not installed: {', '.join(missing)}")
    root = Path(tempfile.mkdtemp(prefix="consult-faults-"))
    began = time.monotonic()
    postgres, redis, mail = PostgresCluster(root), RedisServer(root), MailSink()
    platform = None
    try:
        postgres.start()
        redis.start()
        subprocess.run(
            [str(Path(PG_BIN) / "createdb"), "-h", "127.0.0.1", "-p", str(postgres.port), "-U", "postgres", DATABASE], check=True
        )
        env = {
            name: value for name, value in os.environ.items()
            if not name.startswith(("DATABASE_", "REDIS_", "CACHE_", "CELERY_", "DJANGO_", "TEST_RUN_TOKEN", "PYTEST_"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE="tests.faults.settings", DJANGO_SECRET_KEY="faults-" + "x" * 50, DJANGO_HTTPS="false",
            DATABASE_URL=postgres.url, DATABASE_CONN_MAX_AGE="60", REDIS_URL=redis.url + "/0", CACHE_URL=redis.url + "/1",
            EMAIL_URL=f"smtp://127.0.0.1:{mail.port}", PYTHONPATH=str(BASE_DIR),
            # The load is many comments from a few accounts on one address: the abuse limits are not under test here.
            OUTBOX_RETRY_DELAY_SECONDS="2",  # an e-mail a killed worker was sending is due again in seconds, not a minute
            RATE_COMMENT_USER="100000/h", RATE_COMMENT_IP="100000/h", RATE_API_USER="100000/min",
        )
        platform = Platform(postgres=postgres, redis=redis, mail=mail, env=env, root=root)
        platform.timings["services"] = time.monotonic() - began
        migrated = platform.manage("migrate", "--noinput", timeout=300)
        platform.timings["migrate"] = time.monotonic() - began
        assert migrated.returncode == 0, migrated.stderr[-3000:]
        seeded = platform.manage("shell", "-c", SEED.format(citizens=6))
        assert seeded.returncode == 0, seeded.stderr[-3000:]
        seed = json.loads(seeded.stdout.strip().splitlines()[-1])
        platform.citizens, platform.provision = seed["citizens"], seed["provision"]
        platform.timings["seed"] = time.monotonic() - began
        platform.start_server()
        platform.timings["server"] = time.monotonic() - began
        yield platform
    finally:
        if platform:
            platform.stop()
        redis.stop()
        mail.stop()
        with contextlib.suppress(Exception):
            postgres.stop("immediate")
        if not os.environ.get("FAULTS_KEEP"):  # FAULTS_KEEP=1 keeps the logs and the cluster's directory
            shutil.rmtree(root, ignore_errors=True)
