"""`dangvien import FILE --preview` (issue 12): each table found, how each column is read, what
the titles say and the first people as they would be stored — without opening the database."""

from __future__ import annotations

import datetime as dt
import json

from builders import PLAIN_HEADER, Kid, plain_roster, xlsx_sheets

D = dt.date
KIDS = [
    Kid(f"28000000{i:02d}", name, D(2007, 1 + i, 3), "Nữ" if i % 2 else "Nam", "Thái", "12A3",
        True, "Khá", "Tốt")
    for i, name in enumerate(["Lò Văn Pọm", "Cà Thị Ban", "Quàng Văn Inh", "Lường Thị Nọi",
                              "Tòng Văn Hặc", "Điêu Thị Xiêng", "Hà Văn Khun"])
]  # fmt: skip


def preview(run, *args):
    result = run("import", *args, "--preview", "--json")
    return result, json.loads(result.stdout)


def test_the_sample_is_what_students_json_shows_after_the_import(run, tmp_path, db_path):
    roster = plain_roster(tmp_path / "12A3.xlsx", KIDS).path

    result, shown = preview(run, roster)

    assert result.exit_code == 0, result.output
    assert not db_path.exists()  # the database was not even opened
    (table,) = shown["files"][0]["tables"]
    run.ok("import", roster)
    stored = {s["student_code"]: s for s in run.students()}
    assert len(table["sample"]) == 5 and table["rows"] == 7
    for person in table["sample"]:
        assert person == stored[person["student_code"]]


def test_tables_columns_and_titles_are_described(run, tmp_path):
    roster = plain_roster(tmp_path / "12A3.xlsx", KIDS, extra={"Số thẻ BHYT": ["HS401"] * 7})
    result, shown = preview(run, roster.path)

    assert result.exit_code == 0, result.output
    file = shown["files"][0]
    assert file["path"] == str(roster.path) and file["missing_options"] == []
    (table,) = file["tables"]
    assert table["sheet"] == "Danh sách" and table["kind"] == "roster"
    assert table["header_rows"] == [4] and table["first_data_row"] == 5
    assert table["from_title"] == {"school": "THPT Bình Lư", "school_year": "2024-2025",
                                   "term": "hk1", "class": None}  # fmt: skip
    columns = {c["header"]: c for c in table["columns"]}
    assert columns["Họ và tên"] == {"letter": "C", "header": "Họ và tên", "field": "ho-ten",
                                    "how": "đọc thành “Họ và tên”"}  # fmt: skip
    assert columns["Mã học sinh"]["field"] == "ma-hoc-sinh"
    assert columns["Số thẻ BHYT"]["field"] is None
    assert "dữ liệu thêm" in columns["Số thẻ BHYT"]["how"]


def test_missing_options_are_listed_not_refused(run, tmp_path):
    roster = plain_roster(tmp_path / "a.xlsx", KIDS[:2], titles=("DANH SÁCH HỌC SINH",)).path

    result, shown = preview(run, roster)

    assert result.exit_code == 0, result.output
    assert shown["files"][0]["missing_options"] == ["--school", "--school-year", "--term"]
    assert len(shown["files"][0]["tables"][0]["sample"]) == 2


def test_a_file_without_a_table_exits_1_with_the_reason(run, tmp_path, db_path):
    book = xlsx_sheets(tmp_path / "ghi-chu.xlsx", {"Ghi chú": [["Danh sách gửi sau"], ["x"]]})

    result, shown = preview(run, book)

    assert result.exit_code == 1, result.output
    assert "không tìm thấy bảng danh sách" in shown["files"][0]["error"]
    assert not db_path.exists()


def test_the_terminal_shows_the_tables_and_the_first_people(run, tmp_path, db_path):
    two = [
        ["TRƯỜNG THPT BÌNH LƯ"],
        ["DANH SÁCH LỚP 12A3 - NĂM HỌC 2024-2025"],
        [],
        PLAIN_HEADER,
        [1, "2800000000", "Lò Văn Pọm", "03/01/2007", "Nam", "Thái", "12A3", "Khá", "Tốt", "x"],
    ]
    book = xlsx_sheets(tmp_path / "lop.xlsx", {"12A3": two})  # fmt: skip

    result = run("import", book, "--preview")

    assert result.exit_code == 0, result.output
    said = " ".join(result.stdout.split())
    assert "Trang “12A3”: bảng danh sách, tiêu đề ở dòng 4, dữ liệu từ dòng 5 (1 dòng)." in said
    assert "trường: THPT Bình Lư; năm học 2024-2025; lớp 12A3" in said
    assert "Lò Văn Pọm" in said and "03/01/2007" in said
    assert "Cần thêm khi nhập: --term" in said
    assert "không ghi gì vào cơ sở dữ liệu" in said
    assert not db_path.exists()


def test_preview_writes_no_errors_file(run, tmp_path):
    roster = plain_roster(tmp_path / "a.xlsx", KIDS[:1]).path
    result = run("import", roster, "--preview", "--errors", tmp_path / "loi.xlsx")
    assert result.exit_code == 2
    assert "--preview" in result.stderr and not (tmp_path / "loi.xlsx").exists()
