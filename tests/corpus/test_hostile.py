"""Every hostile file of the corpus (issue 11) through the real command line, in a process of its
own: exit 1, the Vietnamese reason naming the file, nothing in a new database, and within the
contract — peak memory under 1 GB (the whole process tree, children included) and under 30 s.
A FIFO named like a workbook is refused at once instead of waiting for a writer.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
FILES: dict[str, dict[str, Any]] = json.loads((HERE / "expected.json").read_text("utf-8"))["files"]
HOSTILE = sorted(n for n in FILES if n.startswith("bom-"))
MAIN = "from dangvien_cli.cli import main; main()"
GB = 1024**3

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="os.wait4 is POSIX")


def dangvien(db: Path, *args: object, timeout: float = 60) -> tuple[int, str, int, float]:
    """Run the CLI; (exit code, stdout + stderr, peak RSS in bytes of it and its children,
    seconds). os.wait4 gives the largest RSS of the process and the children it waited for."""
    started = time.monotonic()
    child = subprocess.Popen(
        [sys.executable, "-c", MAIN, "--db", str(db), *(str(a) for a in args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "COLUMNS": "3000"},
    )
    assert child.stdout is not None
    watchdog = threading.Timer(timeout, child.kill)  # a hang fails the test, not the run
    watchdog.start()
    try:
        output = child.stdout.read().decode("utf-8")  # ends when the process does
        _, status, usage = os.wait4(child.pid, 0)
    finally:
        watchdog.cancel()
    took = time.monotonic() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    return child.returncode, output, usage.ru_maxrss * 1024, took


def rows_held(db: Path) -> dict[str, int]:
    """Rows of every table but the schema's own version, in a database file (none: {})."""
    if not db.exists():
        return {}
    con = sqlite3.connect(db)
    try:
        names = [
            n
            for (n,) in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
            if n != "alembic_version"
        ]
        counts = {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        con.close()
    return {n: c for n, c in counts.items() if c}


@pytest.fixture(scope="module")
def settings_rows(tmp_path_factory: pytest.TempPathFactory) -> dict[str, int]:
    """What a new database holds before anything is imported (its settings, if any)."""
    db = tmp_path_factory.mktemp("new") / "new.db"
    subprocess.run([sys.executable, "-c", MAIN, "--db", str(db), "schools"], check=True,
                   capture_output=True)  # fmt: skip
    return rows_held(db)


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_file_is_refused_within_the_contract(
    name: str, tmp_path: Path, settings_rows: dict[str, int]
) -> None:
    db = tmp_path / "moi.db"

    code, output, peak, took = dangvien(db, "import", HERE / name)

    said = " ".join(output.split())
    assert code == 1, output
    assert "Traceback" not in output
    for fragment in FILES[name]["say"]:
        assert " ".join(fragment.split()) in said, (fragment, output)
    assert f"{name}:" in said  # the message names the file
    assert rows_held(db) == settings_rows  # no student, no batch, no audit entry
    assert peak < GB, f"{name}: {peak / 1024**2:.0f} MB"
    assert took < 30, took


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_without_waiting_for_a_writer(
    tmp_path: Path, settings_rows: dict[str, int]
) -> None:
    fifo = tmp_path / "danh-sach.xlsx"
    os.mkfifo(fifo)
    db = tmp_path / "moi.db"

    code, output, _, took = dangvien(db, "import", fifo, timeout=30)

    assert code == 1, output
    assert "danh-sach.xlsx: đây không phải tệp thường" in " ".join(output.split())
    assert took < 30
    assert rows_held(db) == settings_rows
