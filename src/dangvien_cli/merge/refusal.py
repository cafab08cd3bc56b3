"""A school's file refused before anything is written: each thing wrong with it (table, row,
column, reason — never the value itself), and the error that carries the list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from dangvien_cli.core.errors import DangvienError, ExitCode

__all__ = ["SHOWN", "MergeRefusedError", "Refused"]

SHOWN: Final = 50  # problems listed in the message; --json lists them all


@dataclass(frozen=True)
class Refused:
    """One thing wrong in the school's file. `row` is the row's id (None: the whole table or
    file); `reason` is Vietnamese and never quotes a value of the row."""

    table: str | None
    row: int | None
    column: str | None
    reason: str

    def as_json(self) -> dict[str, Any]:
        return {"table": self.table, "row": self.row, "column": self.column, "reason": self.reason}

    def line(self) -> str:
        where = [f"bảng {self.table}" if self.table else "tệp"]
        if self.row is not None:
            where.append(f"dòng id {self.row}")
        if self.column:
            where.append(f"cột {self.column}")
        return f"{', '.join(where)}: {self.reason}"


class MergeRefusedError(DangvienError):
    """The school's file holds what this database must not take in: nothing was written."""

    exit_code = ExitCode.FAILURE

    def __init__(self, source_name: str, problems: list[Refused]) -> None:
        self.problems = problems
        lines = [f"  - {p.line()}" for p in problems[:SHOWN]]
        if len(problems) > SHOWN:
            lines.append(f"  … và {_count(len(problems) - SHOWN)} lỗi khác (xem đủ với --json).")
        super().__init__(
            f"Không hợp nhất tệp {source_name}: tệp có {_count(len(problems))} chỗ sai, "
            "không ghi gì vào cơ sở dữ liệu.\n"
            + "\n".join(lines)
            + "\nTệp đã bị sửa ngoài dangvien hoặc bị hỏng. Hãy nhờ trường gửi lại tệp .db lấy "
            "thẳng từ dangvien (hoặc một bản sao lưu của trường)."
        )

    def as_json(self) -> dict[str, Any]:
        return {"refused": [p.as_json() for p in self.problems]}


def _count(n: int) -> str:
    return f"{n:,}".replace(",", ".")
