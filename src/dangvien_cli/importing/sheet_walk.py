"""The cells of a .xlsx workbook, measured by a streaming XML parser before calamine reads them.

Every worksheet part and the shared strings are inflated a piece at a time and fed to expat (the
parser of Python's standard library), so quoting, upper or lower case, leading zeros and '>'
inside attribute values are read as any XML reader reads them, and memory stays flat whatever
the size. Per workbook (importing.grids.Budget): the rectangle each sheet spans — from its
cells' own references (a cell's reference wins over its row's number, as in calamine; a row or a
cell without one follows the one before), never from the declared <dimension> —, the cells
holding a value, the text each cell would hold (a shared string counted once for every cell that
uses it), the merged ranges and what they cover, and the cells holding a formula but no stored
result. A DTD or an entity declaration refuses the file (an "XML bomb").
"""

from __future__ import annotations

import re
import zipfile
import zlib
from array import array
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any
from xml.parsers import expat

from dangvien_cli.core.errors import UnreadableFileError
from dangvien_cli.importing.grids import (
    MAX_SHARED_STRINGS,
    WALK_LIMIT,
    Budget,
    Uncached,
    col_letters,
    count_text,
    refuse,
    shorten,
    size_text,
)

_REF = re.compile(r"\s*([A-Za-z]+)([0-9]+)\s*\Z")
_PIECE = 1 << 20

DTD_REASON = (
    "tệp có khai báo DOCTYPE/ENTITY trong XML, điều mà Excel và LibreOffice không bao giờ tạo "
    "ra (có thể là “bom XML”); không đọc tệp này. Hãy xin lại tệp gốc từ nơi gửi."
)


class NotWellFormed(UnreadableFileError):
    """XML that expat will not read. calamine's reader is more lenient (a stray control
    character, say): such a workbook is measured by calamine itself, in its child process."""


