"""How a writer waits for another: said out loud after a moment, given up at a stated limit.

Two commands that write the same database take turns (SQLite's write lock, PostgreSQL's advisory
lock, see db/engine). The second one waits — without a word it would look hung — so after
`ANNOUNCE_AFTER` seconds it says on stderr that it is waiting and for how long at most, and at the
limit it stops with `WaitTimeoutError`: nothing written, exit 1. The limit is `--wait` or
$DANGVIEN_WAIT (seconds), else `DEFAULT_SECONDS`.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from typing import Any

from dangvien_cli.core.errors import UsageError, waited_too_long

ENV_VAR = "DANGVIEN_WAIT"
DEFAULT_SECONDS = 300.0
MAX_SECONDS = 7 * 24 * 3600.0
ANNOUNCE_AFTER = 1.0  # a wait shorter than this is not worth a line
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6
_POLL = 0.1  # PostgreSQL: how often the lock is tried again before the wait is announced


def _silent(_message: str) -> None:
    return None


class Waiting:
    """How long this process waits for another writer, and where it says that it waits.
    (A plain class, not a dataclass: it is made by every command, and start-up counts.)"""

    __slots__ = ("database", "limit", "notify")

    def __init__(
        self,
        limit: float = DEFAULT_SECONDS,
        database: str = "này",  # as messages name it
        notify: Callable[[str], None] = _silent,
    ) -> None:
        self.limit = limit
        self.database = database
        self.notify = notify

    @property
    def limit_ms(self) -> int:
        """The limit in milliseconds, at least 1 (PostgreSQL reads a lock_timeout of 0 as no
        limit at all)."""
        return max(int(self.limit * 1000), 1)

    def announce(self) -> None:
        self.notify(
            f"Đang chờ để ghi vào cơ sở dữ liệu {self.database} (một người khác đang ghi); "
            f"chờ tối đa {self.limit:g} giây…"
        )

    def gave_up(self) -> Exception:
        return waited_too_long(self.limit, self.database)


def wait_limit(given: str | float | None) -> float:
    """The wait limit in seconds: `given` (--wait), else $DANGVIEN_WAIT, else the default."""
    raw = given if given is not None else os.environ.get(ENV_VAR)
    if raw is None or raw == "":
        return DEFAULT_SECONDS
    try:
        seconds = float(str(raw).strip().replace(",", "."))
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= MAX_SECONDS:  # also refuses nan
        source = "--wait" if given is not None else ENV_VAR
        raise UsageError(
            f"Thời gian chờ {source} phải là một số giây từ 0 đến {MAX_SECONDS:.0f}, "
            f"ví dụ --wait 600; nhận được: {raw}."
        )
    return seconds


# ----------------------------------------------------------------------------------- SQLite


def sqlite_begin_immediate(raw: sqlite3.Connection, waiting: Waiting) -> None:
    """BEGIN IMMEDIATE on `raw`: at once when the write lock is free; else, after a moment, the
    wait is announced and lasts until the lock is free or the limit is reached."""
    first = min(ANNOUNCE_AFTER, waiting.limit)
    try:
        _busy_timeout(raw, first)
        if _try_begin(raw):
            return
        if waiting.limit <= first:
            raise waiting.gave_up()
        waiting.announce()
        _busy_timeout(raw, waiting.limit - first)
        if not _try_begin(raw):
            raise waiting.gave_up()
    finally:
        _busy_timeout(raw, waiting.limit)


def _busy_timeout(raw: sqlite3.Connection, seconds: float) -> None:
    raw.execute(f"PRAGMA busy_timeout = {max(int(seconds * 1000), 0)}")


def _try_begin(raw: sqlite3.Connection) -> bool:
    try:
        raw.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if exc.sqlite_errorcode & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED):
            return False
        raise
    return True


# ------------------------------------------------------------------------------- PostgreSQL


def pg_session_limit(dbapi_conn: Any, waiting: Waiting) -> None:
    """Every session waits for a lock (a row, a table, the write lock) at most the limit: past it
    the server ends the statement with lock_not_available, which the command line explains.
    (statement_timeout is left alone: it would also cut a long report that waits for nothing.)"""
    autocommit = dbapi_conn.autocommit
    dbapi_conn.autocommit = True
    try:
        with dbapi_conn.cursor() as cur:
            cur.execute(f"SET lock_timeout = {waiting.limit_ms}")
    finally:
        dbapi_conn.autocommit = autocommit


def pg_write_lock(conn: Any, waiting: Waiting, key: int) -> None:
    """Take the transaction-scoped advisory lock `key` (see db/engine._pg_on_begin), announcing
    the wait after a moment and giving up at the limit."""
    started = time.monotonic()
    first = min(ANNOUNCE_AFTER, waiting.limit)
    while not conn.exec_driver_sql(f"SELECT pg_try_advisory_xact_lock({key})").scalar():
        if time.monotonic() - started >= first:
            break
        time.sleep(_POLL)
    else:
        return
    if waiting.limit <= first:
        raise waiting.gave_up()
    waiting.announce()
    from sqlalchemy.exc import OperationalError

    left = max(int((waiting.limit - (time.monotonic() - started)) * 1000), 1)
    conn.exec_driver_sql(f"SET LOCAL lock_timeout = {left}")
    try:
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({key})")
    except OperationalError as exc:
        if getattr(exc.orig, "sqlstate", None) == "55P03":
            raise waiting.gave_up() from None
        raise
    conn.exec_driver_sql(f"SET LOCAL lock_timeout = {waiting.limit_ms}")
