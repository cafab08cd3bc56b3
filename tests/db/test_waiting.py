"""A writer that has to wait for another says so, and gives up at its limit with nothing written
(issue 11, "Waiting, said out loud"). Real processes on a real SQLite file: this test holds the
write lock (BEGIN IMMEDIATE on its own sqlite3 connection) while `dangvien record` runs in a
process of its own, as a colleague at another desk would.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from builders import Kid, plain_roster

MAIN = "from dangvien_cli.cli import main; main()"
KID = Kid("9700000001", "Lù Văn Páo", 2007, klass="12A1")
RECORD = ["record", KID.code, "cam-tinh", "--date", "01/10/2024"]


def dangvien(db: Path, *args: object, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", MAIN, "--db", str(db), *(str(a) for a in args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "DANGVIEN_TODAY": "05/06/2025", **(env or {})},
    )


@pytest.fixture
def school(run: Any, tmp_path: Path, db_path: Path) -> Path:
    roster = plain_roster(tmp_path / "12A1.xlsx", [KID]).path
    run.ok("import", roster, "--school", "THPT Bình Lư", "--school-year", "2024-2025")
    return db_path


def hold_write_lock(db: Path) -> sqlite3.Connection:
    holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    return holder


def milestones(db: Path) -> int:
    with sqlite3.connect(db) as con:
        n = con.execute("SELECT count(*) FROM milestone").fetchone()[0]
    con.close()
    return int(n)


def flat(text: str) -> str:
    return " ".join(text.split())


def test_a_writer_behind_another_says_it_waits_then_gives_up_with_nothing_written(
    school: Path,
) -> None:
    holder = hold_write_lock(school)
    try:
        started = time.monotonic()
        waiting = dangvien(school, "--wait", "3", *RECORD)
        out, err = waiting.communicate(timeout=60)
        took = time.monotonic() - started
    finally:
        holder.rollback()
        holder.close()

    assert waiting.returncode == 1, (out, err)
    said = flat(err)
    assert said.count("Đang chờ") == 1
    assert "(một người khác đang ghi)" in said and "tối đa 3 giây" in said
    assert "Đã chờ 3 giây" in said and "chưa ghi gì" in said
    assert "Hãy thử lại khi người đó ghi xong" in said
    assert "Traceback" not in err and "OperationalError" not in err
    assert 3 <= took < 30
    assert milestones(school) == 0


def test_a_writer_whose_turn_comes_in_time_goes_on(school: Path) -> None:
    holder = hold_write_lock(school)
    waiting = dangvien(school, *RECORD, env={"DANGVIEN_WAIT": "60"})
    assert waiting.stderr is not None
    first = waiting.stderr.readline()  # the writer says it waits…
    holder.commit()  # …and the other writer is done
    holder.close()

    out, err = waiting.communicate(timeout=60)

    assert waiting.returncode == 0, (out, err)
    assert "Đang chờ" in first
    said = flat(first + err)
    assert said.count("Đang chờ") == 1 and "tối đa 60 giây" in said
    assert milestones(school) == 1


def test_a_wait_shorter_than_a_second_is_not_announced(school: Path) -> None:
    import threading

    from dangvien_cli.db.waiting import Waiting, sqlite_begin_immediate

    holder = hold_write_lock(school)
    release = threading.Timer(0.5, holder.commit)
    said: list[str] = []
    writer = sqlite3.connect(school, isolation_level=None, check_same_thread=False)
    try:
        started = time.monotonic()
        release.start()
        sqlite_begin_immediate(writer, Waiting(limit=10, notify=said.append))
        took = time.monotonic() - started
        writer.execute("ROLLBACK")
    finally:
        release.join()
        writer.close()
        holder.close()

    assert 0.4 <= took < 1.0  # it did wait for the holder…
    assert said == []  # …without a word


def test_a_wait_limit_that_is_not_a_number_is_refused(run: Any, school: Path) -> None:
    result = run("--wait", "mãi", *RECORD)

    assert result.exit_code == 2
    assert "--wait" in result.stderr and "số giây" in result.stderr
    assert milestones(school) == 0


def test_readers_do_not_wait(school: Path) -> None:
    holder = hold_write_lock(school)
    try:
        reading = dangvien(school, "--wait", "0", "students", "--json")
        out, err = reading.communicate(timeout=60)
    finally:
        holder.rollback()
        holder.close()

    assert reading.returncode == 0, err
    assert KID.code in out and "Đang chờ" not in err


def test_the_limit_and_the_report_folder_are_documented(run: Any) -> None:
    from dangvien_cli.cli.crashlog import ENV_VAR as LOG_DIR
    from dangvien_cli.db.waiting import DEFAULT_SECONDS, ENV_VAR

    help_text = flat(run.ok("--help").stdout)
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")

    assert "--wait GIÂY" in help_text and ENV_VAR in help_text
    assert f"rồi {DEFAULT_SECONDS:g}." in help_text
    assert f"else {DEFAULT_SECONDS:g} seconds" in flat(readme)
    assert ENV_VAR in readme and LOG_DIR in readme


def test_a_database_another_program_keeps_locked_says_so(school: Path) -> None:
    # Another program holds the file in SQLite's exclusive locking mode: even readers are shut
    # out, and "database is locked" comes from wherever dangvien first touches the file.
    holder = sqlite3.connect(school, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("COMMIT")
    try:
        reader = dangvien(school, "--wait", "1", "students", "--json")
        out, err = reader.communicate(timeout=60)
    finally:
        holder.close()

    assert reader.returncode == 1, err

    said = flat(err)
    assert "đang bị khóa vì một người khác đang ghi" in said and "Hãy thử lại" in said
    assert "Traceback" not in err and "OperationalError" not in err
    assert out == ""


def test_a_merge_behind_another_writer_gives_the_waiting_message_not_its_own(
    run: Any, tmp_path: Path, school: Path
) -> None:
    """merge turns the errors of a school's file into its own message; a province database
    locked by a colleague is not one of those: it ends as every writer's wait does."""
    province = tmp_path / "tinh.db"
    run.ok("--db", province, "unit", "add", "Tỉnh Lai Châu", "--kind", "tinh")
    holder = hold_write_lock(province)
    try:
        waiting = dangvien(province, "--wait", "2", "merge", school)
        out, err = waiting.communicate(timeout=60)
    finally:
        holder.rollback()
        holder.close()

    assert waiting.returncode == 1, (out, err)
    said = flat(err)
    assert "Đã chờ 2 giây" in said and "chưa ghi gì" in said, said
    assert "không thành công" not in said
    with sqlite3.connect(province) as con:
        assert con.execute("SELECT count(*) FROM student").fetchone()[0] == 0
    con.close()
