"""Computing the progress report: each school's figures for a period, rolled up the unit tree."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import Session

from dangvien_cli.admission.facts import find_students
from dangvien_cli.admission.lists import reachable_students
from dangvien_cli.admission.pipeline import ADMITTED, ADMITTED_BY, AWARENESS_CLASS
from dangvien_cli.core.calendar import Period, school_year_start
from dangvien_cli.core.settings import Rules
from dangvien_cli.core.text import collation_key, fold
from dangvien_cli.db.models import enrollment_t, person_t, school_t, student_t, target_t, youth_t
from dangvien_cli.db.settings import current_rules
from dangvien_cli.organisation.units import UnitNode, unit_tree
from dangvien_cli.reports.model import Figures, NamedStudent, Report, ReportRow

if TYPE_CHECKING:
    from dangvien_cli.admission.rules.sql import Judge

NO_RELIGION = frozenset({"", "khong", "khong ton giao", "khong co", "-"})
FIGURE_NAMES = ("class_actual", "admitted_actual", "eligible", "reachable")


@dataclass(frozen=True)
class Scope:
    unit_id: int | None
    school_id: int | None
    name: str


def report_now(period: Period, as_of: date | None, today: date) -> date:
    """'Now' for eligible, conversion and reachable: --as-of, else the earlier of the period's
    end and today."""
    return as_of if as_of is not None else min(period.end, today)


def build_report(
    session: Session,
    *,
    period: Period,
    scope: Scope,
    now: date,
    generated_at: datetime,
    with_names: bool = False,
) -> Report:
    rules = current_rules(session)
    nodes, children = unit_tree(session)
    schools = {
        int(i): (str(n), u)
        for i, n, u in session.execute(select(school_t.c.id, school_t.c.name, school_t.c.unit_id))
    }
    school_ids = _schools_in_scope(session, scope, schools)
    every = scope.school_id is None and scope.unit_id is None
    per_school = _all_figures(session, school_ids, period, now, rules, with_names, everywhere=every)
    tree = _Tree(nodes, children, schools, school_ids, per_school, _targets(session, period))
    rows: list[ReportRow]
    if scope.school_id is not None:
        row = tree.school_row(scope.school_id, 0)
        rows, totals = [row], _copy(row.figures)
    elif scope.unit_id is not None:
        rows, totals = tree.unit_rows(scope.unit_id, 0)
        if rows and rows[-1].level == "unit":
            rows.pop()  # the unit the report is for is the total row
    else:
        rows, totals = tree.every_row()
    return Report(
        period=period,
        scope=scope.name,
        now=now,
        generated_at=generated_at,
        rows=rows,
        totals=totals,
        with_names=with_names,
    )


def _schools_in_scope(
    session: Session, scope: Scope, schools: dict[int, tuple[str, int | None]]
) -> set[int]:
    """The schools the report covers: the one asked for, those under the unit, or every one."""
    if scope.school_id is not None:
        return {scope.school_id}
    if scope.unit_id is not None:
        from dangvien_cli.organisation.units import descendant_units

        under = descendant_units(session, scope.unit_id)
        return {i for i, (_, u) in schools.items() if u in under}
    return set(schools)


SchoolFigures = tuple[Figures, dict[str, list[NamedStudent]]]


@dataclass(frozen=True)
class _Tree:
    """The unit tree with each school's figures: the rows of the report, a unit after its
    schools and sub-units, and the totals rolled up it."""

    nodes: dict[int, UnitNode]  # unit id → its name and parent
    children: dict[int | None, list[int]]  # unit id (None: the top) → its sub-units
    schools: dict[int, tuple[str, int | None]]  # school id → (name, unit id)
    school_ids: set[int]  # the schools in the report
    per_school: dict[int, SchoolFigures]
    targets: dict[TargetKey, TargetPair]

    def school_row(self, sid: int, depth: int) -> ReportRow:
        name, unit_id = self.schools[sid]
        figures, names = self.per_school[sid]
        own = self.targets.get(("school", sid))
        if own is not None:
            figures.class_target, figures.admitted_target = own
        return ReportRow(
            level="school",
            name=name,
            unit=self.nodes[unit_id].name if unit_id in self.nodes else None,
            depth=depth,
            figures=figures,
            names=names,
        )

    def _school_rows(self, unit_id: int | None, depth: int) -> list[ReportRow]:
        """The rows of the schools directly under a unit (None: under none), by name."""
        own = sorted(
            (sid for sid in self.school_ids if self.schools[sid][1] == unit_id),
            key=lambda sid: collation_key(self.schools[sid][0]),
        )
        return [self.school_row(sid, depth) for sid in own]

    def unit_rows(self, unit_id: int, depth: int) -> tuple[list[ReportRow], Figures]:
        """The rows of a unit's subtree (schools, sub-units, then its subtotal row)."""
        rows: list[ReportRow] = []
        parts: list[Figures] = []
        for child in self.children.get(unit_id, []):
            sub, figures = self.unit_rows(child, depth + 1)
            rows += sub
            parts.append(figures)  # a unit with no school yet still brings its target
        for row in self._school_rows(unit_id, depth + 1):
            rows.append(row)
            parts.append(row.figures)
        total = _sum(parts)
        _unit_targets(total, self.targets.get(("unit", unit_id)), parts)
        if not rows and total.class_target is None and total.admitted_target is None:
            return [], total  # nothing to show: no school, no target
        parent = self.nodes[unit_id].parent_id
        rows.append(
            ReportRow(
                level="unit",
                name=self.nodes[unit_id].name,
                unit=self.nodes[parent].name if parent in self.nodes else None,
                depth=depth,
                figures=total,
            )
        )
        return rows, total

    def every_row(self) -> tuple[list[ReportRow], Figures]:
        """Every top unit's subtree, then the schools under no unit, and the grand total."""
        rows: list[ReportRow] = []
        parts: list[Figures] = []
        for top in self.children.get(None, []):
            sub, figures = self.unit_rows(top, 0)
            rows += sub
            parts.append(figures)
        for row in self._school_rows(None, 0):
            rows.append(row)
            parts.append(row.figures)
        totals = _sum(parts)
        _unit_targets(totals, None, parts)
        return rows, totals


