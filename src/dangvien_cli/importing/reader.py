"""Reading spreadsheet files (.xlsx, .xlsm, .xls, .ods) into plain rows, whatever their name."""

from __future__ import annotations

import hashlib
import io
import os
import stat
from bisect import bisect_left
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from dangvien_cli.core.errors import UnreadableFileError

if TYPE_CHECKING:
    from dangvien_cli.importing.guard import Inspection

# A merged range as calamine gives it: ((first_row, first_col), (last_row, last_col)), 0-based.
MergedRange = tuple[tuple[int, int], tuple[int, int]]

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SUPPORTED = (".xlsx", ".xlsm", ".xls", ".ods")


class SheetRows(Sequence[list[object]]):
    """The rows of one sheet, index 0 being the sheet's first row, each as long as the widest.

    calamine keeps the whole sheet in its own compact form; the rows become Python lists only
    when asked for, a block at a time. A sheet of up to KEPT rows keeps its blocks (it is
    turned into lists once, however often it is read). A longer one keeps only its first block
    and the last few used, so a 1,000,000-row sheet is never held twice (as calamine's cells
    and as Python lists): reading it from start to end, as finding the tables and then checking
    the rows do, costs one pass of `iter_rows()` each. Going back to a block no longer kept
    starts again from the top.
    """

    BLOCK = 4096  # rows per block
    KEPT = 32 * BLOCK  # a sheet up to this long keeps all its rows (about 50-100 MB of lists)
    RECENT = 4  # blocks kept besides the first, in a longer sheet

    def __init__(self, sheet: Any) -> None:
        self._sheet = sheet
        start, end = sheet.start, sheet.end
        self._len = 0 if end is None else int(end[0]) + 1
        # iter_rows() starts at the first row but at the first used column: pad to column A.
        self._pad: list[object] = [] if start is None else [""] * int(start[1])
        self._blocks: dict[int, list[list[object]]] = {}
        self._iter: Iterator[list[object]] | None = None
        self._next = 0  # the row self._iter gives next
        self._transform: Callable[[list[object]], list[object]] | None = None

    def transform(self, fix: Callable[[list[object]], list[object]]) -> None:
        """Apply `fix` to every row from now on (a legacy encoding turned into Unicode)."""
        self._transform = fix
        self._blocks.clear()

    def __len__(self) -> int:
        return self._len

    @overload
    def __getitem__(self, index: int) -> list[object]: ...

    @overload
    def __getitem__(self, index: slice) -> list[list[object]]: ...

    def __getitem__(self, index: int | slice) -> list[object] | list[list[object]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._len))]
        if index < 0:
            index += self._len
        if not 0 <= index < self._len:
            raise IndexError("row index out of range")
        block = self._blocks.get(index // self.BLOCK)
        if block is None:
            block = self._load(index // self.BLOCK)
        return block[index % self.BLOCK]

    def __iter__(self) -> Iterator[list[object]]:
        return self.between(0, self._len)

    def between(self, first: int, end: int) -> Iterator[list[object]]:
        """Rows first … end-1, block by block."""
        first, end = max(first, 0), min(end, self._len)
        r = first
        while r < end:
            b = r // self.BLOCK
            block = self._blocks.get(b)
            if block is None:
                block = self._load(b)
            stop = min(end - b * self.BLOCK, len(block))
            yield from islice(block, r - b * self.BLOCK, stop)
            r = b * self.BLOCK + stop

    def _load(self, b: int) -> list[list[object]]:
        start = b * self.BLOCK
        if self._iter is None or self._next > start:
            self._iter, self._next = iter(self._sheet.iter_rows()), 0
        if self._next < start:
            deque(islice(self._iter, start - self._next), maxlen=0)
        rows: list[list[object]] = list(islice(self._iter, min(self.BLOCK, self._len - start)))
        self._next = start + len(rows)
        if self._pad:
            rows = [[*self._pad, *row] for row in rows]
        if self._transform is not None:
            rows = [self._transform(row) for row in rows]
        pinned = 1 + (self._len - 1) // self.BLOCK if self._len <= self.KEPT else 1
        if b >= pinned and sum(1 for k in self._blocks if k >= pinned) >= self.RECENT:
            del self._blocks[next(k for k in self._blocks if k >= pinned)]
        self._blocks[b] = rows
        return rows


@dataclass
class Sheet:
    """One sheet: its rows of cell values (str, float, int, bool, date, datetime; "" is empty)."""

    name: str
    rows: Sequence[list[object]]
    merged: list[MergedRange] = field(default_factory=list)
    hidden: bool = False  # hidden in the workbook: not read, not imported (README, import)
    _across: dict[int, list[MergedRange]] | None = field(default=None, repr=False)
    _down: tuple[list[int], list[MergedRange]] | None = field(default=None, repr=False)

    def merged_across(self, row: int) -> list[MergedRange]:
        """The ranges merged across columns within one row (a group label over a header).
        The ranges are sorted once per sheet, so each question costs what it finds."""
        if self._across is None:
            self._across = {}
            for m in self.merged:
                (r1, c1), (r2, c2) = m
                if r1 == r2 and c2 > c1:
                    self._across.setdefault(r1, []).append(m)
        return self._across.get(row, [])

    def merged_down(self, first: int, end: int) -> list[MergedRange]:
        """The ranges merged down one column whose first row is in first … end-1."""
        if self._down is None:
            down = sorted(
                (m for m in self.merged if m[0][1] == m[1][1] and m[1][0] > m[0][0]),
                key=lambda m: m[0][0],
            )
            self._down = ([m[0][0] for m in down], down)
        starts, down = self._down
        return down[bisect_left(starts, first) : bisect_left(starts, end)]


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


MAX_FILE_BYTES = 512 * 1024**2  # a roster of a million students is about 55 MB


def read_bytes(path: Path) -> bytes:
    """The file's bytes, read once through one handle: what the guard checks is what calamine
    reads, even if the file is replaced meanwhile. Only a regular file is read (judged from the
    open handle; a FIFO is opened without waiting for a writer)."""
    from dangvien_cli.importing import guard

    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError as exc:
        if path.is_symlink():
            raise _unreadable(
                path,
                "đây là một liên kết (symlink) trỏ vòng về chính nó hoặc tới tệp không còn nữa. "
                "Hãy nhập chính tệp bảng tính.",
            ) from exc
        raise _unreadable(path, "không tìm thấy tệp. Hãy kiểm tra tên và thư mục.") from exc
    except OSError as exc:
        if isinstance(exc, IsADirectoryError) or path.is_dir():  # Windows: "permission denied"
            raise _unreadable(path, "đây là một thư mục, không phải tệp bảng tính.") from exc
        raise _unreadable(path, guard.os_reason(exc)) from exc
    try:
        return _read_regular(path, fd)
    except OSError as exc:
        raise _unreadable(path, guard.os_reason(exc)) from exc
    finally:
        os.close(fd)


def _read_regular(path: Path, fd: int) -> bytes:
    from dangvien_cli.importing.grids import size_text

    info = os.fstat(fd)
    if stat.S_ISDIR(info.st_mode):
        raise _unreadable(path, "đây là một thư mục, không phải tệp bảng tính.")
    if not stat.S_ISREG(info.st_mode):
        raise _unreadable(path, "đây không phải tệp thường (thiết bị, ống dẫn…), không đọc được.")
    too_big = _unreadable(
        path,
        f"tệp nặng hơn {size_text(MAX_FILE_BYTES)}, vượt giới hạn cho một bảng tính (danh sách "
        "một triệu học sinh chỉ khoảng 55 MB). Hãy chia thành nhiều tệp nhỏ hơn.",
    )
    if info.st_size > MAX_FILE_BYTES:
        raise too_big
    parts: list[bytes] = []
    got = 0
    while piece := os.read(fd, 1 << 20):
        parts.append(piece)
        got += len(piece)
        if got > MAX_FILE_BYTES:  # it grew while read
            raise too_big
    return b"".join(parts)


class Workbook(list[Sheet]):
    """The sheets of a file, and the SHA-256 of the very bytes they were read from (an import
    batch records it: the file is not opened again, it may have been swapped meanwhile)."""

    def __init__(self, sheets: list[Sheet], sha256: str) -> None:
        super().__init__(sheets)
        self.sha256 = sha256


def read_workbook(path: Path) -> Workbook:
    """Every sheet of the file, or UnreadableFileError saying why the file cannot be read."""
    from dangvien_cli.importing import guard, sandbox

    data = read_bytes(path)
    kind = sniff(path, data[:4096])
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
    # Judged before calamine reads a byte: zip bombs, cell-grid bombs, disguised archives.
    inspection = guard.inspect_zip(path, data) if kind == "zip" else guard.inspect_ole(path, data)
    # Then calamine tries the same bytes where a failure cannot take the tool down.
    read = sandbox.try_read(path, data, inspection.budget)
    if inspection.budget is not None and not inspection.budget.measured:
        inspection.budget.check_read(read)  # a large file: measured by calamine itself
    sheets = _calamine_sheets(path, data, inspection)
    shown = [s for s in sheets if not s.hidden]
    if not shown or all(not any(_filled(v) for v in row) for s in shown for row in s.rows):
        raise _unreadable(path, guard.nothing_shown([s.name for s in sheets if s.hidden]))
    return Workbook(sheets, hashlib.sha256(data).hexdigest())


def _calamine_sheets(path: Path, data: bytes, inspection: Inspection) -> list[Sheet]:
    from python_calamine import CalamineWorkbook

    from dangvien_cli.importing import guard

    try:
        # Opened by content, not by name: a .xls saved as "….xlsx" is common.
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        hidden = guard.hidden_sheets(workbook)
        guard.refuse_uncached(path, inspection, hidden)
        sheets: list[Sheet] = []
        for name in workbook.sheet_names:
            if name in hidden:
                sheets.append(Sheet(name=name, rows=[], hidden=True))
                continue
            # calamine reads the whole sheet here (without holding the GIL); the rows become
            # Python lists only as they are used (SheetRows).
            sheet = workbook.get_sheet_by_name(name)
            merged = getattr(sheet, "merged_cell_ranges", None) or []
            sheets.append(Sheet(name=name, rows=SheetRows(sheet), merged=list(merged)))
    except UnreadableFileError:
        raise
    except Exception as exc:  # calamine raises its own types and plain ones for broken files
        if type(exc).__name__ == "PasswordError":  # a .xls protected by a password to open
            raise _unreadable(path, guard.PASSWORD) from exc
        raise _unreadable(
            path,
            "tệp bị hỏng, không đọc được nội dung bảng tính. Hãy mở thử bằng Excel: nếu mở "
            f"được, lưu lại dạng .xlsx rồi nhập tệp mới (chi tiết kỹ thuật: {_short(exc)}).",
        ) from exc
    return sheets


def _filled(value: object) -> bool:
    return not (value is None or (isinstance(value, str) and not value.strip()))


def _short(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "…"
