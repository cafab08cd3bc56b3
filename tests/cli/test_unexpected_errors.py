"""Every failure that is not a DangvienError ends in one Vietnamese message (issue 11, "One funnel
for the unexpected"): known conditions — disk full, read-only, no permission — say what to do;
anything else says where its report is, and neither the screen nor the report shows a value of
a student's row. The failures here are real ones (SQLite's own errors on a real file, the
file system's), and every name and date is made up.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from builders import Kid, plain_roster

# A made-up student whose row the failing statements carry as parameters.
SECRET = Kid("9912345678", "Hờ Thị Mỷ", dt.date(2007, 9, 14), "Nữ", "Mông", "12A3")
SECRET_VALUES = ("Hờ Thị Mỷ", "Mỷ", "9912345678", "2007-09-14", "14/09/2007", "Mông")
GIVEN = ["An", "Bình", "Chi", "Dua", "Đức", "Giang", "Hà", "Hùng", "Khai", "Lan", "Minh",
         "Nam", "Oanh", "Phúc", "Quang", "Sơn", "Thơ", "Uyên", "Vinh", "Yến"]  # fmt: skip
OTHERS = [
    Kid(f"99000000{i:02d}", f"Vàng Văn Sử {chr(65 + i)}", dt.date(2007, 1, 1 + i), klass="12A3")
    for i in range(5)
]


def first_import(run: Any, tmp_path: Path) -> None:
    """A database with its schema and one school, made by dangvien itself."""
    roster = plain_roster(tmp_path / "dau.xlsx", OTHERS[:1]).path
    run.ok("import", roster, "--school", "THPT Bình Lư", "--school-year", "2024-2025")


def secret_roster(tmp_path: Path) -> Path:
    return plain_roster(tmp_path / "12A3.xlsx", [SECRET, *OTHERS[1:]]).path


def assert_private(*texts: str) -> None:
    for text in texts:
        for value in SECRET_VALUES:
            assert value not in text, (value, text)
        assert "[parameters" not in text and "[SQL" not in text, text


def said(result: Any) -> str:
    """stderr as one line (rich wraps long messages at the terminal's width)."""
    return " ".join(result.stderr.split())


def reports(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "logs").glob("loi-*.log"))


def test_an_unexpected_database_error_shows_no_row_and_its_report_holds_none(
    run: Any, tmp_path: Path, db_path: Path
) -> None:
    first_import(run, tmp_path)
    # A real failure whose statement carries the student's row as parameters: SQLite refuses
    # every new person (a trigger), and SQLAlchemy's error lists the INSERT's parameters.
    with sqlite3.connect(db_path) as con:
        con.execute(
            "CREATE TRIGGER no_one_new BEFORE INSERT ON person "
            "BEGIN SELECT RAISE(ABORT, 'refused by a test trigger'); END"
        )
    con.close()

    result = run("import", secret_roster(tmp_path), "--school", "THPT Bình Lư")

    assert result.exit_code == 1, result.output
    assert "lỗi không lường trước" in said(result)
    assert "phần đang làm dở không được ghi" in said(result)
    [report] = reports(tmp_path)
    assert str(report) in said(result)
    text = report.read_text(encoding="utf-8")
    # What a developer needs: the command, the exception types and where they were raised…
    assert "dangvien import … --school …" in text
    assert "sqlalchemy.exc.IntegrityError" in text and "sqlite3.IntegrityError" in text
    assert "refused by a test trigger" in text  # SQLite's own message, which holds no row
    assert 'File "' in text and "dangvien_cli" in text and "Traceback" in text
    # …and nothing of the row, neither on the screen nor in the report.
    assert_private(result.stdout, result.stderr, text)
    assert os.stat(report).st_mode & 0o777 == 0o600
    with sqlite3.connect(db_path) as con:
        assert con.execute("SELECT count(*) FROM person").fetchone() == (1,)
    con.close()


