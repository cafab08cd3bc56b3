"""`dangvien merge`: a school's database file brought into the province's (issue 5)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from builders import Kid, copy_db, plain_roster, run_on
from dbcheck import query, snapshot

D = dt.date
TODAY = "01/04/2025"
PT_TITLES = ("TRƯỜNG THPT PHONG THỔ", "DANH SÁCH HỌC SINH - HỌC KỲ I - NĂM HỌC 2024-2025")

LAN = Kid("1610000001", "Nguyễn Thị Lan", D(2007, 3, 15), "Nữ", "Kinh", "12A1", True, "Khá", "Tốt")
HUNG = Kid(
    "1610000002", "Trần Văn Hùng", D(2007, 9, 20), "Nam", "Kinh", "12A1", True, "Giỏi", "Tốt"
)
NOCODE = Kid(None, "Lò Văn Sáng", D(2007, 6, 2), "Nam", "Thái", "12A2", True, "Khá", "Tốt")
MAI_PT = Kid("1620000001", "Phạm Thị Mai", D(2007, 5, 9), "Nữ", "Thái", "12A3", True, "Khá", "Tốt")


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DANGVIEN_TODAY", TODAY)


@pytest.fixture(scope="module")
def school_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A school's own file: a roster, a unit and a target, and a few milestones (one replaced)."""
    d = tmp_path_factory.mktemp("merge")
    return run_on(
        d / "school.db",
        ["unit", "add", "Tỉnh Lai Châu", "--kind", "tinh"],
        ["unit", "add", "Đảng ủy xã Bình Lư", "--kind", "xa", "--parent", "Tỉnh Lai Châu"],
        ["school", "add", "THPT Bình Lư", "--unit", "Bình Lư"],
        ["import", plain_roster(d / "bl.xlsx", [LAN, HUNG, NOCODE]).path],
        ["record", LAN.code, "cam-tinh", "--date", "01/06/2024"],
        ["record", LAN.code, "lop-boi-duong", "--date", "20/07/2024", "--doc-number", "CN-1"],
        ["record", LAN.code, "lop-boi-duong", "--date", "21/07/2024", "--doc-number", "CN-1",
         "--replaces", "2"],
        ["record", LAN.code, "phan-cong-giup-do", "--date", "01/09/2024", "--mentor", "Trần Văn A"],
        ["record", "Lò Văn Sáng", "cam-tinh", "--date", "02/09/2024"],
        ["target", "set", "--school", "THPT Bình Lư", "--school-year", "2024-2025", "--class", "5",
         "--admitted", "1"],
        ["target", "set", "--unit", "Lai Châu", "--year", "2025", "--class", "50"],
    )  # fmt: skip


@pytest.fixture
def school(school_file: Path, tmp_path: Path) -> Path:
    """A fresh copy of the school's file for this test (merging must never change it)."""
    return copy_db(school_file, tmp_path / "school.db")


def merge(run: Any, source: Path, *args: object, db: Path | None = None) -> dict[str, Any]:
    before = ["--db", db] if db is not None else []
    data = run.json(*before, "merge", source, *args)
    assert isinstance(data, dict)
    return data


def on(run: Any, db: Path, *args: object) -> Any:
    return run.json("--db", db, *args)


def without_ids(history: dict[str, Any]) -> dict[str, Any]:
    lines = [{k: v for k, v in line.items() if k != "milestone_id"} for line in history["history"]]
    return {**history, "history": lines}


VIEWS = [
    ("students",),
    ("candidates",),
    ("target", "list"),
    ("history", LAN.code),
    ("history", "Lò Văn Sáng"),
]


