"""Computing the progress report: each school's figures for a period, rolled up the unit tree."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dangvien_cli.admission import OUT_OF_QUESTION
from dangvien_cli.config import current_rules
from dangvien_cli.facts import Dossier, find_students, gather
from dangvien_cli.models import enrollment_t, school_t, student_t, target_t, year_t
from dangvien_cli.organisation import school_year_start, unit_tree
from dangvien_cli.pipeline import is_candidate
from dangvien_cli.reports.model import Figures, NamedStudent, Period, Report, ReportRow
from dangvien_cli.rules.eligibility import evaluate
from dangvien_cli.rules.settings import Rules
from dangvien_cli.text import collation_key, fold

NO_RELIGION = frozenset({"", "khong", "khong ton giao", "khong co", "-"})
ADMITTED = "quyet-dinh-ket-nap"
# Admitted by a date: a ceremony or full membership recorded without its decision counts too.
ADMITTED_BY = (ADMITTED, "le-ket-nap", "chinh-thuc")
STOPPED = ("dung", "chuyen-di")
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
    if scope.school_id is not None:
        school_ids = {scope.school_id}
    elif scope.unit_id is not None:
        from dangvien_cli.units import descendant_units

        under = descendant_units(session, scope.unit_id)
        school_ids = {i for i, (_, u) in schools.items() if u in under}
    else:
        school_ids = set(schools)
    per_school = {
        sid: _school_figures(session, sid, period, now, rules, with_names) for sid in school_ids
    }
    targets = _targets(session, period)

    def school_row(sid: int, depth: int) -> ReportRow:
        name, unit_id = schools[sid]
        figures, names = per_school[sid]
        own = targets.get(("school", sid))
        if own is not None:
            figures.class_target, figures.admitted_target = own
        return ReportRow(
            level="school",
            name=name,
            unit=nodes[unit_id].name if unit_id in nodes else None,
            depth=depth,
            figures=figures,
            names=names,
        )

    def unit_rows(unit_id: int, depth: int) -> tuple[list[ReportRow], Figures]:
        """The rows of a unit's subtree (schools, sub-units, then its subtotal row)."""
        rows: list[ReportRow] = []
        parts: list[Figures] = []
        for child in children.get(unit_id, []):
            sub, figures = unit_rows(child, depth + 1)
            rows += sub
            parts.append(figures)  # a unit with no school yet still brings its target
        own_schools = sorted(
            (sid for sid in school_ids if schools[sid][1] == unit_id),
            key=lambda sid: collation_key(schools[sid][0]),
        )
        for sid in own_schools:
            row = school_row(sid, depth + 1)
            rows.append(row)
            parts.append(row.figures)
        total = _sum(parts)
        _unit_targets(total, targets.get(("unit", unit_id)), parts)
        if not rows and total.class_target is None and total.admitted_target is None:
            return [], total  # nothing to show: no school, no target
        parent = nodes[unit_id].parent_id
        rows.append(
            ReportRow(
                level="unit",
                name=nodes[unit_id].name,
                unit=nodes[parent].name if parent in nodes else None,
                depth=depth,
                figures=total,
            )
        )
        return rows, total

    rows: list[ReportRow]
    if scope.school_id is not None:
        row = school_row(scope.school_id, 0)
        rows, totals = [row], _copy(row.figures)
    elif scope.unit_id is not None:
        rows, totals = unit_rows(scope.unit_id, 0)
        if rows and rows[-1].level == "unit":
            rows.pop()  # the unit the report is for is the total row
    else:
        rows = []
        parts = []
        for top in children.get(None, []):
            sub, figures = unit_rows(top, 0)
            rows += sub
            parts.append(figures)
        loose = sorted(
            (sid for sid in school_ids if schools[sid][1] is None),
            key=lambda sid: collation_key(schools[sid][0]),
        )
        for sid in loose:
            row = school_row(sid, 0)
            rows.append(row)
            parts.append(row.figures)
        totals = _sum(parts)
        _unit_targets(totals, None, parts)
    return Report(
        period=period,
        scope=scope.name,
        now=now,
        generated_at=generated_at,
        rows=rows,
        totals=totals,
        with_names=with_names,
    )


def _school_figures(
    session: Session, school_id: int, period: Period, now: date, rules: Rules, with_names: bool
) -> tuple[Figures, dict[str, list[NamedStudent]]]:
    on_roster = _students_on_rosters(session, school_id, period, rules)
    everyone = find_students(session, as_of=now, rules=rules, school_ids={school_id})
    dossiers = gather(session, everyone)
    figures = Figures()
    names: dict[str, list[NamedStudent]] = {key: [] for key in FIGURE_NAMES}

    def named(dossier: Dossier, figure: str) -> None:
        if with_names:
            info = dossier.info
            names[figure].append(
                NamedStudent(info.code, info.full_name, info.school, info.class_name)
            )

    for dossier in dossiers:
        entries = dossier.entries
        decision = [e.on_date for e in entries if e.step == ADMITTED]
        attended = [e.on_date for e in entries if e.step == "lop-boi-duong"]
        in_period = [d for d in attended if period.start <= d <= period.end]
        admitted_in_period = [d for d in decision if period.start <= d <= period.end]
        admitted_by_now = any(e.step in ADMITTED_BY and e.on_date <= now for e in entries)
        out = any(e.step in OUT_OF_QUESTION and e.on_date <= now for e in entries)
        stopped = any(e.step in STOPPED and e.on_date <= now for e in entries)
        result = evaluate(dossier.facts, now, rules)
        if dossier.info.student_id in on_roster:
            figures.students += 1
            if result.criteria["youth_union"].ok is True:
                figures.youth_union_members += 1
            if result.eligible and not out:
                figures.eligible += 1
                named(dossier, "eligible")
        if in_period:
            figures.class_actual += 1
            figures.attended += 1
            named(dossier, "class_actual")
            if admitted_by_now:
                figures.attended_admitted += 1
        if admitted_in_period:
            figures.admitted_actual += 1
            named(dossier, "admitted_actual")
            info = dossier.info
            if info.gender == "Nữ":
                figures.admitted_women += 1
            if info.ethnicity and fold(info.ethnicity) != "kinh":
                figures.admitted_ethnic_minority += 1
            if fold(info.religion or "") not in NO_RELIGION:
                figures.admitted_religious += 1
        if is_candidate(entries) and not admitted_by_now and not stopped:
            c = result.criteria
            first = result.first_age_eligible_date
            leaves = result.leaves_school_on
            if (
                c["academic"].ok is True
                and c["conduct"].ok is True
                and c["youth_union"].ok is True
                and first is not None
                and first <= period.end
                and (leaves is None or first <= leaves)
            ):
                figures.reachable += 1
                named(dossier, "reachable")
    return figures, names


def _students_on_rosters(
    session: Session, school_id: int, period: Period, rules: Rules
) -> set[int]:
    """Students on the school's rosters of the school years that overlap the period."""
    years = [
        y
        for y in range(period.start.year - 1, period.end.year + 1)
        if school_year_start(y, rules) <= period.end
        and school_year_start(y + 1, rules) > period.start
    ]
    e, y, st = enrollment_t.c, year_t.c, student_t.c
    return {
        int(i)
        for (i,) in session.execute(
            select(st.id)
            .join(enrollment_t, e.student_id == st.id)
            .join(year_t, y.id == e.school_year_id)
            .where(st.school_id == school_id, y.start_year.in_(years))
        )
    }


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
