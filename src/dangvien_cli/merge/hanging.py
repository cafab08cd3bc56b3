"""Merging what hangs on a student: enrollments, term results, the Youth Union membership and
the admission milestones; on differing values the later import (or roster) wins."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import update

from dangvien_cli.db.models import enrollment_t, milestone_t, result_t, youth_t
from dangvien_cli.merge.merger import Merger
from dangvien_cli.merge.source import rows
from dangvien_cli.merge.students import pairs
from dangvien_cli.roster.identity import Said, incoming_wins
from dangvien_cli.roster.records import grades_for_log

__all__ = ["enrollments", "milestones", "results", "youth", "youth_newer"]

RESULT_FIELDS = ("academic", "academic_scale", "academic_rank", "conduct", "conduct_scale",
                 "conduct_rank")  # fmt: skip
MILESTONE_KEY = ("step", "on_date", "doc_number", "mentor", "note")


def enrollments(m: Merger) -> None:
    ours = {
        (r["student_id"], r["school_year_id"]): r
        for r in m.ours_for(enrollment_t, "student_id", sorted(set(m.students.values())))
    }
    for row in rows(m.src, enrollment_t):
        if row["student_id"] in m.held_students:
            continue
        sid, yid = m.students[row["student_id"]], m.years[row["school_year_id"]]
        batch = m.batch(row["batch_id"])
        found = ours.get((sid, yid))
        if found is None:
            m.insert(
                enrollment_t,
                {**row, "student_id": sid, "school_year_id": yid, "batch_id": batch},
            )
            continue
        if row["class_name"] is None or row["class_name"] == found["class_name"]:
            m.same(enrollment_t)
            continue
        newer = _newer_import(m, found["batch_id"], row["batch_id"])
        m.conflict(
            "enrollment", f"{m.keys[row['student_id']]} {m.year_label(yid)}",
            "class_name", found["class_name"], row["class_name"], theirs_newer=newer,
            student_id=sid,
        )  # fmt: skip
        if newer:
            m.write(
                update(enrollment_t)
                .where(enrollment_t.c.id == found["id"])
                .values(class_name=row["class_name"], grade=row["grade"], batch_id=batch)
            )
            m.touch(sid)


def results(m: Merger) -> None:
    ours = {
        (r["student_id"], r["school_year_id"], r["term"]): r
        for r in m.ours_for(result_t, "student_id", sorted(set(m.students.values())))
    }
    for row in rows(m.src, result_t):
        if row["student_id"] in m.held_students:
            continue
        sid, yid = m.students[row["student_id"]], m.years[row["school_year_id"]]
        batch = m.batch(row["batch_id"])
        found = ours.get((sid, yid, row["term"]))
        if found is None:
            m.insert(result_t, {**row, "student_id": sid, "school_year_id": yid, "batch_id": batch})
            continue
        theirs = {f: row[f] for f in RESULT_FIELDS}
        mine = {f: found[f] for f in RESULT_FIELDS}
        if theirs == mine:
            m.same(result_t)
            continue
        newer = _newer_import(m, found["batch_id"], row["batch_id"])
        m.conflict(
            "term_result",
            f"{m.keys[row['student_id']]} {m.year_label(yid)}",
            f"result.{row['term']}",
            grades_for_log(mine),
            grades_for_log(theirs),
            theirs_newer=newer,
            student_id=sid,
        )
        if newer:
            m.write(
                update(result_t)
                .where(result_t.c.id == found["id"])
                .values(**theirs, batch_id=batch)
            )
            m.touch(sid)


def _newer_import(m: Merger, ours: int | None, theirs: int | None) -> bool:
    """Whether their value wins over ours: theirs came with the later import."""
    return incoming_wins(Said(at=m.ours_at(ours)), Said(at=m.theirs_at(theirs)))


def youth_newer(
    ours: dict[str, Any], theirs: dict[str, Any], our_time: datetime, their_time: datetime
) -> bool:
    """Whether their Youth Union row wins over ours: the later roster, then the later import."""
    stored = Said(ours["roster_year"], ours["roster_term"], our_time)
    return incoming_wins(stored, Said(theirs["roster_year"], theirs["roster_term"], their_time))


def youth(m: Merger) -> None:
    ours = {
        r["person_id"]: r for r in m.ours_for(youth_t, "person_id", sorted(set(m.people.values())))
    }
    person_student = {p: s for s, p in pairs(m.src)}
    for row in rows(m.src, youth_t):
        if row["person_id"] in m.held_people and row["person_id"] not in m.people:
            continue
        pid = m.people[row["person_id"]]
        batch = m.batch(row["batch_id"])
        found = ours.get(pid)
        if found is None:
            m.insert(youth_t, {**row, "person_id": pid, "batch_id": batch})
            continue
        if (row["is_member"], row["joined_on"]) == (found["is_member"], found["joined_on"]):
            m.same(youth_t)
            continue
        newer = youth_newer(found, row, m.ours_at(found["batch_id"]), m.theirs_at(row["batch_id"]))
        their_student = person_student.get(row["person_id"])
        sid = m.students.get(their_student) if their_student is not None else None
        m.conflict(
            "youth_union", m.keys.get(their_student or -1, str(pid)), "youth_union",
            [found["is_member"], found["joined_on"]], [row["is_member"], row["joined_on"]],
            theirs_newer=newer, student_id=sid,
        )  # fmt: skip
        if newer:
            values = {k: row[k] for k in ("is_member", "joined_on", "roster_year", "roster_term")}
            m.write(
                update(youth_t).where(youth_t.c.id == found["id"]).values(**values, batch_id=batch)
            )
            if sid is not None:
                m.touch(sid)


def milestones(m: Merger) -> None:
    ours: dict[tuple[Any, ...], int] = {}
    for r in m.ours_for(milestone_t, "person_id", sorted(set(m.people.values()))):
        ours.setdefault(_milestone_key(r, r["person_id"]), int(r["id"]))
    for row in rows(m.src, milestone_t):
        if row["person_id"] in m.held_people and row["person_id"] not in m.people:
            continue
        pid = m.people[row["person_id"]]
        key = _milestone_key(row, pid)
        found = ours.get(key)
        if found is not None:
            m.milestones[row["id"]] = found
            m.same(milestone_t)
            continue
        replaces = m.milestones.get(row["replaces_id"]) if row["replaces_id"] else None
        new_id = m.insert(
            milestone_t,
            {
                **row,
                "person_id": pid,
                "replaces_id": replaces,
                "batch_id": m.batch(row["batch_id"]),
            },
        )
        m.milestones[row["id"]] = ours[key] = new_id


def _milestone_key(row: dict[str, Any] | Any, person_id: int) -> tuple[Any, ...]:
    return (person_id, *(row[k] for k in MILESTONE_KEY))
