"""Plan targets: set on a unit or a school for a period, and listed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from dangvien_cli.core.calendar import Period
from dangvien_cli.core.errors import UsageError
from dangvien_cli.core.text import collation_key
from dangvien_cli.db.audit import Stamp
from dangvien_cli.db.models import school_t, target_t, unit_t


@dataclass(frozen=True)
class TargetRow:
    owner: str
    owner_kind: str  # unit | school
    period: Period
    class_target: int | None
    admitted_target: int | None


def set_target(
    session: Session,
    *,
    unit: str | None,
    school: str | None,
    period: Period,
    class_target: int | None,
    admitted_target: int | None,
    stamp: Stamp,
) -> tuple[str, bool]:
    """Set (or replace) the target of a unit or a school for exactly this period."""
    from dangvien_cli.organisation.schools import resolve_school
    from dangvien_cli.organisation.units import resolve_unit

    if (unit is None) == (school is None):
        raise UsageError("Chỉ tiêu là của một đơn vị (--unit) hoặc một trường (--school).")
    if class_target is None and admitted_target is None:
        raise UsageError("Hãy ghi ít nhất một chỉ tiêu: --class N và/hoặc --admitted N.")
    for value in (class_target, admitted_target):
        if value is not None and value < 0:
            raise UsageError("Chỉ tiêu không thể là số âm.")
    t = target_t.c
    if unit is not None:
        owner_id, owner = resolve_unit(session, unit)
        where = [t.unit_id == owner_id]
        owner_cols: dict[str, Any] = {"unit_id": owner_id, "school_id": None}
    else:
        found = resolve_school(session, school or "")
        assert found.id is not None
        owner_id, owner = found.id, found.name
        where = [t.school_id == owner_id]
        owner_cols = {"unit_id": None, "school_id": owner_id}
    where += [t.period_start == period.start, t.period_end == period.end]
    old = session.execute(select(t.class_target, t.admitted_target).where(*where)).first()
    replaced = old is not None
    session.execute(delete(target_t).where(*where))
    session.execute(
        insert(target_t).values(
            **owner_cols,
            period_start=period.start,
            period_end=period.end,
            period_label=period.label,
            class_target=class_target,
            admitted_target=admitted_target,
            created_at=stamp.now,
        )
    )
    stamp.log(
        session,
        action="target",
        entity="unit" if unit is not None else "school",
        entity_id=owner_id,
        changes={
            "period": period.as_json(),
            "class": [old[0] if old else None, class_target],
            "admitted": [old[1] if old else None, admitted_target],
        },
    )
    return owner, replaced


def list_targets(session: Session) -> list[TargetRow]:
    t, u, s = target_t.c, unit_t.c, school_t.c
    rows = []
    for unit_name, school_name, start, end, label, class_target, admitted in session.execute(
        select(u.name, s.name, t.period_start, t.period_end, t.period_label, t.class_target,
               t.admitted_target)
        .outerjoin(unit_t, u.id == t.unit_id)
        .outerjoin(school_t, s.id == t.school_id)
    ):  # fmt: skip
        kind = "unit" if unit_name is not None else "school"
        rows.append(
            TargetRow(
                owner=str(unit_name if unit_name is not None else school_name),
                owner_kind=kind,
                period=Period(start, end, str(label), "", ""),
                class_target=class_target,
                admitted_target=admitted,
            )
        )
    return sorted(rows, key=lambda r: (r.period.start, r.owner_kind, collation_key(r.owner)))
