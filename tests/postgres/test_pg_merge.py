"""`dangvien merge` of a school's SQLite file into the province's PostgreSQL database (issue 5)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from builders import Kid, copy_db, plain_roster, run_on

D = dt.date
LAN = Kid("1610000001", "Nguyễn Thị Lan", D(2007, 3, 15), "Nữ", "Kinh", "12A1", True, "Khá", "Tốt")
HUNG = Kid(
    "1610000002", "Trần Văn Hùng", D(2007, 9, 20), "Nam", "Kinh", "12A1", True, "Giỏi", "Tốt"
)
NOCODE = Kid(None, "Lò Văn Sáng", D(2007, 6, 2), "Nam", "Thái", "12A2", True, "Khá", "Tốt")
VIEWS = [("students",), ("candidates",), ("target", "list"), ("history", LAN.code)]


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DANGVIEN_TODAY", "01/04/2025")


@pytest.fixture
def school(tmp_path: Path) -> Path:
    return run_on(
        tmp_path / "school.db",
        ["unit", "add", "Tỉnh Lai Châu", "--kind", "tinh"],
        ["unit", "add", "Đảng ủy xã Bình Lư", "--kind", "xa", "--parent", "Tỉnh Lai Châu"],
        ["school", "add", "THPT Bình Lư", "--unit", "Bình Lư"],
        ["import", plain_roster(tmp_path / "bl.xlsx", [LAN, HUNG, NOCODE]).path],
        ["record", LAN.code, "cam-tinh", "--date", "01/06/2024"],
        ["record", LAN.code, "lop-boi-duong", "--date", "20/07/2024", "--doc-number", "CN-1"],
        ["record", LAN.code, "lop-boi-duong", "--date", "21/07/2024", "--doc-number", "CN-1",
         "--replaces", "2"],
        ["record", LAN.code, "phan-cong-giup-do", "--date", "01/09/2024", "--mentor", "Trần Văn A"],
        ["target", "set", "--school", "THPT Bình Lư", "--school-year", "2024-2025", "--class", "5",
         "--admitted", "1"],
    )  # fmt: skip


def views(run: Any, *db: object) -> list[Any]:
    return [run.json(*db, *view) for view in VIEWS]


def test_merge_into_postgresql_reproduces_the_school_and_twice_changes_nothing(
    run, school, pg_url, pg_sql
):
    first = run.json("merge", school)

    assert first["conflicts"] == []
    assert first["added"]["student"] == 3
    assert first["added"]["milestone"] == 4
    assert views(run) == views(run, "--db", school)
    replaced = pg_sql(
        "SELECT r.doc_number, r.on_date FROM milestone m JOIN milestone r ON r.id = m.replaces_id"
    )
    assert replaced == [("CN-1", D(2024, 7, 20))]

    counts = pg_sql("SELECT (SELECT count(*) FROM student), (SELECT count(*) FROM milestone)")
    again = run.json("merge", school)
    assert set(again["added"].values()) == {0}
    assert again["unchanged"]["student"] == 3
    assert pg_sql("SELECT (SELECT count(*) FROM student), (SELECT count(*) FROM milestone)") == (
        counts
    )


def test_a_newer_copy_adds_only_what_is_new_on_postgresql(run, school, pg_url, pg_sql, tmp_path):
    run.json("merge", school)
    newer = copy_db(school, tmp_path / "newer.db")
    run_on(newer, ["record", HUNG.code, "cam-tinh", "--date", "05/10/2024"])
    with sqlite3.connect(newer) as conn:  # the school's own file is untouched by the merge
        assert conn.execute("SELECT count(*) FROM milestone").fetchone() == (5,)

    data = run.json("merge", newer)

    assert data["added"]["milestone"] == 1
    assert data["added"]["student"] == 0
    assert data["unchanged"]["milestone"] == 4
    assert pg_sql("SELECT count(*) FROM milestone") == [(5,)]
    assert views(run) == views(run, "--db", newer)