def test_only_the_newest_reports_are_kept(run: Any, tmp_path: Path, db_path: Path) -> None:
    from dangvien_cli.cli import crashlog

    folder = tmp_path / "logs"
    folder.mkdir()
    for i in range(crashlog.KEEP + 5):
        (folder / f"loi-20240101-0000{i:02d}-1.log").write_text("cũ")
    first_import(run, tmp_path)
    with sqlite3.connect(db_path) as con:
        con.execute("CREATE TRIGGER t BEFORE INSERT ON person BEGIN SELECT RAISE(ABORT, 'x'); END")
    con.close()

    assert run("import", secret_roster(tmp_path)).exit_code == 1

    kept = reports(tmp_path)
    assert len(kept) == crashlog.KEEP
    assert kept[0].name == "loi-20240101-000006-1.log"  # the oldest six went
    assert "báo cáo lỗi không lường trước" in kept[-1].read_text(encoding="utf-8")


def test_messages_that_may_hold_a_value_stay_out_of_the_report() -> None:
    from dangvien_cli.cli.crashlog import safe_message

    assert "Mỷ" not in safe_message(ValueError("invalid literal: 'Hờ Thị Mỷ'"))
    assert "Mỷ" not in safe_message(KeyError("Hờ Thị Mỷ"))
    assert safe_message(TypeError("unsupported operand type(s) for +: 'int' and 'str'")) == (
        "unsupported operand type(s) for +: 'int' and 'str'"
    )
    # A PostgreSQL message keeps its first line without the quoted values (DETAIL is dropped).
    pg = type("UniqueViolation", (Exception,), {"sqlstate": "23505"})(
        'duplicate key value violates unique constraint "student_code_key"\n'
        "DETAIL:  Key (student_code)=(9912345678) already exists."
    )
    said = safe_message(pg)
    assert said.startswith("duplicate key value violates unique constraint")
    assert "9912345678" not in said and "DETAIL" not in said


def test_a_wait_limit_in_the_environment_that_is_no_number_is_refused_before_any_command(
    tmp_path: Path,
) -> None:
    code = "from dangvien_cli.cli import main; main()"
    env = {**os.environ, "DANGVIEN_LOG_DIR": str(tmp_path / "logs"), "DANGVIEN_WAIT": "abc"}
    done = subprocess.run(
        [sys.executable, "-c", code, "schools"], capture_output=True, text=True, env=env
    )
    assert done.returncode == 2
    assert "DANGVIEN_WAIT" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "logs").exists()


def test_an_unexpected_error_outside_any_command_is_funnelled_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # main() itself: what fails around the app (here the app cannot be built) ends the same way.
    import dangvien_cli.cli as cli

    def broken(_argv: list[str]) -> Any:
        raise LookupError(SECRET.name)  # a message that holds a value

    monkeypatch.setattr(cli, "_app_for", broken)
    monkeypatch.setattr(sys, "argv", ["dangvien", "--db", "x.db", "students", "--search", "Mỷ"])
    with pytest.raises(SystemExit) as ended:
        cli.main()

    assert ended.value.code == 1
    err = " ".join(capsys.readouterr().err.split())
    [report] = reports(tmp_path)
    assert "lỗi không lường trước (LookupError)" in err and str(report) in err
    text = report.read_text(encoding="utf-8")
    assert "dangvien --db … students --search …" in text and "builtins.LookupError" in text
    assert_private(err, text)


# ------------------------------------------------------------------------- known conditions


