"""Whether a student a roster (or a school's file) brings is one already stored, and whose value
wins when the two differ: the one rule that the roster writer (an import) and merge (a school's
database file) both follow, so that neither stores the same student twice.

The same student is the one with the same student code, at any school (a code is the Ministry's,
and a student keeps it when changing school); failing that, the first at the same school with the
same folded name and the same birth (the date, else the year) — unless both have a code, and so
two different ones: two students who share a name and a birthday. A code found at another school
is a transfer only when the person agrees too (same_person): a roster that gives the code with
another name or birth is refused by the writer, never taken as a rename.

When a stored value and an incoming one differ, the later statement wins: the roster of the later
school year and term, then the later time; on a tie the stored value stays. An import is always
the later time (it happens now), so for the values every roster holds it simply wins; the Youth
Union membership is the one an older roster, imported late, must not overwrite.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

from dangvien_cli.core.calendar import TERM_RANK  # the order of rosters within a year

__all__ = [
    "EPOCH",
    "Said",
    "Students",
    "Who",
    "birth_key",
    "incoming_wins",
    "naive",
    "same_person",
    "stored_birth_key",
]

EPOCH = datetime(1900, 1, 1)  # the time of a value whose time is not known

T = TypeVar("T")


class _Birth(Protocol):
    @property
    def iso(self) -> str: ...


def birth_key(birth: _Birth | None) -> str:
    """How a roster's birth is compared: the ISO date, else the year, else empty."""
    if birth is None:
        return ""
    return str(birth.iso)


def stored_birth_key(person: Mapping[str, Any]) -> str:
    """How a stored birth is compared: the ISO date, else the year, else empty."""
    dob = person.get("date_of_birth")
    if dob is not None:
        return str(dob.isoformat())
    year = person.get("birth_year")
    return "" if year is None else str(year)


@dataclass(frozen=True, slots=True)
class Who:
    """What tells one student from another: the code, else school, folded name and birth key."""

    code: str | None
    school_id: int
    name_key: str
    birth: str  # birth_key / stored_birth_key


class Students(Generic[T]):
    """Stored students, as the rule looks them up: by code, and by school, name and birth.

    `code_of` reads a stored student's code when it is looked up, not when it is added: the
    writer fills a matched student's missing code as it goes, and a student who has just been
    given one is no longer the namesake of a record with another code."""

    def __init__(self, code_of: Callable[[T], str | None]) -> None:
        self._code_of = code_of
        self._by_code: dict[str, T] = {}
        self._by_name: dict[tuple[int, str, str], T] = {}

    def add(self, who: Who, student: T) -> None:
        if who.code:
            self._by_code[who.code] = student
        self._by_name.setdefault((who.school_id, who.name_key, who.birth), student)

    def find(self, who: Who) -> T | None:
        """The stored student `who` is, or None (a new student)."""
        found = self._by_code.get(who.code) if who.code else None
        if found is None:
            candidate = self._by_name.get((who.school_id, who.name_key, who.birth))
            if candidate is not None and (not who.code or not self._code_of(candidate)):
                found = candidate
        return found


def same_person(a: Who, b: Who) -> bool:
    """Whether two students with one code are one person (a student changing school): the same
    folded name and the same birth — one date, or a year and a date of that year; a birth known
    on one side only does not agree (nothing says it is the same person)."""
    if a.name_key != b.name_key:
        return False
    if a.birth == b.birth:
        return True
    if not a.birth or not b.birth:
        return False
    year, day = sorted((a.birth, b.birth), key=len)
    return len(year) == 4 and day.startswith(f"{year}-")


def naive(at: datetime) -> datetime:
    """Times compared as stored: SQLite keeps them without a zone."""
    return at.replace(tzinfo=None) if at.tzinfo is not None else at


@dataclass(frozen=True, slots=True)
class Said:
    """When a value was said: by the roster of which school year and term, and at what time."""

    roster_year: int | None = None
    roster_term: str | None = None
    at: datetime = EPOCH

    def order(self) -> tuple[int, int, datetime]:
        return (self.roster_year or 0, TERM_RANK.get(self.roster_term, 0), naive(self.at))


def incoming_wins(stored: Said, incoming: Said) -> bool:
    """Whether an incoming value replaces the stored one that differs: the later roster (school
    year, then term) wins, then the later time; on a tie the stored value stays."""
    return incoming.order() > stored.order()
