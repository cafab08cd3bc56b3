"""The hostile-input corpus (issue 6): every broken, disguised, oversized or tricky file gives a
clear Vietnamese message and the right exit code, and writes exactly what it should.

Each file of tests/corpus/ is imported into a real SQLite file that already holds the baseline
roster (nen-11a1.xlsx); expected.json says, per file, the exit code, what the user must read, and
which students the database must hold afterwards. After every import: no traceback,
PRAGMA integrity_check and foreign_key_check clean, and for a refused file every table exactly
as before. The bombs run in a process of their own under a memory limit, which shows they
are refused before anything is inflated (and keeps a regression from taking the test run down
with it); two processes race to import the same student.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import make_corpus  # noqa: E402

EXPECTED: dict[str, Any] = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))
FILES: dict[str, dict[str, Any]] = EXPECTED["files"]
MADE: dict[str, dict[str, Any]] = EXPECTED["made_by_the_test"]
BASELINE = HERE / EXPECTED["baseline"]
MAIN = "from dangvien_cli.cli import main; main()"


# ------------------------------------------------------------------------------- helpers


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """No wrapping: a reason is checked as one line, as it is written."""
    monkeypatch.setenv("COLUMNS", "3000")


def tables(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in rowid order."""
    con = sqlite3.connect(db)
    try:
        names = [
            n
            for (n,) in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {n: list(con.execute(f'SELECT * FROM "{n}" ORDER BY rowid')) for n in names}
    finally:
        con.close()


def assert_sound(db: Path) -> None:
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        con.close()


def said(output: str) -> str:
    return " ".join(output.split())


def limited(db: Path, *args: object, memory: int = 1536 * 1024**2) -> SimpleNamespace:
    """dangvien in a process whose address space is capped (POSIX): a bomb that gets inflated,
    or a grid that gets allocated, ends that process instead of the test run."""

    def cap() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    done = subprocess.run(
        [sys.executable, "-c", MAIN, "--db", str(db), *(str(a) for a in args)],
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=None if sys.platform == "win32" else cap,
        env={**os.environ, "COLUMNS": "3000"},
        check=False,
    )
    return SimpleNamespace(exit_code=done.returncode, output=done.stdout + done.stderr)


def students(run: Any) -> dict[str, dict[str, Any]]:
    return {s["student_code"]: s for s in run.json("students")}


def with_baseline(run: Any, db: Path) -> tuple[dict[str, list[tuple[Any, ...]]], set[str]]:
    run.ok("import", BASELINE)
    return tables(db), set(students(run))


def check_outcome(
    name: str,
    spec: dict[str, Any],
    result: Any,
    run: Any,
    db: Path,
    before: dict[str, list[tuple[Any, ...]]],
    known: set[str],
) -> None:
    output = said(result.output)
    assert result.exit_code == spec["exit"], result.output
    assert "Traceback" not in result.output
    for fragment in spec.get("say", []):
        assert said(fragment) in output, (fragment, result.output)
    for fragment in spec.get("not_say", []):
        assert fragment not in result.output
    assert_sound(db)
    after = tables(db)
    if spec["writes"] == "nothing":
        assert after == before, f"{name} changed the database"
        return
    now = students(run)
    added = {code: s for code, s in now.items() if code not in known}
    assert set(added) == set(spec["writes"]), sorted(added)
    for code, fields in spec["writes"].items():
        shown = {k: added[code][k] for k in fields}
        assert shown == fields, code
    for code in known:  # the baseline's students are untouched
        assert now[code]["class_name"] == "11A1"
    if "rejected" in spec:
        con = sqlite3.connect(db)
        try:
            (rejected,) = con.execute(
                "SELECT rejected FROM import_batch ORDER BY id DESC LIMIT 1"
            ).fetchone()
        finally:
            con.close()
        assert rejected == spec["rejected"]


# ------------------------------------------------------------------------ the corpus files


def test_the_corpus_is_large_small_and_complete() -> None:
    on_disk = {p.name for p in HERE.iterdir() if p.suffix in (".xlsx", ".xls", ".ods")}
    assert on_disk == set(FILES) == set(make_corpus.FILES)
    assert len(FILES) - 1 + len(MADE) >= 30  # the baseline is not a hostile file
    assert sum((HERE / n).stat().st_size for n in FILES) < 400 * 1024


def _fingerprint(data: bytes) -> object:
    """Bytes, or for a zip the names, CRCs and sizes of its entries (the deflated bytes may
    differ from one zlib to another; what they hold may not)."""
    if data[:4] != b"PK\x03\x04" or b"PK\x05\x06" not in data[-256:]:
        return data
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(i.filename, i.CRC, i.file_size) for i in archive.infolist()]


def test_make_corpus_writes_the_committed_files(tmp_path: Path) -> None:
    make_corpus.write(tmp_path)
    for name in FILES:
        fresh = (tmp_path / name).read_bytes()
        kept = (HERE / name).read_bytes()
        assert _fingerprint(fresh) == _fingerprint(kept), name


