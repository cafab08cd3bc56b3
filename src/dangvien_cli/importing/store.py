"""Writing checked roster records into the database in bulk: create, update, or leave unchanged."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, bindparam, func, insert, select, text, update
from sqlalchemy.orm import Session

from dangvien_cli.audit import audit_entry
from dangvien_cli.bulk import bulk_insert
from dangvien_cli.importing.rows import RosterRecord
from dangvien_cli.importing.values import Grade, grade_of_class, school_year_label
from dangvien_cli.models import (
    audit_t,
    enrollment_t,
    person_t,
    result_t,
    school_t,
    student_t,
    year_t,
    youth_t,
)
from dangvien_cli.text import school_key

CHUNK = 5000  # parameters per IN (...) query: well under SQLite's and PostgreSQL's limits
TERM_RANK = {None: 0, "hk1": 1, "hk2": 2, "cn": 3}  # the order of rosters within a year
SMALL = 2000  # up to this many rows are looked up by key; more, by loading the whole school

PERSON_FIELDS = ("gender", "ethnicity", "religion", "national_id")


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: Counts) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged


@dataclass
class Stored:
    """What the database holds of one student, as far as a roster can change it."""

    student_id: int
    person_id: int
    code: str | None
    school_id: int
    name_key: str
    extra: dict[str, Any] | None
    person: dict[str, Any]


def find_school(session: Session, name: str) -> tuple[int, str] | None:
    row = session.execute(
        select(school_t.c.id, school_t.c.name).where(school_t.c.name_key == school_key(name))
    ).first()
    return None if row is None else (int(row[0]), str(row[1]))


def ensure_school(session: Session, name: str, now: datetime) -> tuple[int, str, bool]:
    """The school of that name (ignoring "Trường", case and diacritics); created if none."""
    found = find_school(session, name)
    if found is not None:
        return found[0], found[1], False
    new_id = session.execute(
        insert(school_t).returning(school_t.c.id),
        {"name": name, "name_key": school_key(name), "created_at": now},
    ).scalar_one()
    return int(new_id), name, True


def ensure_school_year(session: Session, start_year: int) -> int:
    found = session.execute(
        select(year_t.c.id).where(year_t.c.start_year == start_year)
    ).scalar_one_or_none()
    if found is not None:
        return int(found)
    return int(
        session.execute(
            insert(year_t).returning(year_t.c.id),
            {"start_year": start_year, "label": school_year_label(start_year)},
        ).scalar_one()
    )


def _birth_key(record_birth: Any) -> str:
    if record_birth is None:
        return ""
    return str(record_birth.iso)


def stored_birth_key(person: dict[str, Any]) -> str:
    """How a stored birth is compared: the ISO date, else the year, else empty."""
    dob = person.get("date_of_birth")
    if dob is not None:
        return str(dob.isoformat())
    year = person.get("birth_year")
    return "" if year is None else str(year)


def fingerprint(rec: RosterRecord, context: str) -> str:
    """A digest of everything a roster row would write for a student, with where it goes
    (`context`: school, school year, the table's columns). The parser fills its dicts in a
    fixed order for a given table, so their repr is stable."""
    birth = rec.birth.iso if rec.birth else ""
    grades = ";".join(
        f"{term}:{kind}:{g.code}:{g.scale}" if g else f"{term}:{kind}:"
        for term, by_kind in rec.results.items()
        for kind, g in by_kind.items()
    )
    payload = "\x1f".join(
        (
            context,
            rec.code or "",
            rec.full_name,
            birth,
            repr(rec.values),
            grades,
            repr(rec.youth_union),
            repr(rec.youth_union_joined),
            repr(rec.extra),
        )
    )
    return hashlib.blake2b(payload.encode(), digest_size=12).hexdigest()


def _json_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value


class RosterWriter:
    """Writes the records of one file; one instance per file, inside the file's transaction."""

    def __init__(
        self, session: Session, *, batch_id: int, now: datetime, user: str | None, command: str
    ) -> None:
        self.session = session
        self.batch_id = batch_id
        self.now = now
        self.user = user
        self.command = command
        self.moved: list[int] = []  # the former school of each student this file moved

    # -- loading what is there -------------------------------------------------------------
    def _any_students(self) -> bool:
        """False for a new database: then there is nothing to look up (a first import)."""
        return self.session.execute(select(student_t.c.id).limit(1)).first() is not None

    def _last_digests(self, school_id: int, codes: list[str]) -> dict[str, tuple[int, str]]:
        """Student code → (student id, digest of the roster row that last wrote it)."""
        st = student_t.c
        out: dict[str, tuple[int, str]] = {}
        query = select(st.student_code, st.id, st.roster_hash).where(st.roster_hash.is_not(None))
        if len(codes) > SMALL:
            rows = self.session.execute(query.where(st.school_id == school_id))
            out = {code: (int(i), str(h)) for code, i, h in rows if code}
        wanted = [c for c in codes if c not in out]
        for part in chunks(wanted):
            for code, i, h in self.session.execute(query.where(st.student_code.in_(part))):
                out[str(code)] = (int(i), str(h))
        return out

    def _load(self, school_id: int, records: list[RosterRecord]) -> list[Stored]:
        cols = [
            student_t.c.id,
            student_t.c.person_id,
            student_t.c.student_code,
            student_t.c.school_id,
            student_t.c.name_key,
            student_t.c.extra,
            person_t.c.full_name,
            person_t.c.date_of_birth,
            person_t.c.birth_year,
            *(person_t.c[f] for f in PERSON_FIELDS),
        ]
        base = select(*cols).join(person_t, person_t.c.id == student_t.c.person_id)
        codes = [r.code for r in records if r.code]
        if len(records) > SMALL:  # most of a school: one query for all of it
            rows = list(self.session.execute(base.where(student_t.c.school_id == school_id)))
        else:  # a few changed rows: look up just those, by code and by name
            rows = []
            keys = sorted({r.name_key for r in records})
            for part in chunks(keys):
                rows.extend(
                    self.session.execute(
                        base.where(
                            student_t.c.school_id == school_id, student_t.c.name_key.in_(part)
                        )
                    )
                )
        seen = {r.student_code for r in rows if r.student_code}
        missing = [c for c in codes if c not in seen]
        for part in chunks(missing):
            rows.extend(self.session.execute(base.where(student_t.c.student_code.in_(part))))
        out = []
        for r in rows:
            person = {
                "full_name": r.full_name,
                "date_of_birth": r.date_of_birth,
                "birth_year": r.birth_year,
                **{f: getattr(r, f) for f in PERSON_FIELDS},
            }
            out.append(
                Stored(
                    student_id=r.id,
                    person_id=r.person_id,
                    code=r.student_code,
                    school_id=r.school_id,
                    name_key=r.name_key,
                    extra=r.extra,
                    person=person,
                )
            )
        return out

    def _load_by(
        self, table: Table, key_col: str, ids: list[int], school_id: int, *where: Any
    ) -> dict[int, list[Any]]:
        """Rows of `table` for the students (or people) `ids`: those of the school in one
        query, the few from elsewhere by their ids."""
        key = table.c[key_col]
        own_col = student_t.c.id if key_col == "student_id" else student_t.c.person_id
        out: dict[int, list[Any]] = {}
        if len(ids) > SMALL:
            own = select(own_col).where(student_t.c.school_id == school_id)
            for row in self.session.execute(select(table).where(key.in_(own), *where)):
                out.setdefault(getattr(row, key_col), []).append(row)
        wanted = set(ids)
        others = [i for i in wanted if i not in out]
        for part in chunks(others):
            for row in self.session.execute(select(table).where(key.in_(part), *where)):
                out.setdefault(getattr(row, key_col), []).append(row)
        return {k: v for k, v in out.items() if k in wanted}

    # -- writing ------------------------------------------------------------------------
    def write(
        self,
        records: Iterable[RosterRecord],
        *,
        school_id: int,
        year_id: int,
        present: set[str],
        roster_year: int,
        roster_term: str | None,
    ) -> tuple[Counts, dict[int, int]]:
        """Create, update or leave each record; returns the counts and row → student id."""
        counts = Counts()
        row_students: dict[int, int] = {}
        context = f"{school_id}|{year_id}|{roster_term}|{','.join(sorted(present))}"
        when = (roster_year, TERM_RANK.get(roster_term, 0))
        roster = {"roster_year": roster_year, "roster_term": roster_term}
        digests = {rec.row: fingerprint(rec, context) for rec in records}
        any_students = self._any_students()
        # The fast path: a student whose last roster row was this very row is unchanged.
        last = (
            self._last_digests(school_id, [r.code for r in records if r.code])
            if any_students
            else {}
        )
        rest: list[RosterRecord] = []
        for rec in records:
            known = last.get(rec.code) if rec.code else None
            if known is not None and known[1] == digests[rec.row]:
                counts.unchanged += 1
                row_students[rec.row] = known[0]
            else:
                rest.append(rec)
        records = rest
        if not records:
            return counts, row_students
        stored = self._load(school_id, records) if any_students else []
        by_code = {s.code: s for s in stored if s.code}
        by_name: dict[tuple[str, str], Stored] = {}
        for s in stored:
            if s.school_id == school_id:
                by_name.setdefault((s.name_key, stored_birth_key(s.person)), s)

        matched: list[tuple[RosterRecord, Stored | None]] = []
        for rec in records:
            found = by_code.get(rec.code) if rec.code else None
            if found is None:
                candidate = by_name.get((rec.name_key, _birth_key(rec.birth)))
                if candidate is not None and (not rec.code or not candidate.code):
                    found = candidate
            matched.append((rec, found))

        student_ids = [s.student_id for _, s in matched if s is not None]
        person_ids = [s.person_id for _, s in matched if s is not None]
        enrollments = self._load_by(
            enrollment_t,
            "student_id",
            student_ids,
            school_id,
            enrollment_t.c.school_year_id == year_id,
        )
        results = self._load_by(
            result_t, "student_id", student_ids, school_id, result_t.c.school_year_id == year_id
        )
        youth = self._load_by(youth_t, "person_id", person_ids, school_id)

        new_people: list[dict[str, Any]] = []
        new_records: list[RosterRecord] = []
        person_updates: list[dict[str, Any]] = []
        student_updates: list[dict[str, Any]] = []
        enrol_inserts: list[dict[str, Any]] = []
        enrol_updates: list[dict[str, Any]] = []
        result_inserts: list[dict[str, Any]] = []
        result_updates: list[dict[str, Any]] = []
        youth_inserts: list[dict[str, Any]] = []
        youth_updates: list[dict[str, Any]] = []
        audits: list[dict[str, Any]] = []
        digest_updates: list[dict[str, Any]] = []

        for rec, found in matched:
            if found is None:
                new_people.append(self._person_values(rec, present, None))
                new_records.append(rec)
                continue
            row_students[rec.row] = found.student_id
            digest_updates.append({"_id": found.student_id, "roster_hash": digests[rec.row]})
            changes: dict[str, list[Any]] = {}
            # person
            wanted = self._person_values(rec, present, found.person)
            diff = {k: v for k, v in wanted.items() if found.person.get(k) != v}
            if diff:
                for k, v in diff.items():
                    changes[k] = [_json_value(found.person.get(k)), _json_value(v)]
                person_updates.append({"_id": found.person_id, **wanted})
                found.person.update(wanted)
            # student: code, name key, extra columns
            student_vals: dict[str, Any] = {}
            if rec.code and found.code != rec.code:
                student_vals["student_code"] = rec.code
                changes["student_code"] = [found.code, rec.code]
                found.code = rec.code
            if "full_name" in present and found.name_key != rec.name_key:
                student_vals["name_key"] = rec.name_key
                found.name_key = rec.name_key
            if found.school_id != school_id:
                self.moved.append(found.school_id)
                student_vals["school_id"] = school_id
                changes["school_id"] = [found.school_id, school_id]
                found.school_id = school_id
            if rec.extra:
                merged = {**(found.extra or {}), **rec.extra}
                if merged != (found.extra or {}):
                    student_vals["extra"] = merged
                    changes["extra"] = [found.extra, merged]
                    found.extra = merged
            if student_vals:
                student_updates.append({"_id": found.student_id, **student_vals})
            # enrollment in this school year
            klass = rec.values.get("class_name")
            grade = grade_of_class(str(klass)) if klass else None
            current = enrollments.get(found.student_id)
            if not current:
                enrol_inserts.append(self._enrollment(found.student_id, year_id, klass, grade))
                enrollments[found.student_id] = [None]
                changes["class_name"] = [None, klass]
            elif current[0] is not None and klass is not None and current[0].class_name != klass:
                enrol_updates.append(
                    {
                        "_id": current[0].id,
                        "class_name": klass,
                        "grade": grade,
                        "batch_id": self.batch_id,
                    }
                )
                changes["class_name"] = [current[0].class_name, klass]
            # term results
            stored_results = {r.term: r for r in results.get(found.student_id, [])}
            for term, grades in rec.results.items():
                vals = result_values(grades)
                old = stored_results.get(term)
                if old is None:
                    result_inserts.append(
                        {
                            "student_id": found.student_id,
                            "school_year_id": year_id,
                            "term": term,
                            "batch_id": self.batch_id,
                            **EMPTY_RESULT,
                            **vals,
                        }
                    )
                    changes[f"result.{term}"] = [None, grades_for_log(vals)]
                else:
                    diff_r = {k: v for k, v in vals.items() if getattr(old, k) != v}
                    if diff_r:
                        result_updates.append({"_id": old.id, **vals, "batch_id": self.batch_id})
                        changes[f"result.{term}"] = [
                            grades_for_log({k: getattr(old, k) for k in vals}),
                            grades_for_log(vals),
                        ]
            # Youth Union
            if rec.youth_union is not None:
                yu_old = youth.get(found.person_id)
                old = yu_old[0] if yu_old else None
                joined = (
                    rec.youth_union_joined
                    if "youth_union_joined" in present
                    else (old.joined_on if old else None)
                )
                if old is None:
                    youth_inserts.append(
                        {
                            "person_id": found.person_id,
                            "is_member": rec.youth_union,
                            "joined_on": joined,
                            "batch_id": self.batch_id,
                            **roster,
                        }
                    )
                    youth[found.person_id] = []
                    changes["youth_union"] = [None, rec.youth_union]
                elif (old.roster_year or 0, TERM_RANK.get(old.roster_term, 0)) > when:
                    pass  # a newer roster has already spoken for this student
                elif (old.is_member, old.joined_on) != (rec.youth_union, joined):
                    youth_updates.append(
                        {
                            "_id": old.id,
                            "is_member": rec.youth_union,
                            "joined_on": joined,
                            "batch_id": self.batch_id,
                            **roster,
                        }
                    )
                    changes["youth_union"] = [
                        [old.is_member, _json_value(old.joined_on)],
                        [rec.youth_union, _json_value(joined)],
                    ]
                elif (old.roster_year, old.roster_term) != (roster_year, roster_term):
                    youth_updates.append({"_id": old.id, **roster})
            if changes:
                counts.updated += 1
                audits.append(self._audit("update", found.student_id, changes))
            else:
                counts.unchanged += 1

        self._bulk_update(person_t, person_updates)
        self._bulk_update(student_t, digest_updates, touch=False)
        self._bulk_update(student_t, student_updates)
        self._bulk_update(enrollment_t, enrol_updates)
        self._bulk_update(result_t, result_updates)
        self._bulk_update(youth_t, youth_updates)
        if new_records:
            self._create(
                new_records,
                new_people,
                school_id=school_id,
                year_id=year_id,
                row_students=row_students,
                enrol_inserts=enrol_inserts,
                result_inserts=result_inserts,
                youth_inserts=youth_inserts,
                digests=digests,
                roster=roster,
            )
            counts.created += len(new_records)
            audits.append(self._audit("create", None, {"students_created": len(new_records)}))
        for table, rows in (
            (enrollment_t, enrol_inserts),
            (result_t, result_inserts),
            (youth_t, youth_inserts),
            (audit_t, audits),
        ):
            bulk_insert(self.session, table, rows)
        return counts, row_students

    def _create(
        self,
        records: list[RosterRecord],
        people: list[dict[str, Any]],
        *,
        school_id: int,
        year_id: int,
        row_students: dict[int, int],
        enrol_inserts: list[dict[str, Any]],
        result_inserts: list[dict[str, Any]],
        youth_inserts: list[dict[str, Any]],
        digests: dict[int, str],
        roster: dict[str, Any],
    ) -> None:
        for p in people:
            p["created_at"] = self.now
            p.setdefault("full_name", "")
            p.setdefault("name_key", "")
        person_ids = self._insert_with_ids(person_t, people)
        students = [
            {
                "person_id": pid,
                "school_id": school_id,
                "student_code": rec.code,
                "name_key": rec.name_key,
                "extra": rec.extra or None,
                "roster_hash": digests[rec.row],
                "created_batch_id": self.batch_id,
                "created_at": self.now,
            }
            for rec, pid in zip(records, person_ids, strict=True)
        ]
        student_ids = self._insert_with_ids(student_t, students)
        for rec, sid, pid in zip(records, student_ids, person_ids, strict=True):
            row_students[rec.row] = sid
            klass = rec.values.get("class_name")
            grade = grade_of_class(str(klass)) if klass else None
            enrol_inserts.append(self._enrollment(sid, year_id, klass, grade))
            for term, grades in rec.results.items():
                result_inserts.append(
                    {
                        "student_id": sid,
                        "school_year_id": year_id,
                        "term": term,
                        "batch_id": self.batch_id,
                        **EMPTY_RESULT,
                        **result_values(grades),
                    }
                )
            if rec.youth_union is not None:
                youth_inserts.append(
                    {
                        "person_id": pid,
                        "is_member": rec.youth_union,
                        "joined_on": rec.youth_union_joined,
                        "batch_id": self.batch_id,
                        **roster,
                    }
                )

    def _insert_with_ids(self, table: Table, rows: list[dict[str, Any]]) -> list[int]:
        """Insert rows and return their ids in order.

        The ids are taken before the insert, so that the rows go in with one plain executemany
        (RETURNING row by row is several times slower): on SQLite the write transaction holds
        the database's only write lock (BEGIN IMMEDIATE), so max(id) + 1 … is ours; PostgreSQL
        hands out the numbers from the table's sequence.
        """
        if not rows:
            return []
        dialect = self.session.get_bind().dialect.name
        if dialect == "sqlite":
            start = int(self.session.execute(select(func.max(table.c.id))).scalar() or 0) + 1
            ids = list(range(start, start + len(rows)))
        elif dialect == "postgresql":
            ids = [
                int(r[0])
                for r in self.session.execute(
                    text(
                        "SELECT nextval(pg_get_serial_sequence(:t, 'id')) "
                        "FROM generate_series(1, :n)"
                    ),
                    {"t": table.name, "n": len(rows)},
                )
            ]
        else:
            return [
                int(r[0])
                for r in self.session.execute(
                    insert(table).returning(table.c.id, sort_by_parameter_order=True), rows
                )
            ]
        for row, new_id in zip(rows, ids, strict=True):
            row["id"] = new_id
        bulk_insert(self.session, table, rows)
        return ids

    def _person_values(
        self, rec: RosterRecord, present: set[str], stored: dict[str, Any] | None
    ) -> dict[str, Any]:
        """The person columns this roster speaks for; absent columns are left out."""
        out: dict[str, Any] = {}
        if "full_name" in present and rec.full_name:
            out["full_name"] = rec.full_name
            out["name_key"] = rec.name_key
        if "date_of_birth" in present:
            out["date_of_birth"] = rec.birth.date if rec.birth else None
            out["birth_year"] = rec.birth.year if rec.birth else None
        for f in PERSON_FIELDS:
            if f in rec.values:
                out[f] = rec.values[f]
        if stored is not None:
            out.pop("name_key", None)
        return out

    def _enrollment(
        self, student_id: int, year_id: int, klass: object, grade: int | None
    ) -> dict[str, Any]:
        return {
            "student_id": student_id,
            "school_year_id": year_id,
            "class_name": klass,
            "grade": grade,
            "batch_id": self.batch_id,
        }

    def _bulk_update(self, table: Table, rows: list[dict[str, Any]], *, touch: bool = True) -> None:
        """Executemany UPDATE … WHERE id = :_id, one statement per set of columns."""
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for row in rows:
            groups.setdefault(tuple(sorted(k for k in row if k != "_id")), []).append(row)
        for keys, group in groups.items():
            values: dict[str, Any] = {k: bindparam(k) for k in keys}
            if table is student_t and touch:
                values["updated_at"] = self.now
            stmt = update(table).where(table.c.id == bindparam("_id")).values(values)
            self.session.connection().execute(stmt, group)

    def _audit(
        self, action: str, student_id: int | None, changes: dict[str, Any]
    ) -> dict[str, Any]:
        return audit_entry(
            now=self.now,
            user=self.user,
            command=self.command,
            action=action,
            entity="student",
            entity_id=student_id,
            batch_id=self.batch_id,
            changes=changes,
        )


EMPTY_RESULT: dict[str, Any] = {
    f"{kind}{suffix}": None
    for kind in ("academic", "conduct")
    for suffix in ("", "_scale", "_rank")
}


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
