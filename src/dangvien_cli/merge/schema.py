"""Whether the school's file is made of the tables this program knows, before any row is read:
no view, trigger or virtual table in place of a table, no unknown table or column."""

from __future__ import annotations

import sqlite3
from typing import Final

from sqlalchemy import Table

from dangvien_cli.db.models import (
    audit_t,
    batch_t,
    enrollment_t,
    milestone_t,
    person_t,
    result_t,
    school_t,
    setting_t,
    student_t,
    target_t,
    unit_t,
    year_t,
    youth_t,
)
from dangvien_cli.merge.refusal import Refused

__all__ = ["TABLES", "columns_problems", "shown", "structure_problems"]

# Every table of the models, by name, in the order the rows depend on each other.
TABLES: Final[dict[str, Table]] = {
    t.name: t
    for t in (unit_t, school_t, year_t, batch_t, person_t, student_t, enrollment_t, result_t,
              youth_t, milestone_t, target_t, audit_t, setting_t)
}  # fmt: skip
_ALLOWED: Final = frozenset({"alembic_version", *TABLES})
_INTERNAL: Final = frozenset(
    {"sqlite_sequence", "sqlite_stat1", "sqlite_stat2", "sqlite_stat3", "sqlite_stat4"}
)
_ENTRIES_MAX: Final = 1_000  # a dangvien file has about 50 schema entries
_NAME_SHOWN: Final = 60


def shown(name: object) -> str:
    """A name read from the file, safe to print: every non-printable character written as its
    code, and cut short."""
    text = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in str(name))
    return text if len(text) <= _NAME_SHOWN else text[: _NAME_SHOWN - 1] + "…"


def structure_problems(con: sqlite3.Connection) -> list[Refused]:
    """What in the file's schema is not a plain table of dangvien (read from sqlite_master
    only: nothing of the file runs)."""
    out: list[Refused] = []
    cursor = con.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")
    for count, (kind, name, table, sql) in enumerate(cursor, start=1):
        if count > _ENTRIES_MAX:
            return [Refused(None, None, None, "lược đồ có quá nhiều bảng và chỉ mục")]
        out += _entry_problems(str(kind), name, table, str(sql or ""))
    return out


def _entry_problems(kind: str, name: object, table: object, sql: str) -> list[Refused]:
    head = " ".join(sql.split()).upper()
    reason = None
    if kind == "view":
        reason = "là một view (bảng ảo), không phải bảng dữ liệu"
    elif kind == "trigger":
        name, reason = table, f"có trigger {shown(name)}: tệp của dangvien không có trigger"
    elif kind != "table" or name in _INTERNAL:
        return []  # indexes: never run on reading
    elif name not in _ALLOWED:
        reason = "bảng lạ, không có trong cơ sở dữ liệu dangvien"
    elif head.startswith("CREATE VIRTUAL"):
        reason = "là bảng ảo (virtual table), không phải bảng dữ liệu"
    elif "WITHOUT ROWID" in head:
        reason = "khác dạng bảng của dangvien (WITHOUT ROWID)"
    return [] if reason is None else [Refused(shown(name), None, None, reason)]


def columns_problems(con: sqlite3.Connection) -> list[Refused]:
    """Each table of the models with exactly the models' columns (a file at this program's
    schema revision)."""
    out: list[Refused] = []
    for name, table in TABLES.items():
        info = con.execute(f'PRAGMA table_xinfo("{name}")').fetchall()
        if not info:
            out.append(Refused(name, None, None, "thiếu bảng này"))
            continue
        theirs = {str(r[1]): int(r[6]) for r in info}
        ours = {c.name for c in table.columns}
        for column, hidden in theirs.items():
            if column not in ours:
                out.append(Refused(name, None, shown(column), "cột lạ, dangvien không có cột này"))
            elif hidden:
                out.append(Refused(name, None, column, "cột được tính ra (generated column)"))
        for column in sorted(ours - set(theirs)):
            out.append(Refused(name, None, column, "thiếu cột này"))
    return out
