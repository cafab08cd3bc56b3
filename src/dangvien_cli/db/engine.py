"""The database: where it is, opening it with the right settings, and keeping its schema current."""

from __future__ import annotations

import logging
import os
import shlex
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dangvien_cli.core.errors import DangvienError, DatabaseError, driver_message, known_failure
from dangvien_cli.core.exporting import SIDE_FILES, remove_stale_temps, temp_name
from dangvien_cli.db.waiting import Waiting, pg_session_limit, pg_write_lock, sqlite_begin_immediate

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine
    from sqlmodel import Session

log = logging.getLogger(__name__)
ENV_VAR = "DANGVIEN_DB"
DEFAULT_FILE = "dangvien.db"
# The newest migration. tests/db/test_db.py checks that it is Alembic's head, so that opening a
# current database needs one small query and no Alembic import.
HEAD_REVISION = "0003"
# The PostgreSQL advisory lock a write transaction holds ("dangvien" in ASCII): see _pg_on_begin.
WRITE_LOCK = 0x64616E677669656E


@dataclass(frozen=True)
class Location:
    """Where the database is: a SQLAlchemy URL, and the file when it is SQLite."""

    url: str
    path: Path | None  # None for a server database or SQLite in memory

    @property
    def display(self) -> str:
        if self.path is not None:
            return str(self.path)
        # Never show a password that a URL may carry.
        from sqlalchemy.engine import make_url

        return make_url(self.url).render_as_string(hide_password=True)


def locate(db: str | None) -> Location:
    """The database from --db, else $DANGVIEN_DB, else ./dangvien.db."""
    value = db or os.environ.get(ENV_VAR) or DEFAULT_FILE
    if "://" not in value:
        path = Path(value).expanduser().resolve()
        return Location(url=f"sqlite:///{path}", path=path)
    if value.startswith("sqlite:///") and value not in ("sqlite://", "sqlite:///:memory:"):
        raw = value.removeprefix("sqlite:///").split("?", 1)[0]
        if raw and raw != ":memory:":
            return Location(url=value, path=Path(raw).expanduser().resolve())
    return Location(url=value, path=None)


def _sqlite_on_connect(dbapi_conn: sqlite3.Connection, waiting: Waiting) -> None:
    # The driver's own transaction handling is switched off so that SQLAlchemy's "begin"
    # event below decides between BEGIN and BEGIN IMMEDIATE.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {waiting.limit_ms}")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = NORMAL")
    cur.close()


def _sqlite_on_begin(conn: Any, waiting: Waiting) -> None:
    # A write transaction takes the write lock at once (BEGIN IMMEDIATE): two writers then
    # wait for each other (db/waiting: said out loud, up to a limit) instead of failing halfway
    # with "database is locked".
    if conn.get_execution_options().get("write", False):
        sqlite_begin_immediate(conn.connection.dbapi_connection, waiting)
    else:
        conn.exec_driver_sql("BEGIN")


def _pg_on_begin(conn: Any, waiting: Waiting) -> None:
    # PostgreSQL writers take one transaction-scoped advisory lock first, as SQLite's BEGIN
    # IMMEDIATE does: the commands read, then insert what is missing (a school year, a school,
    # ids), which two concurrent transactions would otherwise both insert. Readers never wait.
    if conn.get_execution_options().get("write", False):
        pg_write_lock(conn, waiting, WRITE_LOCK)


def create_engine_for(location: Location, waiting: Waiting | None = None) -> Engine:
    from sqlalchemy import create_engine, event

    waiting = waiting or Waiting(database=location.display)
    if location.path is not None:
        _create_private_file(location.path)
        engine = create_engine(location.url, connect_args={"timeout": waiting.limit})
    elif location.url.startswith("sqlite"):
        from sqlalchemy.pool import StaticPool

        engine = create_engine(location.url, poolclass=StaticPool)
    else:
        engine = create_engine(location.url, pool_pre_ping=True)
        if engine.dialect.name == "postgresql":
            event.listen(engine, "connect", lambda raw, _record: pg_session_limit(raw, waiting))
            event.listen(engine, "begin", lambda conn: _pg_on_begin(conn, waiting))
        return engine
    event.listen(engine, "connect", lambda raw, _record: _sqlite_on_connect(raw, waiting))
    event.listen(engine, "begin", lambda conn: _sqlite_on_begin(conn, waiting))
    return engine


