"""Merging the organisation: units (with their parents), schools, school years, import batches and
targets — matched by name, start year, file and time, or period."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from dangvien_cli.db.models import batch_t, school_t, target_t, unit_t, year_t
from dangvien_cli.merge.merger import Merger
from dangvien_cli.merge.report import Conflict
from dangvien_cli.merge.source import rows
from dangvien_cli.roster.identity import Said, incoming_wins

__all__ = ["batches", "schools", "targets", "units", "years"]


def units(m: Merger) -> None:
    theirs = rows(m.src, unit_t)
    ours = {r.name_key: r for r in m.s.execute(select(unit_t))}
    by_id = {r["id"]: r for r in theirs}
    done: set[int] = set()

    def place(row: dict[str, Any]) -> None:
        if row["id"] in done:
            return
        done.add(row["id"])
        parent = by_id.get(row["parent_id"]) if row["parent_id"] is not None else None
        if parent is not None:
            place(parent)
        parent_id = m.units.get(row["parent_id"]) if row["parent_id"] is not None else None
        found = ours.get(row["name_key"])
        if found is None:
            m.units[row["id"]] = m.insert(unit_t, {**row, "parent_id": parent_id})
            return
        m.units[row["id"]] = int(found.id)
        if found.parent_id is None and parent_id is not None:
            m.s.execute(update(unit_t).where(unit_t.c.id == found.id).values(parent_id=parent_id))
        elif parent_id is not None and found.parent_id != parent_id:
            m.report.conflicts.append(
                Conflict("unit", row["name"], "parent_id", found.parent_id, parent_id, "ours")
            )
        m.same(unit_t)

    for row in theirs:
        place(row)


def schools(m: Merger) -> None:
    ours = {r.name_key: r for r in m.s.execute(select(school_t))}
    for row in rows(m.src, school_t):
        unit_id = m.units.get(row["unit_id"]) if row["unit_id"] is not None else None
        found = ours.get(row["name_key"])
        if found is None:
            m.schools[row["id"]] = m.insert(school_t, {**row, "unit_id": unit_id})
            continue
        m.schools[row["id"]] = int(found.id)
        fill = {}
        if found.unit_id is None and unit_id is not None:
            fill["unit_id"] = unit_id
        if found.party_cell is None and row["party_cell"] is not None:
            fill["party_cell"] = row["party_cell"]
        if fill:
            m.s.execute(update(school_t).where(school_t.c.id == found.id).values(fill))
        if unit_id is not None and found.unit_id not in (None, unit_id):
            m.report.conflicts.append(
                Conflict("school", row["name"], "unit_id", found.unit_id, unit_id, "ours")
            )
        m.same(school_t)


def years(m: Merger) -> None:
    ours = {int(y): int(i) for i, y in m.s.execute(select(year_t.c.id, year_t.c.start_year))}
    for row in rows(m.src, year_t):
        found = ours.get(row["start_year"])
        if found is None:
            m.years[row["id"]] = m.insert(year_t, row)
        else:
            m.years[row["id"]] = found
            m.same(year_t)


def batches(m: Merger) -> None:
    b = batch_t.c
    for row in rows(m.src, batch_t):
        m.their_batch_time[row["id"]] = row["imported_at"]
        found = m.s.execute(
            select(b.id).where(b.sha256 == row["sha256"], b.imported_at == row["imported_at"])
        ).scalar()
        if found is not None:
            m.batches[row["id"]] = int(found)
            m.same(batch_t)
            continue
        values = {
            **row,
            "school_id": m.schools.get(row["school_id"]) if row["school_id"] else None,
            "school_year_id": (
                m.years.get(row["school_year_id"]) if row["school_year_id"] else None
            ),
        }
        m.batches[row["id"]] = m.insert(batch_t, values)


def targets(m: Merger) -> None:
    t = target_t.c
    for row in rows(m.src, target_t):
        unit_id = m.units.get(row["unit_id"]) if row["unit_id"] is not None else None
        school_id = m.schools.get(row["school_id"]) if row["school_id"] is not None else None
        owner = t.unit_id == unit_id if unit_id is not None else t.school_id == school_id
        found = m.s.execute(
            select(target_t).where(
                owner, t.period_start == row["period_start"], t.period_end == row["period_end"]
            )
        ).first()
        values = {**row, "unit_id": unit_id, "school_id": school_id}
        if found is None:
            m.insert(target_t, values)
            continue
        theirs = (row["class_target"], row["admitted_target"])
        mine = (found.class_target, found.admitted_target)
        if theirs == mine:
            m.same(target_t)
            continue
        newer = incoming_wins(Said(at=found.created_at), Said(at=row["created_at"]))
        m.conflict(
            "target", f"{row['period_label']}", "class_target/admitted_target",
            list(mine), list(theirs), theirs_newer=newer, student_id=None,
        )  # fmt: skip
        if newer:
            m.s.execute(
                update(target_t)
                .where(t.id == found.id)
                .values(class_target=theirs[0], admitted_target=theirs[1],
                        created_at=row["created_at"])
            )  # fmt: skip
