"""The errors the domain raises, and the exit code each one ends the program with."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Exit codes that scripts rely on (see the README)."""

    OK = 0
    FAILURE = 1  # a file that cannot be read, a database that cannot be opened, …
    USAGE = 2  # wrong options or arguments; also what the user must add (--school, …)
    ROWS_REJECTED = 3  # the work was done, but some input rows were rejected


class DangvienError(Exception):
    """An error a user can act on; its message is Vietnamese and says what to do."""

    exit_code: ExitCode = ExitCode.FAILURE

    def __init__(self, message: str, *, exit_code: ExitCode | None = None) -> None:
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code


class UsageError(DangvienError):
    """The command was called wrongly, or needs an option it was not given."""

    exit_code = ExitCode.USAGE


class NotFoundError(UsageError):
    """A name or code given on the command line matches nothing."""


class AmbiguousError(UsageError):
    """A name given on the command line matches more than one thing."""


class UnreadableFileError(DangvienError):
    """A file that is not a spreadsheet, is protected, damaged or empty."""

    exit_code = ExitCode.FAILURE


class DatabaseError(DangvienError):
    """The database cannot be opened, created or migrated."""

    exit_code = ExitCode.FAILURE


class WaitTimeoutError(DangvienError):
    """Another writer held the database longer than this command would wait; nothing written."""

    exit_code = ExitCode.FAILURE


def waited_too_long(seconds: float, database: str) -> WaitTimeoutError:
    """The message of a write that gave up waiting for another writer."""
    return WaitTimeoutError(
        f"Đã chờ {seconds:g} giây mà một người khác vẫn đang ghi vào cơ sở dữ liệu {database}; "
        "chưa ghi gì. Hãy thử lại khi người đó ghi xong, hoặc cho chờ lâu hơn "
        "(--wait GIÂY, hoặc biến môi trường DANGVIEN_WAIT)."
    )


# ------------------------------------------------------------------ failures a user can act on

_UNFINISHED = "Phần đang làm dở không được ghi."
# SQLite's primary result codes (sqlite3.Error.sqlite_errorcode & 0xFF).
_SQLITE_PERM, _SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 3, 5, 6, 8
_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 10, 11, 13, 14, 26
# errno values by name, so that this module imports nothing at start-up.
_ENOSPC, _EDQUOT, _EROFS, _EACCES, _EPERM = "ENOSPC", "EDQUOT", "EROFS", "EACCES", "EPERM"


def disk_full(where: str) -> DangvienError:
    return DangvienError(
        f"Ổ đĩa đã đầy (hoặc {where} đã chạm giới hạn kích thước) nên không ghi tiếp được. "
        f"{_UNFINISHED} Hãy giải phóng chỗ trống trên ổ đĩa rồi chạy lại lệnh."
    )


def read_only(where: str) -> DangvienError:
    return DangvienError(
        f"Không ghi được vào {where}: tệp hoặc thư mục chứa nó chỉ cho đọc. {_UNFINISHED} "
        "Hãy cho phép ghi vào tệp và thư mục đó (hoặc chép tệp sang nơi ghi được rồi chỉ tới "
        "bản chép bằng --db) rồi chạy lại lệnh."
    )


def permission_denied(where: str) -> DangvienError:
    return DangvienError(
        f"Không đủ quyền đọc hoặc ghi {where}. {_UNFINISHED} Hãy kiểm tra quyền của tệp và "
        "thư mục (hoặc chạy lệnh bằng người dùng sở hữu tệp) rồi chạy lại."
    )


def locked(database: str) -> DangvienError:
    return DangvienError(
        f"Cơ sở dữ liệu {database} đang bị khóa vì một người khác đang ghi; chưa ghi gì. "
        "Hãy thử lại khi người đó ghi xong."
    )


def known_failure(exc: BaseException, *, database: str, waited: float) -> DangvienError | None:
    """The message for a failure the user can act on — disk full, read-only, no permission, the
    database locked, damaged or unreachable — found anywhere in `exc`'s chain (the driver's
    error under SQLAlchemy's, the cause of a cause); None when it is none of these.

    `database` names the database in the message, `waited` is the wait limit in seconds. The
    messages are made here, never from the exception's text, which may carry a row's values.
    """
    for error in _chain(exc):
        found = _os_failure(error) or _sqlite_failure(error, database)
        found = found or _server_failure(error, database, waited)
        if found is not None:
            return found
    return None


def writing_failure(exc: BaseException) -> bool:
    """Whether `exc` is a failure to write a database that is not about what was written: disk
    full, read-only, no permission, locked, the wait limit, the server gone. A command that
    turns its own database errors into a message of its own (merge) lets these through, so
    that the funnel says what to do (known_failure)."""
    for error in _chain(exc):
        code = getattr(error, "sqlite_errorcode", None)
        if isinstance(code, int) and code & 0xFF in (
            _SQLITE_FULL, _SQLITE_READONLY, _SQLITE_PERM, _SQLITE_BUSY, _SQLITE_LOCKED
        ):  # fmt: skip
            return True
        state = getattr(error, "sqlstate", None)
        if isinstance(state, str) and (
            state in ("55P03", "40P01", "40001", "25006", "42501")
            or state.startswith(("53", "08", "57P"))
        ):
            return True
    return False


