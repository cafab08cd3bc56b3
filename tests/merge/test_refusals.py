"""`dangvien merge` of a hostile school file (issue 11): every file below is a real school file
made by the CLI, then tampered with sqlite3 as someone outside dangvien could. Each is refused
whole (exit 1, the list of what is wrong, never a value of the file) before anything is written:
the province's file stays byte for byte the same."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest

from builders import Kid, copy_db, plain_roster, run_on
from dbcheck import query

D = dt.date
LAN = Kid("1610000001", "Nguyễn Thị Lan", D(2007, 3, 15), "Nữ", "Kinh", "12A1", True, "Khá", "Tốt")
HUNG = Kid(
    "1610000002", "Trần Văn Hùng", D(2007, 9, 20), "Nam", "Kinh", "12A1", True, "Giỏi", "Tốt"
)
PERSONAL = (LAN.name, HUNG.name, LAN.code, HUNG.code, "2007-03-15", "2007-09-20")
TABLES = ("unit", "school", "school_year", "import_batch", "person", "student", "enrollment",
          "term_result", "youth_union", "milestone", "target", "audit_log", "setting")  # fmt: skip


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DANGVIEN_TODAY", "01/04/2025")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the school's file, the province's file): the school has a unit chain, a roster, steps
    and a target; the province has the same units and one school of its own."""
    d = tmp_path_factory.mktemp("hostile")
    school = run_on(
        d / "school.db",
        ["unit", "add", "Tỉnh Lai Châu", "--kind", "tinh"],
        ["unit", "add", "Đảng ủy xã Bình Lư", "--kind", "xa", "--parent", "Tỉnh Lai Châu"],
        ["school", "add", "THPT Bình Lư", "--unit", "Bình Lư"],
        ["import", plain_roster(d / "bl.xlsx", [LAN, HUNG]).path],
        ["record", LAN.code, "cam-tinh", "--date", "01/06/2024"],
        ["record", LAN.code, "lop-boi-duong", "--date", "20/07/2024", "--note", "khóa 1"],
        ["target", "set", "--unit", "Lai Châu", "--year", "2025", "--class", "50"],
    )
    province = run_on(
        d / "province.db",
        ["unit", "add", "Tỉnh Lai Châu", "--kind", "tinh"],
        ["unit", "add", "Đảng ủy xã Bình Lư", "--kind", "xa", "--parent", "Tỉnh Lai Châu"],
        ["school", "add", "THPT Phong Thổ", "--unit", "Lai Châu"],
    )
    return school, province


@pytest.fixture
def school(built: tuple[Path, Path], tmp_path: Path) -> Path:
    return copy_db(built[0], tmp_path / "school.db")


@pytest.fixture
def province(built: tuple[Path, Path], tmp_path: Path) -> Path:
    return copy_db(built[1], tmp_path / "province.db")


def tamper(db: Path, *statements: str, params: tuple[Any, ...] = ()) -> None:
    con = sqlite3.connect(db)
    try:
        for statement in statements:
            con.execute(statement, params if "?" in statement else ())
        con.commit()
    finally:
        con.close()


def state(db: Path) -> tuple[bytes, dict[str, list[tuple[Any, ...]]]]:
    """The file's bytes (with its WAL, if any) and every row of every table."""
    data = b"".join(p.read_bytes() for p in (db, db.with_name(db.name + "-wal")) if p.exists())
    return data, {t: query(db, f"SELECT * FROM {t} ORDER BY 1") for t in TABLES}


def refused(run: Any, province: Path, school: Path) -> list[dict[str, Any]]:
    """Merge, insist it is refused with nothing written, and give the refusal's list."""
    before = state(province)
    result = run("--db", province, "merge", school, "--json")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"refused"}
    for line in data["refused"]:
        assert set(line) == {"table", "row", "column", "reason"}
    assert state(province) == before
    text = run("--db", province, "merge", school)  # the message on the terminal
    assert text.exit_code == 1
    assert "không ghi gì" in text.stderr
    for value in PERSONAL:
        assert value not in result.output + text.output
    assert "\x1b" not in result.output + text.output
    assert state(province) == before
    lines = data["refused"]
    assert isinstance(lines, list) and lines
    return lines


def where(lines: list[dict[str, Any]]) -> set[tuple[Any, Any, Any]]:
    return {(x["table"], x["row"], x["column"]) for x in lines}


def test_text_in_an_integer_column(run, school, province):
    tamper(school, "UPDATE school_year SET start_year = 'abc'")
    lines = refused(run, province, school)
    assert lines[0] == {
        "table": "school_year",
        "row": 1,
        "column": "start_year",
        "reason": "là chữ, cột này phải là số nguyên",
    }
    # The rows that point at the year are not called orphans: the year is there, only wrong.
    assert len(lines) == 1


