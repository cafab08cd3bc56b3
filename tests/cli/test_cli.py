"""The command line as a user meets it: help, README, schools, students, template."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from builders import Kid, plain_roster
from dbcheck import query, results

D = dt.date
README = Path(__file__).resolve().parents[2] / "README.md"


def command_names() -> list[str]:
    from typer.main import get_command

    from dangvien_cli.cli import app

    group = get_command(app)
    return sorted(group.commands)  # type: ignore[attr-defined]


def test_the_commands_of_this_issue_exist():
    assert {"import", "students", "schools", "template"} <= set(command_names())


@pytest.mark.parametrize("args", [[], *([name] for name in command_names())])
def test_every_command_has_help_with_an_example(run, args):
    result = run(*args, "--help")

    assert result.exit_code == 0, result.output
    assert "Ví dụ" in result.stdout


def test_version(run):
    result = run("--version")

    assert result.exit_code == 0
    assert result.stdout.startswith("dangvien ")


@pytest.mark.parametrize("name", command_names())
def test_every_command_is_in_the_readme(name):
    text = README.read_text(encoding="utf-8")

    assert f"dangvien {name}" in text


# ----------------------------------------------------------------------------- schools and students

KIDS = [
    Kid("1400000001", "Phạm Văn Đức", D(2007, 5, 5), "Nam", "Kinh", "12A1", True, "Khá", "Tốt"),
    Kid("1400000002", "Trần Thị Ân", D(2007, 2, 2), "Nữ", "Kinh", "12A1", False, "Giỏi", "Tốt"),
    Kid("1400000003", "Lê Thị Châu", D(2007, 3, 3), "Nữ", "Kinh", "12A1", True, "Khá", "Tốt"),
    Kid("1400000004", "Nguyễn Văn Anh", D(2007, 1, 1), "Nam", "Kinh", "12A1", True, "Khá", "Tốt"),
    Kid("1400000005", "Đỗ Thị Dung", D(2007, 4, 4), "Nữ", "Kinh", "12A1", True, "Khá", "Tốt"),
    Kid("1400000006", "Hà Minh Châu", D(2007, 6, 6), "Nam", "Kinh", "12A1", False, "Khá", "Tốt"),
    Kid("1400000007", "Bùi Văn Ba", D(2007, 7, 7), "Nam", "Kinh", "12A1", True, "Khá", "Tốt"),
]  # fmt: skip
# Given name first (A < Ă < Â < B … D < Đ), then middle names, then family name.
VIETNAMESE_ORDER = [
    "Nguyễn Văn Anh",
    "Trần Thị Ân",
    "Bùi Văn Ba",
    "Hà Minh Châu",
    "Lê Thị Châu",
    "Đỗ Thị Dung",
    "Phạm Văn Đức",
]


def two_schools(run, tmp_path: Path) -> None:
    run.json("import", plain_roster(tmp_path / "bl.xlsx", KIDS).path)  # THPT Bình Lư
    other = [Kid("1400000099", "Lò Thị Nhàn", D(2007, 8, 8), "Nữ", "Thái", "12A3")]
    header = ["STT", "Mã học sinh", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Lớp"]
    titles = ("TRƯỜNG THPT MƯỜNG KIM", "DANH SÁCH HỌC SINH - NĂM HỌC 2023-2024")
    run.json("import", plain_roster(tmp_path / "mk.xlsx", other, titles=titles, header=header).path)


def test_students_school_matches_without_diacritics_or_case(run, tmp_path):
    two_schools(run, tmp_path)

    found = run.students("--school", "binh lu")

    assert {s["school"] for s in found} == {"THPT Bình Lư"}
    assert len(found) == len(KIDS)
    assert [s["full_name"] for s in run.students("--school", "MUONG KIM")] == ["Lò Thị Nhàn"]


def test_students_are_sorted_the_vietnamese_way(run, tmp_path):
    run.json("import", plain_roster(tmp_path / "bl.xlsx", KIDS).path)

    assert [s["full_name"] for s in run.students()] == VIETNAMESE_ORDER
    table = run.ok("students", "--school", "binh lu").stdout
    positions = [table.index(name) for name in VIETNAMESE_ORDER]
    assert positions == sorted(positions)
    assert "7 học sinh" in table


def test_students_search_ignores_diacritics_and_finds_codes(run, tmp_path):
    run.json("import", plain_roster(tmp_path / "bl.xlsx", KIDS).path)

    assert [s["full_name"] for s in run.students("--search", "chau")] == [
        "Hà Minh Châu",
        "Lê Thị Châu",
    ]
    assert [s["full_name"] for s in run.students("--search", "1400000005")] == ["Đỗ Thị Dung"]
    assert [s["full_name"] for s in run.students("--search", "DUC")] == ["Phạm Văn Đức"]


def test_students_class_and_school_year_filters(run, tmp_path):
    two_schools(run, tmp_path)

    assert [s["full_name"] for s in run.students("--class", "12a3")] == ["Lò Thị Nhàn"]
    assert [s["full_name"] for s in run.students("--school-year", "2023-2024")] == ["Lò Thị Nhàn"]
    assert len(run.students("--school-year", "2024")) == len(KIDS)
    assert run.students("--school-year", "2022-2023") == []


def test_students_json_has_the_contract_fields(run, tmp_path):
    run.json("import", plain_roster(tmp_path / "bl.xlsx", KIDS[:1]).path)

    (student,) = run.students()

    assert {
        "student_code", "full_name", "school", "class_name", "date_of_birth", "gender",
        "ethnicity", "youth_union_member",
    } <= set(student)  # fmt: skip
    assert student["student_code"] == "1400000001"
    assert student["date_of_birth"] == "2007-05-05"
    assert student["youth_union_member"] is True


def test_an_ambiguous_school_name_lists_the_matches_and_exits_2(run, tmp_path):
    run.json("import", plain_roster(tmp_path / "a.xlsx", KIDS[:1]).path)
    run.json(
        "import", plain_roster(tmp_path / "b.xlsx", KIDS[1:2]).path, "--school", "THPT Bình Lục"
    )

    result = run("students", "--school", "binh")

    assert result.exit_code == 2
    assert "THPT Bình Lư" in result.stderr and "THPT Bình Lục" in result.stderr
    assert result.stdout == ""


def test_a_whole_word_school_match_beats_a_longer_name(run, tmp_path):
    run.json("import", plain_roster(tmp_path / "a.xlsx", KIDS[:1]).path)
    run.json(
        "import", plain_roster(tmp_path / "b.xlsx", KIDS[1:2]).path, "--school", "THPT Bình Lục"
    )

    result = run("students", "--school", "Bình Lư", "--json")

    assert result.exit_code == 0, result.output
    assert [s["school"] for s in json.loads(result.stdout)] == ["THPT Bình Lư"]


def test_an_unknown_school_name_exits_2_and_lists_the_known_ones(run, tmp_path):
    run.json("import", plain_roster(tmp_path / "a.xlsx", KIDS[:1]).path)

    result = run("students", "--school", "Nậm Nhùn")

    assert result.exit_code == 2
    assert "Nậm Nhùn" in result.stderr and "THPT Bình Lư" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["students", "--school", "Nậm Nhùn"],  # fails in the transaction
        ["history", "0000000000"],
        ["unit", "add", "Tỉnh Lai Châu", "--kind", "tinh"],  # succeeds, then a write
        ["schools"],  # no transaction, the sqlite3 module alone
    ],
)
def test_a_command_closes_the_database_whether_it_fails_or_not(run, tmp_path, monkeypatch, args):
    from dangvien_cli.db.engine import Database

    run.json("import", plain_roster(tmp_path / "a.xlsx", KIDS[:1]).path)
    closed: list[Database] = []
    close = Database.close
    monkeypatch.setattr(Database, "close", lambda db: (closed.append(db), close(db))[1])

    result = run(*args)

    assert result.exit_code == (0 if args[0] in ("unit", "schools") else 2), result.output
    assert len(closed) == 1


def test_schools_json(run, tmp_path):
    two_schools(run, tmp_path)

    schools = run.json("schools")

    assert [(s["name"], s["students"], s["latest_school_year"]) for s in schools] == [
        ("THPT Bình Lư", len(KIDS), "2024-2025"),
        ("THPT Mường Kim", 1, "2023-2024"),
    ]
    table = run.ok("schools").stdout
    assert "THPT Bình Lư" in table and "THPT Mường Kim" in table


def test_empty_database_lists_say_what_to_do(run):
    assert run.json("schools") == []
    assert run.students() == []
    assert "dangvien import" in run.ok("schools").stdout


# ----------------------------------------------------------------------------- template


def header_row(ws) -> int:
    for row in ws.iter_rows(min_row=1, max_row=30):
        if any(c.value == "Họ và tên" for c in row):
            return row[0].row
    raise AssertionError("no header row in the template")


def test_template_has_drop_downs_for_grades_and_a_guide_sheet(run, tmp_path):
    path = tmp_path / "mau.xlsx"

    run.ok("template", path)

    wb = load_workbook(path)
    ws = wb.worksheets[0]
    assert wb.sheetnames[1] == "Hướng dẫn"
    head = header_row(ws)
    columns = {c.value: get_column_letter(c.column) for c in ws[head] if c.value}
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    for name, word in (("Học lực", "Giỏi"), ("Hạnh kiểm", "Tốt")):
        letter = columns[name]
        covering = [dv for dv in lists if f"{letter}{head + 1}" in dv.sqref]
        assert covering, name
        assert word in covering[0].formula1
    guide = [r[0].value for r in wb["Hướng dẫn"].iter_rows(min_row=2) if r[0].value]
    for name in columns:
        assert name in guide  # every column is explained


def test_template_refuses_to_overwrite_and_needs_xlsx(run, tmp_path):
    path = tmp_path / "mau.xlsx"
    run.ok("template", path)

    again = run("template", path)
    assert again.exit_code == 2
    assert "--force" in again.stderr
    assert run("template", path, "--force").exit_code == 0
    assert run("template", tmp_path / "mau.xls").exit_code == 2


FILLED = [
    # code, name, birth, gender, ethnicity, religion, national id, class, HL, HK, ĐV, joined
    ["0123456789", "Lò Thị Thơ", "05/03/2007", "Nữ", "Thái", "Không", "012307004512", "12A1",
     "Giỏi", "Tốt", "x", "26/03/2022"],
    ["2503656229", "Nguyễn Văn Khang", "2007", "Nam", "Kinh", "Phật giáo", None, "12A1",
     "Trung bình", "Khá", None, None],
    ["2503656230", "Giàng A Sình", "31/12/2007", "Nam", "Mông", "Tin lành", "012207000001",
     "12A1", "Khá", "Tốt", "x", None],
]  # fmt: skip


def fill(path: Path, rows: list[list[object]]) -> None:
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    head = header_row(ws)
    names = [c.value for c in ws[head]]
    order = ["Mã học sinh", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Tôn giáo",
             "Số định danh cá nhân", "Lớp", "Học lực", "Hạnh kiểm", "Đoàn viên",
             "Ngày vào Đoàn"]  # fmt: skip
    for i, values in enumerate(rows, start=1):
        ws.cell(row=head + i, column=1, value=i)
        for name, value in zip(order, values, strict=True):
            if value is not None:
                ws.cell(row=head + i, column=names.index(name) + 1, value=value)
    wb.save(path)


@pytest.mark.parametrize("titled", [True, False], ids=["titles-in-template", "options-at-import"])
def test_template_filled_in_imports_back_without_loss(run, tmp_path, db_path, titled):
    path = tmp_path / "12A1.xlsx"
    where = ["--school", "THPT Bình Lư", "--school-year", "2024-2025", "--term", "hk1"]
    if titled:
        run.ok("template", path, *where, "--class", "12A1")
        fill(path, FILLED)
        report = run.json("import", path)
    else:
        run.ok("template", path)
        fill(path, FILLED)
        report = run.json("import", path, *where)

    assert report["totals"] == {"created": 3, "updated": 0, "unchanged": 0, "rejected": 0}
    assert report["files"][0]["sheets"][0]["unknown_columns"] == []
    got = [
        [s["student_code"], s["full_name"], s["date_of_birth"], s["gender"], s["ethnicity"],
         s["religion"], s["class_name"], s["youth_union_member"], s["school"], s["school_year"]]
        for s in run.students()
    ]  # fmt: skip
    assert sorted(got) == sorted([
        ["0123456789", "Lò Thị Thơ", "2007-03-05", "Nữ", "Thái", "Không", "12A1", True,
         "THPT Bình Lư", "2024-2025"],
        ["2503656229", "Nguyễn Văn Khang", "2007", "Nam", "Kinh", "Phật giáo", "12A1", False,
         "THPT Bình Lư", "2024-2025"],
        ["2503656230", "Giàng A Sình", "2007-12-31", "Nam", "Mông", "Tin lành", "12A1", True,
         "THPT Bình Lư", "2024-2025"],
    ])  # fmt: skip
    assert dict(query(db_path, "SELECT full_name, national_id FROM person")) == {
        "Lò Thị Thơ": "012307004512",
        "Nguyễn Văn Khang": None,
        "Giàng A Sình": "012207000001",
    }
    joined = query(
        db_path,
        "SELECT s.student_code, y.joined_on FROM youth_union y JOIN student s USING (person_id) "
        "ORDER BY 1",
    )
    assert joined == [("0123456789", "2022-03-26"), ("2503656229", None), ("2503656230", None)]
    assert results(db_path) == {
        "0123456789": [("2024-2025", "hk1", "gioi", "tt58", "tot", "tt58")],
        "2503656229": [("2024-2025", "hk1", "tb", "tt58", "kha", "tt58")],
        "2503656230": [("2024-2025", "hk1", "kha", "tt58", "tot", "tt58")],
    }
    # And importing it again changes nothing.
    assert run.json("import", path, *([] if titled else where))["totals"]["unchanged"] == 3


def test_the_console_script_runs_one_command_group_or_suggests_a_fix(db_path):
    # main() builds only the command asked for (start-up, issue 5); the rest must still work.
    import subprocess
    import sys

    def main(*args: str) -> subprocess.CompletedProcess[str]:
        code = "from dangvien_cli.cli import main; main()"
        return subprocess.run(
            [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
        )

    added = main(f"--db={db_path}", "unit", "add", "Tỉnh Lai Châu", "--kind", "tinh")
    assert added.returncode == 0, added.stderr
    listed = main("--db", str(db_path), "unit", "list", "--json")
    assert "Tỉnh Lai Châu" in listed.stdout
    typo = main("--db", str(db_path), "schoolz")
    assert typo.returncode == 2
    assert "schools" in typo.stderr
    everything = main("--help")
    assert "import" in everything.stdout and "report" in everything.stdout


def test_top_level_help_from_the_console_script_is_the_whole_apps():
    # main() lists stand-ins for `dangvien --help` (start-up, issue 5): the text must be the
    # same as the full app's, option by option and command by command.
    import subprocess
    import sys

    def output(code: str, *args: str) -> tuple[int, str, str]:
        done = subprocess.run(
            [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
        )
        return done.returncode, done.stdout, done.stderr

    lean = "import sys; from dangvien_cli.cli import main; sys.argv[0] = 'dangvien'; main()"
    whole = "import sys; from dangvien_cli.cli import app; sys.argv[0] = 'dangvien'; app()"
    for args in (["--help"], ["-h"], []):
        assert output(lean, *args) == output(whole, *args), args
    code, text, _ = output(lean, "--help")
    assert code == 0 and "merge" in text and "--verbose" in text


# ----------------------------------------------------------------------------- usage errors


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["students", "--xlsx", "a.txt"], "--xlsx cần tên tệp .xlsx (nhận được “a.txt”)."),
        (["students", "--csv", "a.xlsx"], "--csv cần tên tệp .csv (nhận được “a.xlsx”)."),
        (["eligible", "--xlsx", "ra.csv"], "--xlsx cần tên tệp .xlsx (nhận được “ra.csv”)."),
        (
            ["import", "x.xlsx", "--errors", "loi.csv"],
            "--errors cần tên tệp .xlsx (nhận được “loi.csv”).",
        ),
        (["template", "mau.xls"], "Tệp mẫu phải có đuôi .xlsx (nhận được “mau.xls”)."),
        (
            ["report", "--year", "2024", "--xlsx", "--out", "x.pdf"],
            "--out x.pdf: tệp XLSX cần đuôi .xlsx.",
        ),
        (
            ["template", "t.xlsx", "--term", "hk3"],
            "“hk3” không phải học kỳ. Học kỳ phải là hk1, hk2 hoặc cn.",
        ),
        (
            ["eligible", "--as-of", "32/01/2024"],
            "--as-of: “32/01/2024” không phải ngày hợp lệ: không có ngày 32.",
        ),
        (
            ["target", "set", "--school-year", "20-21", "--admitted", "1"],
            "“20-21” không phải năm học hợp lệ; hãy ghi dạng 2024-2025 (hoặc 2024 cho năm học "
            "2024-2025).",
        ),
    ],
)
def test_a_wrong_file_name_or_option_value_is_a_usage_error_with_its_message(run, args, message):
    # The suffix checks and the value errors each have one home (cli/common.py); the messages
    # are the ones every command gave before.
    result = run(*args)

    assert result.exit_code == 2
    assert result.stderr == f"Lỗi: {message}\n"
