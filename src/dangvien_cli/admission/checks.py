"""The dossier checks of `dangvien check`: SQLite's own integrity and foreign keys, then the
pipeline's rules over every student's effective milestones."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from dangvien_cli.admission.facts import StudentInfo, find_students, load_entries
from dangvien_cli.admission.milestones import doc_number_key
from dangvien_cli.admission.pipeline import (
    ADMITTED_BY,
    CHAIN,
    ONCE_PER_CANDIDACY,
    STEPS,
    Entry,
    order_problems,
)
from dangvien_cli.admission.rules.eligibility import age_eligible_from, format_date
from dangvien_cli.core.settings import Rules
from dangvien_cli.db.models import milestone_t


@dataclass(frozen=True)
class Problem:
    """One thing wrong: its kind, the student it concerns (None for the file itself) and a
    Vietnamese sentence naming the rule and the dates."""

    kind: str
    message: str
    student_code: str | None = None
    full_name: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "student_code": self.student_code,
            "full_name": self.full_name,
            "message": self.message,
        }


def check(session: Session, *, sqlite: bool, as_of: date, rules: Rules) -> list[Problem]:
    """Everything wrong with the database: SQLite's integrity and foreign keys, then the
    dossiers' own rules over every student's effective milestones."""
    problems: list[Problem] = []
    if sqlite:
        problems += _sqlite_problems(session)
        if any(p.kind == "integrity" for p in problems):
            return problems  # a damaged file: the rows below cannot be trusted
    students = find_students(session, as_of=as_of, rules=rules)
    by_person: dict[int, StudentInfo] = {}
    for info in students:
        by_person.setdefault(info.person_id, info)
    entries = load_entries(session, list(by_person))
    for person_id, info in by_person.items():
        for kind, message in dossier_problems(info, entries.get(person_id, []), rules):
            problems.append(Problem(kind, message, info.code, info.full_name))
    problems += _replaces_problems(session, by_person)
    problems += unit_cycle_problems(session)
    return problems


def _sqlite_problems(session: Session) -> list[Problem]:
    conn = session.connection()
    out: list[Problem] = []
    for (line,) in conn.exec_driver_sql("PRAGMA integrity_check"):
        if str(line) != "ok":
            out.append(Problem("integrity", f"Tệp cơ sở dữ liệu bị hỏng: {line}."))
    for table, rowid, parent, _fk in conn.exec_driver_sql("PRAGMA foreign_key_check"):
        out.append(
            Problem(
                "foreign_key",
                f"Khóa ngoại hỏng: bảng {table}, dòng {rowid} trỏ tới một dòng không có "
                f"trong bảng {parent}.",
            )
        )
    return out


def dossier_problems(
    info: StudentInfo, entries: Iterable[Entry], rules: Rules
) -> list[tuple[str, str]]:
    """(kind, message) for each rule one student's effective milestones break."""
    items = list(entries)
    out: list[tuple[str, str]] = []
    # Each pair of chain steps once: every step against the steps before it in the chain.
    for e in items:
        if e.step not in CHAIN:
            continue
        earlier = [
            x for x in items if x.step in CHAIN and CHAIN.index(x.step) < CHAIN.index(e.step)
        ]
        for message in order_problems(e.step, e.on_date, earlier):
            out.append(("order", f"Sai thứ tự các bước: {message}"))
    first: dict[str, date] = {}
    for e in items:
        first.setdefault(e.step, e.on_date)
    if "quyet-dinh-ket-nap" in first and "chi-bo-de-nghi" not in first:
        out.append(
            (
                "decision_without_recommendation",
                f"Có quyết định kết nạp (ngày {format_date(first['quyet-dinh-ket-nap'])}) nhưng "
                "không có nghị quyết chi bộ đề nghị kết nạp.",
            )
        )
    if "le-ket-nap" in first and "quyet-dinh-ket-nap" not in first:
        out.append(
            (
                "ceremony_without_decision",
                f"Có lễ kết nạp (ngày {format_date(first['le-ket-nap'])}) nhưng không có quyết "
                "định kết nạp.",
            )
        )
    out += once_step_problems(items)
    admitted = any(s in first for s in ADMITTED_BY)
    votes = [e.on_date for e in items if e.step == "chi-bo-de-nghi"]
    if admitted and votes:
        vote = max(votes)
        _, certain = age_eligible_from(info.date_of_birth, info.birth_year, rules)
        if certain is not None and certain > vote:
            out.append(
                (
                    "under_age",
                    f"Đã được kết nạp nhưng chưa đủ {rules.age_min} tuổi vào ngày chi bộ đề nghị "
                    f"kết nạp ({format_date(vote)}): sinh {info.birth_display}, đủ tuổi từ "
                    f"{format_date(certain)}.",
                )
            )
    return out