def test_a_year_out_of_range_and_a_float(run, school, province):
    tamper(
        school, "UPDATE school_year SET start_year = 20245", "UPDATE enrollment SET grade = 12.5"
    )
    assert where(refused(run, province, school)) == {
        ("school_year", 1, "start_year"),
        ("enrollment", 1, "grade"),
        ("enrollment", 2, "grade"),
    }


def test_orphan_rows(run, school, province):
    tamper(
        school,
        "UPDATE enrollment SET student_id = 999 WHERE id = 2",
        "UPDATE milestone SET person_id = 77 WHERE id = 1",
    )
    lines = refused(run, province, school)
    assert where(lines) >= {("enrollment", 2, "student_id"), ("milestone", 1, "person_id")}
    assert any("999" in x["reason"] and "student" in x["reason"] for x in lines)


def test_bad_dates(run, school, province):
    tamper(
        school,
        "UPDATE milestone SET on_date = '2024-02-30' WHERE id = 1",
        "UPDATE person SET date_of_birth = '15/03/2007' WHERE id = 1",
        "UPDATE unit SET created_at = 'hôm qua' WHERE id = 2",
        "UPDATE target SET period_end = '9999-12-31'",
    )
    lines = refused(run, province, school)
    reasons = {(x["table"], x["column"]): x["reason"] for x in lines}
    assert reasons[("milestone", "on_date")] == "không phải ngày có thật"
    assert reasons[("person", "date_of_birth")] == "không phải ngày theo định dạng dangvien lưu"
    assert reasons[("unit", "created_at")] == "không phải thời điểm theo định dạng dangvien lưu"
    assert "9999" in reasons[("target", "period_end")]


def test_bad_json(run, school, province):
    tamper(
        school,
        "UPDATE audit_log SET changes = '{\"parent\": ' WHERE id = 1",
        "UPDATE student SET extra = '[1, 2]' WHERE id = 1",
        "UPDATE audit_log SET changes = ? WHERE id = 2",
        params=("[" * 100_000 + "]" * 100_000,),
    )
    lines = refused(run, province, school)
    assert where(lines) == {("audit_log", 1, "changes"), ("audit_log", 2, "changes"),
                            ("student", 1, "extra")}  # fmt: skip


def test_a_unit_chain_3000_deep(run, school, province):
    con = sqlite3.connect(school)
    con.executemany(
        "INSERT INTO unit (id, name, name_key, kind, parent_id, created_at) "
        "VALUES (?, ?, ?, 'khac', ?, '2024-01-01 00:00:00')",
        [(100 + i, f"Chi bộ {i}", f"chi bo {i}", 99 + i if i else 2) for i in range(3000)],
    )
    con.commit()
    con.close()
    started = time.perf_counter()
    lines = refused(run, province, school)
    assert time.perf_counter() - started < 30
    assert lines == [
        {
            "table": "unit",
            "row": 118,  # 2 units above the chain, then 18 of it: the 21st level
            "column": "parent_id",
            "reason": "chuỗi đơn vị cấp trên sâu quá 20 tầng",
        }
    ]


def test_a_cycle_in_the_schools_own_unit_tree(run, school, province):
    tamper(school, "UPDATE unit SET parent_id = 2 WHERE id = 1")
    assert refused(run, province, school) == [
        {
            "table": "unit",
            "row": 1,
            "column": "parent_id",
            "reason": "cây đơn vị thành vòng (các id 1, 2)",
        }
    ]


def test_a_recursive_view_in_place_of_a_table_is_refused_without_reading_it(run, school, province):
    tamper(
        school,
        "DROP TABLE target",
        "CREATE VIEW target AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
        "SELECT i AS id, randomblob(1000000) AS period_label FROM n",
    )
    started = time.perf_counter()
    lines = refused(run, province, school)
    assert time.perf_counter() - started < 10
    assert lines == [
        {
            "table": "target",
            "row": None,
            "column": None,
            "reason": "là một view (bảng ảo), không phải bảng dữ liệu",
        }
    ]


def test_a_trigger_an_unknown_table_and_an_unknown_column(run, school, province):
    tamper(
        school,
        "CREATE TRIGGER t_person AFTER UPDATE ON person BEGIN DELETE FROM milestone; END",
        "CREATE TABLE hoc_sinh_an (ten TEXT)",
        'CREATE TABLE "x' + "\x1b" + '[2J" (ten TEXT)',  # its name shown, not run by a terminal
    )
    assert where(refused(run, province, school)) == {
        ("person", None, None),
        ("hoc_sinh_an", None, None),
        ("x\\u001b[2J", None, None),
    }
    tamper(
        school,
        "DROP TRIGGER t_person",
        "DROP TABLE hoc_sinh_an",
        'DROP TABLE "x' + "\x1b" + '[2J"',
        "ALTER TABLE student ADD COLUMN ghi_chu_an TEXT",
    )
    assert where(refused(run, province, school)) == {("student", None, "ghi_chu_an")}


