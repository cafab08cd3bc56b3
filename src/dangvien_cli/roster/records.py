"""The records an import hands over to the roster writer: one student as a roster row gives them,
the counts of what writing them did, and how a record's grades are stored and logged."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from dangvien_cli.core.classes import grade_of_class
from dangvien_cli.core.dates import BirthDate
from dangvien_cli.core.grades import Grade

__all__ = [
    "NO_GRADE",
    "PERSON_FIELDS",
    "Counts",
    "RosterRecord",
    "grade_of",
    "grades_for_log",
    "person_row",
    "result_row",
    "result_values",
]


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: Counts) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged


@dataclass(slots=True)
class RosterRecord:
    """One student as a roster row gives them. Fields whose column is absent stay unset."""

    row: int
    code: str | None
    full_name: str
    name_key: str
    birth: BirthDate | None
    values: dict[str, object]  # person/enrollment fields present in the table → parsed value
    results: dict[str, dict[str, Grade | None]]  # term → {"academic"|"conduct": grade}
    youth_union: bool | None  # None: no such column
    youth_union_joined: date | None
    extra: dict[str, str]
    cells: list[object]


# The person columns a roster may hold besides the name and the birth.
PERSON_FIELDS = ("gender", "ethnicity", "religion", "national_id", "birth_name", "given_name")


def person_row(rec: RosterRecord, dob: Callable[[Any], Any]) -> tuple[Any, ...]:
    """A new person's columns from full_name to the last of PERSON_FIELDS, in the table's
    order (both ways of writing new students use it: roster.writer and roster.sqlite_bulk);
    `dob` is the driver's converter of a date of birth."""
    birth, values = rec.birth, rec.values
    return (
        rec.full_name,
        rec.name_key,
        None if birth is None else dob(birth.date),
        None if birth is None else birth.year,
        *(values.get(f) for f in PERSON_FIELDS),
    )


NO_GRADE = (None, None, None)  # a result's code, scale and rank when the roster has no grade


def grade_of(rec: RosterRecord) -> int | None:
    """The grade (khối) of the record's class, if it has one."""
    klass = rec.values.get("class_name")
    return grade_of_class(str(klass)) if klass else None


def result_values(grades: dict[str, Grade | None]) -> dict[str, Any]:
    """The result columns for the grade columns the roster has (absent ones are left out)."""
    out: dict[str, Any] = {}
    for kind, grade in grades.items():
        out[kind] = grade.code if grade else None
        out[f"{kind}_scale"] = grade.scale if grade else None
        out[f"{kind}_rank"] = grade.rank if grade else None
    return out


def grades_for_log(vals: dict[str, Any]) -> dict[str, Any]:
    """A result as the audit log keeps it: values and scales, not the ranks."""
    return {k: v for k, v in vals.items() if not k.endswith("_rank")}


def result_row(
    student_id: int, year_id: int, term: str, grades: dict[str, Grade | None], batch_id: int
) -> tuple[Any, ...]:
    """A new term result's row, in the order of the writer's RESULT_COLUMNS."""
    a = grades.get("academic")
    c = grades.get("conduct")
    return (
        student_id,
        year_id,
        term,
        *((a.code, a.scale, a.rank) if a else NO_GRADE),
        *((c.code, c.scale, c.rank) if c else NO_GRADE),
        batch_id,
    )
