"""What a roster record changes in the student it was matched to: the person, the student (code,
name key, school, extra columns), the enrollment of the school year, the term results and the Youth
Union membership — gathered for a whole chunk as rows to insert and to update, and the audit log's
[old, new] pairs of each student."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from dangvien_cli.roster.identity import EPOCH, Said, incoming_wins
from dangvien_cli.roster.records import (
    PERSON_FIELDS,
    RosterRecord,
    grade_of,
    grades_for_log,
    result_row,
    result_values,
)
from dangvien_cli.roster.stored import Stored

__all__ = ["Chunk", "Loaded", "json_value", "youth_wins"]


def json_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value


def youth_wins(old: Any, roster_year: int, roster_term: str | None, now: datetime) -> bool:
    """Whether a roster's Youth Union value replaces the stored row `old`: unless a newer
    roster has already spoken for this student (the import itself is always the later time)."""
    stored = Said(old.roster_year, old.roster_term, EPOCH)
    return incoming_wins(stored, Said(roster_year, roster_term, now))


@dataclass
class Loaded:
    """The matched students' rows a chunk may change: enrollment and results of the school
    year by student id, Youth Union rows by person id."""

    enrollments: dict[int, list[Any]]
    results: dict[int, list[Any]]
    youth: dict[int, list[Any]]


@dataclass
class Chunk:
    """The changes of one chunk's matched records, for one table's school, year and roster."""

    school_id: int
    year_id: int
    present: set[str]
    roster_year: int
    roster_term: str | None
    batch_id: int
    now: datetime
    member: Callable[[Any], Any]  # the driver's values of is_member and joined_on
    joined: Callable[[Any], Any]
    loaded: Loaded
    enrol_rows: list[tuple[Any, ...]] = field(default_factory=list)
    result_rows: list[tuple[Any, ...]] = field(default_factory=list)
    youth_rows: list[tuple[Any, ...]] = field(default_factory=list)
    person_updates: list[dict[str, Any]] = field(default_factory=list)
    student_updates: list[dict[str, Any]] = field(default_factory=list)
    enrol_updates: list[dict[str, Any]] = field(default_factory=list)
    result_updates: list[dict[str, Any]] = field(default_factory=list)
    youth_updates: list[dict[str, Any]] = field(default_factory=list)
    digest_updates: list[dict[str, Any]] = field(default_factory=list)

    def record(self, rec: RosterRecord, digest: str, found: Stored) -> dict[str, list[Any]]:
        """The changes `rec` makes to the stored `found` (field → [old, new]), queued."""
        self.digest_updates.append({"_id": found.student_id, "roster_hash": digest})
        changes: dict[str, list[Any]] = {}
        self._person(rec, found, changes)
        self._student(rec, found, changes)
        self._enrollment(rec, found, changes)
        self._results(rec, found, changes)
        if rec.youth_union is not None:
            self._youth(rec, found, changes)
        return changes

    def _person(self, rec: RosterRecord, found: Stored, changes: dict[str, list[Any]]) -> None:
        wanted = person_values(rec, self.present)
        diff = {k: v for k, v in wanted.items() if found.person.get(k) != v}
        if diff:
            for k, v in diff.items():
                changes[k] = [json_value(found.person.get(k)), json_value(v)]
            row = {"_id": found.person_id, **wanted}
            if "full_name" in diff:  # the folded name follows the name, as student's does
                row["name_key"] = rec.name_key
            self.person_updates.append(row)
            found.person.update(wanted)

    def _student(self, rec: RosterRecord, found: Stored, changes: dict[str, list[Any]]) -> None:
        """Code, name key, school, extra columns."""
        student_vals: dict[str, Any] = {}
        if rec.code and found.code != rec.code:
            student_vals["student_code"] = rec.code
            changes["student_code"] = [found.code, rec.code]
            found.code = rec.code
        if "full_name" in self.present and found.name_key != rec.name_key:
            student_vals["name_key"] = rec.name_key
            found.name_key = rec.name_key
        if found.school_id != self.school_id:  # a transfer: the writer has checked the person
            student_vals["school_id"] = self.school_id
            changes["school_id"] = [found.school_id, self.school_id]
            found.school_id = self.school_id
        if rec.extra:
            merged = {**(found.extra or {}), **rec.extra}
            if merged != (found.extra or {}):
                student_vals["extra"] = merged
                changes["extra"] = [found.extra, merged]
                found.extra = merged
        if student_vals:
            self.student_updates.append({"_id": found.student_id, **student_vals})

    def _enrollment(self, rec: RosterRecord, found: Stored, changes: dict[str, list[Any]]) -> None:
        """The enrollment in this school year."""
        klass = rec.values.get("class_name")
        grade = grade_of(rec)
        enrollments = self.loaded.enrollments
        current = enrollments.get(found.student_id)
        if not current:
            self.enrol_rows.append((found.student_id, self.year_id, klass, grade, self.batch_id))
            enrollments[found.student_id] = [None]
            changes["class_name"] = [None, klass]
        elif current[0] is not None and klass is not None and current[0].class_name != klass:
            self.enrol_updates.append(
                {
                    "_id": current[0].id,
                    "class_name": klass,
                    "grade": grade,
                    "batch_id": self.batch_id,
                }
            )
            changes["class_name"] = [current[0].class_name, klass]

    def _results(self, rec: RosterRecord, found: Stored, changes: dict[str, list[Any]]) -> None:
        stored_results = {r.term: r for r in self.loaded.results.get(found.student_id, [])}
        for term, grades in rec.results.items():
            vals = result_values(grades)
            old = stored_results.get(term)
            if old is None:
                self.result_rows.append(
                    result_row(found.student_id, self.year_id, term, grades, self.batch_id)
                )
                changes[f"result.{term}"] = [None, grades_for_log(vals)]
                continue
            diff_r = {k: v for k, v in vals.items() if getattr(old, k) != v}
            if diff_r:
                self.result_updates.append({"_id": old.id, **vals, "batch_id": self.batch_id})
                changes[f"result.{term}"] = [
                    grades_for_log({k: getattr(old, k) for k in vals}),
                    grades_for_log(vals),
                ]

    def _youth(self, rec: RosterRecord, found: Stored, changes: dict[str, list[Any]]) -> None:
        roster = {"roster_year": self.roster_year, "roster_term": self.roster_term}
        yu_old = self.loaded.youth.get(found.person_id)
        old = yu_old[0] if yu_old else None
        joined = (
            rec.youth_union_joined
            if "youth_union_joined" in self.present
            else (old.joined_on if old else None)
        )
        if old is None:
            self.youth_rows.append(
                (
                    found.person_id,
                    self.member(rec.youth_union),
                    self.joined(joined),
                    self.roster_year,
                    self.roster_term,
                    self.batch_id,
                )
            )
            self.loaded.youth[found.person_id] = []
            changes["youth_union"] = [None, rec.youth_union]
        elif not youth_wins(old, self.roster_year, self.roster_term, self.now):
            pass  # a newer roster has already spoken for this student
        elif (old.is_member, old.joined_on) != (rec.youth_union, joined):
            self.youth_updates.append(
                {
                    "_id": old.id,
                    "is_member": rec.youth_union,
                    "joined_on": joined,
                    "batch_id": self.batch_id,
                    **roster,
                }
            )
            changes["youth_union"] = [
                [old.is_member, json_value(old.joined_on)],
                [rec.youth_union, json_value(joined)],
            ]
        elif (old.roster_year, old.roster_term) != (self.roster_year, self.roster_term):
            self.youth_updates.append({"_id": old.id, **roster})


def person_values(rec: RosterRecord, present: set[str]) -> dict[str, Any]:
    """The person columns this roster speaks for; absent columns are left out."""
    out: dict[str, Any] = {}
    if "full_name" in present and rec.full_name:
        out["full_name"] = rec.full_name
    if "date_of_birth" in present:
        out["date_of_birth"] = rec.birth.date if rec.birth else None
        out["birth_year"] = rec.birth.year if rec.birth else None
    for f in PERSON_FIELDS:
        if f in rec.values:
            out[f] = rec.values[f]
    return out