def _create_private_file(path: Path) -> None:
    """A new database file is readable by its owner only: it holds minors' personal data."""
    if path.exists():
        return
    if not path.parent.exists():
        raise DatabaseError(
            f"Không có thư mục {path.parent} để tạo cơ sở dữ liệu {path.name}. "
            "Hãy tạo thư mục đó hoặc chọn đường dẫn khác bằng --db."
        )
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        raise DatabaseError(f"Không tạo được tệp cơ sở dữ liệu {path}: {exc.strerror}.") from exc
    os.close(fd)


def current_revision(engine: Engine) -> str | None:
    """The schema revision stored in the database, or None for an empty database."""
    with engine.connect() as conn:
        return _revision(conn)


def _revision(conn: Connection) -> str | None:
    from sqlalchemy import inspect, text

    if not inspect(conn).has_table("alembic_version"):
        if inspect(conn).get_table_names():
            raise DatabaseError(
                "Cơ sở dữ liệu này không phải của dangvien (có bảng nhưng không có phiên bản "
                "lược đồ). Hãy chọn tệp khác bằng --db."
            )
        return None
    row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    return None if row is None else str(row[0])


def _alembic_config(engine: Engine, connection: Connection | None = None) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    cfg.attributes["engine"] = engine
    cfg.attributes["connection"] = connection
    return cfg


def alembic_head() -> str:
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine

    script = ScriptDirectory.from_config(_alembic_config(create_engine("sqlite://")))
    head = script.get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    """Every schema revision this program's migrations know: the head and all before it."""
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine

    script = ScriptDirectory.from_config(_alembic_config(create_engine("sqlite://")))
    return {r.revision for r in script.walk_revisions()}


def backup_sqlite(source: Path, target: Path) -> None:
    """Copy a SQLite database with SQLite's online backup: safe while another process writes."""
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    os.chmod(target, 0o600)


def copy_sqlite_atomically(source: Path, target: Path) -> None:
    """SQLite's online backup of `source` into a hidden file renamed to `target` at the end:
    `target` is never a half-written copy, even when this process is killed."""
    remove_stale_temps(target)
    temp = temp_name(target)
    try:
        # Created owner-only before SQLite writes a byte into it: minors' personal data.
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.close(fd)
        backup_sqlite(source, temp)
        os.replace(temp, target)
    finally:
        for leftover in (temp, *(temp.with_name(temp.name + s) for s in SIDE_FILES)):
            leftover.unlink(missing_ok=True)


def upgrade(engine: Engine, location: Location, notify: Callable[[str], None]) -> None:
    """Bring the schema to the newest revision, keeping a copy of an older SQLite file first."""
    if current_revision(engine) == HEAD_REVISION:
        return
    # Several processes may open a new or older database at once (a province's office where
    # several people import): one migrates, the others wait, then find the schema current.
    # The check and the migration share one write transaction, which holds the write lock.
    with engine.execution_options(write=True).connect() as conn, conn.begin():
        revision = _revision(conn)
        if revision == HEAD_REVISION:
            return
        log.info("Tạo/nâng cấp lược đồ: %s → %s", revision or "(trống)", HEAD_REVISION)
        _migrate(engine, conn, revision, location, notify)
    if revision is not None:
        notify(f"Đã nâng cấp lược đồ cơ sở dữ liệu từ {revision} lên {HEAD_REVISION}.")


def _migrate(
    engine: Engine,
    conn: Connection,
    revision: str | None,
    location: Location,
    notify: Callable[[str], None],
) -> None:
    from alembic import command

    if revision is not None:
        if revision not in known_revisions():
            raise DatabaseError(
                f"Cơ sở dữ liệu {location.display} có phiên bản lược đồ {revision}, mới hơn "
                "phiên bản dangvien này hiểu được. Hãy cập nhật dangvien."
            )
        if location.path is not None:
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            name = f"{location.path.name}.truoc-nang-cap-{revision}-{stamp}"
            copy = location.path.with_name(name)
            copy_sqlite_atomically(location.path, copy)
            notify(f"Đã sao lưu cơ sở dữ liệu trước khi nâng cấp lược đồ: {copy}")
    command.upgrade(_alembic_config(engine, conn), "head")


