"""What every benchmark that serves the application needs: its own PostgreSQL database and Redis
database, pointed at through the environment before Django starts, and dropped afterwards."""
from __future__ import annotations

import os
import secrets
from urllib.parse import urlsplit, urlunsplit

from bench.loadgen import HOST


def environment_configure(*, database_name: str, redis_db: int, extra: dict[str, str] | None = None) -> tuple[str, str]:
    """Point this process (and any server it starts) at `database_name` and Redis database `redis_db`."""
    server_url = urlsplit(os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/consult")
    if server_url.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise SystemExit(f"the benchmark needs PostgreSQL; DATABASE_URL is {server_url.scheme}://")
    database_url = urlunsplit(server_url._replace(path=f"/{database_name}"))
    redis_url = urlunsplit(urlsplit(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0")._replace(path=f"/{redis_db}"))
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CACHE_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "CELERY_RESULT_BACKEND": redis_url,
        "DJANGO_ALLOWED_HOSTS": f"{HOST},localhost,testserver",
        "DJANGO_HTTPS": "false",
        **(extra or {}),
    })
    return database_url, redis_url


def _maintenance_connection(database_url: str):
    import psycopg

    url = urlsplit(database_url)
    return psycopg.connect(urlunsplit(url._replace(path="/postgres")), autocommit=True)


def database_recreate(database_url: str) -> None:
    name = urlsplit(database_url).path.lstrip("/")
    with _maintenance_connection(database_url) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def database_drop(database_url: str) -> None:
    from django.db import connections

    connections.close_all()
    name = urlsplit(database_url).path.lstrip("/")
    with _maintenance_connection(database_url) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def redis_empty(redis_url: str) -> None:
    import redis

    client = redis.Redis.from_url(redis_url, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.flushdb()
    finally:
        client.close()


def environment_release(database_url: str, redis_url: str, *, keep_database: bool) -> None:
    """After a benchmark, whatever happened: drop its database (unless kept for inspection), empty its Redis database."""
    if keep_database:
        print(f"database {urlsplit(database_url).path.lstrip('/')} kept ({database_url})")
    else:
        database_drop(database_url)
    redis_empty(redis_url)