def test_a_10_mb_name_is_refused_by_its_length_alone(run, school, province):
    tamper(school, "UPDATE person SET full_name = ? WHERE id = 1", params=("Lan" * 3_495_254,))
    lines = refused(run, province, school)
    assert lines == [
        {
            "table": "person",
            "row": 1,
            "column": "full_name",
            "reason": "Họ và tên dài 10.485.762 ký tự, quá giới hạn 100",
        }
    ]


def test_a_value_too_long_to_read_is_refused_without_loading_it(run, school, province):
    tamper(school, "UPDATE milestone SET note = ? WHERE id = 2", params=("x" * 20_000_000,))
    assert refused(run, province, school) == [
        {
            "table": "milestone",
            "row": 2,
            "column": "note",
            "reason": "giá trị dài hơn 16.777.216 byte",
        }
    ]


def test_escape_sequences_in_names_and_notes(run, school, province):
    tamper(
        school,
        "UPDATE person SET full_name = full_name || char(27) || '[2J' WHERE id = 2",
        "UPDATE unit SET name = name || char(155) || '31m' WHERE id = 1",
        "UPDATE milestone SET note = char(27) || ']0;tieu de' || char(7) WHERE id = 2",
    )
    lines = refused(run, province, school)
    reasons = {(x["table"], x["row"], x["column"]): x["reason"] for x in lines}
    assert reasons == {
        ("person", 2, "full_name"): "họ và tên có ký tự điều khiển (U+001B), có thể là chuỗi "
        "thoát terminal",
        ("unit", 1, "name"): "có ký tự điều khiển (U+009B), có thể là chuỗi thoát terminal",
        ("milestone", 2, "note"): "có ký tự điều khiển (U+001B), có thể là chuỗi thoát terminal",
    }


def test_a_name_with_digits_and_a_name_key_that_does_not_match(run, school, province):
    tamper(
        school,
        "UPDATE person SET full_name = 'Nguyễn Thị Lan 2' WHERE id = 1",
        "UPDATE person SET name_key = 'nguyen thi lan' WHERE id = 2",
    )
    lines = refused(run, province, school)
    reasons = {(x["table"], x["row"], x["column"]): x["reason"] for x in lines}
    assert reasons[("person", 1, "full_name")] == "Họ và tên có chữ số (“2”)"
    assert reasons[("person", 2, "name_key")] == "không khớp với cột full_name"


def test_duplicate_student_codes(run, school, province):
    # The file's own UNIQUE constraint removed, as someone outside dangvien could.
    columns = "id, person_id, school_id, student_code, name_key, extra, roster_hash, " \
        "created_batch_id, created_at, updated_at"  # fmt: skip
    tamper(
        school,
        "CREATE TABLE s2 AS SELECT * FROM student",
        "DROP TABLE student",
        "CREATE TABLE student (id INTEGER NOT NULL PRIMARY KEY, person_id INTEGER NOT NULL, "
        "school_id INTEGER NOT NULL, student_code VARCHAR, name_key VARCHAR NOT NULL, extra JSON, "
        "roster_hash VARCHAR, created_batch_id INTEGER, created_at DATETIME NOT NULL, "
        "updated_at DATETIME)",
        f"INSERT INTO student ({columns}) SELECT {columns} FROM s2",
        "DROP TABLE s2",
        "UPDATE student SET student_code = (SELECT student_code FROM student WHERE id = 1) "
        "WHERE id = 2",
    )
    assert refused(run, province, school) == [
        {"table": "student", "row": 2, "column": "student_code", "reason": "trùng với dòng id 1"}
    ]


def test_the_list_on_the_terminal_is_cut_and_the_json_is_whole(run, school, province):
    tamper(
        school,
        "INSERT INTO audit_log (id, at, action, entity, changes) "
        "SELECT 1000 + value, '2024-01-01 00:00:00', 'x', 'y', 'không phải json' "
        "FROM generate_series(1, 120)"
        if sqlite3.sqlite_version_info >= (3, 45)
        else "WITH RECURSIVE n(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM n "
        "WHERE value < 120) INSERT INTO audit_log (id, at, action, entity, changes) "
        "SELECT 1000 + value, '2024-01-01 00:00:00', 'x', 'y', 'không phải json' FROM n",
    )
    assert len(refused(run, province, school)) == 120
    result = run("--db", province, "merge", school)
    assert result.stderr.count("cột changes") == 50
    assert "và 70 lỗi khác (xem đủ với --json)" in result.stderr
    assert "tệp có 120 chỗ sai" in result.stderr


