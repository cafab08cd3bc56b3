"""A PostgreSQL server for the tests in this folder, and a fresh database on it for each test.

The server is $DANGVIEN_TEST_PG (a SQLAlchemy URL; `.ci/run` starts one and sets it). Without
it, a throwaway server is started here when PostgreSQL's `initdb` is on PATH; failing that (or when
.ci/run sets $DANGVIEN_TEST_PG_UNAVAILABLE to the reason it could not start one), every test in
this folder is skipped, and `-ra` prints why.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ENV_VAR = "DANGVIEN_TEST_PG"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_server_user(args: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its programs as the `postgres` system user."""
    if os.geteuid() != 0:
        return args
    runuser = shutil.which("runuser")
    if runuser is None:
        raise RuntimeError("running as root without runuser")
    return [runuser, "-u", "postgres", "--", *args]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The server's URL (its maintenance database `postgres`)."""
    unavailable = os.environ.get(f"{ENV_VAR}_UNAVAILABLE")
    if unavailable:  # .ci/run tried to start a server and says why it could not
        pytest.skip(f"PostgreSQL tests skipped: no server could be started ({unavailable})")
    url = os.environ.get(ENV_VAR)
    if url:
        yield url
        return
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb is None or pg_ctl is None:
        pytest.skip(f"PostgreSQL tests skipped: {ENV_VAR} is not set and initdb is not on PATH")
    base = Path(tempfile.mkdtemp(prefix="dangvien-pg-"))
    port = _free_port()
    data = base / "data"
    try:
        if os.geteuid() == 0:
            shutil.chown(base, "postgres")
        subprocess.run(
            _as_server_user(
                [initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]
            ),
            check=True,
            capture_output=True,
        )
        subprocess.run(
            _as_server_user(
                [
                    pg_ctl,
                    "-D",
                    str(data),
                    "-l",
                    str(base / "log"),
                    "-w",
                    "-o",
                    f"-h 127.0.0.1 -p {port} -k {base} -F",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
        )
    except (OSError, RuntimeError, KeyError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        shutil.rmtree(base, ignore_errors=True)
        pytest.skip(
            f"PostgreSQL tests skipped: {ENV_VAR} is not set and no throwaway server could "
            f"be started ({exc}; {detail.decode(errors='replace').strip()[:200]})"
        )
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_server_user([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(base, ignore_errors=True)


def _admin(server: str) -> Any:
    """An autocommit psycopg connection to the server (CREATE/DROP DATABASE need one)."""
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(server)
    return psycopg.connect(
        host=u.host, port=u.port, user=u.username, password=u.password,
        dbname=u.database or "postgres", autocommit=True,
    )  # fmt: skip


def fresh_database(server: str) -> tuple[str, str]:
    """Create an empty database on the server: (its name, its URL)."""
    from sqlalchemy.engine import make_url

    name = f"dangvien_test_{uuid.uuid4().hex[:12]}"
    with _admin(server) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    return name, url


def drop_database(server: str, name: str) -> None:
    with _admin(server) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_url(pg_server: str, isolated: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A new, empty database for this test; DANGVIEN_DB points at it."""
    name, url = fresh_database(pg_server)
    monkeypatch.setenv("DANGVIEN_DB", url)
    try:
        yield url
    finally:
        drop_database(pg_server, name)


@pytest.fixture
def pg_sql(pg_url: str) -> Iterator[Any]:
    """pg_sql("SELECT …", {params}) on this test's PostgreSQL database."""
    from sqlalchemy import create_engine, text

    engine = create_engine(pg_url)

    def _sql(statement: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(statement), params or {})]

    try:
        yield _sql
    finally:
        engine.dispose()
