"""Party units: the tree of any depth above the schools, and finding one by name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from dangvien_cli.core.errors import AmbiguousError, NotFoundError, UsageError
from dangvien_cli.core.text import clean, collation_key, fold
from dangvien_cli.db.audit import Stamp
from dangvien_cli.db.models import school_t, unit_t

UNIT_KINDS = {
    "tinh": "Tỉnh ủy / Đảng bộ tỉnh",
    "huyen": "Huyện ủy (trước 7/2025)",
    "xa": "Đảng ủy xã",
    "phuong": "Đảng ủy phường",
    "dac-khu": "Đảng ủy đặc khu",
    "dang-uy-co-so": "Đảng ủy cơ sở",
    "khac": "Khác",
}


def resolve_unit(session: Session, query: str) -> tuple[int, str]:
    """The one unit whose name matches (whole name first, then any part, without diacritics)."""
    key = fold(query)
    units = [
        (int(i), str(n), str(k))
        for i, n, k in session.execute(select(unit_t.c.id, unit_t.c.name, unit_t.c.name_key))
    ]
    for level in (lambda k: k == key, lambda k: key in k):
        found = [(i, n) for i, n, k in units if level(k)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            names = "; ".join(sorted((n for _, n in found), key=collation_key))
            raise AmbiguousError(f"“{query}” khớp với {len(found)} đơn vị: {names}.")
    known = ", ".join(sorted((n for _, n, _ in units), key=collation_key)) or "(chưa có)"
    raise NotFoundError(f"Không có đơn vị nào khớp “{query}”. Các đơn vị đã có: {known}.")


def descendant_units(session: Session, unit_id: int) -> set[int]:
    """The unit and every unit below it, however deep."""
    children: dict[int, list[int]] = {}
    for uid, parent in session.execute(select(unit_t.c.id, unit_t.c.parent_id)):
        if parent is not None:
            children.setdefault(int(parent), []).append(int(uid))
    out = {unit_id}
    todo = [unit_id]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in out:
                out.add(child)
                todo.append(child)
    return out


def unit_cycles(parents: dict[int, int | None]) -> list[list[int]]:
    """The cycles of a unit tree given as unit id → parent id: each cycle's units, from its
    smallest id up the parent links. A tree has none; an older version's merge could make one."""
    done: set[int] = set()
    out: list[list[int]] = []
    for start in sorted(parents):
        path: dict[int, int] = {}  # unit → its place on the path walked from `start`
        node: int | None = start
        while node is not None and node not in done and node not in path:
            path[node] = len(path)
            node = parents.get(node)
        if node is not None and node in path:  # came back onto this walk: a cycle
            cycle = list(path)[path[node] :]
            first = cycle.index(min(cycle))
            out.append(cycle[first:] + cycle[:first])
        done.update(path)
    return out


def unit_parents(session: Session) -> dict[int, int | None]:
    """unit id → its parent's id, for every unit."""
    return {
        int(i): None if p is None else int(p)
        for i, p in session.execute(select(unit_t.c.id, unit_t.c.parent_id))
    }


def schools_under(session: Session, unit_id: int) -> set[int]:
    units = descendant_units(session, unit_id)
    return {
        int(i)
        for (i,) in session.execute(select(school_t.c.id).where(school_t.c.unit_id.in_(units)))
    }


def add_unit(
    session: Session, name: str, *, kind: str, parent: str | None, stamp: Stamp
) -> tuple[int, str]:
    name = clean(name)
    if kind not in UNIT_KINDS:
        raise UsageError(f"Loại đơn vị “{kind}” không có; hãy dùng: {', '.join(UNIT_KINDS)}.")
    exists = session.execute(select(unit_t.c.id).where(unit_t.c.name_key == fold(name))).first()
    if exists is not None:
        raise UsageError(f"Đã có đơn vị “{name}”.")
    parent_id = resolve_unit(session, parent)[0] if parent else None
    new_id = session.execute(
        insert(unit_t)
        .returning(unit_t.c.id)
        .values(
            name=name, name_key=fold(name), kind=kind, parent_id=parent_id, created_at=stamp.now
        )
    ).scalar_one()
    stamp.log(
        session, action="add", entity="unit", entity_id=int(new_id), changes={"parent": parent_id}
    )
    return int(new_id), name


def move_unit(session: Session, name: str, *, parent: str | None, stamp: Stamp) -> None:
    unit_id, unit_name = resolve_unit(session, name)
    parent_id = resolve_unit(session, parent)[0] if parent else None
    if parent_id is not None and parent_id in descendant_units(session, unit_id):
        raise UsageError(f"Không thể đặt “{unit_name}” dưới chính nó hoặc một đơn vị con của nó.")
    old = session.execute(select(unit_t.c.parent_id).where(unit_t.c.id == unit_id)).scalar_one()
    session.execute(update(unit_t).where(unit_t.c.id == unit_id).values(parent_id=parent_id))
    stamp.log(
        session,
        action="move",
        entity="unit",
        entity_id=unit_id,
        changes={"parent": [old, parent_id]},
    )


@dataclass(frozen=True)
class UnitNode:
    id: int
    name: str
    kind: str | None
    parent_id: int | None


def unit_tree(session: Session) -> tuple[dict[int, UnitNode], dict[int | None, list[int]]]:
    """Every unit, and the children of each (None: the top level), sorted the Vietnamese way."""
    nodes = {
        int(i): UnitNode(int(i), str(n), k, p)
        for i, n, k, p in session.execute(
            select(unit_t.c.id, unit_t.c.name, unit_t.c.kind, unit_t.c.parent_id)
        )
    }
    # A cycle (made by an older version's merge; `check` reports it) is cut at its smallest
    # unit, shown at the top level: every unit appears once and no walk goes round forever.
    parents = {i: n.parent_id if n.parent_id in nodes else None for i, n in nodes.items()}
    for cycle in unit_cycles(parents):
        parents[cycle[0]] = None
    children: dict[int | None, list[int]] = {}
    for uid, parent in parents.items():
        children.setdefault(parent, []).append(uid)
    for ids in children.values():
        ids.sort(key=lambda i: collation_key(nodes[i].name))
    return nodes, children


def schools_by_unit(session: Session) -> dict[int | None, list[str]]:
    """The names of the schools of each unit (None: those in no unit), sorted the Vietnamese
    way."""
    by_unit: dict[int | None, list[str]] = {}
    for name, unit_id in session.execute(select(school_t.c.name, school_t.c.unit_id)):
        by_unit.setdefault(unit_id, []).append(str(name))
    for names in by_unit.values():
        names.sort(key=collation_key)
    return by_unit


def unit_listing(session: Session) -> dict[str, Any]:
    """Every unit as a tree (`unit list`): each with its name, kind, schools and the units
    under it; and the schools in no unit. Plain data, as `--json` prints it."""
    nodes, children = unit_tree(session)
    by_unit = schools_by_unit(session)

    def tree(unit_id: int) -> dict[str, Any]:
        node = nodes[unit_id]
        return {
            "name": node.name,
            "kind": node.kind,
            "schools": by_unit.get(unit_id, []),
            "units": [tree(c) for c in children.get(unit_id, [])],
        }

    return {
        "units": [tree(u) for u in children.get(None, [])],
        "schools_without_unit": by_unit.get(None, []),
    }
