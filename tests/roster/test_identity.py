"""One rule for "is this the same student?" and "whose value wins", followed alike by the roster
writer (an import) and by merge (a school's file): the same pairs of (stored, incoming) students
go through both paths, as each calls roster/identity, and must get the same decisions; and a
school's file merged and the same roster imported give one student, not two (issue 10)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from builders import Kid, plain_roster, run_on
from dangvien_cli.core.dates import BirthDate
from dangvien_cli.merge.hanging import youth_newer
from dangvien_cli.merge.students import our_index, their_who
from dangvien_cli.roster.changes import youth_wins
from dangvien_cli.roster.records import RosterRecord
from dangvien_cli.roster.stored import Stored, match
from dbcheck import query

D = dt.date
BORN = D(2007, 3, 15)

# (who is stored, who comes in, the same student?) — a student as (code, school, name key, birth)
# with the birth a date, a year, or None.
Student = tuple[str | None, int, str, "dt.date | int | None"]
PAIRS: list[tuple[str, Student, Student, bool]] = [
    ("same code", ("161", 1, "nguyen thi lan", BORN), ("161", 1, "nguyen thi lan", BORN), True),
    ("same code, moved school", ("161", 1, "lan", BORN), ("161", 2, "lan", BORN), True),
    ("same code, name written anew", ("161", 1, "lan", BORN), ("161", 1, "lan b", None), True),
    ("name and birth, no codes", (None, 1, "lan", BORN), (None, 1, "lan", BORN), True),
    ("name and birth, stored has a code", ("161", 1, "lan", BORN), (None, 1, "lan", BORN), True),
    ("name and birth, code comes in", (None, 1, "lan", BORN), ("161", 1, "lan", BORN), True),
    ("namesakes with two codes", ("161", 1, "lan", BORN), ("162", 1, "lan", BORN), False),
    ("same name, other school", (None, 1, "lan", BORN), (None, 2, "lan", BORN), False),
    ("same name, other birth", (None, 1, "lan", BORN), (None, 1, "lan", D(2007, 3, 16)), False),
    ("birth year only, both", (None, 1, "lan", 2007), (None, 1, "lan", 2007), True),
    ("a year is not a date", (None, 1, "lan", 2007), (None, 1, "lan", BORN), False),
    ("no birth, both", (None, 1, "lan", None), (None, 1, "lan", None), True),
    ("no birth against a birth", (None, 1, "lan", None), (None, 1, "lan", BORN), False),
    ("other name", (None, 1, "lan", BORN), (None, 1, "hung", BORN), False),
]


def _person(birth: dt.date | int | None) -> dict[str, Any]:
    if isinstance(birth, dt.date):
        return {"date_of_birth": birth, "birth_year": birth.year}
    return {"date_of_birth": None, "birth_year": birth}


def as_stored(s: Student) -> Stored:
    """A stored student as the roster writer loads it."""
    code, school, name_key, birth = s
    return Stored(7, 70, code, school, name_key, None, {"full_name": name_key, **_person(birth)})


def as_record(s: Student) -> tuple[RosterRecord, int]:
    """A roster row as the importer hands it to the writer, and the school of its table."""
    code, school, name_key, birth = s
    if isinstance(birth, dt.date):
        parsed: BirthDate | None = BirthDate(birth, birth.year)
    else:
        parsed = None if birth is None else BirthDate(None, birth)
    record = RosterRecord(
        row=1,
        code=code,
        full_name=name_key,
        name_key=name_key,
        birth=parsed,
        values={},
        results={},
        youth_union=None,
        youth_union_joined=None,
        extra={},
        cells=[],
    )
    return record, school


def as_row(s: Student, student_id: int) -> dict[str, Any]:
    """A student row (joined with the person) as merge reads it from either database."""
    code, school, name_key, birth = s
    return {
        "id": student_id,
        "student_code": code,
        "school_id": school,
        "name_key": name_key,
        **_person(birth),
    }


def writer_decides(stored: Student, incoming: Student) -> bool:
    record, school = as_record(incoming)
    return match([as_stored(stored)], [record], school)[0] is not None


def merge_decides(stored: Student, incoming: Student) -> bool:
    # Their school ids are mapped to ours before matching; here the two are the same.
    theirs = as_row(incoming, 99)
    return our_index([as_row(stored, 7)]).find(their_who(theirs, incoming[1])) is not None


@pytest.mark.parametrize(
    ("stored", "incoming", "same"), [p[1:] for p in PAIRS], ids=[p[0] for p in PAIRS]
)
def test_the_writer_and_merge_find_the_same_student(
    stored: Student, incoming: Student, same: bool
) -> None:
    assert writer_decides(stored, incoming) == merge_decides(stored, incoming) == same


def test_a_student_matched_and_given_a_code_is_no_namesake_of_another_code() -> None:
    """The writer fills a stored student's missing code as it goes: a later record of the same
    chunk with another code (and the same name and birth) is then a different student."""
    stored = as_stored((None, 1, "lan", BORN))
    first, _ = as_record(("161", 1, "lan", BORN))
    second, _ = as_record(("162", 1, "lan", BORN))
    from dangvien_cli.roster.identity import Students
    from dangvien_cli.roster.stored import record_who, stored_who

    index: Students[Stored] = Students(lambda s: s.code)
    index.add(stored_who(stored), stored)
    assert index.find(record_who(first, 1)) is stored
    stored.code = first.code
    assert index.find(record_who(second, 1)) is None


TERMS = [None, "hk1", "hk2", "cn"]
ROSTERS = [(year, term) for year in (None, 2023, 2024) for term in TERMS]


@pytest.mark.parametrize("stored", ROSTERS, ids=str)
def test_the_writer_and_merge_let_the_same_youth_union_value_win(
    stored: tuple[int | None, str | None],
) -> None:
    """An import happens now: merge, given the import's time as theirs, decides as the writer
    does for every roster the stored value came from and every roster that comes in."""
    now = dt.datetime(2025, 4, 1, 9, 30)
    before = dt.datetime(2025, 1, 1, 8, 0)
    ours = {"roster_year": stored[0], "roster_term": stored[1]}
    old = SimpleNamespace(**ours)
    for year, term in ROSTERS:
        if year is None:
            continue  # an import always knows its school year
        theirs = {"roster_year": year, "roster_term": term}
        writer = youth_wins(old, year, term, now)
        merge = youth_newer(ours, theirs, before, now)
        assert writer == merge, (stored, (year, term))


LAN = Kid("1610000001", "Nguyễn Thị Lan", D(2007, 3, 15), "Nữ", "Kinh", "12A1", True, "Khá", "Tốt")
SANG = Kid(None, "Lò Văn Sáng", D(2007, 6, 2), "Nam", "Thái", "12A2", True, "Khá", "Tốt")


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DANGVIEN_TODAY", "01/04/2025")


def _students(db: Path) -> list[tuple[Any, ...]]:
    return query(db, "SELECT s.student_code, p.full_name FROM student s JOIN person p "
                     "ON p.id = s.person_id ORDER BY p.full_name")  # fmt: skip


def test_a_merged_school_and_the_same_roster_imported_give_one_student(tmp_path: Path) -> None:
    roster = plain_roster(tmp_path / "bl.xlsx", [LAN, SANG]).path
    school = run_on(tmp_path / "school.db", ["import", roster])
    province = run_on(tmp_path / "province.db", ["merge", school], ["import", roster])
    assert _students(province) == _students(school) == [(None, "Lò Văn Sáng"), (LAN.code, LAN.name)]


def test_an_imported_roster_and_the_school_merged_give_one_student(tmp_path: Path) -> None:
    roster = plain_roster(tmp_path / "bl.xlsx", [LAN, SANG]).path
    school = run_on(tmp_path / "school.db", ["import", roster])
    province = run_on(tmp_path / "province.db", ["import", roster], ["merge", school])
    assert _students(province) == _students(school)
    assert len(_students(province)) == 2
