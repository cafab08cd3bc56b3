"""`dangvien import` of a long roster: checked and written a chunk of rows at a time.

A real roster of 100,000 rows is 5 chunks; here the chunk is made a few rows long, so that a
handful of made-up students cross several chunk boundaries. Whatever the chunk size, the
database must end up the same, a repeated code must be judged against its first row wherever
that is, and a first import into an empty SQLite file (which builds two indexes after the
rows) must leave the schema exactly as it was.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from builders import Kid, plain_roster
from dangvien_cli.importing import table_parser, tables
from dangvien_cli.roster import sqlite_bulk as store
from dbcheck import query, snapshot

D = dt.date
GRADES = ["Giỏi", "Khá", "Trung bình"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Khánh", "Linh", "Minh", "Ngọc", "Phúc"]


def kids(n: int = 23) -> list[Kid]:
    """n made-up students, all different."""
    return [
        Kid(
            f"13{i:08d}",
            f"{FAMILY[i % len(FAMILY)]} Văn {GIVEN[i % len(GIVEN)]}",
            D(2007, 1 + i % 12, 1 + i % 28),
            "Nam" if i % 2 else "Nữ",
            "Kinh",
            f"12A{1 + i // 10}",
            i % 3 == 0,
            GRADES[i % 3],
            "Tốt",
        )
        for i in range(n)
    ]


def imported(run: Any, path: Path, *, db: Path | None = None, code: int = 0) -> dict[str, Any]:
    where = ("--db", db) if db is not None else ()
    return run.json(*where, "import", path, code=code)  # type: ignore[no-any-return]


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(tables, "CHUNK_ROWS", 4)
    return 4


def without_times(rows: dict[str, list[tuple[Any, ...]]]) -> dict[str, list[tuple[Any, ...]]]:
    """The tables with the timestamps of the run left out (created_at is the import's clock)."""
    shown = dict(rows)
    shown["person"] = [row[:9] + row[10:] for row in rows["person"]]  # created_at, 10th
    shown["student"] = [row[:8] for row in rows["student"]]  # created_at, updated_at
    shown["school"] = [row[:-1] for row in rows["school"]]
    return shown


def test_small_chunks_write_the_same_database_as_one_chunk(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    roster = plain_roster(tmp_path / "khoi12.xlsx", kids()).path
    one = imported(run, roster, db=tmp_path / "one.db")
    monkeypatch.setattr(tables, "CHUNK_ROWS", 3)
    many = imported(run, roster, db=tmp_path / "many.db")
    assert one["totals"] == many["totals"] == {
        "created": 23, "updated": 0, "unchanged": 0, "rejected": 0
    }  # fmt: skip
    assert many["files"][0]["sheets"][0]["classes"] == ["12A1", "12A2", "12A3"]
    assert without_times(snapshot(tmp_path / "one.db")) == without_times(
        snapshot(tmp_path / "many.db")
    )


def test_a_bulk_load_writes_the_same_database_as_row_by_row_inserts(
    run: Any, tmp_path: Path, small_chunks: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From BULK_ROWS rows a first import on SQLite copies each chunk from temporary tables on
    a thread and builds the indexes at the end: the rows must come out the same."""
    roster = plain_roster(tmp_path / "khoi12.xlsx", kids()).path
    plain = imported(run, roster, db=tmp_path / "plain.db")
    monkeypatch.setattr(store, "BULK_ROWS", 10)
    bulk = imported(run, roster, db=tmp_path / "bulk.db")
    assert plain["totals"] == bulk["totals"]
    assert without_times(snapshot(tmp_path / "plain.db")) == without_times(
        snapshot(tmp_path / "bulk.db")
    )
    assert index_sql(tmp_path / "plain.db") == index_sql(tmp_path / "bulk.db")


def test_reimport_and_next_term_across_chunks(run: Any, tmp_path: Path, small_chunks: int) -> None:
    first = plain_roster(tmp_path / "hk1.xlsx", kids()).path
    assert imported(run, first)["totals"]["created"] == 23
    again = imported(run, first)
    assert again["totals"] == {"created": 0, "updated": 0, "unchanged": 23, "rejected": 0}
    changed = [dataclasses.replace(k, academic="Giỏi") for k in kids()]
    hk2 = plain_roster(
        tmp_path / "hk2.xlsx",
        [*changed, Kid("1399999999", "Lý Thị Mới", D(2007, 6, 6), "Nữ", academic="Khá")],
        titles=("TRƯỜNG THPT BÌNH LƯ", "DANH SÁCH HỌC SINH - HỌC KỲ II - NĂM HỌC 2024-2025"),
    ).path
    totals = imported(run, hk2)["totals"]
    assert totals == {"created": 1, "updated": 23, "unchanged": 0, "rejected": 0}
    assert query(run_db(tmp_path), "SELECT count(*) FROM student") == [(24,)]
    hk2 = "SELECT academic, count(*) FROM term_result WHERE term = 'hk2' GROUP BY academic"
    assert query(run_db(tmp_path), hk2) == [("gioi", 23), ("kha", 1)]


def run_db(tmp_path: Path) -> Path:
    return tmp_path / "dangvien.db"


@pytest.mark.parametrize("chunk", [4, 1000], ids=["across chunks", "in one chunk"])
def test_a_code_given_twice_is_one_student_when_both_rows_agree(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(tables, "CHUNK_ROWS", chunk)
    students = kids(9)
    roster = plain_roster(tmp_path / "lap.xlsx", [*students, students[1]]).path
    out = imported(run, roster)
    assert out["totals"] == {"created": 9, "updated": 0, "unchanged": 1, "rejected": 0}
    assert query(run_db(tmp_path), "SELECT count(*) FROM student") == [(9,)]


@pytest.mark.parametrize("chunk", [4, 1000], ids=["across chunks", "in one chunk"])
def test_a_code_given_to_two_students_rejects_the_second_row_naming_the_first(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(tables, "CHUNK_ROWS", chunk)
    students = kids(9)
    other = dataclasses.replace(students[8], code=students[1].code)  # a copying mistake
    roster = plain_roster(tmp_path / "trung-ma.xlsx", [*students[:8], other]).path
    out = imported(run, roster, code=3)
    assert out["totals"] == {"created": 8, "updated": 0, "unchanged": 0, "rejected": 1}
    (error,) = out["files"][0]["errors"]
    # Titles on rows 1-2, a blank row, the header on row 4: the n-th student is on row 4 + n.
    assert (error["sheet"], error["row"], error["column"], error["value"]) == (
        "Danh sách",
        13,
        "Mã học sinh",
        students[1].code,
    )
    assert f"“{students[1].name}” ở trang “Danh sách” dòng 6" in error["reason"]
    stored = query(
        run_db(tmp_path),
        "SELECT p.full_name FROM student s JOIN person p ON p.id = s.person_id "
        "WHERE s.student_code = ?",
        students[1].code,
    )
    assert stored == [(students[1].name,)]


def index_sql(db: Path) -> list[tuple[str, str]]:
    return query(db, "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name")


def test_a_large_first_import_leaves_every_index_as_the_schema_has_it(
    run: Any, tmp_path: Path, small_chunks: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "BULK_ROWS", 10)  # what 2,000 rows would do
    run.ok("--db", tmp_path / "schema.db", "schools")
    expected = index_sql(tmp_path / "schema.db")
    assert {"ix_person_name_key", "ix_student_school_name"} <= {name for name, _ in expected}
    roster = plain_roster(tmp_path / "khoi12.xlsx", kids()).path
    assert imported(run, roster)["totals"]["created"] == 23
    assert index_sql(run_db(tmp_path)) == expected
    assert query(run_db(tmp_path), "PRAGMA integrity_check") == [("ok",)]
    assert query(run_db(tmp_path), "PRAGMA foreign_key_check") == []
    # The indexes are used again: a code-less student is found by name and birth.
    nameless = [dataclasses.replace(k, code=None) for k in kids()[:3]]
    codeless = plain_roster(tmp_path / "khong-ma.xlsx", nameless).path
    assert imported(run, codeless)["totals"]["created"] == 0
    assert query(run_db(tmp_path), "SELECT count(*) FROM student") == [(23,)]


def test_rows_read_by_other_parsing_code_are_compared_value_by_value(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stored digest says "this very row wrote the student, read by this very code": after an
    update of dangvien (here: another parser version) the rows are compared value by value once,
    found unchanged, and their digests rewritten."""
    roster = plain_roster(tmp_path / "hk1.xlsx", kids(5)).path
    imported(run, roster)
    sql = "SELECT student_code, roster_hash FROM student ORDER BY id"
    before = query(run_db(tmp_path), sql)
    monkeypatch.setattr(table_parser, "PARSER_VERSION", table_parser.PARSER_VERSION + 1)
    unchanged = {"created": 0, "updated": 0, "unchanged": 5, "rejected": 0}
    assert imported(run, roster)["totals"] == unchanged
    after = query(run_db(tmp_path), sql)
    assert [code for code, _ in after] == [code for code, _ in before]
    assert all(old != new for (_, old), (_, new) in zip(before, after, strict=True))
    assert imported(run, roster)["totals"] == unchanged
    assert query(run_db(tmp_path), sql) == after
