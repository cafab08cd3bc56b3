"""`--verbose` says what the command does and never prints a student's data (issue 6)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

from builders import Kid, plain_roster

D = dt.date
KIDS = [
    Kid("2509000011", "Quàng Thị Xuyến", D(2007, 4, 13), "Nữ", "Thái", "12A3", True, "Khá", "Tốt"),
    Kid("2509000012", "Vừ A Dếnh", D(2007, 11, 29), "Nam", "Mông", "12A3", True, "Giỏi", "Tốt"),
    # A rejected row: its message names the row and column, the log nothing of it.
    Kid("2509000013", "Lường Văn Khởi", D(2007, 2, 3), "Nam", "Thái", "12A3", True, "Siêu", "Tốt"),
]


def dangvien(*args: str) -> subprocess.CompletedProcess[str]:
    code = "from dangvien_cli.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
    )


def test_verbose_import_logs_steps_but_no_students_data(tmp_path: Path) -> None:
    roster = plain_roster(tmp_path / "12A3.xlsx", KIDS).path
    db = str(tmp_path / "v.db")

    done = dangvien("-vv", "--db", db, "import", str(roster), "--json")

    assert done.returncode == 3, done.stderr
    log = done.stderr
    # It did say what it was doing: the file, the sheet, where the table is, its columns.
    assert "12A3.xlsx" in log and "tiêu đề ở dòng" in log
    assert "“Họ và tên” → full_name" in log and "Lệnh chạy trong" in log
    for kid in KIDS:
        assert kid.name not in log
        assert str(kid.code) not in log
        assert kid.dmy not in log
    # …and only with -v: without it, stderr holds nothing of this.
    quiet = dangvien("--db", db, "import", str(roster), "--json")
    assert "tiêu đề ở dòng" not in quiet.stderr


def test_verbose_record_and_eligible_print_no_student_data(tmp_path: Path) -> None:
    roster = plain_roster(tmp_path / "12A3.xlsx", KIDS[:2]).path
    db = str(tmp_path / "v.db")
    assert dangvien("--db", db, "import", str(roster)).returncode == 0

    step = ["record", "2509000011", "cam-tinh", "--date", "01/10/2024"]
    recorded = dangvien("-v", "--db", db, *step)
    listed = dangvien("-v", "--db", db, "eligible", "--as-of", "01/06/2025", "--json")

    assert recorded.returncode == 0, recorded.stderr
    assert listed.returncode == 0, listed.stderr
    for done in (recorded, listed):
        assert "Cơ sở dữ liệu:" in done.stderr
        for kid in KIDS[:2]:
            assert kid.name not in done.stderr and kid.dmy not in done.stderr
