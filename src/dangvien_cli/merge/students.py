"""Merging the students: each of the school's students matched to ours by roster/identity's rule
(the one an import follows), added when new; on differing values the later statement wins."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update

from dangvien_cli.core.seq import chunks
from dangvien_cli.db.models import audit_t, person_t, school_t, student_t
from dangvien_cli.merge.merger import ACTION, Merger
from dangvien_cli.merge.report import HeldBack
from dangvien_cli.roster.identity import (
    EPOCH,
    Said,
    Students,
    Who,
    incoming_wins,
    naive,
    same_person,
    stored_birth_key,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

__all__ = ["PERSON_FIELDS", "our_index", "pairs", "students", "their_who"]

PERSON_FIELDS = ("full_name", "date_of_birth", "birth_year", "gender", "ethnicity", "religion",
                 "birth_name", "given_name",
                 "national_id")  # fmt: skip


def their_who(row: dict[str, Any], school_id: int) -> Who:
    """A student of the school's file, at our school `school_id`, as the identity rule
    compares them."""
    return Who(row["student_code"], school_id, row["name_key"], stored_birth_key(row))


def our_index(ours: list[dict[str, Any]]) -> Students[dict[str, Any]]:
    """Our students (each once, however often loaded), as the identity rule looks them up."""
    index: Students[dict[str, Any]] = Students(lambda r: r["student_code"])
    seen: set[int] = set()
    for r in ours:
        if r["id"] in seen:
            continue
        seen.add(r["id"])
        index.add(Who(r["student_code"], r["school_id"], r["name_key"], stored_birth_key(r)), r)
    return index


def students(m: Merger) -> None:
    st, pt = student_t.c, person_t.c
    query = select(student_t, *(pt[f] for f in PERSON_FIELDS)).join(person_t, pt.id == st.person_id)
    theirs = [dict(r._mapping) for r in m.src.execute(query.order_by(st.id))]
    their_times = _student_times(m.src)
    codes = [r["student_code"] for r in theirs if r["student_code"]]
    school_ids = sorted({m.schools[r["school_id"]] for r in theirs})
    ours: list[dict[str, Any]] = []
    for part in chunks(codes):
        ours += [dict(r._mapping) for r in m.s.execute(query.where(st.student_code.in_(part)))]
    for part in chunks(school_ids):
        ours += [dict(r._mapping) for r in m.s.execute(query.where(st.school_id.in_(part)))]
    index = our_index(ours)
    our_times = _student_times(m.s.connection(), sorted({int(r["id"]) for r in ours}))

    for row in theirs:
        school_id = m.schools[row["school_id"]]
        code = row["student_code"]
        key = code or f"{row['full_name']} ({stored_birth_key(row) or '?'})"
        m.keys[row["id"]] = key
        who = their_who(row, school_id)
        found = index.find(who)
        if found is not None and _someone_else(found, who):
            _hold_back(m, row, school_id)
            continue
        their_time = max(naive(row["created_at"]), their_times.get(row["id"], EPOCH))
        m.their_student_time[row["id"]] = their_time
        if found is None:
            _add_student(m, row, school_id)
            index.add(who, row)
            continue
        m.people[row["person_id"]] = int(found["person_id"])
        m.students[row["id"]] = int(found["id"])
        our_time = max(
            naive(found["created_at"]),
            naive(found["updated_at"]) if found["updated_at"] else EPOCH,
            our_times.get(int(found["id"]), EPOCH),
        )
        m.our_student_time[int(found["id"])] = our_time
        newer = incoming_wins(Said(at=our_time), Said(at=their_time))
        _student_values(m, row, found, key, school_id, newer)


def _someone_else(found: dict[str, Any], who: Who) -> bool:
    """Their student has the code of one of ours at another school, and name and birth say it
    is another person: a mistyped code at one of the schools, not a transfer (as an import
    refuses such a row, roster/writer)."""
    if not who.code or found["school_id"] == who.school_id:
        return False
    ours = Who(found["student_code"], int(found["school_id"]), found["name_key"],
               stored_birth_key(found))  # fmt: skip
    return not same_person(ours, who)


def _hold_back(m: Merger, row: dict[str, Any], school_id: int) -> None:
    name = m.s.execute(select(school_t.c.name).where(school_t.c.id == school_id)).scalar_one()
    m.report.held_back.append(HeldBack(str(row["student_code"]), int(row["id"]), str(name)))
    m.held_students.add(int(row["id"]))
    m.held_people.add(int(row["person_id"]))


def _add_student(m: Merger, row: dict[str, Any], school_id: int) -> None:
    """A student of theirs that we do not have: a new person and student."""
    person_id = m.insert(
        person_t,
        {
            **{f: row[f] for f in PERSON_FIELDS},
            "name_key": row["name_key"],
            "created_at": row["created_at"],
        },
    )
    student_id = m.insert(
        student_t,
        {
            **{c.name: row[c.name] for c in student_t.c},
            "person_id": person_id,
            "school_id": school_id,
            "roster_hash": None,
            "created_batch_id": m.batch(row["created_batch_id"]),
        },
    )
    m.people[row["person_id"]] = person_id
    m.students[row["id"]] = student_id


def _student_values(
    m: Merger,
    row: dict[str, Any],
    found: dict[str, Any],
    key: str,
    school_id: int,
    theirs_newer: bool,
) -> None:
    person_vals: dict[str, Any] = {}
    student_vals: dict[str, Any] = {}
    our_id = int(found["id"])
    for f in PERSON_FIELDS:
        if row[f] != found[f] and row[f] is not None:
            m.conflict(
                "student", key, f, found[f], row[f], theirs_newer=theirs_newer,
                student_id=our_id,
            )  # fmt: skip
            if theirs_newer:
                person_vals[f] = row[f]
    if person_vals.get("full_name") is not None:
        person_vals["name_key"] = row["name_key"]
        student_vals["name_key"] = row["name_key"]
    their = {"student_code": row["student_code"], "school_id": school_id, "extra": row["extra"]}
    for f, value in their.items():
        if value is not None and value != found[f]:
            # The summary names the schools; the history keeps their ids, as imports do.
            shown = (m.school_name(found[f]), m.school_name(value)) if f == "school_id" else None
            m.conflict(
                "student", key, f, found[f], value, theirs_newer=theirs_newer,
                student_id=our_id, shown=shown,
            )  # fmt: skip
            if theirs_newer:
                student_vals[f] = value
    if person_vals:
        m.write(update(person_t).where(person_t.c.id == found["person_id"]).values(person_vals))
    if person_vals or student_vals:
        # A roster-held value changed: the next import of the same row must not skip it.
        # updated_at takes their time, so that merging the same file again is a no-op.
        student_vals |= {
            "roster_hash": None,
            "updated_at": row["updated_at"] or row["created_at"],
        }
        m.write(update(student_t).where(student_t.c.id == our_id).values(student_vals))
    else:
        m.same(student_t)


def pairs(conn: Connection | Any) -> list[tuple[int, int]]:
    return [
        (int(s), int(p)) for s, p in conn.execute(select(student_t.c.id, student_t.c.person_id))
    ]


def _student_times(conn: Connection, ids: list[int] | None = None) -> dict[int, datetime]:
    """Student id → when an import (or a command) last changed them, by the audit log; the
    entries a merge wrote do not count, so that merging cannot make old values look new."""
    from sqlalchemy import func

    a = audit_t.c
    query = (
        select(a.entity_id, func.max(a.at))
        .where(a.entity == "student", a.entity_id.is_not(None), a.action != ACTION)
        .group_by(a.entity_id)
    )
    out: dict[int, datetime] = {}
    if ids is None:
        return {int(i): naive(at) for i, at in conn.execute(query)}
    for part in chunks(ids):
        for i, at in conn.execute(query.where(a.entity_id.in_(part))):
            out[int(i)] = naive(at)
    return out