def test_merge_into_empty_database_reproduces_the_school(run, school, db_path):
    data = merge(run, school)

    assert data["source"] == str(school)
    assert data["conflicts"] == []
    assert data["added"]["student"] == 3
    assert data["added"]["milestone"] == 5
    assert data["added"]["target"] == 2
    assert data["added"]["unit"] == 2
    for view in VIEWS:
        assert on(run, db_path, *view) == on(run, school, *view), view
    # The replacement link survives, pointing at the merged copy of the replaced step.
    rows = query(db_path, "SELECT id, replaces_id FROM milestone WHERE replaces_id IS NOT NULL")
    assert len(rows) == 1
    replaced = query(db_path, "SELECT doc_number, on_date FROM milestone WHERE id = ?", rows[0][1])
    assert replaced == [("CN-1", "2024-07-20")]
    # Units keep their parent link; the school stays under its unit.
    tree = query(
        db_path,
        "SELECT s.name, u.name, p.name FROM school s JOIN unit u ON u.id = s.unit_id "
        "JOIN unit p ON p.id = u.parent_id",
    )
    assert tree == [("THPT Bình Lư", "Đảng ủy xã Bình Lư", "Tỉnh Lai Châu")]


def test_merging_twice_changes_nothing(run, school, db_path):
    merge(run, school)
    before = snapshot(db_path)
    audit = query(db_path, "SELECT COUNT(*) FROM audit_log")

    data = merge(run, school)

    assert set(data["added"].values()) == {0}
    assert data["unchanged"]["student"] == 3
    assert data["unchanged"]["milestone"] == 5
    assert data["conflicts"] == []
    assert snapshot(db_path) == before
    assert query(db_path, "SELECT COUNT(*) FROM audit_log") == audit


def test_the_school_file_is_not_changed(run, school):
    before = snapshot(school)
    merge(run, school)
    assert snapshot(school) == before


def test_newer_copy_adds_only_what_is_new(run, school, db_path, tmp_path):
    merge(run, school)
    # Later, at the school: one more step, and Hùng moved to 12A3 by a new roster.
    moved = Kid(HUNG.code, HUNG.name, HUNG.born, "Nam", "Kinh", "12A3", True, "Giỏi", "Tốt")
    run_on(
        school,
        ["record", LAN.code, "don-xin-vao-dang", "--date", "01/10/2024"],
        ["import", plain_roster(tmp_path / "bl2.xlsx", [LAN, moved, NOCODE]).path],
    )

    data = merge(run, school)

    added = {k: v for k, v in data["added"].items() if v}
    assert added.pop("milestone") == 1
    assert added.pop("import_batch") == 1
    assert set(added) <= {"audit_log"}
    assert data["conflicts"] == [
        {
            "table": "enrollment",
            "key": f"{HUNG.code} 2024-2025",
            "field": "class_name",
            "ours": "12A1",
            "theirs": "12A3",
            "kept": "theirs",
        }
    ]
    assert run.by_code()[HUNG.code]["class_name"] == "12A3"
    assert query(db_path, "SELECT roster_hash FROM student WHERE student_code = ?", HUNG.code) == [
        (None,)
    ]
    history = on(run, db_path, "history", HUNG.code)["history"]
    assert any("12A1" in line["text"] and "12A3" in line["text"] for line in history)
    assert on(run, db_path, "history", LAN.code) == on(run, school, "history", LAN.code)
    # And once more: nothing new.
    again = merge(run, school)
    assert set(again["added"].values()) == {0}


def test_older_value_from_the_file_loses_to_a_newer_import_here(run, school, db_path, tmp_path):
    merge(run, school)
    moved = Kid(HUNG.code, HUNG.name, HUNG.born, "Nam", "Kinh", "12A2", True, "Giỏi", "Tốt")
    run.ok("import", plain_roster(tmp_path / "here.xlsx", [moved]).path)

    data = merge(run, school)

    assert [(c["field"], c["ours"], c["theirs"], c["kept"]) for c in data["conflicts"]] == [
        ("class_name", "12A2", "12A1", "ours")
    ]
    assert run.by_code()[HUNG.code]["class_name"] == "12A2"
    audit = query(db_path, "SELECT COUNT(*) FROM audit_log")
    merge(run, school)
    assert query(db_path, "SELECT COUNT(*) FROM audit_log") == audit


def test_both_sides_milestones_survive(run, school, db_path):
    merge(run, school)
    run.ok("record", HUNG.code, "cam-tinh", "--date", "03/03/2025")
    run_on(school, ["record", HUNG.code, "cam-tinh", "--date", "05/03/2025", "--note", "trường"])

    data = merge(run, school)

    assert data["added"]["milestone"] == 1
    steps = query(
        db_path,
        "SELECT m.step, m.on_date, m.note FROM milestone m JOIN student s "
        "ON s.person_id = m.person_id WHERE s.student_code = ? ORDER BY m.on_date",
        HUNG.code,
    )
    assert steps == [("cam-tinh", "2025-03-03", None), ("cam-tinh", "2025-03-05", "trường")]


