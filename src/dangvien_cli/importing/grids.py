"""What a workbook asks of the reader, counted before calamine reads it (see importing.guard).

calamine keeps each sheet as a full rectangle of cells (about 32 bytes each, however empty), so
one cell at XFD1048576 in a 1 KB file asks for 17 billion cells and aborts the process; and it
copies a shared string into every cell that uses it, so one long string used by many cells asks
for gigabytes. The walkers of the sheets (importing.sheet_walk for .xlsx, importing.ods_walk,
importing.biff for .xls) feed one Budget per workbook, which refuses the file as soon as a limit
is passed — all sheets together. How a refusal is worded (refuse, sizes and counts as people
read them) is shared with the guard.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dangvien_cli.core.errors import UnreadableFileError

# The limits (README, "Giới hạn của tệp nhập"). A real roster of 1,000,000 rows × 30 columns
# spans 30,000,000 cells; a class of 45 students a few thousand.
MAX_AREA = 32_000_000  # the rectangles of all sheets together, each from A1 to its last cell
FREE_AREA = 10_000_000  # up to this, a rectangle may be mostly empty (a stray cell far away)
MAX_SPARSENESS = 8  # past FREE_AREA, the rectangles may hold at most 8 cells for each one used
MAX_CELLS = MAX_AREA  # cells with a value, all sheets together
MAX_TEXT = 1024**3  # bytes of text calamine would hold: each use of a shared string counted
MAX_SHARED_STRINGS = 16_000_000  # distinct strings in sharedStrings.xml
MAX_MERGED = 100_000  # merged ranges, all sheets together
MAX_MERGED_CELLS = 4_000_000  # cells those ranges cover, all sheets together
# Sheets with more XML (or a .xls stream larger) than this are measured by calamine itself, in
# its child process under a memory limit (importing.sandbox): about 30,000 rows of a roster,
# which the walk measures in about 1.5 s (formulas without a result are found up to there, as
# before this walk).
WALK_LIMIT = 16 * 1024**2

_MB = 1024**2


@dataclass
class Uncached:
    """A cell that holds a formula whose result the file does not store."""

    sheet: str
    cell: str  # "D5"
    formula: str


def refuse(path: Path, reason: str) -> UnreadableFileError:
    return UnreadableFileError(f"{path.name}: {reason}")


def size_text(n: int) -> str:
    """A byte count as people read it: "2,5 GB", "80 MB", "12 KB"."""
    for unit, scale in (("GB", 1024**3), ("MB", _MB), ("KB", 1024)):
        if n >= scale:
            value = n / scale
            text = f"{value:.1f}" if value < 10 else f"{value:.0f}"
            return f"{text.replace('.', ',').removesuffix(',0')} {unit}"
    return f"{n} byte"


def count_text(n: int) -> str:
    """A whole number with Vietnamese thousands dots: 17.179.869.184."""
    return f"{n:,}".replace(",", ".")


def col_letters(n: int) -> str:
    out = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out or "A"


def shorten(text: str, limit: int = 80) -> str:
    """Text on one line, cut to `limit` characters with "…"."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


_TOO_BIG = (
    "; đọc nó sẽ làm treo máy. Nếu có ô lạc ở rất xa bảng, hãy mở bằng Excel, xóa các dòng và "
    "cột thừa (Ctrl+End cho biết ô cuối) rồi lưu lại; nếu đây đúng là danh sách của bạn, hãy "
    "chia thành nhiều tệp nhỏ hơn."
)


@dataclass
class Budget:
    """The counters of one workbook, checked as they grow: a refusal comes before the walk ends,
    so a file that would need a billion cells costs the guard no more than its first sheets."""

    path: Path
    area: int = 0  # the rectangles of the sheets already finished
    cells: int = 0
    text: int = 0
    merged: int = 0
    merged_cells: int = 0
    xml: int = 0  # bytes of sheet XML (and shared strings) inflated: the text held inline
    measured: bool = True  # False: too large to walk, calamine's child measures it
    uncached: list[Uncached] = field(default_factory=list)

    def sheet_done(self, sheet: str, last_col: int, last_row: int) -> None:
        """One sheet's rectangle, A1 to its last used cell (the reader pads to column A)."""
        self.check_sheet(sheet, last_col, last_row)
        self.area += max(last_col, 0) * max(last_row, 0)

    def check_sheet(self, sheet: str, last_col: int, last_row: int) -> None:
        """Refuse a sheet whose rectangle so far, with the sheets before it, is too large."""
        if last_col <= 0 or last_row <= 0:
            return
        area = last_col * last_row
        if self.area + area > MAX_AREA:
            corner = f"A1:{col_letters(last_col)}{last_row}"
            raise refuse(
                self.path,
                f"trang “{sheet}” trải trên vùng {corner} ({count_text(last_row)} dòng × "
                f"{count_text(last_col)} cột = {count_text(area)} ô); cả tệp cần "
                f"{count_text(self.area + area)} ô, vượt giới hạn {count_text(MAX_AREA)} ô"
                + _TOO_BIG,
            )

    def check_sparse(self) -> None:
        """Past FREE_AREA the rectangles must be reasonably full: a 2 KB file whose two cells
        span 30 million would be read for minutes."""
        if self.area > FREE_AREA and self.area > MAX_SPARSENESS * self.cells:
            raise refuse(
                self.path,
                f"các trang trải trên {count_text(self.area)} ô nhưng chỉ {count_text(self.cells)} "
                f"ô có dữ liệu (giới hạn: quá {count_text(FREE_AREA)} ô thì mỗi ô có dữ liệu "
                f"được tính cho tối đa {MAX_SPARSENESS} ô của vùng)" + _TOO_BIG,
            )

    def add_cells(self, n: int) -> None:
        self.cells += n
        if self.cells > MAX_CELLS:
            raise refuse(
                self.path,
                f"tệp có hơn {count_text(MAX_CELLS)} ô có dữ liệu, vượt giới hạn" + _TOO_BIG,
            )

    def add_text(self, n: int) -> None:
        self.text += n
        if self.text > MAX_TEXT:
            raise refuse(
                self.path,
                f"các ô của tệp chứa hơn {size_text(MAX_TEXT)} chữ (mỗi lần một chuỗi dùng chung "
                "được dùng đều tính), vượt giới hạn; tệp có dấu hiệu bị sửa để làm treo máy. Hãy "
                "xin lại tệp gốc từ nơi gửi.",
            )

    def check_read(self, sheets: list[tuple[str, int, int, int]]) -> None:
        """What calamine's child read of an unmeasured workbook: (sheet, rows, columns,
        merged ranges) each, its own count, checked against the same limits."""
        for name, rows, cols, merged in sheets:
            self.sheet_done(name, cols, rows)
            for _ in range(min(merged, MAX_MERGED + 1)):
                self.add_merged(name, 1)

    def add_merged(self, sheet: str, cells: int) -> None:
        self.merged += 1
        self.merged_cells += cells
        if self.merged > MAX_MERGED or self.merged_cells > MAX_MERGED_CELLS:
            raise refuse(
                self.path,
                f"trang “{sheet}” có quá nhiều ô gộp (giới hạn {count_text(MAX_MERGED)} vùng gộp, "
                f"phủ tối đa {count_text(MAX_MERGED_CELLS)} ô cho cả tệp); tệp có dấu hiệu bị "
                "sửa để làm treo máy. Hãy bỏ gộp ô (Trang đầu → Gộp và căn giữa → Bỏ gộp ô) rồi "
                "lưu lại.",
            )
