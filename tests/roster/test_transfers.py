"""A student code already held by a student of another school: the same person (same folded name,
same birth) is a transfer — moved, kept in history, named in the summary; anyone else is a
conflict refused for that row (exit 3), never a silent rename. The bulk loader and the row-by-row
writer give the same outcome."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from builders import Kid, big_roster, plain_roster
from dangvien_cli.roster import sqlite_bulk
from dangvien_cli.roster.identity import Who, same_person
from dbcheck import query, snapshot

D = dt.date
BL = "THPT Bình Lư"
PT = "THPT Phong Thổ"
PT_TITLES = ("TRƯỜNG THPT PHONG THỔ", "DANH SÁCH HỌC SINH - HỌC KỲ I - NĂM HỌC 2024-2025")

LAN = Kid("2010000001", "Nguyễn Thị Lan", D(2007, 3, 15), "Nữ", "Kinh", "12A1", True, "Khá", "Tốt")
HUNG = Kid(
    "2010000002", "Trần Văn Hùng", D(2007, 9, 20), "Nam", "Kinh", "12A1", True, "Giỏi", "Tốt"
)
SEN = Kid("2010000003", "Lò Thị Sen", D(2006, 11, 2), "Nữ", "Thái", "12A2", True, "Khá", "Tốt")
NEW = Kid("2020000001", "Vàng A Dế", D(2007, 1, 30), "Nam", "Mông", "12A3", True, "Khá", "Tốt")


def where(db: Path) -> dict[str, tuple[str, str]]:
    """student code → (school, full name), as stored."""
    rows = query(
        db,
        "SELECT s.student_code, sc.name, p.full_name FROM student s "
        "JOIN school sc ON sc.id = s.school_id JOIN person p ON p.id = s.person_id",
    )
    return {code: (school, name) for code, school, name in rows}


def import_json(run: Any, path: Path, *args: object, code: int = 0) -> dict[str, Any]:
    result = run("import", path, *args, "--json")
    assert result.exit_code == code, result.output
    (report,) = json.loads(result.stdout)["files"]
    assert isinstance(report, dict)
    return report


@pytest.fixture
def two_schools(run: Any, tmp_path: Path) -> None:
    """Lan, Hùng and Sen at Bình Lư."""
    import_json(run, plain_roster(tmp_path / "bl.xlsx", [LAN, HUNG, SEN]).path)


# ----------------------------------------------------------------------------- the rule


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (("lan", "2007-03-15"), ("lan", "2007-03-15"), True),
        (("lan", "2007"), ("lan", "2007-03-15"), True),  # a year agrees with a date of it
        (("lan", ""), ("lan", ""), True),  # nothing known on either side but the name
        (("lan", "2007-03-15"), ("lan", "2007-03-16"), False),
        (("lan", "2008"), ("lan", "2007-03-15"), False),
        (("lan", ""), ("lan", "2007-03-15"), False),  # a birth missing on one side
        (("hoa", "2007-03-15"), ("lan", "2007-03-15"), False),
    ],
)
def test_same_person_needs_the_name_and_the_birth(
    a: tuple[str, str], b: tuple[str, str], same: bool
) -> None:
    one, two = Who("1", 1, *a), Who("1", 2, *b)
    assert same_person(one, two) is same
    assert same_person(two, one) is same


# ----------------------------------------------------------------------------- transfer


@pytest.mark.usefixtures("two_schools")
def test_the_same_person_under_the_same_code_is_a_transfer(
    run: Any, tmp_path: Path, db_path: Path
) -> None:
    moved = dataclasses.replace(LAN, klass="12A5")
    roster = plain_roster(tmp_path / "pt.xlsx", [moved, NEW], titles=PT_TITLES)

    report = import_json(run, roster.path)

    assert (report["created"], report["updated"], report["rejected"]) == (1, 1, 0)
    first_row = roster.notes["header_row"] + 1
    assert report["transfers"] == [
        {
            "sheet": "Danh sách",
            "row": first_row,
            "student_code": LAN.code,
            "from_school": BL,
            "to_school": PT,
        }
    ]
    stored = where(db_path)
    assert stored[LAN.code] == (PT, LAN.name)
    assert stored[HUNG.code] == (BL, HUNG.name)
    assert query(db_path, "SELECT count(*) FROM student") == [(4,)]  # no second Lan
    # named in the summary a person reads
    again = plain_roster(tmp_path / "pt2.xlsx", [moved], titles=PT_TITLES)
    text = " ".join(run("import", again.path).stdout.split())
    assert "chuyển trường" not in text  # already moved: nothing to say the second time
    # kept in history, with the schools' names
    lines = run.json("history", LAN.code)["history"]
    assert any(f"Chuyển trường: {BL} → {PT}" in line["text"] for line in lines)
    assert f"{BL} → {PT}" in " ".join(run.ok("history", LAN.code).stdout.split())


@pytest.mark.usefixtures("two_schools")
def test_the_terminal_summary_names_the_transfer(run: Any, tmp_path: Path) -> None:
    roster = plain_roster(tmp_path / "pt.xlsx", [LAN], titles=PT_TITLES)

    result = run("import", roster.path)

    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert f"1 học sinh chuyển trường sang {PT}" in text
    assert f"mã {LAN.code} (trang “Danh sách” dòng {roster.notes['header_row'] + 1}) từ {BL}" in (
        text
    )


@pytest.mark.usefixtures("two_schools")
def test_a_year_of_birth_that_agrees_with_the_stored_date_is_a_transfer(
    run: Any, tmp_path: Path, db_path: Path
) -> None:
    by_year = dataclasses.replace(LAN, name="NGUYEN THI LAN", born=2007)
    report = import_json(run, plain_roster(tmp_path / "pt.xlsx", [by_year], titles=PT_TITLES).path)
    assert [t["student_code"] for t in report["transfers"]] == [LAN.code]
    assert where(db_path)[LAN.code][0] == PT


# ----------------------------------------------------------------------------- conflict

OTHERS = {
    "another name": dataclasses.replace(HUNG, name="Trần Văn Hải"),
    "another birth": dataclasses.replace(HUNG, born=D(2007, 9, 21)),
    "another person": dataclasses.replace(NEW, code=HUNG.code),
}


@pytest.mark.usefixtures("two_schools")
@pytest.mark.parametrize("other", OTHERS.values(), ids=OTHERS.keys())
def test_a_code_of_another_schools_student_given_to_someone_else_is_refused(
    run: Any, tmp_path: Path, db_path: Path, other: Kid
) -> None:
    before = snapshot(db_path)
    roster = plain_roster(tmp_path / "pt.xlsx", [NEW if other is not OTHERS["another person"]
                                                 else SEN, other], titles=PT_TITLES)  # fmt: skip

    report = import_json(run, roster.path, code=3)

    (error,) = report["errors"]
    assert (error["sheet"], error["row"], error["column"]) == (
        "Danh sách",
        roster.notes["header_row"] + 2,
        "Mã học sinh",
    )
    reason = error["reason"]
    assert "đã thuộc về một học sinh của trường khác" in reason
    # nothing of the other school's student: neither name nor birth nor school
    for secret in (HUNG.name, HUNG.dmy, HUNG.born.isoformat(), BL, "Bình Lư"):
        assert secret not in reason
    assert report["rejected"] == 1
    assert "transfers" not in report or all(
        t["student_code"] != HUNG.code for t in report["transfers"]
    )
    # Hùng stays where and who he was; nothing of the refused row is written
    after = where(db_path)
    assert after[HUNG.code] == (BL, HUNG.name)
    assert snapshot(db_path)["milestone"] == before["milestone"]
    people = query(db_path, "SELECT count(*) FROM person WHERE full_name = ?", other.name)
    assert people == ([(1,)] if other.name == HUNG.name else [(0,)])


@pytest.mark.usefixtures("two_schools")
def test_the_refusal_names_the_file_sheet_and_row_on_the_terminal(run: Any, tmp_path: Path) -> None:
    roster = plain_roster(tmp_path / "phong-tho.xlsx", [OTHERS["another name"]], titles=PT_TITLES)

    result = run("import", roster.path)

    assert result.exit_code == 3
    out = result.stdout
    assert "phong-tho.xlsx" in out and "Danh sách" in out
    assert str(roster.notes["header_row"] + 1) in out
    assert "trường khác" in " ".join(out.split())
    assert HUNG.name not in out and HUNG.dmy not in out


@pytest.mark.usefixtures("two_schools")
def test_strict_writes_nothing_from_a_file_with_a_conflict(
    run: Any, tmp_path: Path, db_path: Path
) -> None:
    before = snapshot(db_path)
    roster = plain_roster(
        tmp_path / "pt.xlsx", [LAN, NEW, OTHERS["another birth"]], titles=PT_TITLES
    )

    import_json(run, roster.path, "--strict", code=3)

    assert snapshot(db_path) == before


@pytest.mark.usefixtures("two_schools")
def test_a_renamed_student_at_the_same_school_is_still_a_correction(
    run: Any, tmp_path: Path, db_path: Path
) -> None:
    renamed = dataclasses.replace(HUNG, name="Trần Văn Hải")
    report = import_json(run, plain_roster(tmp_path / "bl2.xlsx", [renamed]).path)
    assert (report["updated"], report["rejected"]) == (1, 0)
    assert where(db_path)[HUNG.code] == (BL, "Trần Văn Hải")


# ----------------------------------------------------------------------------- both writers


def big_outcome(run: Any, tmp_path: Path, name: str) -> tuple[Any, ...]:
    """A first import of 30 students at Bình Lư, then 30 rows for Phong Thổ: the first ten
    the same students, the next ten under their codes with another name, ten new ones."""
    db = tmp_path / f"{name}.db"
    first = big_roster(tmp_path / f"{name}-bl.xlsx", 30)
    assert run("--db", db, "import", first, "--json").exit_code == 0
    rows = query(
        db,
        "SELECT s.student_code, p.full_name, p.date_of_birth FROM student s "
        "JOIN person p ON p.id = s.person_id ORDER BY s.student_code",
    )
    kids = []
    for i, (code, full_name, born) in enumerate(rows[:20]):
        name = full_name if i < 10 else f"{full_name} Khác"
        kids.append(Kid(code, name, D.fromisoformat(born), klass="12A9"))
    kids += [Kid(f"77{i:08d}", "Hà Thị Mới", D(2007, 2, 2), "Nữ") for i in range(10)]
    second = plain_roster(tmp_path / f"{name}-pt.xlsx", kids, titles=PT_TITLES).path
    result = run("--db", db, "import", second, "--json")
    assert result.exit_code == 3, result.output
    (report,) = json.loads(result.stdout)["files"]
    stored = query(
        db,
        "SELECT s.student_code, sc.name, p.full_name FROM student s "
        "JOIN school sc ON sc.id = s.school_id JOIN person p ON p.id = s.person_id "
        "ORDER BY s.student_code",
    )
    return (
        (report["created"], report["updated"], report["rejected"]),
        [t["row"] for t in report["transfers"]],
        [e["row"] for e in report["errors"]],
        stored,
    )


def test_the_bulk_loader_and_the_row_writer_agree(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    row_by_row = big_outcome(run, tmp_path, "rows")
    monkeypatch.setattr(sqlite_bulk, "BULK_ROWS", 10)  # both imports are bulk-sized now
    bulk = big_outcome(run, tmp_path, "bulk")

    assert bulk == row_by_row
    counts, transfers, errors, stored = bulk
    assert counts == (10, 10, 10)
    header = 4  # two title rows, a blank row, the header
    assert transfers == [header + 1 + i for i in range(10)]
    assert errors == [header + 11 + i for i in range(10)]
    by_code = {code: (school, name) for code, school, name in stored}
    assert sum(1 for school, _ in by_code.values() if school == PT) == 20
    assert not any(name.endswith("Khác") for _, name in by_code.values())
