"""Bulk inserts that go straight to the driver's executemany, for imports of many rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Column, Table, bindparam, insert
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session


def bulk_insert(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """INSERT every row (all rows have the same keys) with one executemany.

    SQLAlchemy's executemany spends more time preparing the parameters of a 100,000-row insert
    than SQLite spends writing them. Here the statement is compiled once, each column's own bind
    processor (the dialect's way of storing dates, JSON, time zones) is applied in a plain loop,
    and the driver gets the parameters as they are — the stored values are the same as
    SQLAlchemy's.
    """
    if not rows:
        return
    conn = session.connection()
    dialect = conn.dialect
    columns = list(rows[0])
    compiled = insert(table).values({c: bindparam(c) for c in columns}).compile(dialect=dialect)
    processors = [(c, _bind_processor(table.c[c], dialect)) for c in columns]
    active = [(c, p) for c, p in processors if p is not None]
    if active:
        rows = [dict(row) for row in rows]
        for c, process in active:
            # Dates and timestamps repeat (a birth year has 365 days; every row of an import
            # has the same timestamp): each distinct value is converted once.
            seen: dict[Any, Any] = {}
            for row in rows:
                value = row[c]
                if value is None:
                    continue
                try:
                    row[c] = seen[value]
                except KeyError:
                    row[c] = seen[value] = process(value)
                except TypeError:  # unhashable (JSON)
                    row[c] = process(value)
    if compiled.positional:
        order = list(compiled.positiontup or [])
        pick = itemgetter(*order)
        params: list[Any] = [pick(row) for row in rows]
        if len(order) == 1:
            params = [(value,) for value in params]
    else:
        params = list(rows)
    conn.exec_driver_sql(str(compiled), params)


def _bind_processor(column: Column[Any], dialect: Dialect) -> Callable[[Any], Any] | None:
    """The dialect's conversion of a value of `column` into what the driver is given (None: the
    value as it is), through SQLAlchemy's public API: the type's dialect implementation and its
    bind processor — what SQLAlchemy's private, memoised _cached_bind_processor returns. Asked
    once per column and statement, so its memo is not missed."""
    processor: Callable[[Any], Any] | None = column.type.dialect_impl(dialect).bind_processor(
        dialect
    )
    return processor


def binder(dialect: Dialect, column: Column[Any]) -> Callable[[Any], Any]:
    """What the driver is given for a value of `column` (the dialect's way of storing dates,
    timestamps, booleans, JSON), each distinct value converted once; None stays None."""
    process = _bind_processor(column, dialect)
    if process is None:
        return _same
    seen: dict[Any, Any] = {}

    def bind(value: Any) -> Any:
        if value is None:
            return None
        try:
            return seen[value]
        except KeyError:
            seen[value] = out = process(value)
            return out
        except TypeError:  # unhashable (JSON)
            return process(value)

    return bind


def _same(value: Any) -> Any:
    return value


_STATEMENTS: dict[tuple[str, str, tuple[str, ...]], tuple[str, bool]] = {}


def insert_rows(
    session: Session, table: Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """INSERT rows given as tuples of driver values (see binder) in the order of `columns`,
    with one executemany of a statement compiled once per table and columns."""
    if not rows:
        return
    conn = session.connection()
    dialect = conn.dialect
    key = (dialect.name, table.name, tuple(columns))
    found = _STATEMENTS.get(key)
    if found is None:
        compiled = insert(table).values({c: bindparam(c) for c in columns}).compile(dialect=dialect)
        if compiled.positional and list(compiled.positiontup or []) != list(columns):
            raise AssertionError(f"{table.name}: parameters out of the columns' order")
        found = _STATEMENTS[key] = (str(compiled), bool(compiled.positional))
    sql, positional = found
    # Positional drivers (sqlite3) take the tuples as they are; named ones (psycopg) dicts.
    params = rows if positional else [dict(zip(columns, row, strict=True)) for row in rows]
    conn.exec_driver_sql(sql, params)
