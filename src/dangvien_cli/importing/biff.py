"""The grids of a .xls workbook, from its BIFF records, before calamine reads them.

A .xls is an OLE compound file whose "Workbook" (or "Book") stream holds one substream of
records per sheet. calamine builds each sheet as a full rectangle, so 30 sheets reaching IV65536
ask for 500 million cells. The stream is found by walking the compound file's own tables (the
sector chains are followed at most once each, so a loop ends the walk), then every record is
read once: the row and column of every cell record that holds a value count into the
workbook's Budget (importing.grids). A sheet's DIMENSIONS record is not trusted, either way:
calamine builds the rectangle from the cells (measured: DIMENSIONS saying IV65536 over one cell
gives a 1 × 1 sheet), and a file may declare less than it holds. Blank cells (BLANK, MULBLANK:
a format without a value) are left out, as calamine leaves them.
"""

from __future__ import annotations

import struct
from pathlib import Path

from dangvien_cli.core.errors import UnreadableFileError
from dangvien_cli.importing.grids import WALK_LIMIT, Budget, refuse

_FREE, _END = 0xFFFFFFFF, 0xFFFFFFFE
_BOF, _EOF, _MERGED, _BOUNDSHEET = 0x0809, 0x000A, 0x00E5, 0x0085
# Records that hold one cell: row (2 bytes), column (2 bytes) first.
_CELL = {0x0203, 0x00FD, 0x027E, 0x0204, 0x0205, 0x0006, 0x00D6, 0x0201}
_MULTI = {0x00BD, 0x00BE}  # MULRK, MULBLANK: row, first column, …, last column (2 bytes)
_BLANKS = {0x0201, 0x00BE}  # cells without a value: calamine leaves them out of the grid


def _broken(path: Path) -> Exception:
    return refuse(
        path,
        "tệp .xls bị hỏng: không đọc được cấu trúc bên trong tệp. Hãy mở bằng Excel và lưu lại "
        "dạng .xlsx.",
    )


def _chain(path: Path, fat: list[int], first: int, limit: int) -> list[int]:
    out: list[int] = []
    seen: set[int] = set()
    s = first
    while s not in (_END, _FREE) and len(out) <= limit:
        if s in seen or s >= len(fat):
            raise _broken(path)
        seen.add(s)
        out.append(s)
        s = fat[s]
    return out


