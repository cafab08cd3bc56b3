"""Reading the school's file: a read-only connection at this program's schema revision (an older
file migrated in a temporary copy), or a clear error when it is not a dangvien database."""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, select

from dangvien_cli.core.errors import DangvienError, ExitCode
from dangvien_cli.db.engine import HEAD_REVISION

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

__all__ = ["ForeignFileError", "open_source", "rows"]


class ForeignFileError(DangvienError):
    """The file to merge is not a dangvien database, or one newer than this program."""

    exit_code = ExitCode.FAILURE


@contextmanager
def open_source(path: Path) -> Iterator[Connection]:
    """A read-only connection to the school's file, at this program's schema revision.

    A file at an older revision is migrated in a temporary copy, never in place: the school's
    file is not ours to change."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    if not path.is_file():
        raise ForeignFileError(f"Không có tệp {path} để hợp nhất.")
    revision = _source_revision(path)
    with tempfile.TemporaryDirectory(prefix="dangvien-merge-") as tmp:
        read_path = path
        if revision != HEAD_REVISION:
            from dangvien_cli.db.engine import backup_sqlite, open_database

            read_path = Path(tmp) / path.name
            backup_sqlite(path, read_path)
            open_database(str(read_path)).close()  # migrates the copy, or says it is too new
        uri = f"{read_path.resolve().as_uri()}?mode=ro".replace("file://", "file:", 1)
        engine = create_engine(
            "sqlite://", creator=lambda: sqlite3.connect(uri, uri=True), poolclass=NullPool
        )
        try:
            with engine.connect() as conn:
                yield conn
        finally:
            engine.dispose()


def _source_revision(path: Path) -> str:
    uri = f"{path.resolve().as_uri()}?mode=ro".replace("file://", "file:", 1)
    foreign = (
        f"Tệp {path.name} không phải cơ sở dữ liệu của dangvien. "
        "Hãy chọn tệp .db mà trường dùng với dangvien (tùy chọn --db của trường)."
    )
    try:
        con = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise ForeignFileError(f"Không đọc được tệp {path}: {exc}.") from exc
    try:
        tables = {str(r[0]) for r in con.execute("SELECT name FROM sqlite_master")}
        if "alembic_version" not in tables or "student" not in tables:
            raise ForeignFileError(foreign)
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise ForeignFileError(foreign) from exc
    finally:
        con.close()
    if row is None:
        raise ForeignFileError(foreign)
    revision = str(row[0])
    if revision != HEAD_REVISION and not _known_revision(revision):
        raise ForeignFileError(
            f"Tệp {path.name} có phiên bản lược đồ {revision}, mới hơn phiên bản dangvien này "
            "hiểu được. Hãy cập nhật dangvien rồi hợp nhất lại."
        )
    return revision


def _known_revision(revision: str) -> bool:
    from dangvien_cli.db.engine import known_revisions

    return revision in known_revisions()


def rows(conn: Connection, table: Table) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in conn.execute(select(table).order_by(table.c.id))]
