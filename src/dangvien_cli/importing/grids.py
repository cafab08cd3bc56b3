"""The grids of a workbook's sheets, judged before calamine reads them (see importing.guard).

calamine keeps each sheet as a full rectangle of cells, so one cell at XFD1048576 in a 1 KB file
asks for 17 billion cells and aborts the process: the cell references of each sheet (xlsx) and
the repeat counts (ods) are read first and a sheet whose rectangle is too large is refused. Cells
that hold a formula but no stored result (files written by programs that do not calculate) are
found in the same pass. How a refusal is worded (refuse, sizes and counts as people read them)
is shared with the guard.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from dangvien_cli.core.errors import UnreadableFileError

MAX_CELLS = 30_000_000  # rows × columns of one sheet's rectangle (1,000,000 rows × 30)
SCAN_LIMIT = 16 * 1024**2  # sheet XML whose tags are read (≈30,000 rows); larger: <dimension>

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


# -------------------------------------------------------------------------------- xlsx grids

_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_DIMENSION = re.compile(
    rb'<(?:\w+:)?dimension\b[^>]*?ref="([A-Z]{1,4})(\d{1,8})(?::([A-Z]{1,4})(\d{1,8}))?"'
)
_REF = re.compile(rb'\br="([A-Z]{1,4})(\d{1,8})"')
# Opening tags that are not self-closing, of rows and of cells, and the references they carry.
_ROW_OPEN = re.compile(rb"<(?:\w+:)?row\b[^>]*(?<!/)>")
_ROW_NUMBER = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="(\d{1,8})"[^>]*(?<!/)>')
_CELL_OPEN = re.compile(rb"<(?:\w+:)?c\b[^>]*(?<!/)>")
_CELL_COLUMN = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,4})\d{1,8}"[^>]*(?<!/)>')
_CELL_ANY = re.compile(rb"<(?:\w+:)?c\b")
_FIRST_CELL = re.compile(rb"<(\w+:)?c[\s>/]")
# A formula whose cell closes with no result, or with an empty one: <f>…</f></c>, <f …/><v/></c>.
_UNCACHED = re.compile(
    rb"<(?:\w+:)?f\b[^>]*?(?:/>|>([^<]*)</(?:\w+:)?f>)"
    rb"(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v\s*>\s*</(?:\w+:)?v>)?</(?:\w+:)?c>"
)
_CELL_START = re.compile(rb"<(?:\w+:)?c\b([^>]*)>")
_V_TAG = re.compile(rb"<(?:\w+:)?v[\s>/]")


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def _col_letters(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def _sheet_parts(path: Path, archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, worksheet part) in workbook order, from workbook.xml and its relations."""
    workbook = _small_part(path, archive, "xl/workbook.xml")
    rels_name = "xl/_rels/workbook.xml.rels"
    rels = _small_part(path, archive, rels_name) if rels_name in archive.NameToInfo else b""
    try:
        targets = {}
        if rels:
            for rel in ElementTree.fromstring(rels):
                target = rel.get("Target", "")
                part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                targets[rel.get("Id", "")] = str(PurePosixPath(part))
        sheets = []
        for element in ElementTree.fromstring(workbook).iter():
            if element.tag.rsplit("}", 1)[-1] != "sheet":
                continue
            rel_id = element.get(f"{{{_REL_NS}}}id") or ""
            sheets.append((element.get("name", ""), targets.get(rel_id, "")))
        return sheets
    except ElementTree.ParseError as exc:
        raise refuse(
            path, f"tệp bị hỏng: phần mô tả sổ làm việc không đọc được ({shorten(str(exc))})."
        ) from exc