def test_a_forged_audit_row_is_kept_as_the_schools(run, school, province):
    tamper(
        school,
        "INSERT INTO audit_log (at, os_user, command, action, entity, changes) VALUES "
        "('2025-01-02 08:00:00', 'tinh-uy', 'dangvien --db tinh.db config set age.min 16', "
        "'config', 'setting', '{\"age.min\": [\"18\", \"16\"]}')",
    )
    run.ok("--db", province, "merge", school)
    copied = query(province, "SELECT os_user, command FROM audit_log WHERE os_user = 'tinh-uy'")
    assert copied == [
        ("tinh-uy", "dangvien --db tinh.db config set age.min 16 — từ tệp school.db (hợp nhất)")
    ]
    # Every entry from the file carries the mark; the province's own entries do not.
    theirs = query(school, "SELECT COUNT(*) FROM audit_log")[0][0]
    marked = query(province, "SELECT COUNT(*) FROM audit_log WHERE command LIKE '%(hợp nhất)'")
    assert marked == [(theirs,)]
    # The setting itself is the province's: a school's file never changes it.
    assert on_json(run, province, "config", "show")["age.min"] == "18"
    # Merged again (the file renamed): nothing copied twice.
    again = copy_db(school, school.with_name("school-copy.db"))
    count = query(province, "SELECT COUNT(*) FROM audit_log")
    run.ok("--db", province, "merge", again)
    assert query(province, "SELECT COUNT(*) FROM audit_log") == count


def on_json(run: Any, db: Path, *args: object) -> Any:
    return run.json("--db", db, *args)


def test_the_merge_writes_its_own_audit_entry(run, school, province):
    import hashlib

    run.ok("--db", province, "merge", school)
    own = query(
        province,
        "SELECT os_user, command, changes FROM audit_log "
        "WHERE action = 'merge' AND entity = 'file'",
    )
    assert len(own) == 1
    user, command, changes = own[0]
    assert user and command.startswith("dangvien")
    assert "(hợp nhất)" not in command
    data = json.loads(changes)
    assert data["file"] == "school.db"
    assert data["sha256"] == hashlib.sha256(school.read_bytes()).hexdigest()
    assert data["added"]["student"] == 2
    assert data["added"]["milestone"] == 2
    assert "unit" not in data["added"]  # both units were already here
    # A merge that changes nothing writes nothing, not even its entry (merging twice is a
    # no-op); a dry run writes nothing either.
    count = query(province, "SELECT COUNT(*) FROM audit_log")
    run.ok("--db", province, "merge", school)
    run.ok("--db", province, "merge", school, "--dry-run")
    assert query(province, "SELECT COUNT(*) FROM audit_log") == count
    lines = on_json(run, province, "audit")
    assert lines[-1]["action"] == "merge" and "sha256" in lines[-1]["changes"]


def test_a_damaged_file_is_named_by_the_kind_of_error_only(run, school, province):
    con = sqlite3.connect(school)
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'person'").fetchone()[0]
    size = con.execute("PRAGMA page_size").fetchone()[0]
    con.close()
    with school.open("r+b") as f:  # the person table's page overwritten, its header kept
        f.seek((root - 1) * size + 8)
        f.write(b"\xff" * (size - 8))
    before = state(province)
    result = run("--db", province, "merge", school)
    assert result.exit_code == 1, result.output
    assert "(SQLITE_CORRUPT); không ghi gì" in result.stderr
    for value in PERSONAL:
        assert value not in result.output
    assert state(province) == before


def test_a_time_recorded_in_the_future_is_refused(run, school, province):
    # A forged time would make every value of the file "newer" than the province's.
    tamper(school, "UPDATE audit_log SET at = '2199-01-01 00:00:00.000000' WHERE id = 4")
    assert refused(run, province, school) == [
        {
            "table": "audit_log",
            "row": 4,
            "column": "at",
            "reason": "thời điểm ở sau hôm nay (đồng hồ máy của trường sai, hoặc tệp đã bị sửa)",
        }
    ]


def test_a_refused_file_does_not_even_create_the_database(run, school, tmp_path):
    tamper(school, "UPDATE school_year SET start_year = 'abc'")
    fresh = tmp_path / "tinh-moi.db"
    result = run("--db", fresh, "merge", school)
    assert result.exit_code == 1, result.output
    assert not fresh.exists()
