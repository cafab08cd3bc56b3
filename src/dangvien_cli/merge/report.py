"""What a merge reports: the rows added and found unchanged by table, and each value on which the
two databases differed, with the one kept."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

__all__ = ["TABLES", "Conflict", "HeldBack", "MergeReport", "plain"]

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


@dataclass(frozen=True)
class HeldBack:
    """A student of the school's file not taken in, with all that hangs on them: their code is
    another school's student here, and name and birth say it is someone else (not a transfer).
    Nothing of our student is said."""

    student_code: str
    row: int  # the student's id in the school's file
    school: str  # the school of the file's student

    def as_json(self) -> dict[str, Any]:
        return {"student_code": self.student_code, "row": self.row, "school": self.school}

    def line(self) -> str:
        return (
            f"Mã {self.student_code} (bảng student, dòng id {self.row}, {self.school}) đã là mã "
            "của một học sinh khác ở trường khác trong cơ sở dữ liệu này, khác họ tên hoặc ngày "
            "sinh: học sinh này và các mốc, kết quả của em chưa được hợp nhất. Hãy kiểm tra mã "
            "với hai trường, sửa mã sai (dangvien import danh sách đã sửa) rồi hợp nhất lại."
        )


@dataclass
class MergeReport:
    source: str
    added: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))
    unchanged: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))
    conflicts: list[Conflict] = field(default_factory=list)
    held_back: list[HeldBack] = field(default_factory=list)
    written: bool = True

    def as_json(self) -> dict[str, Any]:
        out = {
            "source": self.source,
            "added": self.added,
            "unchanged": self.unchanged,
            "conflicts": [c.as_json() for c in self.conflicts],
        }
        if self.held_back:  # only then: a merge without any keeps the JSON it always had
            out["held_back"] = [h.as_json() for h in self.held_back]
        return out


def plain(value: Any) -> Any:
    """A value as JSON can hold it (dates as ISO text)."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value
