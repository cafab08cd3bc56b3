"""The temporary copy in which an older school file is migrated (issue 11): removed on every
path, and one left by a merge killed with SIGKILL removed by the next merge."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

import dangvien_cli
from builders import copy_db

OLD_SCHOOL = Path(__file__).resolve().parents[1] / "fixtures" / "schema-0001.db"  # revision 0001


@pytest.fixture
def temp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary directory the merge uses, the test's own."""
    d = tmp_path / "tmp"
    d.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(d))
    return d


@pytest.fixture
def old_school(tmp_path: Path) -> Path:
    return copy_db(OLD_SCHOOL, tmp_path / "old-school.db")


def leftovers(d: Path) -> list[str]:
    return sorted(p.name for p in d.glob("dangvien-merge-*"))


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_an_older_file_is_merged_through_a_copy_that_is_removed(run, temp_dir, old_school):
    data = run.json("merge", old_school)
    assert data["added"]["student"] == 66
    assert leftovers(temp_dir) == []


def test_the_copy_is_removed_when_the_file_is_refused(run, temp_dir, old_school):
    con = sqlite3.connect(old_school)
    con.execute("UPDATE school_year SET start_year = 'abc'")
    con.commit()
    con.close()
    result = run("merge", old_school, "--json")
    assert result.exit_code == 1, result.output
    assert leftovers(temp_dir) == []


def test_leftovers_of_merges_no_longer_running_are_removed(run, temp_dir, old_school):
    dead = temp_dir / f"dangvien-merge-{dead_pid()}-abcd1234"
    alive = temp_dir / f"dangvien-merge-{os.getppid()}-efgh5678"  # a running process's
    old_style = temp_dir / "dangvien-merge-q1w2e3r4"  # an older version's, two days old
    recent_old_style = temp_dir / "dangvien-merge-z9x8c7v6"
    for d in (dead, alive, old_style, recent_old_style):
        d.mkdir()
        (d / "school.db").write_bytes(b"a copy of a school's database")
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(old_style, (two_days_ago, two_days_ago))

    run.ok("merge", old_school)

    assert leftovers(temp_dir) == sorted([alive.name, recent_old_style.name])


def test_the_copy_of_a_merge_killed_with_sigkill_is_removed_by_the_next(run, temp_dir, old_school):
    # A real process opens the older file (its copy migrated) and is killed while it reads.
    holder = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from dangvien_cli.merge.source import open_source\n"
        "with open_source(Path(sys.argv[1])):\n"
        "    print('reading', flush=True)\n"
        "    time.sleep(120)\n"
    )
    env = {
        **os.environ,
        "TMPDIR": str(temp_dir),
        "PYTHONPATH": str(Path(dangvien_cli.__file__).resolve().parents[1]),
    }
    child = subprocess.Popen(
        [sys.executable, "-c", holder, str(old_school)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "reading"
        left = leftovers(temp_dir)
        assert [name.split("-")[2] for name in left] == [str(child.pid)]
        assert (temp_dir / left[0] / "school.db").stat().st_size > 0
        # While it runs, another merge leaves its copy alone.
        run.ok("merge", old_school)
        assert leftovers(temp_dir) == left
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL
    assert leftovers(temp_dir) == left  # nothing could clean up after a SIGKILL

    run.ok("merge", old_school)

    assert leftovers(temp_dir) == []