def workbook_stream(path: Path, data: bytes) -> bytes | None:
    """The Workbook stream of a compound file, or None if it has none."""
    if len(data) < 512:
        raise _broken(path)
    shift = struct.unpack_from("<H", data, 30)[0]
    mini_shift = struct.unpack_from("<H", data, 32)[0]
    if shift not in (9, 12) or mini_shift != 6:
        raise _broken(path)
    size = 1 << shift
    sectors = (len(data) - size) // size

    def sector(n: int) -> bytes:
        at = size * (n + 1)
        if n >= sectors or at + size > len(data):
            raise _broken(path)
        return data[at : at + size]

    _, first_dir, _, _, first_mini_fat, _, first_difat, difat_count = struct.unpack_from(
        "<IIIIIIII", data, 44
    )
    fat_sectors = [s for s in struct.unpack_from("<109I", data, 76) if s < _END]
    d = first_difat
    for _ in range(min(difat_count, sectors)):
        if d >= _END:
            break
        block = struct.unpack(f"<{size // 4}I", sector(d))
        fat_sectors += [s for s in block[:-1] if s < _END]
        d = block[-1]
    fat: list[int] = []
    for s in fat_sectors[: sectors + 1]:
        fat += struct.unpack(f"<{size // 4}I", sector(s))
    directory = b"".join(sector(s) for s in _chain(path, fat, first_dir, sectors))
    root_start, root_size, found = _END, 0, None
    for at in range(0, len(directory) - 127, 128):
        name_len, kind = struct.unpack_from("<HB", directory, at + 64)
        name = directory[at : at + max(0, min(name_len, 64) - 2)].decode("utf-16-le", "replace")
        start, length = struct.unpack_from("<II", directory, at + 116)
        if kind == 5:
            root_start, root_size = start, length
        elif kind == 2 and name in ("Workbook", "Book") and found is None:
            found = (start, length)
    if found is None:
        return None
    start, length = found
    if length >= 4096:
        stream = b"".join(sector(s) for s in _chain(path, fat, start, sectors))
        return stream[:length]
    mini_fat: list[int] = []
    for s in _chain(path, fat, first_mini_fat, sectors):
        mini_fat += struct.unpack(f"<{size // 4}I", sector(s))
    mini = b"".join(sector(s) for s in _chain(path, fat, root_start, sectors))[:root_size]
    chain = _chain(path, mini_fat, start, len(mini) // 64)
    return b"".join(mini[s * 64 : s * 64 + 64] for s in chain)[:length]


def measure_xls(path: Path, data: bytes) -> Budget:
    """Walk every record of the Workbook stream into one Budget; refuses past a limit."""
    budget = Budget(path)
    try:
        stream = workbook_stream(path, data)
    except (UnreadableFileError, struct.error):
        # A compound file this walk cannot follow: calamine's child measures what it can read.
        return Budget(path, measured=False)
    if stream is None:
        return budget  # calamine says what it makes of a compound file without a workbook
    if len(stream) > WALK_LIMIT:  # real content: calamine's child measures it (sandbox)
        budget.measured = False
        return budget
    walk = _BiffWalk(budget)
    at, end = 0, len(stream)
    while at + 4 <= end:
        kind, length = struct.unpack_from("<HH", stream, at)
        walk.record(kind, stream[at + 4 : min(at + 4 + length, end)])
        at += 4 + length
    budget.check_sparse()
    return budget


class _BiffWalk:
    """The substreams of the Workbook stream: the globals (sheet names) first, then a sheet's
    cells between each BOF and its EOF (a chart's BOF inside a sheet nests)."""

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self.depth = 0
        self.substream = -1  # 0: the workbook globals, then the sheets in order
        self.names: list[str] = []
        self.last_col = self.last_row = self.cells = 0

    def _name(self) -> str:
        n = self.substream - 1
        return self.names[n] if n < len(self.names) else f"trang số {n + 1}"

    def record(self, kind: int, body: bytes) -> None:
        if kind == _BOF:
            if self.depth == 0:
                self.substream += 1
                self.last_col = self.last_row = self.cells = 0
            self.depth += 1
        elif kind == _EOF:
            self.depth = max(self.depth - 1, 0)
            if self.depth == 0 and self.substream > 0:
                self.budget.sheet_done(self._name(), self.last_col, self.last_row)
                self.budget.add_cells(self.cells)
        elif kind == _BOUNDSHEET and self.substream == 0:
            self.names.append(_sheet_name(body))
        elif (kind in _CELL or kind in _MULTI) and len(body) >= 6:
            row, col = struct.unpack_from("<HH", body)
            if kind in _MULTI:
                col = struct.unpack_from("<H", body, len(body) - 2)[0]
            if kind not in _BLANKS:
                self.cells += 1
                self.last_row = max(self.last_row, row + 1)
                self.last_col = max(self.last_col, col + 1)
        elif kind == _MERGED and len(body) >= 2:
            (count,) = struct.unpack_from("<H", body)
            for i in range(min(count, (len(body) - 2) // 8)):
                r1, r2, c1, c2 = struct.unpack_from("<HHHH", body, 2 + 8 * i)
                cells = (abs(r2 - r1) + 1) * (abs(c2 - c1) + 1)
                self.budget.add_merged(self._name(), cells)


def _sheet_name(body: bytes) -> str:
    """BOUNDSHEET (BIFF8): position, visibility, type, then the name (count, flags, chars)."""
    if len(body) < 8:
        return ""
    count, flags = body[6], body[7]
    if flags & 1:
        return body[8 : 8 + 2 * count].decode("utf-16-le", "replace")
    return body[8 : 8 + count].decode("latin-1")