@pytest.mark.parametrize("name", sorted(FILES))
def test_corpus_file(name: str, run: Any, db_path: Path) -> None:
    spec = FILES[name]
    before, known = with_baseline(run, db_path)

    started = time.monotonic()
    if name.startswith("bom-"):  # refused before anything is inflated: 1.5 GB is plenty
        result = limited(db_path, "import", HERE / name)
    else:
        result = run("import", HERE / name)
    took = time.monotonic() - started

    check_outcome(name, spec, result, run, db_path, before, known)
    assert took < spec.get("seconds", 30), took
    assert not Path("/tmp/dangvien-pwned.txt").exists()


# --------------------------------------------------------- files the corpus cannot commit


def test_a_folder_named_like_a_workbook(run: Any, db_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "thu-muc.xlsx"
    folder.mkdir()
    before, known = with_baseline(run, db_path)

    result = run("import", folder)

    check_outcome("thu-muc.xlsx/", MADE["thu-muc.xlsx/"], result, run, db_path, before, known)


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need rights Windows seldom gives")
def test_a_symlink_loop(run: Any, db_path: Path, tmp_path: Path) -> None:
    (tmp_path / "vong-lap.xlsx").symlink_to(tmp_path / "vong-lap-2.xlsx")
    (tmp_path / "vong-lap-2.xlsx").symlink_to(tmp_path / "vong-lap.xlsx")
    before, known = with_baseline(run, db_path)

    result = run("import", tmp_path / "vong-lap.xlsx")

    check_outcome("vong-lap.xlsx", MADE["vong-lap.xlsx"], result, run, db_path, before, known)


@pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() == 0, reason="root reads every file; no chmod"
)
def test_a_file_nobody_may_read(run: Any, db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "khong-quyen-doc.xlsx"
    shutil.copy(HERE / "xlsx-doi-ten.xls", path)
    path.chmod(0)
    before, known = with_baseline(run, db_path)
    try:
        result = run("import", path)
    finally:
        path.chmod(0o600)

    spec = MADE["khong-quyen-doc.xlsx"]
    check_outcome("khong-quyen-doc.xlsx", spec, result, run, db_path, before, known)


def test_the_reason_for_a_file_nobody_may_read_is_vietnamese() -> None:
    """The same reason as above, for the machines where the test above cannot run (root)."""
    import errno

    from dangvien_cli.importing.guard import os_reason

    reason = os_reason(PermissionError(errno.EACCES, "Permission denied"))
    assert reason.startswith(MADE["khong-quyen-doc.xlsx"]["say"][0])
    assert "Permission" not in reason


def test_a_million_formatted_empty_rows(run: Any, db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "trieu-dong-dinh-dang.xlsx"
    path.write_bytes(make_corpus.million_formatted_rows())
    spec = MADE["trieu-dong-dinh-dang.xlsx"]
    before, known = with_baseline(run, db_path)

    started = time.monotonic()
    result = run("import", path)
    took = time.monotonic() - started

    check_outcome(path.name, spec, result, run, db_path, before, known)
    assert took < spec["seconds"], took


def test_two_processes_racing_for_the_same_student(run: Any, db_path: Path) -> None:
    """Two people import two classes' rosters at the same moment; Lý Thị Sinh is on both."""
    run.ok("import", BASELINE)
    files = [HERE / "dua-12a1.xlsx", HERE / "dua-12a2.xlsx"]
    env = {**os.environ, "COLUMNS": "3000"}
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", MAIN, "--db", str(db_path), "import", str(f), "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for f in files
    ]
    outputs = [r.communicate(timeout=180) for r in racers]

    for racer, (out, err) in zip(racers, outputs, strict=True):
        assert racer.returncode == 0, err
        assert "Traceback" not in err
        assert json.loads(out)["totals"]["rejected"] == 0
    assert_sound(db_path)
    now = students(run)
    expected = set(FILES["dua-12a1.xlsx"]["writes"]) | set(FILES["dua-12a2.xlsx"]["writes"])
    assert set(now) - {"2900009001", "2900009002"} == expected
    assert now["2900001200"]["full_name"] == "Lý Thị Sinh"
    assert now["2900001200"]["class_name"] in ("12A1", "12A2")
    con = sqlite3.connect(db_path)
    try:
        (people,) = con.execute("SELECT count(*) FROM person").fetchone()
        (rows,) = con.execute(
            "SELECT count(*) FROM student WHERE student_code = '2900001200'"
        ).fetchone()
        (enrolled,) = con.execute(
            "SELECT count(*) FROM enrollment e JOIN student s ON s.id = e.student_id "
            "WHERE s.student_code = '2900001200'"
        ).fetchone()
        (batches,) = con.execute("SELECT count(*) FROM import_batch").fetchone()
    finally:
        con.close()
    assert rows == 1
    assert enrolled == 1  # one class in one school year: the later file's
    assert people == 13
    assert batches == 3
