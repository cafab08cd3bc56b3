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
    """Their units, each under its parent: a new unit is added; a unit we have keeps our parent.
    Ours without a parent takes theirs, unless that would put it under itself (the school's tree
    the other way round): a parent that differs is a conflict, never a cycle."""
    theirs = rows(m.src, unit_t)
    ours = {r.name_key: r for r in m.s.execute(select(unit_t))}
    parents = {int(r.id): r.parent_id for r in ours.values()}
    names = {int(r.id): str(r.name) for r in ours.values()}
    by_id = {r["id"]: r for r in theirs}
    for row in _parents_first(theirs, by_id):
        parent_id = m.units.get(row["parent_id"]) if row["parent_id"] is not None else None
        found = ours.get(row["name_key"])
        if found is None:
            new_id = m.insert(unit_t, {**row, "parent_id": parent_id})
            m.units[row["id"]] = new_id
            parents[new_id], names[new_id] = parent_id, row["name"]
            continue
        m.units[row["id"]] = our_id = int(found.id)
        ours_parent = parents.get(our_id)
        if ours_parent is None and parent_id is not None and not _above(parents, our_id, parent_id):
            m.write(update(unit_t).where(unit_t.c.id == our_id).values(parent_id=parent_id))
            parents[our_id] = parent_id
        elif parent_id is not None and ours_parent != parent_id:
            shown = (names.get(ours_parent) if ours_parent else None, names.get(parent_id))
            m.report.conflicts.append(Conflict("unit", row["name"], "parent", *shown, "ours"))
        m.same(unit_t)


def _parents_first(
    theirs: list[dict[str, Any]], by_id: dict[int, dict[str, Any]]
) -> list[dict[str, Any]]:
    """Their units, each after its parent (the file was checked: a tree, a few levels deep)."""
    done: set[int] = set()
    out: list[dict[str, Any]] = []
    for row in theirs:
        chain = []
        node: dict[str, Any] | None = row
        while node is not None and node["id"] not in done:
            chain.append(node)
            done.add(node["id"])
            node = by_id.get(node["parent_id"]) if node["parent_id"] is not None else None
        out += reversed(chain)
    return out


def _above(parents: dict[int, Any], unit_id: int, candidate: int) -> bool:
    """Whether `unit_id` is `candidate` or above it in our tree (so that `candidate` cannot
    become its parent)."""
    seen: set[int] = set()
    node: int | None = candidate
    while node is not None and node not in seen:
        if node == unit_id:
            return True
        seen.add(node)
        node = parents.get(node)
    return False


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
            m.write(update(school_t).where(school_t.c.id == found.id).values(fill))
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
            m.write(
                update(target_t)
                .where(t.id == found.id)
                .values(class_target=theirs[0], admitted_target=theirs[1],
                        created_at=row["created_at"])
            )  # fmt: skip
