"""`dangvien students --xlsx/--csv`: the listed students in the layout of the import template,
read back by `import` as they are (issue 6). The round trip over generated rosters is in
tests/properties/test_round_trip.py; these tests look at the file the way a user does."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from builders import PLAIN_HEADER, Kid, plain_roster
from dangvien_cli.roster.template import COLUMNS

D = dt.date
HK1 = ("TRƯỜNG THPT BÌNH LƯ", "DANH SÁCH HỌC SINH - HỌC KỲ I - NĂM HỌC 2024-2025")
CIVIL_IDS = ["012307004512", "012207001234", "012307009876"]

LAN = Kid("1700000001", "Nguyễn Thị Lan", D(2007, 3, 15), "Nữ", "Kinh", "12A1", True, "Giỏi",
          "Tốt", religion="Không", youth_joined=D(2022, 3, 26))  # fmt: skip
SINH = Kid("1700000002", "Giàng A Sình", 2007, "Nam", "Mông", "12A1", True, "Khá", "Khá",
           religion="Tin lành")  # fmt: skip
THO = Kid("1700000003", "Lò Thị Thơ", D(2007, 11, 23), "Nữ", "Thái", "12A1", False, "TB", "Tốt")
KIDS = [LAN, SINH, THO]


def import_kids(
    run: Any, tmp_path: Path, kids: list[Kid], name: str = "ds.xlsx", **kw: Any
) -> None:
    extra = {
        "Số định danh cá nhân": CIVIL_IDS[: len(kids)],
        "Tôn giáo": [k.religion for k in kids],
        "Ngày vào Đoàn": [
            k.youth_joined.strftime("%d/%m/%Y") if k.youth_joined else None for k in kids
        ],
    }
    kw.setdefault("titles", HK1)
    run.json("import", plain_roster(tmp_path / name, kids, extra=extra, **kw).path)


def sheet_rows(path: Path) -> list[list[Any]]:
    ws = load_workbook(path).worksheets[0]
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_xlsx_has_the_template_layout_with_one_row_per_student(run: Any, tmp_path: Path) -> None:
    import_kids(run, tmp_path, KIDS)

    result = run.ok("students", "--xlsx", tmp_path / "hs.xlsx")

    assert "Đã ghi 3 học sinh vào" in result.stdout
    rows = sheet_rows(tmp_path / "hs.xlsx")
    assert [r[0] for r in rows[:4]] == [
        "TRƯỜNG THPT Bình Lư",
        "DANH SÁCH HỌC SINH LỚP 12A1",
        "NĂM HỌC 2024-2025",
        "HỌC KỲ I",
    ]
    header = [v for v in rows[5] if v is not None]
    # The template's headers, in its order, without the citizen ID.
    assert header == [c.header for c in COLUMNS if c.header != "Số định danh cá nhân"]
    data = {r[1]: dict(zip(header, r, strict=False)) for r in rows[6:]}
    assert list(data) == ["1700000001", "1700000002", "1700000003"]  # Lan, Sình, Thơ
    lan = data[LAN.code]
    assert lan["STT"] == 1 and lan["Họ và tên"] == "Nguyễn Thị Lan"
    assert lan["Ngày sinh"] == dt.datetime(2007, 3, 15)  # a real date cell
    assert (lan["Giới tính"], lan["Dân tộc"], lan["Tôn giáo"], lan["Lớp"]) == (
        "Nữ",
        "Kinh",
        "Không",
        "12A1",
    )
    assert (lan["Học lực"], lan["Hạnh kiểm"]) == ("Giỏi", "Tốt")
    assert (lan["Đoàn viên"], lan["Ngày vào Đoàn"]) == ("x", dt.datetime(2022, 3, 26))
    assert data[SINH.code]["Ngày sinh"] == 2007  # only the year is known
    assert data[THO.code]["Đoàn viên"] is None and data[THO.code]["Học lực"] == "Trung bình"
    ws = load_workbook(tmp_path / "hs.xlsx").worksheets[0]
    code_cell = ws.cell(row=7, column=2)
    assert code_cell.data_type == "s" and code_cell.number_format == "@"
    # No citizen ID leaves the database.
    assert not {v for r in rows for v in r} & set(CIVIL_IDS)


def test_reimporting_the_export_changes_nothing(run: Any, tmp_path: Path, sql: Any) -> None:
    import_kids(run, tmp_path, KIDS)
    before = run.students()
    run.ok("students", "--xlsx", tmp_path / "hs.xlsx", "--csv", tmp_path / "hs.csv")

    report = run.json("import", tmp_path / "hs.xlsx")

    assert report["totals"] == {"created": 0, "updated": 0, "unchanged": 3, "rejected": 0}
    assert run.students() == before
    # The citizen ID is not in the file, so the stored one stays.
    assert sorted(r[0] for r in sql("SELECT national_id FROM person")) == sorted(CIVIL_IDS)


def test_csv_has_the_same_rows_with_iso_dates(run: Any, tmp_path: Path) -> None:
    import_kids(run, tmp_path, KIDS)
    run.ok("students", "--xlsx", tmp_path / "hs.xlsx", "--csv", tmp_path / "hs.csv")

    raw = (tmp_path / "hs.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with (tmp_path / "hs.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    xlsx = sheet_rows(tmp_path / "hs.xlsx")
    assert len(rows) == len(xlsx)
    assert rows[:4] == [[r[0]] for r in xlsx[:4]]
    lan = next(r for r in rows if r[1:2] == [LAN.code])
    assert lan[3] == "2007-03-15" and lan[-1] == "2022-03-26"


def test_classes_terms_and_unknown_memberships_get_blocks_of_their_own(
    run: Any, tmp_path: Path, db_path: Path
) -> None:
    import_kids(run, tmp_path, KIDS)
    # 12A10 and 12A2 on the full year's roster, without a Đoàn viên column (membership unknown).
    later = [
        Kid(
            "1700000011", "Vàng Văn Páo", D(2007, 1, 20), "Nam", "Mông", "12A10", None, "Đạt", "Tốt"
        ),
        Kid("1700000012", "Tẩn Thị Duyên", D(2007, 2, 1), "Nữ", "Dao", "12A2", None, "Tốt", "Khá"),
    ]
    header = [h for h in PLAIN_HEADER if h != "Đoàn viên"]
    titles = ("TRƯỜNG THPT BÌNH LƯ", "DANH SÁCH HỌC SINH - CẢ NĂM - NĂM HỌC 2024-2025")
    run.json("import", plain_roster(tmp_path / "cn.xlsx", later, titles=titles, header=header).path)

    run.ok("students", "--xlsx", tmp_path / "hs.xlsx")

    rows = sheet_rows(tmp_path / "hs.xlsx")
    titles_of = [r[0] for r in rows if r[0] and str(r[0]).startswith("DANH SÁCH")]
    assert titles_of == [  # classes by number: 12A2 before 12A10
        "DANH SÁCH HỌC SINH LỚP 12A1",
        "DANH SÁCH HỌC SINH LỚP 12A2",
        "DANH SÁCH HỌC SINH LỚP 12A10",
    ]
    assert [r[0] for r in rows if r[0] in ("HỌC KỲ I", "CẢ NĂM")] == [
        "HỌC KỲ I",
        "CẢ NĂM",
        "CẢ NĂM",
    ]
    headers = [r for r in rows if r[0] == "STT"]
    assert "Đoàn viên" in headers[0]
    # Unknown membership: no Đoàn viên column, so a re-import keeps "unknown".
    assert "Đoàn viên" not in headers[1] and "Đoàn viên" not in headers[2]
    # TT22 results ("Đạt", "Tốt" as academic) under the TT22 headers.
    assert "Kết quả học tập" in headers[2] and "Kết quả rèn luyện" in headers[2]

    fresh = tmp_path / "fresh.db"
    run.json("--db", fresh, "import", tmp_path / "hs.xlsx")
    got = {s["student_code"]: s for s in run.json("--db", fresh, "students")}
    assert got["1700000011"]["youth_union_member"] is None
    assert got[THO.code]["youth_union_member"] is False
    assert got[LAN.code]["youth_union_member"] is True


def test_the_listing_sorts_classes_by_number(run: Any, tmp_path: Path) -> None:
    kids = [
        Kid(f"17000001{i:02d}", name, D(2007, 1, 1), "Nam", "Kinh", klass)
        for i, (name, klass) in enumerate(
            [("Lò Văn An", "12A10"), ("Lò Văn Bình", "12A2"), ("Lò Văn Cường", "12A1")]
        )
    ]
    import_kids(run, tmp_path, kids)

    assert [s["class_name"] for s in run.students()] == ["12A1", "12A2", "12A10"]


def test_export_options_need_the_right_extension(run: Any, tmp_path: Path) -> None:
    import_kids(run, tmp_path, KIDS)

    for option, name in (("--xlsx", "hs.csv"), ("--csv", "hs.xlsx"), ("--xlsx", "hs")):
        result = run("students", option, tmp_path / name)
        assert result.exit_code == 2, result.output
        assert option in result.stderr and name in result.stderr
        assert not (tmp_path / name).exists()


def test_nothing_listed_writes_no_file(run: Any, tmp_path: Path) -> None:
    import_kids(run, tmp_path, KIDS)

    result = run.ok("students", "--search", "không ai tên này", "--xlsx", tmp_path / "hs.xlsx")

    assert "Không có học sinh nào" in result.stdout and "Không ghi tệp" in result.stdout
    assert not (tmp_path / "hs.xlsx").exists()


def test_json_still_lists_and_the_file_is_written_too(run: Any, tmp_path: Path) -> None:
    import_kids(run, tmp_path, KIDS)

    listed = run.json("students", "--class", "12a1", "--csv", tmp_path / "hs.csv")

    assert [s["full_name"] for s in listed] == ["Nguyễn Thị Lan", "Giàng A Sình", "Lò Thị Thơ"]
    assert "youth_union_joined" not in listed[0]  # the JSON contract is unchanged
    assert (tmp_path / "hs.csv").exists()


def test_help_shows_the_export_with_an_example(run: Any) -> None:
    text = run.ok("students", "--help").stdout

    assert "--xlsx" in text and "--csv" in text
    assert "dangvien students --school" in text and "--xlsx 12A1.xlsx" in text