def _chain(exc: BaseException) -> list[BaseException]:
    """`exc`, the driver's error it wraps (SQLAlchemy's `.orig`), its causes and contexts."""
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo and len(seen) < 20:
        error = todo.pop(0)
        if error is None or any(error is s for s in seen):
            continue
        seen.append(error)
        orig = getattr(error, "orig", None)
        todo += [orig if isinstance(orig, BaseException) else None]
        todo += [error.__cause__, error.__context__]
    return seen


def _os_failure(error: BaseException) -> DangvienError | None:
    import errno

    if not isinstance(error, OSError) or error.errno is None:
        return None
    name = errno.errorcode.get(error.errno, "")
    where = f"{error.filename} (hoặc thư mục chứa nó)" if error.filename else "tệp cần dùng"
    if name in (_ENOSPC, _EDQUOT):
        return disk_full("ổ đĩa")
    if name == _EROFS:
        return read_only(where)
    if name in (_EACCES, _EPERM):
        return permission_denied(where)
    return None


def _sqlite_failure(error: BaseException, database: str) -> DangvienError | None:
    code = getattr(error, "sqlite_errorcode", None)
    if not isinstance(code, int):
        return None
    where = f"cơ sở dữ liệu {database}"
    primary = code & 0xFF
    if primary == _SQLITE_FULL:
        return disk_full(where)
    if primary == _SQLITE_READONLY:
        return read_only(where)
    if primary == _SQLITE_PERM:
        return permission_denied(where)
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return locked(database)
    if primary == _SQLITE_IOERR:
        return DangvienError(
            f"Lỗi đọc/ghi ổ đĩa khi dùng {where} (ổ đầy, bị rút ra hoặc hỏng). {_UNFINISHED} "
            "Hãy kiểm tra ổ đĩa rồi chạy lại lệnh."
        )
    if primary == _SQLITE_CANTOPEN:
        return DangvienError(
            f"Không mở được {where}. Hãy kiểm tra đường dẫn (--db) và quyền đọc/ghi của tệp và "
            "thư mục chứa nó."
        )
    if primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return DangvienError(
            f"Tệp {database} bị hỏng hoặc không phải cơ sở dữ liệu. {_UNFINISHED} Hãy giữ "
            "nguyên tệp này, chép bản sao lưu gần nhất (tệp do `dangvien backup` tạo) ra một "
            "tên mới rồi dùng nó với --db, hoặc chọn đúng tệp bằng --db."
        )
    return None


def _server_failure(error: BaseException, database: str, waited: float) -> DangvienError | None:
    """PostgreSQL's errors, by their SQLSTATE (psycopg's `sqlstate`)."""
    state = getattr(error, "sqlstate", None)
    if not isinstance(state, str) or len(state) != 5:
        return None
    where = f"cơ sở dữ liệu {database}"
    if state == "55P03":  # lock_not_available: lock_timeout, the wait limit
        return waited_too_long(waited, database)
    if state in ("40P01", "40001"):  # deadlock, serialization failure
        return locked(database)
    if state.startswith("53"):  # insufficient resources: disk full, out of memory
        return disk_full(where)
    if state == "25006":
        return read_only(where)
    if state == "42501":
        return permission_denied(where)
    if state == "57014":  # query_canceled: the server's statement_timeout, or an operator
        return DangvienError(
            f"Máy chủ đã hủy câu lệnh trên {where} (quá thời gian cho phép hoặc bị dừng). "
            f"{_UNFINISHED} Hãy thử lại; nếu lặp lại, hãy báo người quản trị máy chủ."
        )
    if state.startswith(("08", "57P")):  # connection lost, server shutting down
        return DangvienError(
            f"Mất kết nối tới máy chủ của {where}. {_UNFINISHED} Hãy kiểm tra mạng và máy chủ "
            "rồi chạy lại lệnh."
        )
    return None


def driver_message(exc: BaseException) -> str:
    """The first line of the database driver's own message under `exc` (SQLAlchemy's `.orig`),
    with quoted text and long numbers replaced by "…": never SQLAlchemy's "[SQL: …]" and
    "[parameters: …]", nor PostgreSQL's DETAIL, which carry a row's values."""
    import re

    orig = getattr(exc, "orig", None)
    source = orig if isinstance(orig, BaseException) else exc
    lines = str(source).strip().splitlines()
    first = lines[0] if lines else ""
    first = re.sub(r"'[^']*'|\"[^\"]*\"|\d[\d./:-]{3,}", "…", first)
    return first[:200] or type(source).__name__
