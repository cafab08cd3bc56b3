"""`dangvien import`: the contract scripts and users rely on (issue 2, "Contract details")."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

import builders
from builders import PLAIN_HEADER, Kid, plain_roster, xlsx_rows
from dbcheck import query, results, snapshot

D = dt.date

KIDS = [
    Kid("1300000001", "Nguyễn Văn Anh", D(2007, 1, 15), "Nam", "Kinh", "12A1", True, "Khá", "Tốt"),
    Kid("1300000002", "Trần Thị Ân", D(2007, 2, 20), "Nữ", "Kinh", "12A1", False, "Giỏi", "Tốt"),
    Kid("1300000003", "Lò Văn Bình", D(2007, 3, 25),
        "Nam", "Thái", "12A1", True, "Trung bình", "Khá"),
]  # fmt: skip
HK1 = ("TRƯỜNG THPT BÌNH LƯ", "DANH SÁCH HỌC SINH - HỌC KỲ I - NĂM HỌC 2024-2025")
HK2 = ("TRƯỜNG THPT BÌNH LƯ", "DANH SÁCH HỌC SINH - HỌC KỲ II - NĂM HỌC 2024-2025")
SCHOOL = "THPT Bình Lư"


def with_(kids: list[Kid], **changes: Any) -> list[Kid]:
    return [dataclasses.replace(k, **changes) for k in kids]


def counts(part: dict[str, Any]) -> tuple[int, int, int, int]:
    return (part["created"], part["updated"], part["unchanged"], part["rejected"])


def bad_roster(path: Path) -> Path:
    """Two good students and one with a birth date that does not exist (row 7)."""
    bad = dataclasses.replace(KIDS[2], born=D(2007, 2, 1))
    roster = plain_roster(path, [KIDS[0], KIDS[1], bad])
    wb = load_workbook(roster.path)
    wb.active["D7"] = "30/02/2007"
    wb.save(roster.path)
    return roster.path


# ----------------------------------------------------------------------------- --json and counts


def test_json_shape_and_counts_per_file_sheet_and_totals(run, tmp_path):
    first = plain_roster(tmp_path / "a.xlsx", KIDS[:2]).path
    second = bad_roster(tmp_path / "b.xlsx")

    result = run("import", first, second, "--json")

    assert result.exit_code == 3, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"files", "totals"}
    assert [f["path"] for f in data["files"]] == [str(first), str(second)]
    for f in data["files"]:
        assert {"path", "sheets", "created", "updated", "unchanged", "rejected", "errors"} <= set(f)
        for sheet in f["sheets"]:
            assert {"name", "kind", "rows", "created", "updated", "unchanged", "rejected"} <= set(
                sheet
            )
            assert sheet["kind"] == "roster"
        for error in f["errors"]:
            assert {"sheet", "row", "column", "value", "reason"} <= set(error)
    a, b = data["files"]
    assert counts(a) == (2, 0, 0, 0)
    assert [(s["name"], s["rows"]) for s in a["sheets"]] == [("Danh sách", 2)]
    # b.xlsx repeats the two students of a.xlsx (nothing new about them) and has one bad row.
    assert counts(b) == (0, 0, 2, 1)
    assert counts(b["sheets"][0]) == (0, 0, 2, 1) and b["sheets"][0]["rows"] == 3
    assert [(e["row"], e["column"], e["value"]) for e in b["errors"]] == [
        (7, "Ngày sinh", "30/02/2007")
    ]
    assert data["totals"] == {"created": 2, "updated": 0, "unchanged": 2, "rejected": 1}


def test_all_rows_accepted_exits_0_and_prints_a_summary_table(run, tmp_path):
    roster = plain_roster(tmp_path / "12A1.xlsx", KIDS)

    result = run("import", roster.path)

    assert result.exit_code == 0, result.output
    assert "12A1.xlsx" in result.stdout
    assert SCHOOL in result.stdout
    assert "Học kỳ I" in result.stdout


# ----------------------------------------------------------------------------- re-importing


def test_reimporting_the_same_file_changes_nothing(run, tmp_path, db_path):
    roster = plain_roster(tmp_path / "12A1.xlsx", KIDS)
    first = run.json("import", roster.path)
    assert counts(first["totals"] | {"rejected": 0}) == (3, 0, 0, 0)
    before = snapshot(db_path)

    again = run.json("import", roster.path)

    assert again["totals"] == {"created": 0, "updated": 0, "unchanged": 3, "rejected": 0}
    assert snapshot(db_path) == before


def test_next_term_updates_results_without_duplicating_students(run, tmp_path, db_path):
    run.json("import", plain_roster(tmp_path / "hk1.xlsx", KIDS, titles=HK1).path)
    hk2 = with_(KIDS, academic="Giỏi", conduct="Tốt")

    report = run.json("import", plain_roster(tmp_path / "hk2.xlsx", hk2, titles=HK2).path)

    assert report["totals"] == {"created": 0, "updated": 3, "unchanged": 0, "rejected": 0}
    assert query(db_path, "SELECT count(*) FROM student") == [(3,)]
    assert query(db_path, "SELECT count(*) FROM person") == [(3,)]
    assert results(db_path)["1300000003"] == [
        ("2024-2025", "hk1", "tb", "tt58", "kha", "tt58"),
        ("2024-2025", "hk2", "gioi", "tt58", "tot", "tt58"),
    ]


def test_next_school_year_moves_students_to_their_new_class(run, tmp_path, db_path):
    grade11 = with_(KIDS, klass="11A1")
    run.json(
        "import",
        plain_roster(tmp_path / "11A1.xlsx", grade11, titles=HK1).path,
    )
    grade12 = with_(KIDS, klass="12A1", academic="Tốt", conduct="Tốt")
    titles = ("TRƯỜNG THPT BÌNH LƯ", "DANH SÁCH HỌC SINH - HỌC KỲ I - NĂM HỌC 2025-2026")

    report = run.json("import", plain_roster(tmp_path / "12A1.xlsx", grade12, titles=titles).path)

    assert report["totals"] == {"created": 0, "updated": 3, "unchanged": 0, "rejected": 0}
    now = run.students()
    assert len(now) == 3
    assert {(s["class_name"], s["school_year"]) for s in now} == {("12A1", "2025-2026")}
    last_year = run.students("--school-year", "2024-2025")
    assert {(s["class_name"], s["school_year"]) for s in last_year} == {("11A1", "2024-2025")}
    academic = [r[:4] for r in results(db_path)["1300000001"]]
    assert academic == [("2024-2025", "hk1", "kha", "tt58"), ("2025-2026", "hk1", "tot", "tt22")]


def test_conduct_scale_follows_the_academic_scale_of_the_same_table(run, tmp_path, db_path):
    kids = with_(KIDS, klass="12A1", academic="Tốt", conduct="Tốt")
    titles = ("TRƯỜNG THPT BÌNH LƯ", "DANH SÁCH HỌC SINH - HỌC KỲ I - NĂM HỌC 2025-2026")

    run.json("import", plain_roster(tmp_path / "12A1.xlsx", kids, titles=titles).path)

    assert results(db_path)["1300000001"] == [("2025-2026", "hk1", "tot", "tt22", "tot", "tt22")]


def test_a_corrected_value_counts_as_updated(run, tmp_path):
    run.json("import", plain_roster(tmp_path / "a.xlsx", KIDS).path)
    fixed = [dataclasses.replace(KIDS[0], born=D(2007, 1, 16)), *KIDS[1:]]

    report = run.json("import", plain_roster(tmp_path / "b.xlsx", fixed).path)

    assert report["totals"] == {"created": 0, "updated": 1, "unchanged": 2, "rejected": 0}
    assert run.by_code()["1300000001"]["date_of_birth"] == "2007-01-16"


def test_a_renamed_student_keeps_one_person_whose_folded_name_follows(run, tmp_path, db_path):
    run.json("import", plain_roster(tmp_path / "a.xlsx", KIDS).path)
    renamed = [dataclasses.replace(KIDS[0], name="Đặng Thị Thuỳ Dương"), *KIDS[1:]]

    report = run.json("import", plain_roster(tmp_path / "b.xlsx", renamed).path)

    assert report["totals"]["updated"] == 1
    rows = query(
        db_path,
        "SELECT p.full_name, p.name_key, s.name_key FROM student s "
        "JOIN person p ON p.id = s.person_id WHERE s.student_code = ?",
        KIDS[0].code,
    )
    assert rows == [("Đặng Thị Thuỳ Dương", "dang thi thuy duong", "dang thi thuy duong")]
    again = run.json("import", plain_roster(tmp_path / "c.xlsx", renamed).path)
    assert again["totals"]["unchanged"] == len(KIDS)


def test_import_never_touches_recorded_milestones(run, tmp_path, db_path):
    run.json("import", plain_roster(tmp_path / "hk1.xlsx", KIDS, titles=HK1).path)
    (person_id,) = query(
        db_path, "SELECT person_id FROM student WHERE student_code = '1300000001'"
    )[0]
    import sqlite3

    con = sqlite3.connect(db_path)
    with con:
        con.execute(
            "INSERT INTO milestone (person_id, step, on_date, doc_number, mentor, recorded_at) "
            "VALUES (?, 'lop-boi-duong', '2024-10-25', 'CN-24-301', NULL, '2024-10-26 08:00:00')",
            (person_id,),
        )
        con.execute(
            "INSERT INTO milestone (person_id, step, on_date, mentor, recorded_at) VALUES "
            "(?, 'phan-cong-giup-do', '2024-11-12', 'Trần Văn Khiêm', '2024-11-12 08:00:00')",
            (person_id,),
        )
    con.close()
    before = query(db_path, "SELECT * FROM milestone ORDER BY id")
    changed = with_(KIDS, academic="Giỏi", youth=False)

    run.json("import", plain_roster(tmp_path / "hk2.xlsx", changed, titles=HK2).path)
    run.json("import", plain_roster(tmp_path / "hk1-again.xlsx", KIDS, titles=HK1).path)

    assert query(db_path, "SELECT * FROM milestone ORDER BY id") == before
    assert len(before) == 2


# -------------------------------------------------------------------- strict, dry run, errors file


def test_strict_with_a_bad_row_writes_nothing_from_that_file(run, tmp_path, db_path):
    good = plain_roster(tmp_path / "good.xlsx", [KIDS[2]]).path
    bad = bad_roster(tmp_path / "bad.xlsx")

    result = run("import", bad, good, "--strict", "--json")

    assert result.exit_code == 3, result.output
    data = json.loads(result.stdout)
    assert data["files"][0]["rejected"] == 1
    assert data["files"][0]["created"] == 0
    # The bad file wrote nothing; the good file beside it was imported.
    assert sorted(run.by_code()) == ["1300000003"]
    assert query(db_path, "SELECT count(*) FROM person") == [(1,)]


def test_strict_leaves_known_students_as_they_were(run, tmp_path, db_path):
    run.json("import", plain_roster(tmp_path / "first.xlsx", KIDS[:2]).path)
    before = snapshot(db_path)
    # The same two students with new results, plus a bad row.
    bad = bad_roster(tmp_path / "bad.xlsx")
    wb = load_workbook(bad)
    wb.active["H5"] = "Yếu"
    wb.save(bad)

    result = run("import", bad, "--strict")

    assert result.exit_code == 3
    assert "--strict" in result.stdout
    assert snapshot(db_path) == before


def test_dry_run_reports_but_writes_nothing(run, tmp_path, db_path):
    run.json("import", plain_roster(tmp_path / "first.xlsx", KIDS[:1]).path)
    before = snapshot(db_path)
    batches = query(db_path, "SELECT count(*) FROM import_batch")

    everyone = plain_roster(tmp_path / "all.xlsx", with_(KIDS, academic="Yếu")).path
    report = run.json("import", everyone, "--dry-run")

    assert report["totals"] == {"created": 2, "updated": 1, "unchanged": 0, "rejected": 0}
    assert snapshot(db_path) == before
    assert query(db_path, "SELECT count(*) FROM import_batch") == batches
    result = run("import", tmp_path / "all.xlsx", "--dry-run")
    assert result.exit_code == 0
    assert "dry-run" in result.stdout


def test_errors_workbook_repeats_the_rejected_rows_with_column_and_reason(run, tmp_path):
    roster = builders.error_file(tmp_path)
    out = tmp_path / "loi.xlsx"

    result = run("import", roster.path, "--errors", out)

    assert result.exit_code == 3, result.output
    ws = load_workbook(out).worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    head = rows[0]
    col = {name: head.index(name) for name in ("Dòng", "Cột", "Lý do")}
    # The original headers follow, so the rejected cells can be read as they were.
    for name in ("Mã học sinh", "Họ và tên", "Ngày sinh", "Học lực"):
        assert name in head
    data = {r[col["Dòng"]]: r for r in rows[1:]}
    assert sorted(data) == sorted(builders.ERROR_ROWS)
    for row_no, row in data.items():
        _, header, _, word = builders.ERROR_ROWS[row_no]
        assert header in row[col["Cột"]]
        assert word.lower() in row[col["Lý do"]].lower()

    def original(row_no: int, name: str) -> Any:
        return data[row_no][head.index(name)]

    assert original(7, "Họ và tên") == "Tô Thị Gấm"
    assert original(7, "Ngày sinh") == "31/02/2007"
    assert original(7, "Mã học sinh") == "1270000003"
    assert original(13, "Học lực") == "Xuất sắc"
    assert original(15, "Họ và tên") == "Khuất Thị Bích"
    assert original(12, "Họ và tên") in (None, "")


def test_formula_like_text_survives_into_the_errors_workbook(run, tmp_path):
    path = tmp_path / "formula.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["TRƯỜNG THPT BÌNH LƯ"])
    ws.append(["DANH SÁCH HỌC SINH LỚP 12A1 - NĂM HỌC 2024-2025"])
    ws.append(["STT", "Mã học sinh", "Họ và tên", "Ngày sinh", "Ghi chú"])
    ws.append([1, "1300000009", "Hồ Thị Vi", "31/04/2007", None])
    note = ws.cell(row=4, column=5, value='=HYPERLINK("http://example.invalid","bấm")')
    note.data_type = "s"  # typed as text in the roster ('=…), not a formula
    wb.save(path)
    out = tmp_path / "loi.xlsx"

    result = run("import", path, "--errors", out)

    assert result.exit_code == 3, result.output
    back = load_workbook(out).worksheets[0]
    head = [c.value for c in back[1]]
    cell = back.cell(row=2, column=head.index("Ghi chú") + 1)
    assert cell.value == '=HYPERLINK("http://example.invalid","bấm")'
    assert cell.data_type == "s"


def test_errors_option_needs_an_xlsx_name(run, tmp_path):
    roster = plain_roster(tmp_path / "12A1.xlsx", KIDS)

    result = run("import", roster.path, "--errors", tmp_path / "loi.csv")

    assert result.exit_code == 2
    assert ".xlsx" in result.stderr


# ----------------------------------------------------------------------------- absent vs blank


def test_absent_column_keeps_stored_value_blank_cell_means_unknown(run, tmp_path, db_path):
    run.json("import", plain_roster(tmp_path / "full.xlsx", KIDS).path)

    # No "Dân tộc", "Đoàn viên", "Giới tính" columns, no grades: those stay as they were.
    narrow = ["STT", "Mã học sinh", "Họ và tên", "Ngày sinh", "Lớp"]
    report = run.json("import", plain_roster(tmp_path / "narrow.xlsx", KIDS, header=narrow).path)
    assert report["totals"]["unchanged"] == 3
    got = run.by_code()
    for kid in KIDS:
        assert (got[kid.code]["ethnicity"], got[kid.code]["gender"]) == (kid.ethnicity, kid.gender)
        assert got[kid.code]["youth_union_member"] is kid.youth
    assert results(db_path)["1300000001"] == [("2024-2025", "hk1", "kha", "tt58", "tot", "tt58")]

    # The same columns present but blank: unknown, and "not a member" for Đoàn viên.
    blank = with_(KIDS, ethnicity=None, youth=None)
    report = run.json("import", plain_roster(tmp_path / "blank.xlsx", blank).path)
    got = run.by_code()
    for kid in KIDS:
        assert got[kid.code]["ethnicity"] is None
        assert got[kid.code]["youth_union_member"] is False
        assert got[kid.code]["gender"] == kid.gender


def test_blank_grade_cells_mean_unknown_results(run, tmp_path, db_path):
    run.json("import", plain_roster(tmp_path / "full.xlsx", KIDS).path)

    run.json("import", plain_roster(tmp_path / "blank.xlsx", with_(KIDS, academic=None)).path)

    assert results(db_path)["1300000001"] == [("2024-2025", "hk1", None, None, "tot", "tt58")]


def test_whole_number_in_a_date_column_is_a_year_not_a_serial(run, tmp_path):
    rows = [
        ["TRƯỜNG THPT BÌNH LƯ"],
        ["DANH SÁCH HỌC SINH LỚP 10A1 - NĂM HỌC 2024-2025"],
        ["STT", "Mã học sinh", "Họ và tên", "Ngày sinh"],
        [1, "1300000011", "Vi Văn Đông", 2009],
        [2, "1300000012", "Lầu Thị Dua", 2009.0],
        [3, "1300000013", "Hạng A Vàng", 39150],  # a date serial without a date format
        [4, "1300000014", "Sầm Thị Sen", "2009"],
    ]
    path = xlsx_rows(tmp_path / "nam-sinh.xlsx", rows, text_columns=[2])

    run.json("import", path)

    births = {s["student_code"]: s["date_of_birth"] for s in run.students()}
    assert births == {
        "1300000011": "2009",
        "1300000012": "2009",
        "1300000013": "2007-03-09",
        "1300000014": "2009",
    }


# ----------------------------------------------------------------------------- options vs titles


def test_options_win_over_titles(run, tmp_path, db_path):
    titles = ("TRƯỜNG THPT BÌNH LƯ", "DANH SÁCH HỌC SINH LỚP 12A1", "NĂM HỌC 2024-2025", "HỌC KỲ I")
    header = [h for h in PLAIN_HEADER if h != "Lớp"]
    roster = plain_roster(tmp_path / "r.xlsx", KIDS, titles=titles, header=header)

    report = run.json(
        "import", roster.path, "--school", "THPT Mường Kim", "--school-year", "2025-2026",
        "--term", "hk2", "--class", "12A9",
    )  # fmt: skip

    sheet = report["files"][0]["sheets"][0]
    assert (sheet["school"], sheet["school_year"], sheet["classes"]) == (
        "THPT Mường Kim", "2025-2026", ["12A9"])  # fmt: skip
    got = run.students()
    assert {(s["school"], s["class_name"], s["school_year"]) for s in got} == {
        ("THPT Mường Kim", "12A9", "2025-2026")
    }
    assert {r[:2] for rs in results(db_path).values() for r in rs} == {("2025-2026", "hk2")}
    assert [s["name"] for s in run.json("schools")] == ["THPT Mường Kim"]


def test_titles_give_school_class_year_and_term_when_options_do_not(run, tmp_path, db_path):
    titles = (
        "TRƯỜNG THPT BÌNH LƯ",
        "DANH SÁCH HỌC SINH LỚP 12A1",
        "NĂM HỌC 2024-2025",
        "HỌC KỲ II",
    )
    header = [h for h in PLAIN_HEADER if h != "Lớp"]

    run.json("import", plain_roster(tmp_path / "r.xlsx", KIDS, titles=titles, header=header).path)

    got = run.students()
    assert {(s["school"], s["class_name"], s["school_year"]) for s in got} == {
        (SCHOOL, "12A1", "2024-2025")
    }
    assert {r[:2] for rs in results(db_path).values() for r in rs} == {("2024-2025", "hk2")}


@pytest.mark.parametrize("spelling", ["thpt binh lu", "Trường THPT Bình Lư", "TRUONG THPT BINH LU"])
def test_school_names_match_ignoring_truong_case_and_diacritics(run, tmp_path, spelling):
    run.json(
        "import", plain_roster(tmp_path / "a.xlsx", KIDS[:1]).path
    )  # title: TRƯỜNG THPT BÌNH LƯ

    run.json("import", plain_roster(tmp_path / "b.xlsx", KIDS[1:]).path, "--school", spelling)

    schools = run.json("schools")
    assert [(s["name"], s["students"]) for s in schools] == [(SCHOOL, 3)]


def test_import_school_shorthand_finds_the_existing_school(run, tmp_path):
    run.json("import", plain_roster(tmp_path / "a.xlsx", KIDS).path)  # THPT Bình Lư

    run("import", plain_roster(tmp_path / "b.xlsx", KIDS).path, "--school", "binh lu")

    assert [(s["name"], s["students"]) for s in run.json("schools")] == [(SCHOOL, 3)]


def test_an_ambiguous_school_option_on_import_exits_2_and_writes_nothing(run, tmp_path, db_path):
    run.json("import", plain_roster(tmp_path / "a.xlsx", KIDS[:1]).path)
    run.json(
        "import", plain_roster(tmp_path / "b.xlsx", KIDS[1:2]).path, "--school", "THPT Bình Lục"
    )
    before = snapshot(db_path)

    result = run("import", plain_roster(tmp_path / "c.xlsx", KIDS).path, "--school", "binh")

    assert result.exit_code == 2
    assert "THPT Bình Lư" in result.stderr and "THPT Bình Lục" in result.stderr
    assert snapshot(db_path) == before


def test_an_unknown_school_is_created_and_said_so(run, tmp_path):
    result = run("import", plain_roster(tmp_path / "a.xlsx", KIDS).path, "--school", "THPT Nậm Tăm")

    assert result.exit_code == 0, result.output
    assert "THPT Nậm Tăm" in result.stdout
    assert [s["name"] for s in run.json("schools")] == ["THPT Nậm Tăm"]


# ----------------------------------------------------------------------- files that cannot be read


def _not_a_spreadsheet(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / f"{kind}.xlsx"
    if kind == "csv":
        path.write_text(
            "STT,Mã học sinh,Họ và tên\n1,1300000001,Nguyễn Văn Anh\n", encoding="utf-8"
        )
    elif kind == "html":
        path.write_text(
            "<html><body><table><tr><td>Họ và tên</td></tr></table></body></html>", encoding="utf-8"
        )
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "no-header":
        xlsx_rows(path, [["Báo cáo tổng hợp"], ["Số liệu", 12], ["Ghi chú", "không có gì"]])
    elif kind == "broken-zip":
        path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    return path


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("csv", "CSV"),
        ("html", "HTML"),
        ("empty", "rỗng"),
        ("no-header", "Họ và tên"),
        ("broken-zip", "hỏng"),
    ],
)
def test_a_file_that_is_not_a_roster_exits_1_with_the_reason(run, tmp_path, db_path, kind, words):
    path = _not_a_spreadsheet(tmp_path, kind)

    result = run("import", path)

    assert result.exit_code == 1, result.output
    assert path.name in result.stderr
    assert words in result.stderr
    assert "Traceback" not in result.output
    assert run.students() == []


def test_a_missing_file_exits_1(run, tmp_path):
    result = run("import", tmp_path / "khong-co.xlsx")

    assert result.exit_code == 1
    assert "khong-co.xlsx" in result.stderr


def test_a_bad_file_does_not_stop_the_others(run, tmp_path):
    good = plain_roster(tmp_path / "good.xlsx", KIDS).path
    bad = _not_a_spreadsheet(tmp_path, "csv")

    result = run("import", bad, good, "--json")

    assert result.exit_code == 1
    data = json.loads(result.stdout)
    files = {f["path"]: f for f in data["files"]}
    assert set(files) == {str(bad), str(good)}
    assert "CSV" in files[str(bad)]["error"]
    assert files[str(good)]["created"] == 3
    assert data["totals"]["created"] == 3
    assert len(run.students()) == 3


def test_json_lists_files_in_the_order_given(run, tmp_path):
    good = plain_roster(tmp_path / "good.xlsx", KIDS).path
    bad = _not_a_spreadsheet(tmp_path, "csv")

    data = run.json("import", bad, good, code=1)

    assert [f["path"] for f in data["files"]] == [str(bad), str(good)]


def test_missing_school_exits_2_and_says_which_option(run, tmp_path):
    roster = builders.csdl_nganh(tmp_path)  # no school in the file

    result = run("import", roster.path, "--school-year", "2024-2025")

    assert result.exit_code == 2, result.output
    assert "--school" in result.stderr
    assert run.students() == []


def test_missing_school_year_exits_2(run, tmp_path):
    roster = builders.csdl_nganh(tmp_path)

    result = run("import", roster.path, "--school", SCHOOL)

    assert result.exit_code == 2, result.output
    assert "--school-year" in result.stderr


@pytest.mark.parametrize(
    "option", [["--term", "hk3"], ["--school-year", "2024-2026"], ["--class", "12"]]
)
def test_bad_option_values_exit_2(run, tmp_path, option):
    roster = plain_roster(tmp_path / "a.xlsx", KIDS)

    result = run("import", roster.path, *option)

    assert result.exit_code == 2, result.output
    assert option[1] in result.stderr
    assert run.students() == []


# ------------------------------------------------------------------------- identity without a code


def test_students_without_a_code_are_matched_by_school_name_and_birth(run, tmp_path, db_path):
    header = [h for h in PLAIN_HEADER if h != "Mã học sinh"]
    twins = [
        *with_(KIDS, code=None),
        # Same name as the first student, another birth date: another person.
        Kid(None, "Nguyễn Văn Anh", D(2007, 9, 9), "Nam", "Kinh", "12A2", True, "Khá", "Khá"),
    ]
    first = run.json(
        "import", plain_roster(tmp_path / "hk1.xlsx", twins, titles=HK1, header=header).path
    )
    assert first["totals"]["created"] == 4

    hk2 = [dataclasses.replace(k, academic="Yếu") for k in twins]
    again = run.json(
        "import", plain_roster(tmp_path / "hk2.xlsx", hk2, titles=HK2, header=header).path
    )

    assert again["totals"] == {"created": 0, "updated": 4, "unchanged": 0, "rejected": 0}
    assert query(db_path, "SELECT count(*) FROM student") == [(4,)]
    terms = query(
        db_path,
        "SELECT p.date_of_birth, r.term, r.academic FROM term_result r "
        "JOIN student s ON s.id = r.student_id JOIN person p ON p.id = s.person_id "
        "WHERE p.full_name = 'Nguyễn Văn Anh' ORDER BY 1, 2",
    )
    assert terms == [
        ("2007-01-15", "hk1", "kha"),
        ("2007-01-15", "hk2", "yeu"),
        ("2007-09-09", "hk1", "kha"),
        ("2007-09-09", "hk2", "yeu"),
    ]
    # The same name and birth at another school is another student.
    other = run.json(
        "import", plain_roster(tmp_path / "other.xlsx", twins[:1], titles=HK1, header=header).path,
        "--school", "THPT Mường Kim",
    )  # fmt: skip
    assert other["totals"]["created"] == 1


def test_a_name_without_diacritics_matches_the_same_codeless_student(run, tmp_path, db_path):
    header = [h for h in PLAIN_HEADER if h != "Mã học sinh"]
    run.json(
        "import", plain_roster(tmp_path / "a.xlsx", with_(KIDS, code=None), header=header).path
    )
    spellings = ["NGUYEN VAN ANH", "Tran Thi An", "lò  văn   bình"]
    plain = [
        dataclasses.replace(k, code=None, name=n) for k, n in zip(KIDS, spellings, strict=True)
    ]

    report = run.json("import", plain_roster(tmp_path / "b.xlsx", plain, header=header).path)

    assert report["totals"]["created"] == 0
    assert query(db_path, "SELECT count(*) FROM student") == [(3,)]


# -------------------------------------------------------------------------- rows that are not data


def test_column_numbers_prenumbered_blank_rows_and_footers_are_not_rows(run, tmp_path):
    rows: list[list[object]] = [
        ["TRƯỜNG THPT BÌNH LƯ"],
        ["DANH SÁCH HỌC SINH LỚP 12A1 - HỌC KỲ I - NĂM HỌC 2024-2025"],
        ["STT", "Mã học sinh", "Họ và tên", "Ngày sinh", "Học lực", "Hạnh kiểm"],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],  # column numbers under the header
    ]
    for i, kid in enumerate(KIDS, start=1):
        rows.append([i, kid.code, kid.name, kid.dmy, kid.academic, kid.conduct])
    rows += [[4], [5], [6]]  # a template numbered to 45, left empty
    rows += [
        [None, None, "Tổng cộng: 3 học sinh"],
        [None, None, "Bình Lư, ngày 20 tháng 01 năm 2025"],
        [None, None, "GIÁO VIÊN CHỦ NHIỆM"],
    ]
    path = xlsx_rows(tmp_path / "12A1.xlsx", rows, text_columns=[2, 4])

    report = run.json("import", path)

    assert counts(report["files"][0]["sheets"][0]) == (3, 0, 0, 0)
    assert report["files"][0]["sheets"][0]["rows"] == 3


def test_a_two_row_header_with_three_terms_keeps_each_terms_results(run, tmp_path, db_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "12A1"
    ws.append(["TRƯỜNG THPT BÌNH LƯ"])
    ws.append(["TỔNG HỢP KẾT QUẢ LỚP 12A1 - NĂM HỌC 2023-2024"])
    ws.append([])
    ws.append(["STT", "Mã học sinh", "Họ và tên", "Ngày sinh", "Học kỳ I", None, "Học kỳ II", None,
               "Cả năm", None])  # fmt: skip
    ws.append([None, None, None, None, "HL", "HK", "HL", "HK", "HL", "HK"])
    for c in "ABCD":
        ws.merge_cells(f"{c}4:{c}5")
    for span in ("E4:F4", "G4:H4", "I4:J4"):
        ws.merge_cells(span)
    ws.append([1, "1500000001", "Lê Văn Toàn", "01/02/2006", "K", "T", "G", "T", "G", "T"])
    ws.append([2, "1500000002", "Mai Thị Hoa", "03/04/2006", "TB", "K", "K", "T", "K", "T"])
    wb.save(tmp_path / "kq.xlsx")

    run.json("import", tmp_path / "kq.xlsx")

    assert results(db_path) == {
        "1500000001": [
            ("2023-2024", "cn", "gioi", "tt58", "tot", "tt58"),
            ("2023-2024", "hk1", "kha", "tt58", "tot", "tt58"),
            ("2023-2024", "hk2", "gioi", "tt58", "tot", "tt58"),
        ],
        "1500000002": [
            ("2023-2024", "cn", "kha", "tt58", "tot", "tt58"),
            ("2023-2024", "hk1", "tb", "tt58", "kha", "tt58"),
            ("2023-2024", "hk2", "kha", "tt58", "tot", "tt58"),
        ],
    }


def test_grades_without_any_term_ask_for_term(run, tmp_path):
    titles = ("TRƯỜNG THPT BÌNH LƯ", "DANH SÁCH HỌC SINH - NĂM HỌC 2024-2025")
    roster = plain_roster(tmp_path / "r.xlsx", KIDS, titles=titles)

    result = run("import", roster.path)

    assert result.exit_code == 2
    assert "--term" in result.stderr
    assert run.json("import", roster.path, "--term", "cn")["totals"]["created"] == 3


# ----------------------------------------------------------------------------- unknown columns


def test_unknown_columns_are_kept_and_named_in_the_summary(run, tmp_path, db_path):
    extra = {
        "Số điện thoại": ["0912345678", None, "0987654321"],
        "Sở thích": ["Bóng đá", "Hát", None],
    }
    roster = plain_roster(tmp_path / "r.xlsx", KIDS, extra=extra)

    result = run("import", roster.path)

    assert result.exit_code == 0, result.output
    assert "Số điện thoại" in result.stdout and "Sở thích" in result.stdout
    report = run.json("import", roster.path)
    assert report["totals"]["unchanged"] == 3
    assert report["files"][0]["sheets"][0]["unknown_columns"] == ["Số điện thoại", "Sở thích"]
    stored = {
        c: json.loads(e) for c, e in query(db_path, "SELECT student_code, extra FROM student")
    }
    assert stored["1300000001"] == {"Số điện thoại": "0912345678", "Sở thích": "Bóng đá"}
    assert stored["1300000002"] == {"Sở thích": "Hát"}


# ----------------------------------------------------------------------------- milestone sheets


def test_a_milestone_sheet_records_its_steps_once(run, tmp_path, db_path):
    rows = [
        ["THEO DÕI TIẾN ĐỘ BỒI DƯỠNG, KẾT NẠP ĐẢNG VIÊN - TRƯỜNG THPT BÌNH LƯ"],
        [],
        ["STT", "Mã học sinh", "Họ và tên", "Ngày học lớp bồi dưỡng", "Số giấy chứng nhận",
         "Đảng viên giúp đỡ", "Ngày phân công"],
        [1, KIDS[0].code, KIDS[0].name, D(2024, 10, 25), "CN-24-301", "Trần Văn Khiêm",
         "12/11/2024"],
    ]  # fmt: skip
    path = xlsx_rows(tmp_path / "tien-do.xlsx", rows, text_columns=[2, 5])
    run.json("import", plain_roster(tmp_path / "r.xlsx", KIDS).path)

    first = run.json("import", path)
    again = run.json("import", path)

    assert [s["kind"] for s in first["files"][0]["sheets"]] == ["milestones"]
    assert first["totals"] == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    assert again["totals"] == {"created": 0, "updated": 0, "unchanged": 2, "rejected": 0}
    steps = query(db_path, "SELECT step, on_date, doc_number, mentor FROM milestone ORDER BY id")
    assert steps == [
        ("lop-boi-duong", "2024-10-25", "CN-24-301", None),
        ("phan-cong-giup-do", "2024-11-12", None, "Trần Văn Khiêm"),
    ]


def test_class_sheets_beside_a_milestone_sheet_are_still_imported(run, tmp_path):
    roster = builders.multi_sheet(tmp_path)
    wb = load_workbook(roster.path)
    ws = wb.create_sheet("Tiến độ")
    ws.append(["STT", "Mã học sinh", "Họ và tên", "Ngày học lớp bồi dưỡng", "Đảng viên giúp đỡ"])
    ws.append([1, "1251510001", "Bùi Đức Khiêm", "25/10/2024", "Trần Văn Khiêm"])
    wb.save(roster.path)

    report = run.json("import", roster.path, code=(0, 3))

    assert len(run.students()) == len(roster.kids)
    kinds = {s["name"]: s["kind"] for s in report["files"][0]["sheets"]}
    assert kinds["Tiến độ"] == "milestones"


# ----------------------------------------------------------------------------- files by content


def test_an_xls_file_saved_with_an_xlsx_name_is_read(run, tmp_path):
    roster = builders.vnedu_xls(tmp_path)
    renamed = roster.path.rename(tmp_path / "khoi12.xlsx")

    report = run.json("import", renamed)

    assert report["totals"]["created"] == len(roster.kids)


@pytest.mark.parametrize("name", ["12A1.xlsm", "12A1.XLSX", "12A1"])
def test_an_xlsx_under_another_name_is_read(run, tmp_path, name):
    roster = plain_roster(tmp_path / "src.xlsx", KIDS)
    target = roster.path.rename(tmp_path / name)

    report = run.json("import", target)

    assert report["totals"]["created"] == 3


def test_a_codeless_student_gets_the_code_of_a_later_roster(run, tmp_path, db_path):
    header = [h for h in PLAIN_HEADER if h != "Mã học sinh"]
    run.json(
        "import", plain_roster(tmp_path / "a.xlsx", with_(KIDS, code=None), header=header).path
    )

    report = run.json("import", plain_roster(tmp_path / "b.xlsx", KIDS).path)

    assert report["totals"] == {"created": 0, "updated": 3, "unchanged": 0, "rejected": 0}
    assert sorted(run.by_code()) == [k.code for k in KIDS]
    assert query(db_path, "SELECT count(*) FROM person") == [(3,)]


# ----------------------------------------------------------------------------- the fast path


def test_an_older_file_imported_again_after_a_newer_one_brings_its_values_back(run, tmp_path):
    """The unchanged-row shortcut must not hide a change made by another file in between."""
    first = plain_roster(tmp_path / "a.xlsx", KIDS).path
    fixed = [dataclasses.replace(KIDS[0], name="Khuất Thị Bích Ngọc"), *KIDS[1:]]
    run.json("import", first)
    run.json("import", plain_roster(tmp_path / "b.xlsx", fixed).path)

    report = run.json("import", first)

    assert report["totals"] == {"created": 0, "updated": 1, "unchanged": 2, "rejected": 0}
    assert run.by_code()[KIDS[0].code]["full_name"] == KIDS[0].name


def test_a_value_changed_outside_import_is_compared_again(run, tmp_path, db_path):
    """Whatever changes a roster-held value clears the student's roster digest; the next
    import of the same file then compares the row in full and writes the value back."""
    import sqlite3

    path = plain_roster(tmp_path / "a.xlsx", KIDS).path
    run.json("import", path)
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "UPDATE person SET ethnicity = 'Thái' WHERE id = "
            "(SELECT person_id FROM student WHERE student_code = ?)",
            (KIDS[1].code,),
        )
        conn.execute(
            "UPDATE student SET roster_hash = NULL WHERE student_code = ?", (KIDS[1].code,)
        )

    report = run.json("import", path)

    assert report["totals"] == {"created": 0, "updated": 1, "unchanged": 2, "rejected": 0}
    assert run.by_code()[KIDS[1].code]["ethnicity"] == KIDS[1].ethnicity