def test_student_known_here_by_code_at_another_school(run, school, db_path, tmp_path):
    # The province knew Hùng at Phong Thổ, from an older roster; the school's file is newer.
    at_pt = Kid(HUNG.code, HUNG.name, HUNG.born, "Nam", "Kinh", "11A1", True, "Giỏi", "Tốt")
    run.ok("import", plain_roster(tmp_path / "pt.xlsx", [at_pt, MAI_PT], titles=PT_TITLES).path)
    later = Kid(HUNG.code, HUNG.name, HUNG.born, "Nam", "Kinh", "12A2", True, "Giỏi", "Tốt")
    run_on(school, ["import", plain_roster(tmp_path / "bl3.xlsx", [LAN, later, NOCODE]).path])

    data = merge(run, school)

    assert data["added"]["student"] == 2  # Lan and Sáng; Hùng is matched by his code
    assert [c for c in data["conflicts"] if c["field"] == "school"] == [
        {
            "table": "student",
            "key": HUNG.code,
            "field": "school",
            "ours": "THPT Phong Thổ",
            "theirs": "THPT Bình Lư",
            "kept": "theirs",
        }
    ]
    students = run.by_code()
    assert students[HUNG.code]["school"] == "THPT Bình Lư"
    assert students[MAI_PT.code]["school"] == "THPT Phong Thổ"
    assert len(query(db_path, "SELECT id FROM student WHERE student_code = ?", HUNG.code)) == 1


def test_two_schools_into_one_province(run, school, db_path, tmp_path):
    other = run_on(
        tmp_path / "pt.db",
        ["import", plain_roster(tmp_path / "pt.xlsx", [MAI_PT], titles=PT_TITLES).path],
        ["record", MAI_PT.code, "cam-tinh", "--date", "01/02/2025"],
    )
    merge(run, school)
    data = merge(run, other)

    assert data["added"]["student"] == 1
    assert data["unchanged"]["school_year"] == 1
    schools = {s["name"]: s for s in on(run, db_path, "schools")}
    assert set(schools) == {"THPT Bình Lư", "THPT Phong Thổ"}
    assert len(run.students()) == 4
    # Milestone numbers are the province's own; everything else reads the same.
    assert without_ids(on(run, db_path, "history", MAI_PT.code)) == without_ids(
        on(run, other, "history", MAI_PT.code)
    )


def test_dry_run_writes_nothing(run, school, db_path):
    run.ok("schools")  # creates the empty database
    before = snapshot(db_path)
    audit = query(db_path, "SELECT COUNT(*) FROM audit_log")

    data = merge(run, school, "--dry-run")

    assert data["added"]["student"] == 3
    assert snapshot(db_path) == before
    assert query(db_path, "SELECT COUNT(*) FROM audit_log") == audit
    result = run.ok("merge", school, "--dry-run")
    assert "--dry-run" in result.stdout


def test_a_foreign_sqlite_file_is_refused(run, tmp_path, db_path):
    foreign = tmp_path / "other.db"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE hoc_sinh (ten TEXT)")
    con.commit()
    con.close()

    result = run("merge", foreign)

    assert result.exit_code == 1, result.output
    assert "không phải cơ sở dữ liệu của dangvien" in result.stderr


def test_a_file_that_is_not_sqlite_is_refused(run, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"PK\x03\x04 not a database at all" * 100)
    result = run("merge", junk)
    assert result.exit_code == 1, result.output
    assert "Lỗi" in result.stderr


def test_a_newer_schema_is_refused(run, school):
    con = sqlite3.connect(school)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    result = run("merge", school)
    assert result.exit_code == 1, result.output
    assert "mới hơn" in result.stderr


def test_missing_argument_is_a_usage_error(run):
    assert run("merge").exit_code == 2


def test_help_and_readme_show_an_example(run):
    result = run.ok("merge", "--help")
    assert "Ví dụ:" in result.stdout
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert "### `dangvien merge SCHOOL.db`" in readme
