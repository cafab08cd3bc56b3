"""Party units: the tree of any depth above the schools, and finding one by name."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dangvien_cli.errors import AmbiguousError, NotFoundError
from dangvien_cli.models import school_t, unit_t
from dangvien_cli.text import collation_key, fold


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


def schools_under(session: Session, unit_id: int) -> set[int]:
    units = descendant_units(session, unit_id)
    return {
        int(i)
        for (i,) in session.execute(select(school_t.c.id).where(school_t.c.unit_id.in_(units)))
    }
