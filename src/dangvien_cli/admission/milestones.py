"""Recording the steps of a candidate's dossier (append-only), and reading a student's history."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from dangvien_cli.admission.facts import StudentInfo, find_students, load_entries
from dangvien_cli.admission.pipeline import (
    AWARENESS_CLASS,
    MENTOR,
    ONCE_PER_CANDIDACY,
    STEPS,
    Entry,
    Step,
    effective,
    order_problems,
)
from dangvien_cli.admission.rules.eligibility import age_eligible_from, format_date
from dangvien_cli.core.errors import AmbiguousError, NotFoundError, UsageError
from dangvien_cli.core.labels import TERM_LABELS
from dangvien_cli.core.settings import Rules
from dangvien_cli.core.text import collation_key, fold
from dangvien_cli.db.audit import Stamp
from dangvien_cli.db.models import audit_t, batch_t, milestone_t, school_t, student_t
from dangvien_cli.db.settings import current_rules


class RefusedError(UsageError):
    """A step that would break a rule of the record; the message names the rule."""


def resolve_student(session: Session, text: str, *, as_of: date) -> StudentInfo:
    """A student by code, or by a full name that matches exactly one student."""
    rules = current_rules(session)
    st = student_t.c
    wanted = text.strip()
    ids = [int(i) for (i,) in session.execute(select(st.id).where(st.student_code == wanted))]
    if not ids:
        key = fold(wanted)
        ids = [int(i) for (i,) in session.execute(select(st.id).where(st.name_key == key))]
    if not ids:
        raise NotFoundError(
            f"Không tìm thấy học sinh “{text}”: hãy ghi mã học sinh, hoặc họ và tên đầy đủ "
            "(có thể không dấu). Xem danh sách: dangvien students --search …"
        )
    found = find_students(session, as_of=as_of, rules=rules, student_ids=ids)
    if len(found) > 1:
        lines = "; ".join(
            f"{s.code or 'không mã'} — {s.full_name}, {s.birth_display or '?'}, "
            f"lớp {s.class_name or '?'}, {s.school}"
            for s in sorted(found, key=lambda s: collation_key(s.school))
        )
        raise AmbiguousError(
            f"“{text}” khớp với {len(found)} học sinh: {lines}. Hãy ghi mã học sinh."
        )
    return found[0]


@dataclass
class Recorded:
    id: int | None  # None when the same step and date were already recorded
    warnings: list[str] = field(default_factory=list)


def check_step(
    step: Step,
    on_date: date,
    *,
    info: StudentInfo,
    existing: list[Entry],
    rules: Rules,
    today: date,
    note: str | None,
) -> list[str]:
    """The refusals for recording `step` on `on_date`; empty when it may be recorded."""
    problems: list[str] = []
    if step.needs_note and not (note and note.strip()):
        problems.append(f"Bước “{step.label}” cần ghi {step.note_label} (--note).")
    if on_date > today:
        problems.append(
            f"Ngày {format_date(on_date)} còn ở tương lai: chỉ ghi bước đã diễn ra "
            f"(hôm nay là {format_date(today)})."
        )
    problems += order_problems(step.slug, on_date, existing)
    if step.slug == "chi-bo-de-nghi":
        _, certain = age_eligible_from(info.date_of_birth, info.birth_year, rules)
        if certain is None or certain > on_date:
            when = (
                f"đủ từ {format_date(certain)}"
                if certain
                else "chưa biết ngày sinh; hãy nhập ngày sinh trước"
            )
            problems.append(
                f"Chi bộ chỉ xét đề nghị kết nạp khi người vào Đảng đủ {rules.age_min} tuổi vào "
                f"ngày họp: {info.full_name} chưa đủ vào ngày {format_date(on_date)} ({when})."
            )
    return problems


@dataclass(frozen=True)
class Contradiction:
    """A recorded entry that a new one contradicts, and why in words (without what to do:
    `record` and a milestone sheet each say that their own way)."""

    entry: Entry
    reason: str


def doc_number_key(number: str | None) -> str:
    """How document numbers are compared: "145-QĐ/ĐU" and " 145-qđ/đu" are one number."""
    return " ".join((number or "").split()).casefold()


def contradiction(
    step: Step, on_date: date, doc_number: str | None, existing: list[Entry]
) -> Contradiction | None:
    """The effective entry a new `step` on `on_date` contradicts, or None: the same step on the
    same date with another document number, or a step a candidate has once
    (ONCE_PER_CANDIDACY) already recorded on another date. The same step, date and number is no
    contradiction: it is recorded already; so is a number missing on either side (nothing says
    otherwise: `record` says how to add the number)."""
    same = [e for e in effective(existing) if e.step == step.slug]
    wanted = doc_number_key(doc_number)
    for e in same:
        if e.on_date == on_date and (
            not wanted or not e.doc_number or doc_number_key(e.doc_number) == wanted
        ):
            return None  # recorded already
    for e in same:
        if e.on_date == on_date:
            return Contradiction(
                e,
                f"Bước “{step.label}” ngày {format_date(on_date)} đã được ghi (số "
                f"{e.doc_number}), khác số {doc_number} lần này.",
            )
        if step.slug in ONCE_PER_CANDIDACY:
            number = f", số {e.doc_number}" if e.doc_number else ""
            return Contradiction(
                e,
                f"Mỗi người vào Đảng chỉ có một bước “{step.label}”, đã được ghi ngày "
                f"{format_date(e.on_date)}{number}; không thể ghi thêm ngày "
                f"{format_date(on_date)}.",
            )
    return None


def record_step(
    session: Session,
    info: StudentInfo,
    step: Step,
    on_date: date,
    *,
    doc_number: str | None,
    mentor: str | None,
    note: str | None,
    acted_by: str | None,
    replaces: int | None,
    today: date,
    stamp: Stamp,
) -> Recorded:
    """Append one milestone after the checks; raises RefusedError naming every broken rule."""
    rules = current_rules(session)
    existing = load_entries(session, [info.person_id]).get(info.person_id, [])
    if replaces is not None:
        m = milestone_t.c
        old = session.execute(select(m.person_id, m.step).where(m.id == replaces)).first()
        if old is None or int(old[0]) != info.person_id:
            raise RefusedError(
                f"--replaces {replaces}: không có mốc số {replaces} của {info.full_name}. "
                f"Xem số của từng mốc: dangvien history {info.code or info.full_name}"
            )
        newer = session.execute(select(m.id).where(m.replaces_id == replaces)).scalar()
        if newer is not None:
            raise RefusedError(
                f"--replaces {replaces}: mốc số {replaces} đã được mốc số {newer} thay; "
                f"muốn sửa nữa thì thay mốc số {newer} (--replaces {newer})."
            )
        existing = [e for e in existing if e.id != replaces]
    else:
        _refuse_contradiction(step, on_date, doc_number, existing)
    problems = check_step(
        step, on_date, info=info, existing=existing, rules=rules, today=today, note=note
    )
    if problems:
        raise RefusedError(" ".join(problems))
    if replaces is None:
        same = [e for e in effective(existing) if e.step == step.slug and e.on_date == on_date]
        if same:
            return Recorded(None, [_recorded_already(step, on_date, doc_number, same[0])])
    warnings = _warnings(step, on_date, existing, mentor)
    new_id = session.execute(
        insert(milestone_t)
        .returning(milestone_t.c.id)
        .values(
            person_id=info.person_id,
            step=step.slug,
            on_date=on_date,
            doc_number=doc_number,
            mentor=mentor,
            note=note,
            acted_by=acted_by,
            replaces_id=replaces,
            recorded_at=stamp.now,
            recorded_by=stamp.user,
        )
    ).scalar_one()
    stamp.log(
        session,
        action="record",
        entity="milestone",
        entity_id=int(new_id),
        changes={
            "student_id": info.student_id,
            "step": step.slug,
            "on_date": on_date.isoformat(),
            "replaces": replaces,
        },
    )
    return Recorded(int(new_id), warnings)


def _refuse_contradiction(
    step: Step, on_date: date, doc_number: str | None, existing: list[Entry]
) -> None:
    """A second entry beside one it contradicts is refused, pointing to --replaces."""
    found = contradiction(step, on_date, doc_number, existing)
    if found is None:
        return
    number = found.entry.id
    raise RefusedError(
        f"{found.reason} Nếu mốc đã ghi (mốc số {number}) sai, hãy ghi lại bước này với "
        f"--replaces {number} để thay nó (số của từng mốc: dangvien history với học sinh "
        "này)."
    )


def _recorded_already(step: Step, on_date: date, doc_number: str | None, entry: Entry) -> str:
    """The step is there: said, and how to add the number it was recorded without."""
    said = f"Bước “{step.label}” ngày {format_date(on_date)} đã được ghi."
    if doc_number and not entry.doc_number:
        said += (
            f" Mốc đó (mốc số {entry.id}) chưa có số văn bản; muốn thêm số {doc_number} thì "
            f"ghi lại với --replaces {entry.id}."
        )
    return said


def _warnings(step: Step, on_date: date, existing: list[Entry], mentor: str | None) -> list[str]:
    """Doubts that do not stop the record."""
    out = []
    if step.slug == MENTOR and not mentor:
        out.append("Chưa ghi tên đảng viên giúp đỡ (--mentor).")
    if step.slug == "gioi-thieu":
        helps = [e for e in existing if e.step == MENTOR]
        if helps and (on_date - helps[0].on_date).days < 365:
            out.append(
                "Đảng viên giới thiệu cần đã cùng công tác, giúp đỡ người vào Đảng ít nhất 12 "
                f"tháng; phân công giúp đỡ mới từ {format_date(helps[0].on_date)}."
            )
    if step.slug in ("chi-bo-de-nghi", "quyet-dinh-ket-nap") and not any(
        e.step == AWARENESS_CLASS for e in existing
    ):
        out.append("Chưa ghi ngày học lớp bồi dưỡng nhận thức về Đảng.")
    return out


@dataclass(frozen=True)
class HistoryLine:
    at: date | datetime  # the step's date, or when an import changed the record
    kind: str  # milestone | import | record
    text: str
    recorded_at: datetime | None
    recorded_by: str | None
    milestone_id: int | None = None
    superseded: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "date": self.at.isoformat(),
            "kind": self.kind,
            "text": self.text,
            "recorded_at": self.recorded_at.isoformat() if self.recorded_at else None,
            "recorded_by": self.recorded_by,
            "milestone_id": self.milestone_id,
            "superseded": self.superseded,
        }


def history(session: Session, info: StudentInfo) -> list[HistoryLine]:
    """Every milestone (superseded ones marked) and every change imports made, oldest first."""
    m = milestone_t.c
    rows = list(
        session.execute(
            select(
                m.id,
                m.step,
                m.on_date,
                m.doc_number,
                m.mentor,
                m.note,
                m.acted_by,
                m.replaces_id,
                m.recorded_at,
                m.recorded_by,
            )
            .where(m.person_id == info.person_id)
            .order_by(m.on_date, m.id)
        )
    )
    replaced = {int(r.replaces_id) for r in rows if r.replaces_id is not None}
    lines = []
    for r in rows:
        step = STEPS.get(r.step)
        parts = [step.label if step else r.step]
        if r.doc_number:
            parts.append(f"số {r.doc_number}")
        if r.mentor:
            parts.append(f"đảng viên giúp đỡ: {r.mentor}")
        if r.note:
            parts.append(r.note)
        if r.acted_by:
            parts.append(f"({r.acted_by})")
        if r.replaces_id:
            parts.append(f"[thay mốc số {r.replaces_id}]")
        lines.append(
            HistoryLine(
                at=r.on_date,
                kind="milestone",
                text=", ".join(parts),
                recorded_at=r.recorded_at,
                recorded_by=r.recorded_by,
                milestone_id=int(r.id),
                superseded=int(r.id) in replaced,
            )
        )
    a, b = audit_t.c, batch_t.c
    audits = session.execute(
        select(a.at, a.os_user, a.changes, b.file_name)
        .outerjoin(batch_t, b.id == a.batch_id)
        .where(a.entity == "student", a.entity_id == info.student_id)
        .order_by(a.at)
    ).all()
    schools = _school_names(session, audits)
    for at, user, changes, file_name in audits:
        what = "; ".join(
            _describe(field, _named(field, change, schools))
            for field, change in (changes or {}).items()
        )
        source = f" từ tệp {file_name}" if file_name else ""
        lines.append(
            HistoryLine(
                at=at,
                kind="import",
                text=f"Cập nhật{source}: {what}",
                recorded_at=at,
                recorded_by=user,
            )
        )
    created = session.execute(
        select(b.file_name, b.imported_at, b.imported_by)
        .join(student_t, student_t.c.created_batch_id == b.id)
        .where(student_t.c.id == info.student_id)
    ).first()
    if created is not None:
        lines.append(
            HistoryLine(
                at=created[1],
                kind="import",
                text=f"Nhập vào danh sách từ tệp {created[0]}",
                recorded_at=created[1],
                recorded_by=created[2],
            )
        )
    return sorted(lines, key=lambda line: _sort_day(line.at))


FIELD_LABELS = {
    "full_name": "Họ và tên",
    "date_of_birth": "Ngày sinh",
    "birth_year": "Năm sinh",
    "gender": "Giới tính",
    "ethnicity": "Dân tộc",
    "religion": "Tôn giáo",
    "national_id": "Số định danh cá nhân",
    "student_code": "Mã học sinh",
    "school_id": "Chuyển trường",
    "extra": "Cột thêm",
    "class_name": "Lớp",
    "youth_union": "Đoàn viên",
}


def _school_names(session: Session, audits: Sequence[Any]) -> dict[int, str]:
    """The names of the schools a student was moved between (a transfer logs their ids)."""
    ids = {
        i for row in audits for i in (row.changes or {}).get("school_id", []) if isinstance(i, int)
    }
    if not ids:
        return {}
    c = school_t.c
    return {int(i): str(n) for i, n in session.execute(select(c.id, c.name).where(c.id.in_(ids)))}


def _named(field: str, change: Any, schools: dict[int, str]) -> Any:
    """A transfer's [old, new] school ids, as the schools' names."""
    if field != "school_id" or not isinstance(change, list):
        return change
    return [schools.get(i, i) if isinstance(i, int) else i for i in change]


def _describe(field: str, change: Any) -> str:
    """One change an import made, in words: "Lớp: 12A1 → 12A3"."""
    if field.startswith("result."):
        label = f"Kết quả {TERM_LABELS.get(field.split('.', 1)[1], field)}"
    else:
        label = FIELD_LABELS.get(field, field)
    if isinstance(change, list) and len(change) == 2 and field != "extra":
        return f"{label}: {_shown(change[0])} → {_shown(change[1])}"
    return label


def _shown(value: Any) -> str:
    if value is None:
        return "(trống)"
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, list):
        return ", ".join(_shown(v) for v in value if v is not None) or "(trống)"
    if isinstance(value, dict):
        parts = [str(v) for k, v in value.items() if not k.endswith("_scale") and v is not None]
        return ", ".join(parts) or "(trống)"
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return f"{value[8:10]}/{value[5:7]}/{value[0:4]}"  # an ISO date, shown day first
    return str(value)


def _sort_day(at: date | datetime) -> tuple[date, int]:
    if isinstance(at, datetime):
        return (at.date(), 1)
    return (at, 0)
