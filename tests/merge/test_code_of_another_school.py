"""`dangvien merge` of a school file whose student has the code of another school's student in
the province (issue 11): the same person (name and birth agree) is a transfer; anyone else is
held back — not renamed, not moved, nothing of theirs written — and the merge ends with exit 3,
as an import refuses such a row."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from builders import Kid, plain_roster, run_on
from dbcheck import query

D = dt.date
KHANH = Kid("2500000001", "Lò Văn Khánh", D(2007, 3, 14), klass="12A1")
MAI = Kid("2500000001", "Đinh Thị Mai", D(2007, 8, 2), "Nữ", klass="12A2")  # Khánh's code
LAN = Kid("2500000002", "Nguyễn Thị Lan", D(2007, 5, 1), "Nữ", klass="12A1")


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DANGVIEN_TODAY", "01/04/2025")


def school_file(tmp_path: Path) -> Path:
    """THPT Bình Lư's file: Khánh (with a step) and Lan."""
    return run_on(
        tmp_path / "binh-lu.db",
        ["import", plain_roster(tmp_path / "bl.xlsx", [KHANH, LAN]).path,
         "--school", "THPT Bình Lư", "--school-year", "2024-2025"],
        ["record", KHANH.code, "cam-tinh", "--date", "01/06/2024"],
    )  # fmt: skip


def province_with(tmp_path: Path, kid: Kid) -> Path:
    """The province, where THPT Tân Phong already has `kid` under Khánh's code."""
    return run_on(
        tmp_path / "tinh.db",
        ["import", plain_roster(tmp_path / "tp.xlsx", [kid]).path,
         "--school", "THPT Tân Phong", "--school-year", "2024-2025"],
    )  # fmt: skip


def test_a_code_of_someone_else_at_another_school_is_held_back(run, tmp_path):
    school = school_file(tmp_path)
    province = province_with(tmp_path, MAI)

    result = run("--db", province, "merge", school, "--json")

    assert result.exit_code == 3, result.output
    out = json.loads(result.stdout)
    assert out["held_back"] == [{"student_code": KHANH.code, "row": 1, "school": "THPT Bình Lư"}]
    assert out["added"]["student"] == 1  # Lan
    # Mai is neither renamed nor moved; Khánh and his step are not taken in.
    assert query(
        province,
        "SELECT p.full_name, s.name FROM student st JOIN person p ON p.id = st.person_id "
        "JOIN school s ON s.id = st.school_id ORDER BY p.full_name",
    ) == [("Nguyễn Thị Lan", "THPT Bình Lư"), ("Đinh Thị Mai", "THPT Tân Phong")]
    assert query(province, "SELECT count(*) FROM milestone") == [(0,)]
    # Nothing of Mai is shown: not her name, not her date of birth.
    assert MAI.name not in result.output and "2007-08-02" not in result.output


def test_the_terminal_says_which_code_and_what_to_do(run, tmp_path):
    school = school_file(tmp_path)
    province = province_with(tmp_path, MAI)

    result = run("--db", province, "merge", school)

    assert result.exit_code == 3, result.output
    said = " ".join(result.stdout.split())
    assert f"Chưa hợp nhất: Mã {KHANH.code}" in said
    assert "một học sinh khác ở trường khác" in said and "hợp nhất lại" in said
    assert MAI.name not in result.output


def test_the_same_person_at_another_school_is_a_transfer(run, tmp_path):
    province = province_with(tmp_path, KHANH)
    school = school_file(tmp_path)  # imported later: the newer statement of Khánh's school

    result = run("--db", province, "merge", school, "--json")

    assert result.exit_code == 0, result.output
    assert "held_back" not in json.loads(result.stdout)
    assert query(
        province,
        "SELECT p.full_name, s.name FROM student st JOIN person p ON p.id = st.person_id "
        "JOIN school s ON s.id = st.school_id WHERE st.student_code = ?",
        KHANH.code,
    ) == [("Lò Văn Khánh", "THPT Bình Lư")]
    assert query(province, "SELECT count(*) FROM milestone") == [(1,)]