def once_step_problems(entries: Iterable[Entry]) -> list[tuple[str, str]]:
    """A step a candidate has once (ONCE_PER_CANDIDACY) recorded twice or more among the
    effective entries with other dates or numbers: written by an older version, or by a sheet
    imported again corrected. Copies that agree (a number given once, missing in the other)
    say the same thing and are left alone; so is a wrong one replaced by a copy of the right."""
    by_step: dict[str, list[Entry]] = {}
    for e in entries:
        if e.step in ONCE_PER_CANDIDACY:
            by_step.setdefault(e.step, []).append(e)
    out: list[tuple[str, str]] = []
    for step, found in by_step.items():
        numbers = {doc_number_key(e.doc_number) for e in found if e.doc_number}
        if len({e.on_date for e in found}) < 2 and len(numbers) < 2:
            continue
        listed = "; ".join(
            f"mốc số {e.id} ngày {format_date(e.on_date)}"
            + (f", số {e.doc_number}" if e.doc_number else "")
            for e in sorted(found, key=lambda e: (e.on_date, e.id))
        )
        out.append(
            (
                "once_step_twice",
                f"Có {len(found)} mốc “{STEPS[step].label}” ({listed}) nhưng mỗi người vào Đảng "
                "chỉ có một. Hãy thay từng mốc sai bằng một mốc ghi đúng ngày và số: "
                "dangvien record … --replaces SỐ_MỐC_SAI.",
            )
        )
    return out


def unit_cycle_problems(session: Session) -> list[Problem]:
    """Each cycle in the unit tree (an older version's merge could make one): the report and
    `unit list` show such units at the top level until one of them is moved."""
    from dangvien_cli.db.models import unit_t
    from dangvien_cli.organisation.units import unit_cycles, unit_parents

    cycles = unit_cycles(unit_parents(session))
    if not cycles:
        return []
    names = {int(i): str(n) for i, n in session.execute(select(unit_t.c.id, unit_t.c.name))}
    out = []
    for cycle in cycles:
        chain = " → ".join(f"“{names[u]}”" for u in [*cycle, cycle[0]])
        out.append(
            Problem(
                "unit_cycle",
                f"Cây đơn vị thành vòng: {chain} (mỗi đơn vị nằm dưới đơn vị kế tiếp). Hãy đặt "
                f"lại cấp trên đúng: dangvien unit move “{names[cycle[0]]}” --parent …",
            )
        )
    return out


def _replaces_problems(session: Session, by_person: dict[int, StudentInfo]) -> list[Problem]:
    m = milestone_t
    r = aliased(milestone_t)
    rows = session.execute(
        select(m.c.id, m.c.person_id, m.c.step, m.c.on_date, r.c.id, r.c.person_id)
        .join(r, r.c.id == m.c.replaces_id)
        .where(r.c.person_id != m.c.person_id)
        .order_by(m.c.id)
    )
    out = []
    for mid, pid, step, on_date, rid, rpid in rows:
        info = by_person.get(int(pid))
        other = by_person.get(int(rpid))
        whom = f"{other.full_name} (mã {other.code or 'không có'})" if other else "người khác"
        label = STEPS[step].label if step in STEPS else step
        out.append(
            Problem(
                "replaces_other_person",
                f"Mốc số {mid} ({label}, ngày {format_date(on_date)}) thay cho mốc số {rid}, là "
                f"mốc của {whom}: một mốc chỉ được thay mốc của cùng một người.",
                info.code if info else None,
                info.full_name if info else None,
            )
        )
    return out
