"""The report of an unexpected error: a log file with the traceback and no student data.

What goes in: the program's version, the platform, the command's name and option names (never
their values), and for each exception of the chain its type, its frames (file, line, function,
the line of source code) and its message only when that message cannot carry a row's values:
Python's messages about types and names (`_SAFE_TYPES`), an OS error's number and text, and a
database driver's own first line with quoted text and long numbers removed (core.errors.
driver_message). SQLAlchemy's "[SQL: …]" and "[parameters: …]", PostgreSQL's DETAIL and every
other message (a ValueError, a KeyError… may hold a cell) are left out. Frames' local variables
are never written.

The folder is $DANGVIEN_LOG_DIR, else the user's own state folder (`log_dir`); the newest
`KEEP` reports are kept.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from dangvien_cli import __version__
from dangvien_cli.core.errors import driver_message

ENV_VAR = "DANGVIEN_LOG_DIR"
KEEP = 20
PREFIX = "loi-"
# Messages Python builds from types and names, never from the values a program handles.
_SAFE_TYPES: tuple[type[BaseException], ...] = (
    AttributeError,
    ImportError,
    MemoryError,
    NameError,
    NotImplementedError,
    RecursionError,
    TypeError,
)
_LEFT_OUT = "(thông điệp không ghi: có thể chứa dữ liệu của học sinh)"


def log_dir() -> Path:
    """Where reports go: $DANGVIEN_LOG_DIR; else %LOCALAPPDATA%\\dangvien\\logs on Windows,
    ~/Library/Logs/dangvien on macOS, $XDG_STATE_HOME/dangvien (~/.local/state/dangvien)
    elsewhere."""
    given = os.environ.get(ENV_VAR)
    if given:
        return Path(given).expanduser()
    home = Path.home()
    if os.name == "nt":
        base = os.environ.get("LOCALAPPDATA") or str(home / "AppData" / "Local")
        return Path(base) / "dangvien" / "logs"
    if sys.platform == "darwin":
        return home / "Library" / "Logs" / "dangvien"
    state = os.environ.get("XDG_STATE_HOME") or str(home / ".local" / "state")
    return Path(state) / "dangvien"


def write_report(exc: BaseException, words: list[str]) -> Path:
    """Write the report of `exc` (raised by the command `words`, already stripped of values)
    to a new file owner-only, prune the oldest, and return its path. OSError when it cannot."""
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    now = datetime.now().astimezone()
    path = folder / f"{PREFIX}{now:%Y%m%d-%H%M%S}-{os.getpid()}.log"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(report_text(exc, words, now))
    _prune(folder)
    return path


def report_text(exc: BaseException, words: list[str], now: datetime) -> str:
    import platform

    lines = [
        f"dangvien {__version__}: báo cáo lỗi không lường trước",
        f"Thời điểm: {now.isoformat(timespec='seconds')}",
        f"Python {platform.python_version()} trên {platform.platform()}",
        f"Lệnh: {' '.join(['dangvien', *words])}",
        "Báo cáo này không chứa giá trị nào của dữ liệu (tham số, câu SQL, nội dung ô).",
        "",
        *_traceback_lines(exc),
    ]
    return "\n".join(lines) + "\n"


def _traceback_lines(exc: BaseException) -> list[str]:
    """Python's traceback layout, oldest exception first, with messages as the module says."""
    lines: list[str] = []
    for error, link in reversed(_chain(exc)):
        lines.append("Traceback (most recent call last):")
        for frame in traceback.extract_tb(error.__traceback__):
            lines.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}')
            if frame.line:
                lines.append(f"    {frame.line.strip()}")
        kind = type(error)
        lines.append(f"{kind.__module__}.{kind.__qualname__}: {safe_message(error)}")
        if link:
            lines += ["", link, ""]
    return lines


def _chain(exc: BaseException) -> list[tuple[BaseException, str]]:
    """`exc` and the exceptions it came from, newest first, each with the sentence Python
    prints between it and the next newer one."""
    out: list[tuple[BaseException, str]] = []
    error: BaseException | None = exc
    link = ""
    while error is not None and len(out) < 20 and all(error is not e for e, _ in out):
        out.append((error, link))
        if error.__cause__ is not None:
            error = error.__cause__
            link = "The above exception was the direct cause of the following exception:"
        elif error.__context__ is not None and not error.__suppress_context__:
            error = error.__context__
            link = "During handling of the above exception, another exception occurred:"
        else:
            error = None
    return out


def safe_message(error: BaseException) -> str:
    """The part of `error`'s message that cannot hold a row's values (see the module)."""
    if isinstance(error, OSError):
        where = f": {error.filename}" if error.filename else ""
        return f"[Errno {error.errno}] {error.strerror}{where}"
    if hasattr(error, "statement") and hasattr(error, "orig"):  # SQLAlchemy's, around another
        orig = error.orig
        said = driver_message(orig) if _from_driver(orig) else _LEFT_OUT
        return f"(câu SQL và tham số không ghi) {said}"
    if _from_driver(error):
        return driver_message(error)
    if isinstance(error, _SAFE_TYPES):
        return str(error)
    return _LEFT_OUT


def _from_driver(error: object) -> bool:
    """sqlite3's errors (their messages name constraints and tables, values are bound apart)
    and psycopg's (their first line, without DETAIL, once quoted text is removed)."""
    return hasattr(error, "sqlite_errorcode") or hasattr(error, "sqlstate")


def _prune(folder: Path) -> None:
    """Keep the newest KEEP reports."""
    reports = sorted(_reports(folder), key=lambda p: p.name, reverse=True)
    for old in reports[KEEP:]:
        old.unlink(missing_ok=True)


def _reports(folder: Path) -> Iterable[Path]:
    return (p for p in folder.glob(f"{PREFIX}*.log") if p.is_file())
