"""An import killed halfway leaves the database as it was: whole, and without half a roster."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from builders import big_roster
from dbcheck import query

ROWS = 20_000
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A 20,000-row roster, and an empty database at the newest schema to copy for each run."""
    from dangvien_cli.db import open_database

    where = tmp_path_factory.mktemp("kill")
    roster = big_roster(where / "big.xlsx", ROWS)
    empty = where / "empty.db"
    open_database(str(empty)).close()  # created and migrated; closing checkpoints the WAL
    return roster, empty


def start(db: Path, roster: Path) -> subprocess.Popen[bytes]:
    code = "from dangvien_cli.cli import main; main()"
    return subprocess.Popen(
        [sys.executable, "-c", code, "--db", str(db), "import", str(roster), "--json"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wal_size(db: Path) -> int:
    try:
        return os.path.getsize(f"{db}-wal")
    except OSError:
        return 0


def after(seconds: float) -> Callable[[Path, float], bool]:
    return lambda _db, elapsed: elapsed >= seconds


def writing(min_bytes: int) -> Callable[[Path, float], bool]:
    # Pages of the open write transaction spill into the WAL before it commits: the moment to
    # kill is while the bulk inserts are under way.
    return lambda db, _elapsed: wal_size(db) >= min_bytes


KILL_POINTS = {
    "starting": after(0.3),
    "reading": after(2.0),
    "writing": writing(256 * 1024),
    "writing-later": writing(2 * 1024 * 1024),
}


def test_killed_import_leaves_the_database_whole_and_as_before(big, tmp_path, run):
    roster, empty = big
    runs = {}
    for name in KILL_POINTS:
        db = tmp_path / f"{name}.db"
        shutil.copy(empty, db)
        runs[name] = (db, start(db, roster), time.monotonic())

    # All runs go at once (the whole test stays short); each is killed at its own point.
    deadline = time.monotonic() + 60
    pending = dict(runs)
    while pending and time.monotonic() < deadline:
        for name, (db, proc, began) in list(pending.items()):
            if proc.poll() is not None:
                del pending[name]  # finished before its kill point: fine, it must be complete
            elif KILL_POINTS[name](db, time.monotonic() - began):
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                del pending[name]
        time.sleep(0.01)
    for _, proc, _ in pending.values():
        proc.kill()
        proc.wait()

    for name, (db, proc, _) in runs.items():
        assert query(db, "PRAGMA integrity_check") == [("ok",)], name
        students = query(db, "SELECT count(*) FROM student")[0][0]
        people = query(db, "SELECT count(*) FROM person")[0][0]
        batches = query(db, "SELECT count(*) FROM import_batch")[0][0]
        assert (students, people, batches) in {(0, 0, 0), (ROWS, ROWS, 1)}, (name, students)
        if proc.returncode == -signal.SIGKILL:
            # The database still opens and works after the kill.
            assert run.ok("--db", db, "schools", "--json").exit_code == 0
