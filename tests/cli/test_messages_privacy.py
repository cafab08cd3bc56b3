"""Error messages name rows and columns, not whole records (issue 6, "Personal data").

A rejected roster row is reported by sheet, row, column and the value at fault; the student's
other cells (name, code, date of birth, citizen ID, religion, notes) stay out of the terminal
and out of --json. A refused `record` names the student the command asked about and the rule,
nothing else of their record. (There is no --verbose option; when one comes, these tests say
what it must keep to.) Every name and number here is made up.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

HEADER = ["STT", "Mã học sinh", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Tôn giáo",
          "Số định danh cá nhân", "Học lực", "Hạnh kiểm", "Đoàn viên", "Ghi chú"]  # fmt: skip
GOOD = [1, "1800000001", "Nguyễn Thị Lan", "15/03/2007", "Nữ", "Kinh", "Cao Đài", "012307004512",
        "Khá", "Tốt", "x", "Con liệt sĩ"]  # fmt: skip
BAD_GENDER = [2, "1800000002", "Giàng A Sình", "30/01/2007", "Namm", "Mông", "Tin lành",
              "012207001234", "Giỏi", "Tốt", "x", "Hộ nghèo"]  # fmt: skip
BAD_BIRTH = [3, "1800000003", "Lò Thị Thơ", "31/02/2007", "Nữ", "Thái", "Phật giáo",
             "012307009876", "Khá", "Tốt", "x", "Mồ côi"]  # fmt: skip


def roster(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "12A1"
    ws.append(["TRƯỜNG THPT BÌNH LƯ"])
    ws.append(["DANH SÁCH HỌC SINH LỚP 12A1 - HỌC KỲ I - NĂM HỌC 2024-2025"])
    ws.append([])
    ws.append(HEADER)
    for row in (GOOD, BAD_GENDER, BAD_BIRTH):
        ws.append(row)
    wb.save(path)
    return path


def private(row: list[object], *, at_fault: str) -> list[str]:
    """The cells of a row that a message about `at_fault` has no business printing."""
    keep = {HEADER.index(at_fault), 0, HEADER.index("Giới tính"), HEADER.index("Học lực"),
            HEADER.index("Hạnh kiểm"), HEADER.index("Đoàn viên")}  # fmt: skip
    return [str(v) for i, v in enumerate(row) if i not in keep]


@pytest.mark.parametrize("as_json", [False, True])
def test_a_rejected_row_is_named_by_row_column_and_value_only(
    run: Any, tmp_path: Path, as_json: bool
) -> None:
    path = roster(tmp_path / "ds.xlsx")

    result = run("import", path, *(["--json"] if as_json else []))

    assert result.exit_code == 3, result.output
    out = result.stdout + result.stderr
    # What the user needs to find and fix the cells: sheet, row, column, value, reason.
    for needle in ("12A1", "6", "Giới tính", "Namm", "7", "Ngày sinh", "31/02/2007"):
        assert needle in out, needle
    # Nothing else of those students' records…
    for value in private(BAD_GENDER, at_fault="Giới tính") + private(
        BAD_BIRTH, at_fault="Ngày sinh"
    ):
        assert value not in out, value
    # …nor of the student who was imported.
    for value in private(GOOD, at_fault="STT"):
        assert value not in out, value


def test_a_refused_record_names_the_student_asked_about_and_the_rule_only(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DANGVIEN_TODAY", "01/03/2025")
    run("import", roster(tmp_path / "ds.xlsx"))

    result = run("record", "1800000001", "chi-bo-de-nghi", "--date", "01/02/2025")

    assert result.exit_code == 2, result.output
    out = " ".join((result.stdout + result.stderr).split())
    assert "Nguyễn Thị Lan" in out  # the student asked about
    assert "18 tuổi" in out and "01/03/2025" in out  # the rule and when it is met
    for value in ("15/03/2007", "2007", "012307004512", "Cao Đài", "Kinh", "Con liệt sĩ"):
        assert value not in out, value