class _Refused(Exception):
    """Raised inside an expat handler; becomes the file's refusal outside the parser."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _no_dtd(*_: object) -> int:
    raise _Refused(DTD_REASON)


def new_parser() -> Any:
    parser = expat.ParserCreate()
    parser.ordered_attributes = True
    parser.StartDoctypeDeclHandler = _no_dtd
    parser.EntityDeclHandler = _no_dtd
    parser.ExternalEntityRefHandler = _no_dtd
    return parser


def feed(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, parser: Any) -> None:
    """Inflate one entry a piece at a time into `parser`. zipfile stops at the declared size
    (and then finds the CRC wrong), so an entry that lies about its size never fills memory."""
    try:
        with archive.open(info) as handle:
            while piece := handle.read(_PIECE):
                parser.Parse(piece, False)
        parser.Parse(b"", True)
    except _Refused as exc:
        raise refuse(path, exc.reason) from None
    except expat.ExpatError as exc:
        raise NotWellFormed(
            f"{path.name}: tệp bị hỏng, không đọc được nội dung bảng tính: phần "
            f"“{shorten(info.filename)}” không phải XML hợp lệ ({shorten(str(exc))}). Hãy mở thử "
            "bằng Excel: nếu mở được, lưu lại dạng .xlsx rồi nhập tệp mới."
        ) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
        raise refuse(
            path,
            f"tệp bị hỏng: phần “{shorten(info.filename)}” không giải nén được "
            f"({shorten(str(exc))}). Hãy tải hoặc chép lại tệp, hoặc mở bằng Excel và lưu lại.",
        ) from exc


def _local(name: str) -> str:
    return name[name.find(":") + 1 :]


def _attr(attrs: list[str], wanted: str) -> str | None:
    for i in range(0, len(attrs), 2):
        if _local(attrs[i]) == wanted:
            return attrs[i + 1]
    return None


def parse_ref(ref: str) -> tuple[int, int] | None:
    """(column, row), 1-based, of a reference in any case and padding: "xfd0001048576"."""
    found = _REF.match(ref)
    if found is None or not ref.isascii():
        return None
    col = 0
    for ch in found.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return col, int(found.group(2))


# ------------------------------------------------------------------------ shared strings


def shared_string_sizes(path: Path, archive: zipfile.ZipFile, part: str) -> array[int]:
    """The UTF-8 size of each shared string, in order (4 bytes each, whatever the text)."""
    sizes: array[int] = array("Q")
    current = [0, 0]  # [inside a <si>, bytes so far]

    def start(name: str, _attrs: list[str]) -> None:
        if _local(name) == "si":
            current[0], current[1] = 1, 0

    def end(name: str) -> None:
        if _local(name) == "si":
            sizes.append(current[1])
            current[0] = 0
            if len(sizes) > MAX_SHARED_STRINGS:
                raise _Refused(
                    f"tệp có hơn {count_text(MAX_SHARED_STRINGS)} chuỗi dùng chung, vượt giới "
                    "hạn; tệp có dấu hiệu bị sửa để làm treo máy. Hãy xin lại tệp gốc."
                )

    def text(data: str) -> None:
        if current[0]:
            current[1] += len(data.encode("utf-8", "surrogatepass"))

    parser = new_parser()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    feed(path, archive, archive.getinfo(part), parser)
    return sizes


# ------------------------------------------------------------------------------ one sheet


class SheetWalk:
    """expat's handlers for one worksheet part. Only what a cell needs is listened to: a <v> of
    a shared-string cell (its index) and a formula's <f> and <v> turn on the text and end
    handlers for that element alone."""

    def __init__(self, name: str, budget: Budget, strings: array[int], parser: Any) -> None:
        self.name = name
        self.budget = budget
        self.strings = strings
        self.parser = parser
        self.row = 0  # the current row, 1-based
        self.col = 0  # the last cell's column in it
        self.last_row = 0
        self.last_col = 0
        self.cells = 0
        # the current cell: its type, whether a value was seen, its formula
        self.kind = ""
        self.valued = False
        self.formula: str | None = None
        self.text: list[str] = []
        self.collecting = ""  # "v" or "f" while their text is gathered
        self.in_cell = False
        self.names: dict[str, str] = {}  # element name as written → without its prefix
        self.columns: dict[str, int] = {}  # column letters as written → number

    def start(self, name: str, attrs: list[str]) -> None:
        # The hot path: two or three elements per cell of a million-row sheet, hence inline.
        local = self.names.get(name) or self._name(name)
        if local == "c":
            self._cell(attrs)
        elif local == "v" or local == "is":
            if not self.in_cell:
                return
            if not self.valued:
                self.valued = True
                self.cells += 1
                if self.row > self.last_row:
                    self.last_row = self.row
                if self.col > self.last_col:
                    self.last_col = self.col
            if local == "v" and (self.kind == "s" or self.formula is not None):
                self._collect("v")
        elif local == "row":
            self._close_cell()
            number = _attr(attrs, "r")
            self.row = self._number(number) if number is not None else self.row + 1
            self.col = 0
        elif local == "f" and self.in_cell:
            self.formula = ""
            self._collect("f")
        elif local == "mergeCell":
            self._merged(_attr(attrs, "ref") or "")
        elif local == "sheetData":
            self._close_cell()

    def _name(self, name: str) -> str:
        local = _local(name)
        if len(self.names) < 1000:
            self.names[name] = local
        return local

    def _number(self, text: str) -> int:
        text = text.strip()
        if not (text.isdigit() and text.isascii()):
            raise _Refused(f"trang “{self.name}” có số dòng không hợp lệ (“{shorten(text, 20)}”).")
        return int(text)

    def _cell(self, attrs: list[str]) -> None:
        if self.formula is not None:
            self._close_cell()
        self.in_cell = True
        self.valued = False
        self.formula = None
        ref = None
        self.kind = ""
        for i in range(0, len(attrs), 2):
            key = attrs[i]
            if key == "r" or _local(key) == "r":
                ref = attrs[i + 1]
            elif key == "t" or _local(key) == "t":
                self.kind = attrs[i + 1].strip()
        if ref is None:
            self.col += 1
            if self.row == 0:
                self.row = 1
            return
        letters = ref.rstrip("0123456789")
        col = self.columns.get(letters)
        digits = ref[len(letters) :]
        if col is None or not digits:
            where = parse_ref(ref)
            if where is None:
                raise _Refused(
                    f"trang “{self.name}” có ô mang địa chỉ không hợp lệ (“{shorten(ref, 20)}”); "
                    "tệp có thể đã bị sửa. Hãy mở bằng Excel và lưu lại."
                )
            self.col, self.row = where
            if len(self.columns) < 20_000 and letters.isalpha() and letters.isascii():
                self.columns[letters] = self.col
        else:
            self.col, self.row = col, int(digits)

    def _collect(self, what: str) -> None:
        self.collecting = what
        self.text = []
        self.parser.CharacterDataHandler = self.text.append
        self.parser.EndElementHandler = self.end

    def end(self, name: str) -> None:
        if _local(name) != self.collecting:
            return  # an element inside the one collected
        text = "".join(self.text)
        self.parser.CharacterDataHandler = None
        self.parser.EndElementHandler = None
        what, self.collecting = self.collecting, ""
        if what == "f":
            self.formula = text
        elif self.kind == "s":
            self._shared(text)
        elif self.formula is not None and not text.strip() and self.kind != "str":
            self.valued = False  # an empty result: read as an empty cell

    def _shared(self, text: str) -> None:
        text = text.strip()
        if text.isdigit() and int(text) < len(self.strings):
            self.budget.add_text(self.strings[int(text)])

    def _close_cell(self) -> None:
        if not self.in_cell:
            return
        self.in_cell = False
        if self.formula is not None and not self.valued:
            shown = "=" + shorten(self.formula, 60) if self.formula else "(công thức dùng chung)"
            cell = f"{col_letters(self.col)}{self.row}"
            self.budget.uncached.append(Uncached(sheet=self.name, cell=cell, formula=shown))

    def _merged(self, ref: str) -> None:
        first, _, last = ref.partition(":")
        a, b = parse_ref(first), parse_ref(last or first)
        if a is None or b is None:
            return  # calamine skips what it cannot read
        cells = (abs(b[0] - a[0]) + 1) * (abs(b[1] - a[1]) + 1)
        self.budget.add_merged(self.name, cells)

    def finish(self) -> None:
        self._close_cell()
        self.budget.sheet_done(self.name, self.last_col, self.last_row)
        self.budget.add_cells(self.cells)


def walk_sheet(
    path: Path,
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    name: str,
    budget: Budget,
    strings: array[int],
) -> None:
    parser = new_parser()
    walk = SheetWalk(name, budget, strings, parser)
    parser.StartElementHandler = walk.start
    feed(path, archive, info, parser)
    walk.finish()


# ------------------------------------------------------------------------- the workbook


def measure_xlsx(path: Path, archive: zipfile.ZipFile) -> Budget:
    """Walk every sheet of the workbook into one Budget; refuses past a limit.

    Sheets holding more than WALK_LIMIT bytes of XML together are real content, not a small
    file's trick: walking them would cost about 2 s per 100,000 rows, so only their prologs are
    read (no DTD) and the Budget is marked unmeasured — calamine measures them in its child
    process, under a memory limit, before the tool's own process reads them (importing.sandbox).
    """
    budget = Budget(path)
    sheets, strings_part = _parts(path, archive)
    infos = [
        (name, archive.NameToInfo[part]) for name, part in sheets if part in archive.NameToInfo
    ]
    strings_info = archive.NameToInfo.get(strings_part) if strings_part else None
    budget.xml = sum(i.file_size for _, i in infos) + (
        strings_info.file_size if strings_info else 0
    )
    if len(infos) < len(sheets):
        # A sheet whose part this walk does not find where its relation points ("../", another
        # case): calamine may find it its own way, so calamine measures the workbook.
        budget.xml = sum(i.file_size for i in archive.infolist() if i.filename.endswith(".xml"))
        budget.measured = False
    if not budget.measured or budget.xml > WALK_LIMIT:
        budget.measured = False
        for info in archive.infolist():
            if info.filename.endswith((".xml", ".rels")):
                check_prolog(path, archive, info)
        return budget
    try:
        strings: array[int] = array("Q")
        if strings_info is not None:
            strings = shared_string_sizes(path, archive, strings_info.filename)
        for name, info in infos:  # a chart sheet or a broken link is left to calamine
            walk_sheet(path, archive, info, name, budget, strings)
    except NotWellFormed:
        return Budget(path, xml=budget.xml, measured=False)
    budget.check_sparse()
    return budget


class _Root(Exception):
    """The root element began: the prolog, where a DTD would be, is over."""


def _at_root(*_: object) -> None:
    raise _Root


def check_prolog(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Read an XML part only up to its root element: a DTD, if any, comes before it."""
    parser = new_parser()
    parser.StartElementHandler = _at_root
    try:
        feed(path, archive, info, parser)
    except (_Root, NotWellFormed):
        return  # the root reached, or XML that calamine judges for itself


