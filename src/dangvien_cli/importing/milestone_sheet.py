"""Milestone sheets: progress tables keyed by student code, turned into checked dossier steps."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dangvien_cli.admission.facts import StudentInfo, find_students, load_entries
from dangvien_cli.admission.milestones import Contradiction, check_step, contradiction
from dangvien_cli.admission.pipeline import (
    ADMITTED,
    AWARENESS_CLASS,
    MENTOR,
    STEPS,
    Entry,
    effective,
)
from dangvien_cli.core.cells import ValueProblem
from dangvien_cli.core.dates import parse_day
from dangvien_cli.core.seq import chunks
from dangvien_cli.core.settings import Rules
from dangvien_cli.core.text import fold
from dangvien_cli.db.audit import Stamp
from dangvien_cli.db.bulk import bulk_insert
from dangvien_cli.db.models import milestone_t, student_t
from dangvien_cli.db.settings import current_rules
from dangvien_cli.importing.layout import Column, Table
from dangvien_cli.importing.rows import (
    RowError,
    classify,
    merge_row_errors,
)
from dangvien_cli.importing.values import parse_code, parse_text

# Which columns make which step: (step, date field, document number field, mentor field).
# The steps are admission/pipeline's; the two it names no constant for are looked up in its
# STEPS, so that a step renamed there fails here at once (tests check each is a step too).
STEP_COLUMNS: tuple[tuple[str, str, str | None, str | None], ...] = (
    (AWARENESS_CLASS, "class_date", "certificate_no", None),
    (MENTOR, "mentor_date", None, "mentor"),
    (STEPS["chi-bo-de-nghi"].slug, "recommend_date", None, None),
    (ADMITTED, "decision_date", "decision_no", None),
    (STEPS["le-ket-nap"].slug, "ceremony_date", None, None),
)


@dataclass
class MilestoneCounts:
    rows: int = 0
    created: int = 0  # milestones written
    unchanged: int = 0  # milestones already recorded
    rejected: int = 0  # rows refused
    errors: list[RowError] = field(default_factory=list)


def import_milestones(
    session: Session,
    table: Table,
    rows: Sequence[list[object]],
    *,
    batch_id: int,
    today: date,
    stamp: Stamp,
) -> MilestoneCounts:
    """Record the steps each row gives, skipping those already recorded; a row that breaks a
    rule of the record is rejected whole, with the rule named."""
    sheet = _Sheet(table, current_rules(session), today=today, batch_id=batch_id, stamp=stamp)
    counts = sheet.counts
    data = [
        (r, rows[r]) for r in range(table.first_row, table.end_row) if classify(rows[r], table).data
    ]
    # Which student each row means: its code, else its name if that is unique.
    codes = sheet.codes(data)
    by_code = _students_by_code(session, sorted(set(codes.values())), today, sheet.rules)
    entries = load_entries(session, [s.person_id for s in by_code.values()])
    rejected_rows = {e.row for e in counts.errors}
    inserts: list[dict[str, Any]] = []
    for r, row in data:
        counts.rows += 1
        if r + 1 in rejected_rows:
            counts.rejected += 1
            continue
        code = codes.get(r)
        info = sheet.student(r, row, code, by_code.get(code) if code else None)
        if info is None:
            counts.rejected += 1
            continue
        mine = list(entries.get(info.person_id, []))
        planned, problems, unchanged = sheet.steps(row, info, mine)
        if problems:
            for col, value, reason in problems:
                sheet.error(r, row, col, value, reason)
            counts.rejected += 1
            continue
        entries[info.person_id] = sorted(mine, key=lambda e: (e.on_date, e.id))
        counts.unchanged += unchanged
        counts.created += len(planned)
        inserts += planned
    bulk_insert(session, milestone_t, inserts)
    if inserts:
        stamp.log(
            session,
            action="import",
            entity="milestone",
            batch_id=batch_id,
            changes={"milestones_created": len(inserts)},
        )
    counts.errors = _one_per_row(counts.errors)
    return counts


_Problem = tuple[Column | None, object, str]  # (column, value, reason)


class _Sheet:
    """One progress table being read: its columns, the rules the steps are checked by, and
    what it has found so far (counts and row errors)."""

    def __init__(
        self,
        table: Table,
        rules: Rules,
        *,
        today: date,
        batch_id: int,
        stamp: Stamp,
    ) -> None:
        self.table = table
        self.fields = table.fields
        self.rules = rules
        self.today = today
        self.batch_id = batch_id
        self.stamp = stamp  # the milestones' recorded_at and recorded_by
        self.counts = MilestoneCounts()
        self.headers = [c.header for c in table.columns]
        self.next_id = -1  # ids for entries this sheet adds, for the order checks of later rows

    def error(
        self, r: int, row: list[object], col: Column | None, value: object, reason: str
    ) -> None:
        self.counts.errors.append(
            RowError.of_cell(self.table, self.headers, r, row, col, value, reason)
        )

    def cell(self, row: list[object], name: str) -> object:
        col = self.fields.get(name)
        if col is None or col.index >= len(row):
            return ""
        return row[col.index]

    def codes(self, data: list[tuple[int, list[object]]]) -> dict[int, str]:
        """The student code of each row that gives one (row index → code); a code that does
        not parse is a row error."""
        codes: dict[int, str] = {}
        for r, row in data:
            try:
                code = parse_code(self.cell(row, "student_code"))
            except ValueProblem as exc:
                col = self.fields.get("student_code")
                self.error(r, row, col, self.cell(row, "student_code"), exc.reason)
                continue
            if code:
                codes[r] = code
        return codes

    def student(
        self, r: int, row: list[object], code: str | None, info: StudentInfo | None
    ) -> StudentInfo | None:
        """The student the row means (`info`, found by its code), or None with the row's error
        when there is none or the row names someone else."""
        fields = self.fields
        if info is None:
            name = parse_text(self.cell(row, "full_name")) or ""
            what = f"mã {code}" if code else f"“{name}” (không có mã)"
            self.error(
                r,
                row,
                fields.get("student_code"),
                code or "",
                f"Không có học sinh {what} trong cơ sở dữ liệu. Hãy nhập danh sách lớp có học "
                "sinh này trước, rồi nhập lại bảng tiến độ.",
            )
            return None
        if "full_name" in fields:
            written = parse_text(self.cell(row, "full_name"))
            if written and fold(written) != fold(info.full_name):
                self.error(
                    r,
                    row,
                    fields["full_name"],
                    written,
                    f"Mã {code} là của một học sinh có họ tên khác với “{written}” trong cơ sở "
                    "dữ liệu. Hãy kiểm tra mã (dangvien students --search để tìm đúng mã).",
                )
                return None
        return info

    def steps(
        self, row: list[object], info: StudentInfo, mine: list[Entry]
    ) -> tuple[list[dict[str, Any]], list[_Problem], int]:
        """The milestones a row gives that are not recorded yet (added to `mine`, the student's
        entries, as they are checked), the problems found, and how many were recorded already."""
        fields = self.fields
        planned: list[dict[str, Any]] = []
        problems: list[_Problem] = []
        unchanged = 0
        for step, date_field, doc_field, mentor_field in STEP_COLUMNS:
            if date_field not in fields:
                continue
            raw = self.cell(row, date_field)
            try:
                on_date = parse_day(raw)
            except ValueProblem as exc:
                problems.append((fields[date_field], raw, exc.reason))
                continue
            doc = parse_text(self.cell(row, doc_field)) if doc_field else None
            mentor = parse_text(self.cell(row, mentor_field)) if mentor_field else None
            if on_date is None:
                if doc or mentor:
                    problems.append(
                        (
                            fields[date_field],
                            raw,
                            f"Có {fields[doc_field or mentor_field or date_field].header} "
                            f"nhưng thiếu {fields[date_field].header}.",
                        )
                    )
                continue
            clash = contradiction(STEPS[step], on_date, doc, mine)
            if clash is not None:
                col = fields[doc_field] if doc_field and clash.entry.on_date == on_date else None
                problems.append((col or fields[date_field], raw, _clash_reason(clash)))
                continue
            if any(e.step == step and e.on_date == on_date for e in effective(mine)):
                unchanged += 1
                continue
            for reason in check_step(
                STEPS[step],
                on_date,
                info=info,
                existing=mine,
                rules=self.rules,
                today=self.today,
                note=None,
            ):
                problems.append((fields[date_field], raw, reason))
            mine.append(
                Entry(id=self.next_id, step=step, on_date=on_date, doc_number=doc, mentor=mentor)
            )
            self.next_id -= 1
            planned.append(
                {
                    "person_id": info.person_id,
                    "step": step,
                    "on_date": on_date,
                    "doc_number": doc,
                    "mentor": mentor,
                    "note": None,
                    "acted_by": None,
                    "replaces_id": None,
                    "batch_id": self.batch_id,
                    "recorded_at": self.stamp.now,
                    "recorded_by": self.stamp.user,
                }
            )
        return planned, problems, unchanged


def _clash_reason(clash: Contradiction) -> str:
    """A row contradicting a recorded step: the row is refused, and the way to correct it said."""
    if clash.entry.id < 0:  # written by an earlier row of this sheet
        return f"{clash.reason} Bước đó đã có ở một dòng trước trong bảng: hãy giữ một dòng đúng."
    return (
        f"{clash.reason} Nếu bảng đúng và mốc đã ghi (mốc số {clash.entry.id}) sai, hãy sửa mốc "
        f"đó bằng dangvien record … --replaces {clash.entry.id}; nếu bảng sai, hãy sửa ô này "
        "rồi nhập lại."
    )


def _one_per_row(errors: list[RowError]) -> list[RowError]:
    """Several refusals in one row become one error naming them all."""
    by_row: dict[int, list[RowError]] = {}
    for e in errors:
        by_row.setdefault(e.row, []).append(e)
    return [merge_row_errors(group) for group in by_row.values()]


def _students_by_code(
    session: Session, codes: list[str], today: date, rules: Any
) -> dict[str, StudentInfo]:
    ids: list[int] = []
    st = student_t.c
    for part in chunks(codes):
        ids += [int(i) for (i,) in session.execute(select(st.id).where(st.student_code.in_(part)))]
    if not ids:
        return {}
    return {
        s.code: s
        for s in find_students(session, as_of=today, rules=rules, student_ids=ids)
        if s.code
    }
