"""School and class from the title or the file's name (issue 12, pattern 12): titles that name
the school after "Trường" further on, acronyms kept in capitals, and a class that only the sheet's
or the file's name gives — with the summary saying where it came from."""

from __future__ import annotations

import pytest

from builders import Kid, plain_roster
from dangvien_cli.importing.titles import (
    class_from_file_name,
    class_from_sheet_name,
    school_from_title,
)

NO_CLASS = ["STT", "Mã học sinh", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc"]
KIDS = [Kid("2900000001", "Lò Văn Pọm", 2008), Kid("2900000002", "Cà Thị Ban", 2008, "Nữ")]


@pytest.mark.parametrize(
    ("title", "school"),
    [
        ("TRƯỜNG PT DTNT THCS-THPT MƯỜNG TÈ", "PT DTNT THCS-THPT Mường Tè"),
        ("SỞ GD&ĐT LAI CHÂU TRƯỜNG THPT MƯỜNG KIM", "THPT Mường Kim"),
        ("HỆ THỐNG TRƯỜNG LIÊN CẤP NGÔI SAO", "Liên Cấp Ngôi Sao"),
        ("TRƯỜNG PHỔ THÔNG THỰC HÀNH SƯ PHẠM", "Phổ Thông Thực Hành Sư Phạm"),
        ("TRUNG TÂM GDNN-GDTX HUYỆN THAN UYÊN", "Trung Tâm GDNN-GDTX Huyện Than Uyên"),
        ("Trường THPT số 1 TP Lào Cai", "THPT số 1 TP Lào Cai"),
        # Not a school: the whole school, a head of something.
        ("DANH SÁCH HỌC SINH TOÀN TRƯỜNG NĂM HỌC 2024-2025", None),
        ("Hiệu trưởng Nguyễn Văn An", None),
    ],
)
def test_the_school_a_title_names(title, school):
    assert school_from_title(title) == school


@pytest.mark.parametrize(
    ("name", "klass"),
    [
        ("6A.xlsx", "6A"),
        ("DS_10Ly4.xlsx", "10 Lý 4"),
        ("Danh sach lop 12A1 - HK1.xlsx", "12A1"),
        ("DS 12a3 (1).xlsx", "12A3"),
        ("2024-2025.xlsx", None),
        ("K12.xlsx", None),
        ("vnedu_20241012.xls", None),
    ],
)
def test_the_class_a_file_name_names(name, klass):
    assert class_from_file_name(name) == klass


@pytest.mark.parametrize(("name", "klass"), [("12A1", "12A1"), ("10 Lý 4", "10 Lý 4"),
                                             ("11 Toán", "11 Toán"), ("Sheet1", None)])  # fmt: skip
def test_the_class_a_sheet_name_is(name, klass):
    assert class_from_sheet_name(name) == klass


def test_a_class_only_the_file_name_gives_is_taken_and_said(run, tmp_path):
    roster = plain_roster(
        tmp_path / "DS_10Ly4.xlsx",
        KIDS,
        titles=("SỞ GD&ĐT LAI CHÂU TRƯỜNG THPT MƯỜNG KIM", "DANH SÁCH HỌC SINH NĂM HỌC 2024-2025"),
        header=NO_CLASS,
    ).path

    out = run.json("import", roster)

    (sheet,) = out["files"][0]["sheets"]
    assert sheet["school"] == "THPT Mường Kim" and sheet["classes"] == ["10 Lý 4"]
    assert (
        "Trang “Danh sách”: lớp 10 Lý 4 lấy từ tên tệp “DS_10Ly4.xlsx”." in out["files"][0]["notes"]
    )
    assert {s["class_name"] for s in run.students()} == {"10 Lý 4"}


def test_the_title_wins_over_the_file_name(run, tmp_path):
    roster = plain_roster(
        tmp_path / "6A.xlsx",
        KIDS,
        titles=("TRƯỜNG THPT MƯỜNG KIM", "DANH SÁCH HỌC SINH LỚP 10A2 NĂM HỌC 2024-2025"),
        header=NO_CLASS,
    ).path

    out = run.json("import", roster)

    assert out["files"][0]["sheets"][0]["classes"] == ["10A2"]
    assert not any("tên tệp" in n for n in out["files"][0]["notes"])
