"""Reading spreadsheet files (.xlsx, .xlsm, .xls, .ods) into plain rows, whatever their name."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from dangvien_cli.errors import UnreadableFileError

# A merged range as calamine gives it: ((first_row, first_col), (last_row, last_col)), 0-based.
MergedRange = tuple[tuple[int, int], tuple[int, int]]

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SUPPORTED = (".xlsx", ".xlsm", ".xls", ".ods")


@dataclass
class Sheet:
    """One sheet: its rows of cell values (str, float, int, bool, date, datetime; "" is empty)."""

    name: str
    rows: list[list[object]]
    merged: list[MergedRange] = field(default_factory=list)


def sniff(path: Path, head: bytes) -> str:
    """What the file really is, from its first bytes: 'zip', 'ole', or a reason it is not one."""
    if head.startswith(_ZIP):
        return "zip"
    if head.startswith(_OLE):
        return "ole"
    if not head:
        return "empty"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")):
        return "html"
    return "other"


def _unreadable(path: Path, reason: str) -> UnreadableFileError:
    return UnreadableFileError(f"{path.name}: {reason}")


def read_workbook(path: Path) -> list[Sheet]:
    """Every sheet of the file, or UnreadableFileError saying why the file cannot be read."""
    if not path.exists():
        raise _unreadable(path, "không tìm thấy tệp. Hãy kiểm tra tên và thư mục.")
    if path.is_dir():
        raise _unreadable(path, "đây là một thư mục, không phải tệp bảng tính.")
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
            size = path.stat().st_size
    except OSError as exc:
        raise _unreadable(path, f"không mở được tệp ({exc.strerror}).") from exc
    kind = sniff(path, head)
    if kind == "empty":
        raise _unreadable(path, "tệp rỗng (0 byte).")
    if kind == "html":
        raise _unreadable(
            path,
            "tệp này là trang HTML chứ không phải bảng tính Excel (một số hệ thống xuất "
            "“Excel” dạng HTML). Hãy mở bằng Excel và lưu lại dạng .xlsx.",
        )
    if kind == "other":
        raise _unreadable(
            path,
            "không phải tệp bảng tính (.xlsx, .xls, .ods). Nếu là tệp CSV, hãy mở bằng "
            "Excel và lưu lại dạng .xlsx.",
        )
    if kind == "ole" and _is_encrypted_ole(path, size):
        raise _unreadable(
            path,
            "tệp được đặt mật khẩu. Hãy mở bằng Excel, gỡ mật khẩu (Tệp → Thông tin → "
            "Bảo vệ sổ làm việc) rồi lưu lại.",
        )
    from python_calamine import CalamineWorkbook

    try:
        # Opened by content, not by name: a .xls saved as "….xlsx" is common.
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))
        sheets: list[Sheet] = []
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=False)
            merged = getattr(sheet, "merged_cell_ranges", None) or []
            # calamine hands back fresh lists: kept as they are, not copied (large sheets)
            sheets.append(
                Sheet(name=name, rows=cast(list[list[object]], rows), merged=list(merged))
            )
    except UnreadableFileError:
        raise
    except Exception as exc:  # calamine raises its own types and plain ones for broken files
        raise _unreadable(
            path, f"tệp bị hỏng hoặc không đúng định dạng bảng tính ({_short(exc)})."
        ) from exc
    if not sheets or all(not any(_filled(v) for v in row) for s in sheets for row in s.rows):
        raise _unreadable(path, "bảng tính không có dữ liệu (mọi trang đều trống).")
    return sheets


def _filled(value: object) -> bool:
    return not (value is None or (isinstance(value, str) and not value.strip()))


def _short(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "…"


def _is_encrypted_ole(path: Path, size: int) -> bool:
    """An encrypted .xlsx is an OLE file holding an 'EncryptedPackage' stream."""
    marker = "EncryptedPackage".encode("utf-16-le")
    try:
        with path.open("rb") as handle:
            data = handle.read(min(size, 1 << 20))
    except OSError:
        return False
    return marker in data
