"""The organisation: adding and moving units and schools, and the plan targets set on them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from dangvien_cli.audit import log
from dangvien_cli.errors import UsageError
from dangvien_cli.models import school_t, target_t, unit_t
from dangvien_cli.reports.model import Period
from dangvien_cli.rules.settings import Rules
from dangvien_cli.text import clean, collation_key, fold

UNIT_KINDS = {
    "tinh": "Tỉnh ủy / Đảng bộ tỉnh",
    "huyen": "Huyện ủy (trước 7/2025)",
    "xa": "Đảng ủy xã",
    "phuong": "Đảng ủy phường",
    "dac-khu": "Đảng ủy đặc khu",
    "dang-uy-co-so": "Đảng ủy cơ sở",
    "khac": "Khác",
}


@dataclass
class Stamp:
    """Who does a change, when, with which command: for the audit log."""

    now: datetime
    user: str | None
    command: str

    def log(self, session: Session, **entry: Any) -> None:
        log(session, now=self.now, user=self.user, command=self.command, **entry)


def add_unit(
    session: Session, name: str, *, kind: str, parent: str | None, stamp: Stamp
) -> tuple[int, str]:
    from dangvien_cli.units import resolve_unit

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
    from dangvien_cli.units import descendant_units, resolve_unit

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


def add_school(session: Session, name: str, *, unit: str | None, stamp: Stamp) -> tuple[int, str]:
    from dangvien_cli.importing.store import ensure_school, find_school
    from dangvien_cli.units import resolve_unit

    name = clean(name)
    if find_school(session, name) is not None:
        raise UsageError(f"Đã có trường “{name}”. Dùng `dangvien school move` để đổi đơn vị.")
    school_id, school_name, _ = ensure_school(session, name, stamp.now)
    if unit:
        unit_id = resolve_unit(session, unit)[0]
        session.execute(update(school_t).where(school_t.c.id == school_id).values(unit_id=unit_id))
    stamp.log(session, action="add", entity="school", entity_id=school_id, changes={"unit": unit})
    return school_id, school_name


def move_school(
    session: Session, name: str, *, unit: str, on: date, stamp: Stamp
) -> tuple[str, str | None, str]:
    """Put a school under another unit; its students and records stay as they are, and the
    move is kept in the audit log with its date."""
    from dangvien_cli.schools import resolve_school
    from dangvien_cli.units import resolve_unit

    school = resolve_school(session, name)
    unit_id, unit_name = resolve_unit(session, unit)
    old_name = None
    if school.unit_id is not None:
        old_name = session.execute(
            select(unit_t.c.name).where(unit_t.c.id == school.unit_id)
        ).scalar_one_or_none()
    session.execute(update(school_t).where(school_t.c.id == school.id).values(unit_id=unit_id))
    stamp.log(
        session,
        action="move",
        entity="school",
        entity_id=school.id,
        changes={"unit": [school.unit_id, unit_id], "on": on.isoformat()},
    )
    return school.name, old_name, unit_name


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
    children: dict[int | None, list[int]] = {}
    for node in nodes.values():
        children.setdefault(node.parent_id, []).append(node.id)
    for ids in children.values():
        ids.sort(key=lambda i: collation_key(nodes[i].name))
    return nodes, children


# -- periods and targets -----------------------------------------------------------------


def period_of(
    *,
    year: int | None,
    school_year: int | None,
    start: date | None,
    end: date | None,
    rules: Rules,
) -> Period:
    """The period a report or target is for: exactly one of a year, a school year, a range."""
    given = sum(x is not None for x in (year, school_year)) + (start is not None or end is not None)
    if given != 1:
        raise UsageError(
            "Hãy chọn đúng một kỳ: --year 2024, --school-year 2024-2025, hoặc --from … --to …."
        )
    if year is not None:
        return Period(date(year, 1, 1), date(year, 12, 31), f"năm {year}", "year", str(year))
    if school_year is not None:
        first = school_year_start(school_year, rules)
        last = school_year_start(school_year + 1, rules) - timedelta(days=1)
        label = f"{school_year}-{school_year + 1}"
        return Period(first, last, f"năm học {label}", "school_year", label)
    if start is None or end is None:
        raise UsageError("Khoảng thời gian cần cả --from và --to.")
    if end < start:
        raise UsageError(f"--to ({end:%d/%m/%Y}) trước --from ({start:%d/%m/%Y}).")
    return Period(
        start,
        end,
        f"từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}",
        "range",
        f"{start.isoformat()}_{end.isoformat()}",
    )


def school_year_start(start_year: int, rules: Rules) -> date:
    day, month = rules.school_year_period_start
    return date(start_year, month, day)


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
    from dangvien_cli.schools import resolve_school
    from dangvien_cli.units import resolve_unit

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
