"""On PostgreSQL too, a writer that has to wait says so and gives up at its limit with nothing
written (issue 11, "Waiting, said out loud"); before, the wait was silent and endless.

Another connection holds what dangvien waits for: the write lock another dangvien writer would
hold (the advisory lock of db/engine), or a lock on a table, as a person with psql could.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from builders import Kid, plain_roster

MAIN = "from dangvien_cli.cli import main; main()"
KID = Kid("9600000001", "Lầu Thị Dế", 2007, gender="Nữ", klass="12A1")
RECORD = ["record", KID.code, "cam-tinh", "--date", "01/10/2024"]


def dangvien(*args: object, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", MAIN, *(str(a) for a in args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "DANGVIEN_TODAY": "05/06/2025", **(env or {})},
    )


@pytest.fixture
def school(run: Any, tmp_path: Path, pg_url: str) -> str:
    roster = plain_roster(tmp_path / "12A1.xlsx", [KID]).path
    run.ok("import", roster, "--school", "THPT Bình Lư", "--school-year", "2024-2025")
    return pg_url


@pytest.fixture
def holder(school: str) -> Iterator[Any]:
    """A connection of someone else, in an open transaction."""
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(school)
    conn = psycopg.connect(host=u.host, port=u.port, user=u.username, dbname=u.database)
    try:
        yield conn
    finally:
        conn.rollback()
        conn.close()


def milestones(pg_sql: Any) -> int:
    return int(pg_sql("SELECT count(*) FROM milestone")[0][0])


def flat(text: str) -> str:
    return " ".join(text.split())


def test_a_writer_behind_another_says_it_waits_then_gives_up(holder: Any, pg_sql: Any) -> None:
    from dangvien_cli.db.engine import WRITE_LOCK

    holder.execute(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")  # another dangvien writer

    started = time.monotonic()
    out, err = (p := dangvien("--wait", "3", *RECORD)).communicate(timeout=60)
    took = time.monotonic() - started

    assert p.returncode == 1, (out, err)
    said = flat(err)
    assert said.count("Đang chờ") == 1 and "(một người khác đang ghi)" in said
    assert "Đã chờ 3 giây" in said and "chưa ghi gì" in said
    assert "Traceback" not in err
    assert 3 <= took < 30
    assert milestones(pg_sql) == 0


def test_a_writer_whose_turn_comes_in_time_goes_on(holder: Any, pg_sql: Any) -> None:
    from dangvien_cli.db.engine import WRITE_LOCK

    holder.execute(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
    p = dangvien(*RECORD, env={"DANGVIEN_WAIT": "60"})
    assert p.stderr is not None
    first = p.stderr.readline()  # the writer says it waits…
    holder.commit()  # …and the other writer is done

    out, err = p.communicate(timeout=60)

    assert p.returncode == 0, (out, err)
    assert flat(first + err).count("Đang chờ") == 1 and "Đang chờ" in first
    assert milestones(pg_sql) == 1


def test_a_table_locked_by_someone_else_ends_the_wait_at_the_limit(
    holder: Any, pg_sql: Any
) -> None:
    holder.execute("LOCK TABLE milestone IN ACCESS EXCLUSIVE MODE")

    out, err = (p := dangvien("--wait", "2", *RECORD)).communicate(timeout=60)

    assert p.returncode == 1, (out, err)
    said = flat(err)
    assert "Đã chờ 2 giây" in said and "chưa ghi gì" in said
    assert "Traceback" not in err and "LockNotAvailable" not in err
    holder.rollback()
    assert milestones(pg_sql) == 0
