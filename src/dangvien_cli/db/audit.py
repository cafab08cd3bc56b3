"""The audit log: who changed what, when, and with which command."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from dangvien_cli.db.models import audit_t


def audit_entry(
    *,
    now: datetime,
    user: str | None,
    command: str,
    action: str,
    entity: str,
    entity_id: int | None = None,
    batch_id: int | None = None,
    changes: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One row of the audit log, for `log` or for a bulk insert."""
    return {
        "at": now,
        "os_user": user,
        "command": command,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "batch_id": batch_id,
        "changes": changes,
    }


@dataclass
class Stamp:
    """Who does a change, when, with which command: for the audit log."""

    now: datetime
    user: str | None
    command: str

    def entry(self, **entry: Any) -> dict[str, Any]:
        """One row of the audit log by this stamp, for a bulk insert."""
        return audit_entry(now=self.now, user=self.user, command=self.command, **entry)

    def log(self, session: Session, **entry: Any) -> None:
        session.execute(insert(audit_t).values(self.entry(**entry)))


# -- reading the log -------------------------------------------------------------------------

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
