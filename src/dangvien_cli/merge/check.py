"""Every row of a school's file checked before anything is written: its columns (merge/schema),
each value (merge/values) and how the rows tie together (merge/links). The file is read one row
at a time and no value longer than the connection's length limit is loaded."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from dangvien_cli.merge.links import Links
from dangvien_cli.merge.refusal import Refused
from dangvien_cli.merge.schema import TABLES, columns_problems
from dangvien_cli.merge.values import RULES, count, value_problem

__all__ = ["PROBLEMS_MAX", "file_problems"]

PROBLEMS_MAX: Final = 10_000  # the reading stops there: a file this wrong is refused anyway
_NOT_MERGED: Final = frozenset({"setting"})  # each database keeps its own settings
_FIRST: Final = -(2**63)
_CLOCKS_DIFFER: Final = timedelta(days=2)  # a school's clock may be off; not by more


class _Enough(Exception):
    """PROBLEMS_MAX problems found: no need to read on."""


def file_problems(con: sqlite3.Connection, *, now: datetime | None = None) -> list[Refused]:
    """Everything wrong with the file, in table order (at most PROBLEMS_MAX, then one line
    saying the reading stopped). With `now`, a time recorded after it is wrong too: a forged
    time would make the file's values win every conflict."""
    problems = columns_problems(con)
    if problems:
        return problems  # the rows of tables not shaped as ours cannot be read as ours
    links = Links()
    latest = None
    if now is not None:  # stored as UTC, in this form: compared as text
        latest = (now.astimezone(UTC) + _CLOCKS_DIFFER).strftime("%Y-%m-%d %H:%M:%S")
    try:
        for table in TABLES:
            if table not in _NOT_MERGED:
                for problem in _table_problems(con, table, links, latest):
                    problems.append(problem)
                    if len(problems) >= PROBLEMS_MAX:
                        raise _Enough
        problems += links.finish()
    except _Enough:
        problems.append(Refused(None, None, None, f"đã dừng đọc sau {count(PROBLEMS_MAX)} chỗ sai"))
    return problems


def _table_problems(
    con: sqlite3.Connection, table: str, links: Links, latest: str | None
) -> Iterator[Refused]:
    rules = RULES[table]
    names = list(rules)
    for rowid, values in _scan(con, table, names):
        if values is None:
            yield from _too_long(con, table, rowid, names)
            continue
        row_id = values.get("id")
        shown_id = row_id if isinstance(row_id, int) else rowid
        wrong = False
        for column, value in values.items():
            reason = value_problem(rules[column], value)
            if reason is None and latest and rules[column].kind == "datetime" and value:
                reason = _future(value, latest)
            if reason is not None:
                wrong = True
                yield Refused(table, shown_id, column, reason)
        if row_id != rowid and "id" in values:
            wrong = True
            yield Refused(table, shown_id, "id", "không phải khóa của dòng (rowid)")
        if wrong:  # ties are read from values of the right type; the row is there all the
            links.present(table, rowid, values)  # same: rows pointing at it are no orphans
        else:
            yield from links.row(table, rowid, values)


def _future(value: str, latest: str) -> str | None:
    if value[:19] <= latest:
        return None
    return "thời điểm ở sau hôm nay (đồng hồ máy của trường sai, hoặc tệp đã bị sửa)"


def _scan(
    con: sqlite3.Connection, table: str, names: list[str]
) -> Iterator[tuple[int, dict[str, Any] | None]]:
    """(rowid, the row's values) for every row in rowid order; (rowid, None) for a row with a
    value longer than the connection lets be read."""
    columns = ", ".join(f'"{n}"' for n in names)
    sql = f'SELECT rowid, {columns} FROM "{table}" WHERE rowid > ? ORDER BY rowid'
    last = _FIRST
    while True:
        try:
            for rowid, *values in con.execute(sql, (last,)):
                last = rowid
                yield rowid, dict(zip(names, values, strict=True))
            return
        except sqlite3.DataError:
            pass  # a value too long, in a row after `last` (the reader may be one row ahead)
        nxt = con.execute(
            f'SELECT rowid FROM "{table}" WHERE rowid > ? ORDER BY rowid LIMIT 1', (last,)
        ).fetchone()
        if nxt is None:
            return
        last = int(nxt[0])
        try:
            one = con.execute(f'SELECT {columns} FROM "{table}" WHERE rowid = ?', (last,))
            yield last, dict(zip(names, one.fetchone(), strict=True))
        except sqlite3.DataError:
            yield last, None


def _too_long(
    con: sqlite3.Connection, table: str, rowid: int, names: list[str]
) -> Iterator[Refused]:
    from dangvien_cli.merge.source import VALUE_MAX

    for name in names:
        try:
            con.execute(f'SELECT "{name}" FROM "{table}" WHERE rowid = ?', (rowid,)).fetchone()
        except sqlite3.DataError:
            yield Refused(table, rowid, name, f"giá trị dài hơn {count(VALUE_MAX)} byte")
