"""Writing files for people: spreadsheet cells that cannot turn into formulas, and atomic saves."""

from __future__ import annotations

import os
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from dangvien_cli.errors import DangvienError

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """A value for openpyxl that is always data: text that looks like a formula stays text.

    openpyxl writes a string starting with "=" as a formula; a roster cell such as
    "=HYPERLINK(…)" must come back out exactly as the text it was.
    """
    if isinstance(value, str):
        if value.startswith(_FORMULA_START):
            return _TextCellValue(value)
        return value
    if isinstance(value, (int, float, date, datetime)) or value is None:
        return value
    return str(value)


class _TextCellValue(str):
    """A marker: write this string as text, never as a formula."""


def save_workbook(workbook: Any, path: Path) -> None:
    """Save next to the target, then rename: a reader never sees half a file.

    Cells marked by `safe_cell` get the string data type here, after openpyxl has guessed.
    """
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, _TextCellValue):
                    cell.value = str(cell.value)
                    cell.data_type = "s"
    path = path.expanduser()
    if not path.parent.exists():
        raise DangvienError(f"Không có thư mục {path.parent} để ghi {path.name}.")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        workbook.save(tmp)
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