def _parts(path: Path, archive: zipfile.ZipFile) -> tuple[list[tuple[str, str]], str]:
    """(sheet name, worksheet part) in workbook order, and the shared strings' part."""
    sheets: list[tuple[str, str]] = []
    targets: dict[str, str] = {}
    strings = ""

    def rel(name: str, attrs: list[str]) -> None:
        nonlocal strings
        if _local(name) != "Relationship":
            return
        target = _attr(attrs, "Target") or ""
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        part = str(PurePosixPath(part))
        targets[_attr(attrs, "Id") or ""] = part
        if (_attr(attrs, "Type") or "").endswith("/sharedStrings"):
            strings = part

    def sheet(name: str, attrs: list[str]) -> None:
        if _local(name) == "sheet":
            rel_id = _attr(attrs, "id") or ""
            sheets.append((_attr(attrs, "name") or "", rel_id))

    rels_name = "xl/_rels/workbook.xml.rels"
    if rels_name in archive.NameToInfo:
        _small(path, archive, rels_name, rel)
    _small(path, archive, "xl/workbook.xml", sheet)
    if not strings and "xl/sharedStrings.xml" in archive.NameToInfo:
        strings = "xl/sharedStrings.xml"
    return [(n, targets.get(r, "")) for n, r in sheets], strings


def _small(
    path: Path, archive: zipfile.ZipFile, part: str, start: Callable[[str, list[str]], None]
) -> None:
    info = archive.getinfo(part)
    if info.file_size > 16 * 1024**2:
        size = size_text(info.file_size)
        raise refuse(path, f"tệp bị hỏng: phần “{part}” lớn bất thường ({size}).")
    parser = new_parser()
    parser.StartElementHandler = start
    feed(path, archive, info, parser)
