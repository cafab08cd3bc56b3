"""What real school files hold besides their students' rows, and how it is read: Youth Union
columns (honorary membership, join dates), rows that are not people (report periods, counters,
column numbers, notes, signatures, technical IDs) and a "Giới tính" column of x marks. Each file
is built here and imported through the command line, as a school secretary would."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from builders import xlsx_rows

D = dt.date
OPTS = ("--school", "THPT Bình Lư", "--school-year", "2024-2025")
HEAD = ["STT", "Mã học sinh", "Họ và tên", "Ngày sinh"]


def _import(run: Any, path: Path, *, code: int = 0) -> dict[str, Any]:
    report = run.json("import", path, *OPTS, code=code)
    return report["files"][0]  # type: ignore[no-any-return]


def _youth(sql: Any) -> dict[str, tuple[Any, Any]]:
    """student code → (is member, joined on) as stored."""
    rows = sql(
        "SELECT s.student_code, y.is_member, y.joined_on FROM student s "
        "LEFT JOIN youth_union y ON y.person_id = s.person_id"
    )
    return {code: (None if m is None else bool(m), j) for code, m, j in rows}


def _extra(sql: Any) -> dict[str, dict[str, str]]:
    return {c: json.loads(e or "{}") for c, e in sql("SELECT student_code, extra FROM student")}


# ----------------------------------------------------------------------- Youth Union columns


def test_an_empty_honorary_column_does_not_make_everyone_a_non_member(run, tmp_path, sql):
    path = xlsx_rows(
        tmp_path / "doan.xlsx",
        [
            [*HEAD, "Đoàn viên danh dự"],
            [1, "2501000001", "Lò Văn An", "01/02/2008", None],
            [2, "2501000002", "Lò Thị Bình", "02/03/2008", None],
            [3, "2501000003", "Quàng Văn Cường", "03/04/2008", "x"],
        ],
    )

    report = _import(run, path)

    assert report["created"] == 3 and report["errors"] == []
    assert report["sheets"][0]["unknown_columns"] == ["Đoàn viên danh dự"]
    assert {s["youth_union_member"] for s in run.students()} == {None}
    assert _youth(sql) == {c: (None, None) for c in ("2501000001", "2501000002", "2501000003")}
    assert _extra(sql)["2501000003"] == {"Đoàn viên danh dự": "x"}  # kept, as extra data


def test_honorary_column_beside_the_membership_column_is_not_read_as_it(run, tmp_path):
    path = xlsx_rows(
        tmp_path / "doan.xlsx",
        [
            [*HEAD, "Đoàn viên danh dự", "Đoàn viên"],
            [1, "2501000001", "Lò Văn An", "01/02/2008", None, "x"],
            [2, "2501000002", "Lò Thị Bình", "02/03/2008", "x", None],
        ],
    )

    _import(run, path)

    got = run.by_code()
    assert got["2501000001"]["youth_union_member"] is True
    assert got["2501000002"]["youth_union_member"] is False


@pytest.mark.parametrize(
    "header", ["Thời gian vào đoàn", "Ngày kết nạp Đoàn", "Ngày vào Đoàn", "NGÀY VÀO ĐOÀN TNCS HCM"]
)
def test_a_join_date_column_alone_says_who_is_a_member_and_since_when(run, tmp_path, sql, header):
    path = xlsx_rows(
        tmp_path / "doan.xlsx",
        [
            [*HEAD, header],
            [1, "2501000001", "Lò Văn An", "01/02/2008", "26/03/2023"],
            [2, "2501000002", "Lò Thị Bình", "02/03/2008", D(2022, 3, 26)],
            [3, "2501000003", "Quàng Văn Cường", "03/04/2008", None],
            [4, "2501000004", "Tòng Thị Dịu", "04/05/2008", "03/2023"],
            [5, "2501000005", "Lường Văn Én", "05/06/2008", "x"],
            [6, "2501000006", "Cầm Thị Gấm", "06/07/2008", "Chưa"],
        ],
    )

    report = _import(run, path)

    assert report["created"] == 6 and report["errors"] == []
    assert report["sheets"][0]["unknown_columns"] == []  # the column is read, not kept aside
    assert _youth(sql) == {
        "2501000001": (True, "2023-03-26"),
        "2501000002": (True, "2022-03-26"),
        "2501000003": (None, None),  # a blank date says nothing
        "2501000004": (True, None),  # a month and year only: a member, the date not known
        "2501000005": (True, None),
        "2501000006": (False, None),
    }
    # What could not be stored as a date is kept as written.
    assert _extra(sql)["2501000004"] == {header: "03/2023"}
    assert run.by_code()["2501000001"]["youth_union_member"] is True


def test_a_join_date_makes_a_member_even_where_the_membership_cell_is_blank(run, tmp_path, sql):
    path = xlsx_rows(
        tmp_path / "doan.xlsx",
        [
            [*HEAD, "Đoàn viên", "Ngày kết nạp Đoàn"],
            [1, "2501000001", "Lò Văn An", "01/02/2008", None, "26/03/2023"],
            [2, "2501000002", "Lò Thị Bình", "02/03/2008", None, None],
        ],
    )

    _import(run, path)

    assert _youth(sql) == {"2501000001": (True, "2023-03-26"), "2501000002": (False, None)}


def test_a_join_date_cell_that_is_no_date_is_rejected_naming_the_column(run, tmp_path):
    path = xlsx_rows(
        tmp_path / "doan.xlsx",
        [
            [*HEAD, "Thời gian vào đoàn"],
            [1, "2501000001", "Lò Văn An", "01/02/2008", "đầu năm"],
            [2, "2501000002", "Lò Thị Bình", "02/03/2008", "26/03/2023"],
        ],
    )

    report = _import(run, path, code=3)

    [error] = report["errors"]
    assert (error["row"], error["column"], error["column_letter"]) == (2, "Thời gian vào đoàn", "E")
    assert "ngày vào Đoàn" in error["reason"] and "26/03/2022" in error["reason"]
    assert list(run.by_code()) == ["2501000002"]


# ----------------------------------------------------------------------- rows that are not people

STUDENTS = [
    ["2501000001", "Lò Văn An", "01/02/2008", "Nam"],
    ["2501000002", "Lò Thị Bình", "02/03/2008", "Nữ"],
    ["2501000003", "Quàng Văn Cường", "03/04/2008", "Nam"],
    ["2501000004", "Tòng Thị Dịu", "04/05/2008", "Nữ"],
]
SIGNATURE = [
    [None],
    [None, None, None, "Phong Thổ, ngày 20 tháng 12 năm 2024"],
    [None, "Người lập biểu", None, "HIỆU TRƯỞNG"],
    [None, "(Ký, ghi rõ họ tên)", None, "(Ký tên, đóng dấu)"],
    [None],
    [None, None, "Nguyễn Văn Hùng", "Trần Thị Mai"],
]


def test_vnedu_report_with_periods_counters_numbers_notes_signature_and_ids(run, tmp_path):
    header = [*HEAD, "Giới tính"]
    block = [
        ["Từ ngày: 01/09/2024", None, "Đến ngày: 31/12/2024"],
        ["Tổng số HS: 2", None, "Nam: 1", "Nữ: 1"],
    ]
    rows: list[list[object]] = [
        ["SỞ GD&ĐT LAI CHÂU"],
        ["TRƯỜNG THPT PHONG THỔ"],
        ["BÁO CÁO HỌC SINH"],
        *block,
        ["Lớp: 10A1"],
        header,
        ["(1)", "(2)", "(3)", "(4)", "(5)"],
        [1, *STUDENTS[0]],
        [2, *STUDENTS[1]],
        [None],
        *block,
        ["Lớp: 10A2"],
        header,
        [1, 2, 3, 4, 5],
        [1, *STUDENTS[2]],
        [2, *STUDENTS[3]],
        ["Ghi chú: cột (4) ghi theo giấy khai sinh"],
        [None, None, "* Cột (5) ghi Nam hoặc Nữ"],
        [None, None, "Lưu ý: học sinh chuyển đi không có trong danh sách"],
        *SIGNATURE,
        ["ID", "123456", "HocSinhID", "0b7e6f3c-1d2a"],
        [None, "123457", "789012", "a9c3"],
    ]
    path = xlsx_rows(tmp_path / "vnedu.xlsx", rows)

    report = _import(run, path)

    assert report["errors"] == [] and report["rejected"] == 0
    [sheet] = report["sheets"]
    assert (sheet["rows"], sheet["created"], sheet["classes"]) == (4, 4, ["10A1", "10A2"])
    assert sorted(run.by_code()) == [s[0] for s in STUDENTS]
    assert report["notes"] == []


def test_counter_rows_above_the_header_and_numbers_under_it(run, tmp_path):
    rows: list[list[object]] = [
        ["TRƯỜNG THPT BÌNH LƯ"],
        ["Tổng số HS: 645"],
        ["Nam: 320 Nữ: 325"],
        [*HEAD, "Giới tính"],
        [1, 2, 3, 4, 5],
        *([n, *s] for n, s in enumerate(STUDENTS, start=1)),
        ["Tổng số: 4 học sinh"],
    ]
    report = _import(run, xlsx_rows(tmp_path / "ds.xlsx", rows))

    assert (report["created"], report["rejected"]) == (4, 0)


def test_a_form_with_a_header_and_no_people_says_there_are_no_students(run, tmp_path, db_path):
    rows: list[list[object]] = [
        ["TRƯỜNG THPT BÌNH LƯ"],
        ["DANH SÁCH HỌC SINH LỚP 10A1 - NĂM HỌC 2024-2025"],
        [*HEAD, "Giới tính"],
        ["(1)", "(2)", "(3)", "(4)", "(5)"],
        *([i] for i in range(1, 6)),  # ordinals typed ahead, nothing else
        [None],
        ["Ghi chú: Cột (4) ghi ngày/tháng/năm"],
        [None, None, "* Cột (2) là mã định danh Bộ GD&ĐT"],
        *SIGNATURE,
    ]
    path = xlsx_rows(tmp_path / "mau.xlsx", rows)

    result = run("import", path)

    assert result.exit_code == 1, result.output
    assert "mau.xlsx" in result.stderr and "không có học sinh nào" in result.stderr
    assert "Traceback" not in result.output
    assert run.students() == []


def test_a_technical_looking_row_between_students_is_still_rejected(run, tmp_path):
    rows: list[list[object]] = [
        HEAD,
        [1, *STUDENTS[0][:3]],
        [2, "2501000099", "12345", "02/03/2008"],
        [3, *STUDENTS[2][:3]],
        [None, "999", "HoTen", "NgaySinh"],  # under the last student: technical, skipped
    ]
    report = _import(run, xlsx_rows(tmp_path / "ds.xlsx", rows), code=3)

    assert [(e["row"], e["column"]) for e in report["errors"]] == [(3, "Họ và tên")]
    assert report["created"] == 2


def test_students_below_a_note_are_named_not_silently_dropped(run, tmp_path):
    rows: list[list[object]] = [
        HEAD,
        [1, *STUDENTS[0][:3]],
        [None, None, "Lưu ý: học sinh dưới đây chuyển đến"],
        [2, *STUDENTS[1][:3]],
        [3, *STUDENTS[2][:3]],
    ]
    report = _import(run, xlsx_rows(tmp_path / "ds.xlsx", rows))

    assert report["created"] == 1
    [note] = report["notes"]
    assert "dòng 3" in note and "2 dòng" in note and "dòng 4, 5" in note
    assert "Lò Thị Bình" not in note  # rows are named by number, never by a student's name


# ----------------------------------------------------------------------- gender written "x"


def test_a_gender_column_of_x_marks_means_x_is_female(run, tmp_path):
    rows: list[list[object]] = [
        [*HEAD, "Giới tính"],
        ["(1)", "(2)", "(3)", "(4)", "(5)"],
        [1, "2501000001", "Lò Văn An", "01/02/2008", None],
        [2, "2501000002", "Lò Thị Bình", "02/03/2008", "x"],
        [3, "2501000003", "Tòng Thị Dịu", "04/05/2008", "X"],
    ]
    result = run("import", xlsx_rows(tmp_path / "ds.xlsx", rows), *OPTS)

    assert result.exit_code == 0, result.output
    genders = {c: s["gender"] for c, s in run.by_code().items()}
    assert genders == {"2501000001": "Nam", "2501000002": "Nữ", "2501000003": "Nữ"}
    assert "x được hiểu là Nữ" in result.stdout and "ô trống là Nam" in result.stdout


def test_the_x_gender_note_is_said_once_for_all_the_sheets(run, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    for n, title in enumerate(("10A1", "10A2")):
        ws = wb.active if n == 0 else wb.create_sheet()
        ws.title = title
        ws.append([*HEAD, "Giới tính"])
        ws.append([1, f"250100001{n}", "Lò Văn An", "01/02/2008", None])
        ws.append([2, f"250100002{n}", "Lò Thị Bình", "02/03/2008", "x"])
    path = tmp_path / "khoi10.xlsx"
    wb.save(path)

    report = _import(run, path)

    assert report["created"] == 4
    [note] = [n for n in report["notes"] if "Giới tính" in n]  # besides the classes' sources
    assert note.startswith("Các trang “10A1”, “10A2”: cột “Giới tính” chỉ đánh dấu x")
    assert [s["gender"] for s in run.students("--class", "10A2")] == ["Nam", "Nữ"]


def test_a_female_column_of_x_marks_needs_no_note(run, tmp_path):
    rows: list[list[object]] = [
        [*HEAD, "Nữ"],
        [1, "2501000001", "Lò Văn An", "01/02/2008", None],
        [2, "2501000002", "Lò Thị Bình", "02/03/2008", "x"],
    ]
    report = _import(run, xlsx_rows(tmp_path / "ds.xlsx", rows))

    assert {c: s["gender"] for c, s in run.by_code().items()} == {
        "2501000001": "Nam",
        "2501000002": "Nữ",
    }
    assert report["notes"] == []


def test_x_among_written_genders_is_not_the_convention_and_is_rejected(run, tmp_path):
    rows: list[list[object]] = [
        [*HEAD, "Giới tính"],
        [1, "2501000001", "Lò Văn An", "01/02/2008", "Nam"],
        [2, "2501000002", "Lò Thị Bình", "02/03/2008", "x"],
    ]
    report = _import(run, xlsx_rows(tmp_path / "ds.xlsx", rows), code=3)

    [error] = report["errors"]
    assert (error["row"], error["column"], error["value"]) == (3, "Giới tính", "x")
    assert report["notes"] == []


def test_counters_split_over_cells_between_two_class_blocks(run, tmp_path):
    header = [*HEAD, "Giới tính"]
    rows: list[list[object]] = [
        ["TRƯỜNG THPT BÌNH LƯ"],
        ["Lớp: 10A1"],
        header,
        [1, *STUDENTS[0]],
        [2, *STUDENTS[1]],
        ["Tổng số:", None, 2, "Nữ:", 1],
        ["Từ ngày:", D(2024, 9, 1), "Đến ngày:", D(2024, 12, 31)],
        ["Lớp: 10A2"],
        header,
        [1, *STUDENTS[2]],
        [2, *STUDENTS[3]],
        ["Tổng số:", None, 2, "Nữ:", 1],
    ]
    report = _import(run, xlsx_rows(tmp_path / "ds.xlsx", rows))

    assert (report["created"], report["rejected"]) == (4, 0)
    assert report["sheets"][0]["classes"] == ["10A1", "10A2"]


def test_a_note_beside_a_student_does_not_end_the_table(run, tmp_path):
    # No code column: every row is looked at for the words of a footer.
    rows: list[list[object]] = [
        ["STT", "Họ và tên", "Ngày sinh", "Ghi chú"],
        [1, "Lò Văn An", "01/02/2008", "Lưu ý: chuyển đến"],
        [2, "Lò Thị Bình", "02/03/2008", "* Đã ký cam kết"],
        [3, "Quàng Văn Cường", "03/04/2008", None],
        ["Ghi chú: danh sách đã rà soát"],
        [None, "Người lập biểu", "HIỆU TRƯỞNG"],
    ]
    report = _import(run, xlsx_rows(tmp_path / "ds.xlsx", rows))

    assert (report["created"], report["rejected"], report["notes"]) == (3, 0, [])
    assert len(run.students()) == 3


def test_a_signature_block_with_an_unfilled_date_line_ends_the_table(run, tmp_path):
    rows: list[list[object]] = [
        HEAD,
        *([n, *s[:3]] for n, s in enumerate(STUDENTS, start=1)),
        [None, None, "…, ngày … tháng … năm 20…"],
        [None, None, "Người lập biểu", "Hiệu trưởng"],
        [None, None, "(Ký, ghi rõ họ tên)"],
        [None, None, "Nguyễn Văn Hùng", "Trần Thị Mai"],
    ]
    report = _import(run, xlsx_rows(tmp_path / "ds.xlsx", rows))

    assert (report["created"], report["rejected"], report["notes"]) == (4, 0, [])


def test_a_file_with_x_genders_imported_again_changes_nothing(run, tmp_path):
    rows: list[list[object]] = [
        [*HEAD, "Giới tính", "Thời gian vào đoàn"],
        [1, "2501000001", "Lò Văn An", "01/02/2008", None, "2023"],
        [2, "2501000002", "Lò Thị Bình", "02/03/2008", "x", "26/03/2023"],
        ["Ghi chú: x là học sinh nữ"],
    ]
    path = xlsx_rows(tmp_path / "ds.xlsx", rows)
    _import(run, path)

    again = _import(run, path)

    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    assert [s["gender"] for s in run.students()] == ["Nam", "Nữ"]


@pytest.mark.parametrize(
    ("cell", "read"),
    [
        ("26/03/2023", (True, D(2023, 3, 26), False)),
        (dt.datetime(2023, 3, 26), (True, D(2023, 3, 26), False)),
        ("03.2023", (True, None, True)),
        ("Tháng 3/2023", (True, None, True)),
        (2021, (True, None, True)),
        (2021.0, (True, None, True)),
        ("x", (True, None, False)),
        (1, (True, None, False)),
        ("Không", (False, None, False)),
        ("", (None, None, False)),
        (None, (None, None, False)),
    ],
)
def test_what_a_join_date_cell_says(cell, read):
    from dangvien_cli.importing.values import parse_join_date

    assert parse_join_date(cell) == read


@pytest.mark.parametrize(("cell", "words"), [("31/02/2022", "không tồn tại"), (5.0, "“5”")])
def test_a_join_date_that_is_no_date_says_why(cell, words):
    from dangvien_cli.core.cells import ValueProblem
    from dangvien_cli.importing.values import parse_join_date

    with pytest.raises(ValueProblem) as caught:
        parse_join_date(cell)
    assert words in caught.value.reason