def permission_warning(path: Path | None) -> str | None:
    """A warning when others than the owner may read the database file, else None."""
    try:
        mode = path.stat().st_mode if path is not None else 0
    except OSError:
        return None
    if path is None or not mode & 0o077:
        return None
    return (
        f"Cảnh báo: tệp cơ sở dữ liệu {path} chứa dữ liệu cá nhân của học sinh chưa thành niên "
        f"nhưng người khác cũng đọc được (quyền {mode & 0o777:o}). "
        f"Hãy chỉ cho chủ tệp đọc: chmod 600 {shlex.quote(str(path))}"
    )


def _sqlite_file_is_current(path: Path, timeout: float) -> bool:
    """Whether a SQLite file already holds the newest schema, asked with the sqlite3 module
    alone: a command that only reads a current file then needs no SQLAlchemy (issue 5's start-up
    goal). Any doubt (no file, no version table, a locked or damaged file) answers False, and
    the full path through SQLAlchemy and Alembic decides and explains."""
    try:
        if path.stat().st_size == 0:
            return False
        conn = sqlite3.connect(path, timeout=timeout)
    except (OSError, sqlite3.Error):
        return False
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return False
    finally:
        conn.close()
    return row is not None and row[0] == HEAD_REVISION


class Database:
    """An opened database: its location, engine and sessions.

    A SQLite file whose schema is already current is checked with the sqlite3 module, and the
    SQLAlchemy engine is made only when a command first uses it; `raw_read` serves read-only
    SQL without it.
    """

    def __init__(
        self,
        location: Location,
        notify: Callable[[str], None] | None = None,
        waiting: Waiting | None = None,
    ) -> None:
        self.location = location
        self._notify = notify or (lambda _message: None)
        self.waiting = waiting or Waiting(database=location.display, notify=self._notify)
        self._engine: Engine | None = None
        warning = permission_warning(location.path)
        if warning:
            self._notify(warning)
        log.info("Cơ sở dữ liệu: %s", location.display)
        if location.path is not None and _sqlite_file_is_current(location.path, self.waiting.limit):
            log.debug("Lược đồ đã mới nhất (%s); chưa cần SQLAlchemy.", HEAD_REVISION)
            return
        self._make_engine(upgrade_schema=True)

    def _make_engine(self, *, upgrade_schema: bool) -> Engine:
        try:
            engine = create_engine_for(self.location, self.waiting)
            if upgrade_schema:
                upgrade(engine, self.location, self._notify)
        except DangvienError:
            raise
        except Exception as exc:  # the driver's errors: a locked, damaged or foreign file
            known = known_failure(exc, database=self.location.display, waited=self.waiting.limit)
            if known is not None:
                raise known from exc
            raise DatabaseError(
                f"Không mở được cơ sở dữ liệu {self.location.display}: {driver_message(exc)}. "
                "Hãy kiểm tra đường dẫn (--db) và quyền đọc/ghi tệp."
            ) from exc
        self._engine = engine
        return engine

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            return self._make_engine(upgrade_schema=False)
        return self._engine

    @contextmanager
    def raw_read(self) -> Iterator[Any]:
        """A DB-API connection for plain read-only SQL without parameters, in one transaction.

        On a SQLite file this is the sqlite3 module alone (no SQLAlchemy import); on a server it
        is a connection of the engine's pool.
        """
        if self._engine is None and self.location.path is not None:
            conn = sqlite3.connect(self.location.path, timeout=self.waiting.limit)
            try:
                _sqlite_on_connect(conn, self.waiting)
                conn.execute("BEGIN")
                yield conn
            finally:
                conn.close()
            return
        raw = self.engine.raw_connection()
        try:
            yield raw
        finally:
            raw.rollback()
            raw.close()

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on any error."""
        from sqlmodel import Session

        bind = self.engine.execution_options(write=True) if write else self.engine
        with Session(bind, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


def open_database(
    db: str | None, notify: Callable[[str], None] | None = None, wait: float | None = None
) -> Database:
    """The database of --db (see `locate`); `wait` is how long a write waits for another writer
    (db/waiting: --wait, else $DANGVIEN_WAIT, else its default)."""
    from dangvien_cli.db.waiting import wait_limit

    location = locate(db)
    limit = wait_limit(wait)
    return Database(location, notify, Waiting(limit, location.display, notify or (lambda _m: None)))