def _small_part(path: Path, archive: zipfile.ZipFile, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > 16 * _MB:
        size = size_text(info.file_size)
        raise refuse(path, f"tệp bị hỏng: phần “{name}” lớn bất thường ({size}).")
    data = _read(path, archive, info)
    if _DOCTYPE.search(data[:4096]):
        raise refuse(path, _DTD_REASON)
    return data


_DTD_REASON = (
    "tệp có khai báo DOCTYPE/ENTITY trong XML, điều mà Excel và LibreOffice không bao giờ tạo "
    "ra (có thể là “bom XML”); không đọc tệp này. Hãy xin lại tệp gốc từ nơi gửi."
)


def _read(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int = -1) -> bytes:
    """An entry inflated piece by piece, at most `limit` bytes: zipfile stops at the declared
    size (and then finds the CRC wrong), so an entry that lies about its size never fills the
    memory."""
    wanted = info.file_size if limit < 0 else min(limit, info.file_size)
    parts: list[bytes] = []
    got = 0
    try:
        with archive.open(info) as handle:
            while True:
                chunk = handle.read(max(min(1 << 20, wanted - got), 1 << 16))
                if not chunk:
                    break
                parts.append(chunk)
                got += len(chunk)
                if limit >= 0 and got >= limit:
                    break
        return b"".join(parts)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
        raise refuse(
            path,
            f"tệp bị hỏng: phần “{shorten(info.filename)}” không giải nén được "
            f"({shorten(str(exc))}). Hãy tải hoặc chép lại tệp, hoặc mở bằng Excel và lưu lại.",
        ) from exc


def check_xlsx_sheets(path: Path, archive: zipfile.ZipFile) -> list[Uncached]:
    """Refuse a sheet whose grid is too large, or whose XML declares a DTD; returns the cells
    that hold a formula without a stored result."""
    uncached: list[Uncached] = []
    for name, part in _sheet_parts(path, archive):
        info = archive.NameToInfo.get(part)
        if info is None:
            continue  # a chart sheet or a broken link: calamine says what it makes of it
        if info.file_size > SCAN_LIMIT:
            # Reading every cell reference of a large sheet would cost seconds: its declared
            # dimension is checked instead (the ratio and size limits above still hold).
            head = _read(path, archive, info, 64 * 1024)
            if _DOCTYPE.search(head):
                raise refuse(path, _DTD_REASON)
            found = _DIMENSION.search(head)
            if found is not None:
                first = (_col_number(found.group(1)), int(found.group(2)))
                last = first
                if found.group(3):
                    last = (_col_number(found.group(3)), int(found.group(4)))
                _check_grid(path, name, first, last)
            continue
        data = _read(path, archive, info)
        if _DOCTYPE.search(data[:4096]):
            raise refuse(path, _DTD_REASON)
        _check_cells(path, name, data)
        if b"<f" in data or b":f" in data:
            uncached += _uncached(name, data)
    return uncached


def _check_cells(path: Path, sheet: str, data: bytes) -> None:
    """A bound on the rectangle calamine will build, from the row and cell tags.

    Every common writer puts r="…" first in each <row> and <c>, under one namespace prefix;
    such a sheet is measured with a few quick passes. Otherwise cells and rows may leave out
    where they are (each then follows the one before): the bound then counts tags one by one.
    The grid is taken to start at A1, so the bound can be too large, never too small."""
    first = _FIRST_CELL.search(data)
    if first is None:
        return  # no cell at all
    p = b"<" + (first.group(1) or b"")
    cells = data.count(p + b"c ") + data.count(p + b"c>")
    rows = data.count(p + b"row ") + data.count(p + b"row>")
    if cells == data.count(p + b'c r="') == data.count(b'c r="') and rows == data.count(
        p + b'row r="'
    ):
        # Self-closing rows carry only a height or a style: calamine leaves them out.
        numbers = re.findall(re.escape(p) + rb'row r="(\d{1,8})"[^>]*(?<!/)>', data)
        height = max((int(n) for n in numbers), default=0)
        letters = set(re.findall(re.escape(p) + rb'c r="([A-Z]{1,4})', data))
        width = max((_col_number(c) for c in letters), default=0)
    else:
        numbered = _ROW_NUMBER.findall(data)
        height = max((int(n) for n in numbered), default=0)
        height += len(_ROW_OPEN.findall(data)) - len(numbered)
        columns = _CELL_COLUMN.findall(data)
        width = max((_col_number(c) for c in set(columns)), default=0)
        if len(_CELL_OPEN.findall(data)) > len(columns):
            # cells without a reference: as many more columns as cells in the longest row
            width += max(len(_CELL_ANY.findall(row)) for row in data.split(b"row>"))
    if height > 0:
        _check_grid(path, sheet, (1, 1), (max(width, 1), height))


def _check_grid(path: Path, sheet: str, first: tuple[int, int], last: tuple[int, int]) -> None:
    width = last[0] - first[0] + 1
    height = last[1] - first[1] + 1
    if width * height > MAX_CELLS:
        corner = f"{_col_letters(first[0])}{first[1]}:{_col_letters(last[0])}{last[1]}"
        raise refuse(
            path,
            f"trang “{sheet}” trải trên vùng {corner} ({count_text(height)} dòng × "
            f"{count_text(width)} cột = {count_text(width * height)} ô), vượt giới hạn "
            f"{count_text(MAX_CELLS)} ô; đọc nó sẽ làm treo máy. Nếu có ô lạc ở rất xa bảng, "
            "hãy mở bằng Excel, xóa các dòng và cột thừa (Ctrl+End cho biết ô cuối) rồi lưu lại.",
        )


def _uncached(sheet: str, data: bytes) -> list[Uncached]:
    """Cells with a formula and no stored result. An empty result is a result for a text
    formula (t="str"), which Excel writes for ="" ."""
    found: list[Uncached] = []
    for match in _UNCACHED.finditer(data):
        # <f> is the first child of its <c>: the tag before it opens the cell.
        cell = _CELL_START.match(data, data.rfind(b"<", 0, match.start()))
        attrs = cell.group(1) if cell else b""
        if _V_TAG.search(match.group(0)) and b't="str"' in attrs:
            continue
        ref = _REF.search(attrs)
        text = match.group(1)
        found.append(
            Uncached(
                sheet=sheet,
                cell=f"{ref.group(1).decode()}{ref.group(2).decode()}" if ref else "?",
                formula="=" + _unescape(text) if text else "(công thức dùng chung)",
            )
        )
    return found


def _unescape(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'")):
        text = text.replace(entity, char)
    return shorten(text.replace("&amp;", "&"), 60)


# --------------------------------------------------------------------------------- ods grids

_ODS_TOKEN = re.compile(
    rb"<(?:\w+:)?(table-row|table-cell|covered-table-cell|table)\b([^>]*?)(/?)>"
    rb"|</(?:\w+:)?(table-row|table)>"
)
_ROWS_REPEATED = re.compile(rb'number-rows-repeated="(\d+)"')
_COLS_REPEATED = re.compile(rb'number-columns-repeated="(\d+)"')
_TABLE_NAME = re.compile(rb'\bname="([^"]*)"')


def check_ods(path: Path, archive: zipfile.ZipFile) -> None:
    """Repeat counts: one cell written once may stand for millions of cells."""
    info = archive.NameToInfo.get("content.xml")
    if info is None:
        raise refuse(path, "tệp .ods bị hỏng: thiếu phần nội dung (content.xml).")
    if info.file_size > SCAN_LIMIT:
        return  # a big file of real cells: the ratio and the size were judged above
    data = _read(path, archive, info)
    if _DOCTYPE.search(data[:4096]):
        raise refuse(path, _DTD_REASON)
    sheet = ""
    row = 0
    row_repeat = 1
    col = 0
    row_last_col = 0
    last_row = 0
    last_col = 0
    for match in _ODS_TOKEN.finditer(data):
        tag, attrs, closed, end = match.group(1), match.group(2), match.group(3), match.group(4)
        if tag == b"table":
            found = _TABLE_NAME.search(attrs)
            sheet = found.group(1).decode("utf-8", "replace") if found else ""
            row = last_row = last_col = 0
        elif tag == b"table-row":
            repeated = _ROWS_REPEATED.search(attrs)
            row_repeat = int(repeated.group(1)) if repeated else 1
            col = row_last_col = 0
            if closed:
                row += row_repeat
        elif tag in (b"table-cell", b"covered-table-cell"):
            repeated = _COLS_REPEATED.search(attrs)
            span = int(repeated.group(1)) if repeated else 1
            if not closed or b"value-type" in attrs:
                row_last_col = col + span
            col += span
        elif end == b"table-row":
            if row_last_col:
                last_row = row + row_repeat
                last_col = max(last_col, row_last_col)
                _check_grid(path, sheet, (1, 1), (last_col, last_row))
            row += row_repeat
            row_repeat = 1


def shorten(text: str, limit: int = 80) -> str:
    """Text on one line, cut to `limit` characters with "…"."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
