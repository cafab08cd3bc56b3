"""Merging the audit log: their entries with ids mapped, each copied once and marked as the
school's (the command says from which file it came: never passed off as one of ours); and this
merge's conflicts, logged once however often the same file is merged."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from dangvien_cli.db.models import audit_t
from dangvien_cli.merge.merger import ACTION, Merger
from dangvien_cli.merge.report import plain
from dangvien_cli.merge.source import rows
from dangvien_cli.roster.identity import naive

__all__ = ["MARK", "audit", "marked", "unmarked"]

MARK = " — từ tệp {} (hợp nhất)"  # after the command of an entry copied from a school's file
_MARK_HEAD, _MARK_TAIL = MARK.split("{}")


def marked(command: str | None, file_name: str) -> str:
    """The command of an entry copied from the school's file `file_name`."""
    return f"{command or ''}{MARK.format(file_name)}"


def unmarked(command: str | None) -> str | None:
    """The command as the school's database had it, before this database marked it copied."""
    if command is None or not command.endswith(_MARK_TAIL):
        return command
    head, sep, _ = command.rpartition(_MARK_HEAD)
    return (head or None) if sep else command


def audit(m: Merger) -> None:
    """Their audit log, with ids mapped; an entry already here is not copied again."""
    from dangvien_cli.merge.schema import shown

    a = audit_t.c
    source = shown(Path(m.report.source).name)
    maps = {"student": m.students, "milestone": m.milestones, "unit": m.units,
            "school": m.schools}  # fmt: skip
    theirs = rows(m.src, audit_t)
    since = min((r["at"] for r in theirs), default=None)
    existing: set[str] = set()
    if since is not None:
        for r in m.s.execute(select(audit_t).where(a.at >= since)):
            existing.add(_audit_key(dict(r._mapping)))
    new: list[dict[str, Any]] = []
    for row in theirs:
        mapping = maps.get(row["entity"], {})
        entity_id = mapping.get(row["entity_id"]) if row["entity_id"] is not None else None
        changes = row["changes"]
        if row["entity"] == "milestone" and isinstance(changes, dict):
            changes = dict(changes)
            if changes.get("student_id") is not None:
                changes["student_id"] = m.students.get(changes["student_id"])
            if changes.get("replaces") is not None:
                changes["replaces"] = m.milestones.get(changes["replaces"])
        values = {
            **{k: v for k, v in row.items() if k != "id"},
            "entity_id": entity_id,
            "batch_id": m.batch(row["batch_id"]),
            "changes": changes,
        }
        key = _audit_key(values)
        if key in existing:
            m.same(audit_t)
            continue
        existing.add(key)
        new.append({**values, "command": marked(values["command"], source)})
    # The conflicts of this merge are logged once, however often the same file is merged.
    logged = {
        _audit_key({**dict(r._mapping), "at": None})
        for r in m.s.execute(select(audit_t).where(a.action == ACTION))
    }
    for entry in m.audits:
        key = _audit_key({**entry, "at": None})
        if key not in logged:
            logged.add(key)
            new.append(entry)
    for values in new:
        m.insert(audit_t, values)


def _audit_key(row: dict[str, Any]) -> str:
    at = row.get("at")
    return json.dumps(
        [
            plain(naive(at)) if isinstance(at, datetime) else None,
            row.get("action"),
            row.get("entity"),
            row.get("entity_id"),
            unmarked(row.get("command")) if row.get("action") != ACTION else None,
            plain(row.get("changes")),
        ],
        sort_keys=True,
        ensure_ascii=False,
    )
