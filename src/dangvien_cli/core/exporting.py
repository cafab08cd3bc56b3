"""Writing files for people: spreadsheet cells that cannot turn into formulas, and atomic saves."""

from __future__ import annotations

import csv
import glob
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from dangvien_cli.core.errors import DangvienError, UsageError
from dangvien_cli.core.text import printable

# What a spreadsheet takes for the start of a formula (OWASP, "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Text that is only a number ("-5", "+84", "2,5"): a spreadsheet reads it as that number and
# never runs it, so it is written as it is.
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
# A CSV written for Excel: UTF-8 with a byte-order mark (without it Excel reads Vietnamese as
# Windows-1252), comma-separated as RFC 4180 says.
CSV_ENCODING = "utf-8-sig"
CSV_DELIMITER = ","


_NOT_IN_A_CELL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _visible(found: re.Match[str]) -> str:
    return printable(found[0])


def _plain(value: object) -> object:
    if isinstance(value, str):
        # A control character a worksheet cannot hold (openpyxl refuses it), stored by an older
        # version or in a rejected cell: written visibly, as "\x1b". Tab, line feed and carriage
        # return are allowed, and kept.
        return value if value.isprintable() else _NOT_IN_A_CELL.sub(_visible, value)
    if value is None or isinstance(value, (int, float, date, datetime)):
        return value
    return str(value)


def append_row(sheet: Any, values: Sequence[object]) -> int:
    """Append a row of data to an openpyxl sheet; text that looks like a formula stays text.
    Returns the number of the row written (cheaper than `sheet.max_row`, which looks at every
    cell of the sheet).

    openpyxl stores a string starting with "=" as a formula. A roster cell such as
    "=HYPERLINK(…)" must come back out exactly as the text it was, never as something Excel
    runs, so such cells get the string data type after openpyxl has guessed.
    """
    from openpyxl.cell.cell import Cell

    cells: list[object] = []
    for value in values:
        plain = _plain(value)
        if isinstance(plain, str) and plain.startswith(_FORMULA_START):
            cell = Cell(sheet, value=plain)
            cell.data_type = "s"
            cells.append(cell)
        else:
            cells.append(plain)
    sheet.append(cells)
    return _last_appended_row(sheet)


def _last_appended_row(sheet: Any) -> int:
    """The number of the row `sheet.append` wrote last.

    openpyxl (3.1) has no public way to ask this cheaply: `sheet.max_row` looks at every cell of
    the sheet on each call (`eligible --xlsx` took 295 s for 8,000 students with it, 12 s
    without), and a caller cannot count rows for itself when some were appended with
    `sheet.append` directly (blank rows, headers). `_current_row` is the counter `append` itself
    keeps and reads; this is the one place the private attribute is read, and test_exporting
    checks it against `max_row`.
    """
    return int(sheet._current_row)


def safe_cells(sheet: Any, values: Sequence[object]) -> list[Any]:
    """The cells of one row for a write-only sheet (`Workbook(write_only=True)`, for large
    exports), formula-safe as append_row's; style them, then `sheet.append(cells)`."""
    from openpyxl.cell import WriteOnlyCell

    cells = []
    for value in values:
        plain = _plain(value)
        cell = WriteOnlyCell(sheet, value=plain)
        if isinstance(plain, str) and plain.startswith(_FORMULA_START):
            cell.data_type = "s"
        cells.append(cell)
    return cells


def save_workbook(workbook: Any, path: Path) -> None:
    """Save next to the target, then rename: a reader never sees half a file."""
    write_atomically(path, workbook.save)


def escape_formula(text: str) -> str:
    """Text as a CSV cell that a spreadsheet shows and never runs: a value starting with = + - @,
    a tab or a carriage return gets a leading apostrophe, unless it is only a number ("-5").

    `import` takes the apostrophe off again (importing.values.parse_text), so a name written
    out this way and saved back as .xlsx reads as it was.
    """
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_cell(value: object) -> str:
    """One value as CSV text: dates as ISO (yyyy-mm-dd, which Excel reads as the same date on
    every machine, whatever its regional settings), numbers as they are, text formula-safe."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, int | float):
        return str(value)
    return escape_formula(str(value))


def write_csv(path: Path, rows: Iterable[Sequence[object]]) -> None:
    """A CSV file for Excel and other tools, written whole or not at all (see csv_cell)."""

    def write(tmp: str) -> None:
        with open(tmp, "w", encoding=CSV_ENCODING, newline="") as handle:
            writer = csv.writer(handle, delimiter=CSV_DELIMITER, lineterminator="\r\n")
            for row in rows:
                writer.writerow([csv_cell(v) for v in row])

    write_atomically(path, write)


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (through a link, "./x" or "../d/x" too)."""
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet)
        return a.expanduser().resolve() == b.expanduser().resolve()


def refuse_special_file(path: Path) -> None:
    """A target that exists and is not a regular file (a folder, a device such as /dev/null, a
    pipe) is never written over: the rename would replace it, not write into it."""
    if path.exists() and not path.is_file():
        kind = "một thư mục" if path.is_dir() else "không phải tệp thường (thiết bị, ống dẫn…)"
        raise UsageError(
            f"{path} là {kind}; dangvien không ghi đè lên đó. Hãy chọn một tên tệp khác."
        )


# SQLite's own files beside a database being written: a killed copy leaves them too.
SIDE_FILES = ("-journal", "-wal", "-shm")


def temp_name(target: Path) -> Path:
    """Where a copy is written before it is renamed to `target` (hidden, this process's own):
    ".NAME.tmp-PID", so that a later run knows whose it was."""
    return target.with_name(f".{target.name}.tmp-{os.getpid()}")


def remove_stale_temps(target: Path) -> None:
    """Remove copies towards `target` (a database's backup with its -journal, -wal, -shm, or an
    export being written: ".NAME.tmp-PID" and ".NAME.tmp-PID-XXXX.tmp") left by a process that
    was killed while writing them: those whose process is gone."""
    if os.name != "posix":
        return
    own = re.compile(
        rf"\.{re.escape(target.name)}\.tmp-(\d+)(?:-\w+\.tmp)?(?:{'|'.join(SIDE_FILES)})?"
    )
    for leftover in target.parent.glob(f".{glob.escape(target.name)}.tmp-*"):
        found = own.fullmatch(leftover.name)
        if found is None or int(found[1]) == os.getpid():
            continue
        try:
            os.kill(int(found[1]), 0)
        except ProcessLookupError:
            leftover.unlink(missing_ok=True)
        except OSError:
            continue  # alive, or another user's: not ours to remove


def write_atomically(path: Path, write: Callable[[str], object]) -> None:
    """Write a file through `write(temporary path)` next to the target, then rename it into
    place: a reader never sees half a file, and a failure leaves the old file as it was."""
    path = path.expanduser()
    if not path.parent.exists():
        raise DangvienError(f"Không có thư mục {path.parent} để ghi {path.name}.")
    refuse_special_file(path)
    remove_stale_temps(path)
    # ".NAME.tmp-PID-XXXX.tmp": a later run knows whose it was (remove_stale_temps).
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.tmp-{os.getpid()}-", suffix=".tmp",
                               dir=path.parent)  # fmt: skip
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o600)  # rosters of minors: readable by their owner only
        os.replace(tmp, path)
    except PermissionError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise DangvienError(
            f"Không ghi được {path}: tệp đang mở trong Excel hoặc không có quyền ghi. "
            "Hãy đóng tệp rồi chạy lại."
        ) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
