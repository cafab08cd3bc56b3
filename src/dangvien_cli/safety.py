"""Keeping the record safe: backups, the database's own checks, and reading the audit log."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from dangvien_cli.db import Location, copy_sqlite_atomically
from dangvien_cli.errors import DatabaseError, UsageError
from dangvien_cli.facts import StudentInfo, find_students, load_entries
from dangvien_cli.models import audit_t, milestone_t
from dangvien_cli.pipeline import CHAIN, STEPS, Entry, order_problems
from dangvien_cli.rules.eligibility import age_eligible_from, format_date
from dangvien_cli.rules.settings import Rules

__all__ = [
    "AuditLine",
    "BackupDone",
    "Problem",
    "audit_lines",
    "backup",
    "check",
    "human_size",
    "pg_dump_hint",
    "summarise_changes",
]

# --------------------------------------------------------------------------------------------
# Backup
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BackupDone:
    """Where the copy went and how large it is."""

    path: Path
    size: int


def pg_dump_hint(url: str) -> str:
    """How to back up a PostgreSQL database with pg_dump, built from its URL without the
    password (pg_dump reads it from ~/.pgpass or PGPASSWORD)."""
    from sqlalchemy.engine import make_url

    u = make_url(url)
    parts = ["pg_dump"]
    if u.host:
        parts += ["-h", u.host]
    if u.port:
        parts += ["-p", str(u.port)]
    if u.username:
        parts += ["-U", u.username]
    name = u.database or "dangvien"
    parts += ["-Fc", "-f", f"{name}-{date.today():%Y%m%d}.dump", name]
    command = " ".join(parts)
    return (
        "Cơ sở dữ liệu PostgreSQL được sao lưu bằng công cụ pg_dump của máy chủ, không bằng "
        f"dangvien backup. Ví dụ: {command} (mật khẩu lấy từ ~/.pgpass hoặc biến PGPASSWORD; "
        "khôi phục bằng pg_restore -d TÊN_CSDL TỆP.dump)."
    )


def backup(location: Location, target: Path, *, force: bool = False) -> BackupDone:
    """Copy the SQLite database to `target` with SQLite's online backup (safe while another
    process writes), owner-only (0600), written under a temporary name and then renamed so
    that `target` is never a half-written file."""
    if location.path is None:
        if location.url.startswith("sqlite"):
            raise UsageError("Cơ sở dữ liệu SQLite trong bộ nhớ không có gì để sao lưu.")
        raise UsageError(pg_dump_hint(location.url))
    source = location.path
    if not source.exists():
        raise DatabaseError(f"Không có cơ sở dữ liệu {source} để sao lưu. Hãy kiểm tra --db.")
    target = target.expanduser().resolve()
    if target == source:
        raise UsageError("Tệp sao lưu phải khác tệp cơ sở dữ liệu đang dùng.")
    if target.is_dir():
        raise UsageError(f"{target} là một thư mục; hãy ghi rõ tên tệp sao lưu.")
    if target.exists() and not force:
        raise UsageError(
            f"Tệp {target} đã có. Chọn tên khác, hoặc thêm --force để ghi đè lên tệp đó."
        )
    if not target.parent.is_dir():
        raise UsageError(f"Không có thư mục {target.parent}. Hãy tạo thư mục đó trước.")
    try:
        copy_sqlite_atomically(source, target)
    except sqlite3.Error as exc:
        raise DatabaseError(f"Không sao lưu được {source}: {exc}.") from exc
    except OSError as exc:
        raise DatabaseError(f"Không ghi được tệp sao lưu {target}: {exc.strerror}.") from exc
    return BackupDone(target, target.stat().st_size)


def human_size(size: int) -> str:
    """A file size the Vietnamese way: 512 byte, 12,3 KB, 4,5 MB."""
    value = float(size)
    for unit in ("byte", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            if unit == "byte":
                return f"{size} byte"
            return f"{value:.1f} {unit}".replace(".", ",")
        value /= 1024
    raise AssertionError("unreachable")


# --------------------------------------------------------------------------------------------
# Check
# --------------------------------------------------------------------------------------------


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
    admitted = any(s in first for s in ("quyet-dinh-ket-nap", "le-ket-nap", "chinh-thuc"))
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


# --------------------------------------------------------------------------------------------
# Audit log
# --------------------------------------------------------------------------------------------

_VALUE_CHARS = 40
_SUMMARY_CHARS = 200


@dataclass(frozen=True)
class AuditLine:
    """One entry of the audit log, with what changed summarised."""

    at: datetime
    os_user: str | None
    command: str | None
    action: str
    entity: str
    entity_id: int | None
    batch_id: int | None
    summary: str

    def as_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "os_user": self.os_user,
            "command": self.command,
            "action": self.action,
            "entity": self.entity,
            "entity_id": self.entity_id,
            "batch_id": self.batch_id,
            "changes": self.summary,
        }


def _short(value: object) -> str:
    text = "—" if value is None else str(value)
    text = " ".join(text.split())
    return text if len(text) <= _VALUE_CHARS else text[: _VALUE_CHARS - 1] + "…"


def summarise_changes(changes: object) -> str:
    """What changed in a few words: `field: old → new` for each field, every value cut short
    and the whole cut at a line's length, so a log line never carries a whole record."""
    if not changes:
        return ""
    if not isinstance(changes, dict):
        return _short(changes)
    parts = []
    for key, value in changes.items():
        if isinstance(value, list) and len(value) == 2:
            parts.append(f"{key}: {_short(value[0])} → {_short(value[1])}")
        elif isinstance(value, dict):
            parts.append(f"{key}: {{{len(value)} mục}}")
        else:
            parts.append(f"{key}: {_short(value)}")
    text = "; ".join(parts)
    return text if len(text) <= _SUMMARY_CHARS else text[: _SUMMARY_CHARS - 1] + "…"


def audit_lines(session: Session, *, since: date | None = None) -> list[AuditLine]:
    """The audit log from `since` (a local day) on, newest last."""
    a = audit_t.c
    stmt = select(
        a.at, a.os_user, a.command, a.action, a.entity, a.entity_id, a.batch_id, a.changes
    ).order_by(a.at, a.id)
    if since is not None:
        stmt = stmt.where(a.at >= datetime.combine(since, time()).astimezone())
    return [
        AuditLine(
            at=row.at,
            os_user=row.os_user,
            command=row.command,
            action=row.action,
            entity=row.entity,
            entity_id=row.entity_id,
            batch_id=row.batch_id,
            summary=summarise_changes(row.changes),
        )
        for row in session.execute(stmt)
    ]