@dataclass(frozen=True)
class _Tally:
    """The figures being counted for every school in the report, and who is behind each."""

    figures: dict[int, Figures]
    named: dict[str, list[tuple[int, int]]]  # figure → (school id, student id)
    scope: set[int] | None  # None: every school (no IN (…) of every school)

    def scoped(self, stmt: Select[Any]) -> Select[Any]:
        st = student_t.c
        return stmt if self.scope is None else stmt.where(st.school_id.in_(sorted(self.scope)))

    def name(self, figure: str, sid: int, student_id: int) -> None:
        self.named[figure].append((sid, student_id))


def _all_figures(
    session: Session,
    school_ids: set[int],
    period: Period,
    now: date,
    rules: Rules,
    with_names: bool,
    *,
    everywhere: bool,
) -> dict[int, SchoolFigures]:
    """Every school's figures, each one a grouped query over all the schools at once (the rules
    as SQL: admission.rules.sql), so that a province of a million students takes a few
    queries."""
    from dangvien_cli.admission.rules.sql import Judge

    judge = Judge.at(session, now, rules)
    year_ids = judge.year_ids(_roster_years(period, rules))
    tally = _Tally(
        figures={sid: Figures() for sid in school_ids},
        named={key: [] for key in FIGURE_NAMES},
        scope=None if everywhere else school_ids,
    )
    _count_on_rosters(session, tally, year_ids, now)
    _count_eligible(session, tally, judge, year_ids)
    # Reachable: may still be admitted by the end of the period, before leaving school.
    for student_id, sid in reachable_students(session, judge, period.end, tally.scope):
        tally.figures[sid].reachable += 1
        tally.name("reachable", sid, student_id)
    _count_attended(session, tally, period, now)
    _count_admitted(session, tally, period)
    names = _names(session, tally.named, now, rules) if with_names else {}
    return {
        sid: (tally.figures[sid], names.get(sid, {key: [] for key in FIGURE_NAMES}))
        for sid in school_ids
    }


def _count_on_rosters(session: Session, tally: _Tally, year_ids: list[int], now: date) -> None:
    """On the rosters of the period, and of them Youth Union members now: one pass over every
    student, the heaviest query of the report."""
    from dangvien_cli.admission.rules.sql import on_rosters, youth_union_ok

    st, yu = student_t.c, youth_t.c
    members = func.sum(case((youth_union_ok(now), 1), else_=0))
    students_with_youth = student_t.outerjoin(youth_t, yu.person_id == st.person_id)
    roster_filter = [on_rosters(year_ids)]
    if len(year_ids) == 1:
        # One school year: a join, which SQLite does in half the time of a correlated EXISTS;
        # "+ 0" keeps it from starting at enrollment's school-year index (a slower plan).
        e = enrollment_t.c
        roster = and_(e.student_id == st.id, e.school_year_id + 0 == year_ids[0])
        students_with_youth = student_t.join(enrollment_t, roster).outerjoin(
            youth_t, yu.person_id == st.person_id
        )
        roster_filter = []
    for sid, students, youth in session.execute(
        tally.scoped(
            select(st.school_id, func.count(), members)
            .select_from(students_with_youth)
            .where(*roster_filter)
            .group_by(st.school_id)
        )
    ):
        tally.figures[int(sid)].students = int(students)
        tally.figures[int(sid)].youth_union_members = int(youth or 0)


def _count_eligible(session: Session, tally: _Tally, judge: Judge, year_ids: list[int]) -> None:
    """Eligible now (and on a roster of the period)."""
    from dangvien_cli.admission.rules.sql import on_rosters, students_where

    conds = [*judge.eligible(), on_rosters(year_ids)]
    for student_id, sid in session.execute(students_where(conds, tally.scope)):
        tally.figures[int(sid)].eligible += 1
        tally.name("eligible", int(sid), int(student_id))


