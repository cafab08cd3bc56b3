"""What a merge reports: the rows added and found unchanged by table, and each value on which the
two databases differed, with the one kept."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

__all__ = ["TABLES", "Conflict", "MergeReport", "plain"]

TABLES = ("unit", "school", "school_year", "import_batch", "student", "enrollment",
          "term_result", "youth_union", "milestone", "target", "audit_log")  # fmt: skip


@dataclass(frozen=True)
class Conflict:
    table: str
    key: str
    field: str
    ours: Any
    theirs: Any
    kept: str  # ours | theirs

    def as_json(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "key": self.key,
            "field": self.field,
            "ours": plain(self.ours),
            "theirs": plain(self.theirs),
            "kept": self.kept,
        }


@dataclass
class MergeReport:
    source: str
    added: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))
    unchanged: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))
    conflicts: list[Conflict] = field(default_factory=list)
    written: bool = True

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "added": self.added,
            "unchanged": self.unchanged,
            "conflicts": [c.as_json() for c in self.conflicts],
        }


def plain(value: Any) -> Any:
    """A value as JSON can hold it (dates as ISO text)."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value
