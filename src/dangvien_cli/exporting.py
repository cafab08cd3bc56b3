"""Writing files for people: spreadsheet cells that cannot turn into formulas, and atomic saves."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from dangvien_cli.errors import DangvienError

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _plain(value: object) -> object:
    if value is None or isinstance(value, (str, int, float, date, datetime)):
        return value
    return str(value)


def append_row(sheet: Any, values: Sequence[object]) -> None:
    """Append a row of data to an openpyxl sheet; text that looks like a formula stays text.

    openpyxl stores a string starting with "=" as a formula. A roster cell such as
    "=HYPERLINK(…)" must come back out exactly as the text it was, never as something Excel
    runs, so such cells get the string data type after openpyxl has guessed.
    """
    plain = [_plain(v) for v in values]
    sheet.append(plain)
    row = sheet.max_row
    for column, value in enumerate(plain, start=1):
        if isinstance(value, str) and value.startswith(_FORMULA_START):
            cell = sheet.cell(row=row, column=column)
            cell.value = value
            cell.data_type = "s"


def save_workbook(workbook: Any, path: Path) -> None:
    """Save next to the target, then rename: a reader never sees half a file."""
    path = path.expanduser()
    if not path.parent.exists():
        raise DangvienError(f"Không có thư mục {path.parent} để ghi {path.name}.")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        workbook.save(tmp)
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
