"""The audit log: who changed what, when, and with which command."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from dangvien_cli.models import audit_t


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


def log(session: Session, **entry: Any) -> None:
    session.execute(insert(audit_t).values(audit_entry(**entry)))