@pytest.fixture
def max_pages() -> Iterator[list[int]]:
    """Every SQLite connection SQLAlchemy opens from now on may grow its file to at most
    max_pages[0] pages (SQLite's own limit, PRAGMA max_page_count: a full disk, for real)."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    limit: list[int] = []

    def cap(raw: Any, _record: Any) -> None:
        if limit and isinstance(raw, sqlite3.Connection):
            raw.execute(f"PRAGMA max_page_count = {limit[0]}")

    event.listen(Engine, "connect", cap)
    yield limit
    event.remove(Engine, "connect", cap)


def test_a_full_disk_says_so_and_what_to_do(
    run: Any, tmp_path: Path, db_path: Path, max_pages: list[int]
) -> None:
    first_import(run, tmp_path)
    with sqlite3.connect(db_path) as con:
        pages = con.execute("PRAGMA page_count").fetchone()[0]
        people = con.execute("SELECT count(*) FROM person").fetchone()[0]
    con.close()
    many = [SECRET] + [
        Kid(f"98{i:08d}", f"Sùng Thị {GIVEN[i % 20]} {GIVEN[i // 20]}", dt.date(2007, 5, 1))
        for i in range(400)
    ]
    roster = plain_roster(tmp_path / "day.xlsx", many).path
    max_pages.append(pages + 2)

    result = run("import", roster, "--school", "THPT Bình Lư")

    assert result.exit_code == 1, result.output
    assert "Ổ đĩa đã đầy" in said(result)
    assert "giải phóng chỗ trống" in said(result)
    assert "Phần đang làm dở không được ghi" in said(result)
    assert_private(result.stdout, result.stderr)
    assert not reports(tmp_path)  # a known condition needs no report
    with sqlite3.connect(db_path) as con:
        assert con.execute("SELECT count(*) FROM person").fetchone()[0] == people
    con.close()


def test_a_full_disk_during_a_merge_says_so_not_that_the_schools_file_failed(
    run: Any, tmp_path: Path, db_path: Path, max_pages: list[int]
) -> None:
    """merge says a school file's database errors in its own words; a full disk under the
    province's database is not the school's fault and gets the funnel's message."""
    school = tmp_path / "truong.db"
    many = [SECRET] + [
        Kid(f"97{i:08d}", f"Sùng Thị {GIVEN[i % 20]} {GIVEN[i // 20]}", dt.date(2007, 5, 1))
        for i in range(400)
    ]
    roster = plain_roster(tmp_path / "ca-truong.xlsx", many).path
    run.ok(
        "--db", school, "import", roster, "--school", "THPT Bình Lư", "--school-year", "2024-2025"
    )
    first_import(run, tmp_path)
    with sqlite3.connect(db_path) as con:
        pages = con.execute("PRAGMA page_count").fetchone()[0]
    con.close()
    max_pages.append(pages + 2)

    result = run("merge", school)

    assert result.exit_code == 1, result.output
    assert "Ổ đĩa đã đầy" in said(result)
    assert "không thành công" not in said(result)
    assert_private(result.stdout, result.stderr)
    with sqlite3.connect(db_path) as con:
        assert con.execute("SELECT count(*) FROM person").fetchone()[0] == 1
    con.close()


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """`path` made read-only for real: chmod for a user, the immutable flag for root (whom
    chmod does not stop); skipped where neither can be done."""
    if sys.platform == "win32":
        pytest.skip("no chmod / chattr on Windows")
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("root, and the file system has no immutable flag (chattr)")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_a_read_only_database_says_so_and_what_to_do(
    run: Any, tmp_path: Path, db_path: Path
) -> None:
    first_import(run, tmp_path)

    with read_only(db_path):
        result = run("import", secret_roster(tmp_path), "--school", "THPT Bình Lư")

    assert result.exit_code == 1, result.output
    assert "chỉ cho đọc" in said(result) and "Hãy cho phép ghi" in said(result)
    assert str(db_path) in said(result)
    assert_private(result.stdout, result.stderr)
    with sqlite3.connect(db_path) as con:
        assert con.execute("SELECT count(*) FROM person").fetchone() == (1,)
    con.close()


# The export's writer, cut short by the refused file, is collected unfinished: openpyxl's noise.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_folder_without_permission_says_so_and_what_to_do(run: Any, tmp_path: Path) -> None:
    first_import(run, tmp_path)
    closed = tmp_path / "khoa"
    closed.mkdir()

    with read_only(closed):
        result = run("students", "--xlsx", closed / "ds.xlsx")

    assert result.exit_code == 1, result.output
    assert "Không đủ quyền" in said(result) or "chỉ cho đọc" in said(result)
    assert "Traceback" not in result.output, said(result)
    assert str(closed) in said(result)
    assert not list(closed.iterdir())
    import gc

    gc.collect()  # the unfinished writer goes here, where its noise is expected