def _count_attended(session: Session, tally: _Tally, period: Period, now: date) -> None:
    """Attended the awareness class in the period, and of them admitted by now."""
    from dangvien_cli.admission.rules.sql import effective_steps

    st = student_t.c
    attended = effective_steps((AWARENESS_CLASS,), since=period.start, until=period.end)
    admitted_now = effective_steps(ADMITTED_BY, until=now)
    for student_id, sid, admitted in session.execute(
        tally.scoped(
            select(st.id, st.school_id, st.person_id.in_(admitted_now)).where(
                st.person_id.in_(attended)
            )
        )
    ):
        f = tally.figures[int(sid)]
        f.class_actual += 1
        f.attended += 1
        f.attended_admitted += 1 if admitted else 0
        tally.name("class_actual", int(sid), int(student_id))


def _count_admitted(session: Session, tally: _Tally, period: Period) -> None:
    """Admitted (decided) in the period, and who they are."""
    from dangvien_cli.admission.rules.sql import effective_steps

    st, p = student_t.c, person_t.c
    decided = effective_steps((ADMITTED,), since=period.start, until=period.end)
    for student_id, sid, gender, ethnicity, religion in session.execute(
        tally.scoped(
            select(st.id, st.school_id, p.gender, p.ethnicity, p.religion)
            .join(person_t, p.id == st.person_id)
            .where(st.person_id.in_(decided))
        )
    ):
        f = tally.figures[int(sid)]
        f.admitted_actual += 1
        f.admitted_women += gender == "Nữ"
        f.admitted_ethnic_minority += bool(ethnicity) and fold(ethnicity) != "kinh"
        f.admitted_religious += fold(religion or "") not in NO_RELIGION
        tally.name("admitted_actual", int(sid), int(student_id))


def _names(
    session: Session, named: dict[str, list[tuple[int, int]]], now: date, rules: Rules
) -> dict[int, dict[str, list[NamedStudent]]]:
    """The students counted in each figure of each school, listed the usual way."""
    wanted = {student_id for pairs in named.values() for _, student_id in pairs}
    infos = find_students(session, as_of=now, rules=rules, student_ids=wanted)
    position = {info.student_id: i for i, info in enumerate(infos)}
    by_id = {info.student_id: info for info in infos}
    out: dict[int, dict[str, list[NamedStudent]]] = {}
    for figure, pairs in named.items():
        for sid, student_id in sorted(pairs, key=lambda pair: position[pair[1]]):
            info = by_id[student_id]
            lists = out.setdefault(sid, {key: [] for key in FIGURE_NAMES})
            lists[figure].append(
                NamedStudent(info.code, info.full_name, info.school, info.class_name)
            )
    return out


def _roster_years(period: Period, rules: Rules) -> list[int]:
    """The school years (first calendar years) that overlap the period: their rosters count."""
    return [
        y
        for y in range(period.start.year - 1, period.end.year + 1)
        if school_year_start(y, rules) <= period.end
        and school_year_start(y + 1, rules) > period.start
    ]


TargetKey = tuple[str, int]  # ("unit" | "school", id)
TargetPair = tuple[int | None, int | None]  # (class, admitted)


def _targets(session: Session, period: Period) -> dict[TargetKey, TargetPair]:
    """Targets set for exactly this period, by ("unit"|"school", id)."""
    t = target_t.c
    out: dict[TargetKey, TargetPair] = {}
    for unit_id, school_id, class_target, admitted in session.execute(
        select(t.unit_id, t.school_id, t.class_target, t.admitted_target).where(
            t.period_start == period.start, t.period_end == period.end
        )
    ):
        key = ("unit", int(unit_id)) if unit_id is not None else ("school", int(school_id))
        out[key] = (class_target, admitted)
    return out


COUNTS = (
    "students",
    "youth_union_members",
    "eligible",
    "class_actual",
    "admitted_actual",
    "attended",
    "attended_admitted",
    "reachable",
    "admitted_women",
    "admitted_ethnic_minority",
    "admitted_religious",
)


def _sum(parts: Iterable[Figures]) -> Figures:
    total = Figures()
    for part in parts:
        for key in COUNTS:
            setattr(total, key, getattr(total, key) + getattr(part, key))
    return total


def _copy(figures: Figures) -> Figures:
    out = _sum([figures])
    out.class_target, out.admitted_target = figures.class_target, figures.admitted_target
    out.class_target_is_sum = figures.class_target_is_sum
    out.admitted_target_is_sum = figures.admitted_target_is_sum
    return out


def _unit_targets(
    total: Figures, own: tuple[int | None, int | None] | None, parts: list[Figures]
) -> None:
    """A unit's target is its own when set, else the sum of its children's (marked a sum)."""
    own_class, own_admitted = own if own is not None else (None, None)
    for name, mine in (("class_target", own_class), ("admitted_target", own_admitted)):
        if mine is not None:
            setattr(total, name, mine)
            continue
        values = [getattr(p, name) for p in parts if getattr(p, name) is not None]
        if values:
            setattr(total, name, sum(values))
            setattr(total, f"{name}_is_sum", True)
