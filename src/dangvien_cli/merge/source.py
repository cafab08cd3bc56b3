"""Reading the school's file: a read-only connection at this program's schema revision (an older
file migrated in a temporary copy), after the whole file was checked (merge/check), or a clear
error when it is not a dangvien database."""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import Table, select

from dangvien_cli.core.errors import DangvienError, ExitCode
from dangvien_cli.db.engine import HEAD_REVISION
from dangvien_cli.merge.refusal import MergeRefusedError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

__all__ = ["TEMP_PREFIX", "ForeignFileError", "open_source", "remove_leftovers", "rows"]

TEMP_PREFIX: Final = "dangvien-merge-"  # + the pid of the merge + "-" + tempfile's letters
VALUE_MAX: Final = 16 * 1024**2  # bytes: SQLite refuses to read a longer value
READ_SECONDS: Final = 300  # reading the file for its checks stops after this long
_OLD_LEFTOVER_SECONDS: Final = 24 * 3600


class ForeignFileError(DangvienError):
    """The file to merge is not a dangvien database, or one newer than this program."""

    exit_code = ExitCode.FAILURE


@contextmanager
def open_source(path: Path, *, now: datetime | None = None) -> Iterator[Connection]:
    """A read-only connection to the school's file, at this program's schema revision, once
    every row was checked (MergeRefusedError lists what is wrong; with `now`, a time recorded
    after it is wrong too).

    A file at an older revision is migrated in a temporary copy, never in place: the school's
    file is not ours to change. The copy is removed on every path; one left by a killed merge
    is removed by the next."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    if not path.is_file():
        raise ForeignFileError(f"Không có tệp {path} để hợp nhất.")
    remove_leftovers()
    revision = _source_revision(path)
    with tempfile.TemporaryDirectory(prefix=f"{TEMP_PREFIX}{os.getpid()}-") as tmp:
        read_path = path
        if revision != HEAD_REVISION:
            from dangvien_cli.db.engine import backup_sqlite, open_database

            read_path = Path(tmp) / "school.db"
            backup_sqlite(path, read_path)
            open_database(str(read_path)).close()  # migrates the copy, or says it is too new
        _check(path, read_path, now)
        engine = create_engine("sqlite://", creator=lambda: _connect(read_path), poolclass=NullPool)
        try:
            with engine.connect() as conn:
                yield conn
        finally:
            engine.dispose()


def _connect(path: Path, *, deadline: float | None = None) -> sqlite3.Connection:
    """A read-only connection that reads no value longer than VALUE_MAX, and (with a
    deadline) stops a statement running past it."""
    uri = f"{path.resolve().as_uri()}?mode=ro".replace("file://", "file:", 1)
    con = sqlite3.connect(uri, uri=True)
    con.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, VALUE_MAX)
    if deadline is not None:
        con.set_progress_handler(lambda: time.monotonic() > deadline, 10_000)
    return con


def _check(path: Path, read_path: Path, now: datetime | None) -> None:
    from dangvien_cli.merge.check import file_problems

    con = _connect(read_path, deadline=time.monotonic() + READ_SECONDS)
    try:
        problems = file_problems(con, now=now)
    except sqlite3.OperationalError as exc:
        if "interrupted" not in str(exc):
            raise
        raise ForeignFileError(
            f"Đọc tệp {path.name} để kiểm tra mất quá {READ_SECONDS} giây; đã dừng, không ghi "
            "gì. Tệp quá lớn hoặc hỏng: hãy nhờ trường gửi lại tệp."
        ) from None
    finally:
        con.close()
    if problems:
        raise MergeRefusedError(path.name, problems)


def _source_revision(path: Path) -> str:
    """The file's schema revision, once its schema holds nothing but dangvien's tables (read
    from sqlite_master alone: no view, trigger or table of the file runs before)."""
    from dangvien_cli.merge.schema import structure_problems

    foreign = (
        f"Tệp {path.name} không phải cơ sở dữ liệu của dangvien. "
        "Hãy chọn tệp .db mà trường dùng với dangvien (tùy chọn --db của trường)."
    )
    try:
        con = _connect(path, deadline=time.monotonic() + READ_SECONDS)
    except sqlite3.Error as exc:
        raise ForeignFileError(f"Không mở được tệp {path.name} ({_code(exc)}).") from None
    try:
        tables = {str(r[0]) for r in con.execute("SELECT name FROM sqlite_master LIMIT 2000")}
        if "alembic_version" not in tables or "student" not in tables:
            raise ForeignFileError(foreign)
        problems = structure_problems(con)
        if problems:
            raise MergeRefusedError(path.name, problems)
        row = con.execute(
            "SELECT CAST(version_num AS TEXT) FROM alembic_version LIMIT 2"
        ).fetchall()
    except sqlite3.DatabaseError:
        raise ForeignFileError(foreign) from None
    finally:
        con.close()
    if len(row) != 1:
        raise ForeignFileError(foreign)
    revision = str(row[0][0])
    if revision != HEAD_REVISION and not _known_revision(revision):
        from dangvien_cli.merge.schema import shown

        raise ForeignFileError(
            f"Tệp {path.name} có phiên bản lược đồ {shown(revision)}, mới hơn phiên bản dangvien "
            "này hiểu được. Hãy cập nhật dangvien rồi hợp nhất lại."
        )
    return revision


def _code(exc: sqlite3.Error) -> str:
    """SQLite's name for an error (SQLITE_CORRUPT…): never the text, which may quote a row."""
    return str(getattr(exc, "sqlite_errorname", None) or type(exc).__name__)


def _known_revision(revision: str) -> bool:
    from dangvien_cli.db.engine import known_revisions

    return revision in known_revisions()


def remove_leftovers(directory: Path | None = None) -> list[Path]:
    """Remove the temporary copies that merges killed before they could clean up left behind
    (those of a process no longer running; without a pid, those a day old). What was removed."""
    where = Path(directory or tempfile.gettempdir())
    removed = []
    for leftover in where.glob(f"{TEMP_PREFIX}*"):
        if leftover.is_dir() and not leftover.is_symlink() and _abandoned(leftover):
            shutil.rmtree(leftover, ignore_errors=True)
            removed.append(leftover)
    return removed


def _abandoned(leftover: Path) -> bool:
    pid_text = leftover.name[len(TEMP_PREFIX) :].partition("-")[0]
    if pid_text.isdigit() and os.name == "posix":
        pid = int(pid_text)
        if pid == os.getpid():
            return False
        try:
            os.kill(pid, 0)  # signal 0: is it alive? (on Windows it would send Ctrl-C)
        except ProcessLookupError:
            return True
        except OSError:
            return False  # alive, another user's
        return False
    try:
        return time.time() - leftover.stat().st_mtime > _OLD_LEFTOVER_SECONDS
    except OSError:
        return False


def rows(conn: Connection, table: Table) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in conn.execute(select(table).order_by(table.c.id))]
