"""Refusing hostile or broken spreadsheet files before anything reads them.

A .xlsx or .ods file is a zip archive; what it holds is judged from the archive's central
directory before a byte is inflated: the sizes it declares, how much they expand, how many
entries, names that climb out of a folder ("../"). calamine's zip reader stops at the declared
size of an entry, so the declared sizes are the ones that count. Then the grid: calamine keeps
each sheet as a full rectangle of cells, so one cell at XFD1048576 in a 1 KB file asks for 17
billion cells and aborts the process; the cell references of each sheet (xlsx) and the repeat
counts (ods) are read first and a sheet whose rectangle is too large is refused. Cells that hold
a formula but no stored result (files written by programs that do not calculate) are found in the
same pass. A .xls file is not compressed: its size on disk is what is read.

The limits let a real roster of a million rows through (a 53 MB .xlsx whose sheet expands 10×
to 535 MB, see benchmarks/make_roster.py) and refuse a small file that expands a hundredfold.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from dangvien_cli.core.errors import UnreadableFileError

MAX_UNCOMPRESSED = 2 * 1024**3  # bytes, everything the archive declares, inflated
MAX_RATIO = 100  # inflated / compressed; real workbooks stay near 10
RATIO_FROM = 8 * 1024**2  # the ratio is judged on entries (and archives) larger than this
MAX_ENTRIES = 5_000
MAX_CELLS = 30_000_000  # rows × columns of one sheet's rectangle (1,000,000 rows × 30)
MAX_XLS_BYTES = 512 * 1024**2  # a .xls holds at most 65,536 rows: real ones are far smaller
SCAN_LIMIT = 16 * 1024**2  # sheet XML whose tags are read (≈30,000 rows); larger: <dimension>

_MB = 1024**2


@dataclass
class Uncached:
    """A cell that holds a formula whose result the file does not store."""

    sheet: str
    cell: str  # "D5"
    formula: str


@dataclass
class Inspection:
    """What the guard learnt while checking a file, for the reader."""

    kind: str  # xlsx | xlsb | ods | xls
    uncached: list[Uncached] = field(default_factory=list)


def _refuse(path: Path, reason: str) -> UnreadableFileError:
    return UnreadableFileError(f"{path.name}: {reason}")


def _size(n: int) -> str:
    """A byte count as people read it: "2,5 GB", "80 MB", "12 KB"."""
    for unit, scale in (("GB", 1024**3), ("MB", _MB), ("KB", 1024)):
        if n >= scale:
            value = n / scale
            text = f"{value:.1f}" if value < 10 else f"{value:.0f}"
            return f"{text.replace('.', ',').removesuffix(',0')} {unit}"
    return f"{n} byte"


def _count(n: int) -> str:
    """A whole number with Vietnamese thousands dots: 17.179.869.184."""
    return f"{n:,}".replace(",", ".")


def inspect_ole(path: Path, size: int) -> Inspection:
    """A .xls (OLE compound file): not compressed, so its size is what calamine reads. A file
    cut short is known from its header (the sectors it names lie past its end); one protected
    by a password to open has a FILEPASS record right after the workbook's first record."""
    if size > MAX_XLS_BYTES:
        raise _refuse(
            path,
            f"tệp .xls nặng {_size(size)}, vượt giới hạn {_size(MAX_XLS_BYTES)} (một tệp .xls "
            "chứa tối đa 65.536 dòng, danh sách thật nhỏ hơn nhiều). Hãy kiểm tra lại tệp, "
            "hoặc mở bằng Excel và lưu lại dạng .xlsx.",
        )
    with path.open("rb") as handle:
        head = handle.read(1 << 20)
    if _ole_cut_short(head, size):
        raise _refuse(
            path,
            "tệp .xls bị cắt cụt (thường do tải về chưa xong hoặc chép bị lỗi): phần cuối của "
            "tệp bị thiếu. Hãy tải hoặc chép lại tệp.",
        )
    if _xls_filepass(head):
        raise _refuse(path, PASSWORD)
    return Inspection(kind="xls")


def _ole_cut_short(head: bytes, size: int) -> bool:
    if len(head) < 512:
        return True
    shift = struct.unpack_from("<H", head, 30)[0]
    if shift not in (9, 12):
        return False  # not a header we know: calamine will say what it makes of it
    sector = 1 << shift
    first_directory = struct.unpack_from("<I", head, 48)[0]
    fat_sectors = [s for s in struct.unpack_from("<109I", head, 76) if s < 0xFFFFFFFA]
    named = [s for s in (first_directory, *fat_sectors) if s < 0xFFFFFFFA]
    return bool(named) and (max(named) + 2) * sector > size


_BOF = re.compile(rb"\x09\x08(\x10\x00\x00\x06|\x08\x00\x00\x05)\x05\x00")


def _xls_filepass(head: bytes) -> bool:
    """BIFF5/8 workbook globals: BOF (0x0809, workbook) then FILEPASS (0x002F) when encrypted."""
    found = _BOF.search(head)
    if found is None:
        return False
    length = struct.unpack_from("<H", head, found.start() + 2)[0]
    following = found.start() + 4 + length
    return head[following : following + 2] == b"\x2f\x00"


def inspect_zip(path: Path) -> Inspection:
    """Check a zip-based workbook (.xlsx, .xlsm, .ods) from its directory, then its grids."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as exc:
        raise _refuse(
            path,
            "tệp bị cắt cụt hoặc hỏng: không đọc được mục lục của tệp nén (thường do tải về "
            "chưa xong hoặc chép bị lỗi). Hãy tải hoặc chép lại tệp, hoặc mở bằng Excel và "
            "lưu lại.",
        ) from exc
    with archive:
        entries = archive.infolist()
        _check_directory(path, entries)
        names = {e.filename for e in entries}
        kind = _kind(path, archive, names)
        inspection = Inspection(kind=kind)
        if kind == "xlsx":
            _check_xlsx_sheets(path, archive, inspection)
        elif kind == "ods":
            _check_ods(path, archive)
        return inspection


def _check_directory(path: Path, entries: list[zipfile.ZipInfo]) -> None:
    if len(entries) > MAX_ENTRIES:
        raise _refuse(
            path,
            f"tệp nén chứa {_count(len(entries))} mục, quá nhiều cho một bảng tính (giới hạn "
            f"{_count(MAX_ENTRIES)}); không đọc tệp này. Hãy mở bằng Excel, kiểm tra và lưu lại.",
        )
    for entry in entries:
        name = entry.filename.replace("\\", "/")
        parts = PurePosixPath(name).parts
        if name.startswith("/") or ".." in parts or re.match(r"^[A-Za-z]:", name):
            raise _refuse(
                path,
                f"tệp nén có mục mang đường dẫn bất thường (“{_short(entry.filename)}”), điều mà "
                "Excel và LibreOffice không bao giờ tạo ra; tệp có thể đã bị sửa để gây hại, nên "
                "không được đọc.",
            )
        if entry.flag_bits & 0x1:
            raise _refuse(
                path,
                "các mục trong tệp nén được đặt mật khẩu. Hãy giải nén bằng mật khẩu, mở bằng "
                "Excel và lưu lại dạng .xlsx không mật khẩu.",
            )
    total = sum(e.file_size for e in entries)
    if total > MAX_UNCOMPRESSED:
        raise _refuse(
            path,
            f"khi giải nén, tệp sẽ chiếm {_size(total)}, vượt giới hạn {_size(MAX_UNCOMPRESSED)} "
            "cho một bảng tính (danh sách một triệu học sinh chỉ khoảng 550 MB); không đọc để "
            "tránh treo máy. Nếu đây đúng là danh sách của bạn, hãy chia thành nhiều tệp nhỏ hơn.",
        )
    packed = sum(e.compress_size for e in entries)
    for size, compressed, where in [
        *((e.file_size, e.compress_size, f"mục “{_short(e.filename)}”") for e in entries),
        (total, packed, "cả tệp"),
    ]:
        ratio = size / max(compressed, 1)
        if size > RATIO_FROM and ratio > MAX_RATIO:
            raise _refuse(
                path,
                f"tệp có dấu hiệu “bom nén” (zip bomb): {where} chỉ {_size(compressed)} nhưng "
                f"giải nén ra {_size(size)}, gấp {_count(int(ratio))} lần (bảng tính thật chỉ "
                f"khoảng 10 lần, giới hạn {MAX_RATIO} lần). Tệp không được đọc. Hãy xin lại "
                "tệp gốc từ nơi gửi.",
            )


def _kind(path: Path, archive: zipfile.ZipFile, names: set[str]) -> str:
    """What the archive holds: a workbook calamine reads, or something else named as one."""
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        return "xlsb"
    mimetype = ""
    if "mimetype" in names and archive.getinfo("mimetype").file_size < 200:
        mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
    if "content.xml" in names and (not mimetype or "spreadsheet" in mimetype):
        return "ods"
    if "word/document.xml" in names or "opendocument.text" in mimetype:
        what = "văn bản Word hoặc Writer (.docx, .odt)"
    elif "ppt/presentation.xml" in names or "opendocument.presentation" in mimetype:
        what = "bản trình chiếu (.pptx, .odp)"
    else:
        what = "tệp nén .zip thông thường"
    raise _refuse(
        path,
        f"đây là {what}, không phải bảng tính. Nếu danh sách nằm trong một tệp nén, hãy giải "
        "nén rồi nhập tệp .xlsx bên trong; nếu là văn bản, hãy chép bảng sang Excel và lưu "
        "dạng .xlsx.",
    )


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
        raise _refuse(
            path, f"tệp bị hỏng: phần mô tả sổ làm việc không đọc được ({_short(str(exc))})."
        ) from exc


def _small_part(path: Path, archive: zipfile.ZipFile, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > 16 * _MB:
        raise _refuse(path, f"tệp bị hỏng: phần “{name}” lớn bất thường ({_size(info.file_size)}).")
    data = _read(path, archive, info)
    if _DOCTYPE.search(data[:4096]):
        raise _refuse(path, _DTD_REASON)
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
        raise _refuse(
            path,
            f"tệp bị hỏng: phần “{_short(info.filename)}” không giải nén được "
            f"({_short(str(exc))}). Hãy tải hoặc chép lại tệp, hoặc mở bằng Excel và lưu lại.",
        ) from exc


def _check_xlsx_sheets(path: Path, archive: zipfile.ZipFile, inspection: Inspection) -> None:
    for name, part in _sheet_parts(path, archive):
        info = archive.NameToInfo.get(part)
        if info is None:
            continue  # a chart sheet or a broken link: calamine says what it makes of it
        if info.file_size > SCAN_LIMIT:
            # Reading every cell reference of a large sheet would cost seconds: its declared
            # dimension is checked instead (the ratio and size limits above still hold).
            head = _read(path, archive, info, 64 * 1024)
            if _DOCTYPE.search(head):
                raise _refuse(path, _DTD_REASON)
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
            raise _refuse(path, _DTD_REASON)
        _check_cells(path, name, data)
        if b"<f" in data or b":f" in data:
            inspection.uncached += _uncached(name, data)


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
        raise _refuse(
            path,
            f"trang “{sheet}” trải trên vùng {corner} ({_count(height)} dòng × {_count(width)} "
            f"cột = {_count(width * height)} ô), vượt giới hạn {_count(MAX_CELLS)} ô; đọc nó sẽ "
            "làm treo máy. Nếu có ô lạc ở rất xa bảng, hãy mở bằng Excel, xóa các dòng và cột "
            "thừa (Ctrl+End cho biết ô cuối) rồi lưu lại.",
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
    return _short(text.replace("&amp;", "&"), 60)


# --------------------------------------------------------------------------------- ods grids

_ODS_TOKEN = re.compile(
    rb"<(?:\w+:)?(table-row|table-cell|covered-table-cell|table)\b([^>]*?)(/?)>"
    rb"|</(?:\w+:)?(table-row|table)>"
)
_ROWS_REPEATED = re.compile(rb'number-rows-repeated="(\d+)"')
_COLS_REPEATED = re.compile(rb'number-columns-repeated="(\d+)"')
_TABLE_NAME = re.compile(rb'\bname="([^"]*)"')


def _check_ods(path: Path, archive: zipfile.ZipFile) -> None:
    """Repeat counts: one cell written once may stand for millions of cells."""
    info = archive.NameToInfo.get("content.xml")
    if info is None:
        raise _refuse(path, "tệp .ods bị hỏng: thiếu phần nội dung (content.xml).")
    if info.file_size > SCAN_LIMIT:
        return  # a big file of real cells: the ratio and the size were judged above
    data = _read(path, archive, info)
    if _DOCTYPE.search(data[:4096]):
        raise _refuse(path, _DTD_REASON)
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


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ------------------------------------------------------------------ what the reader tells


PASSWORD = (
    "tệp được đặt mật khẩu để mở. Hãy mở bằng Excel với mật khẩu, gỡ mật khẩu (Tệp → Thông "
    "tin → Bảo vệ sổ làm việc → Mã hóa bằng mật khẩu, xóa trống) rồi lưu lại và nhập tệp đó."
)


def os_reason(exc: OSError) -> str:
    """Why the system would not open a file, in words a secretary can act on."""
    import errno

    if exc.errno in (errno.EACCES, errno.EPERM):
        return (
            "không có quyền đọc tệp này. Hãy chép tệp sang thư mục của bạn (hoặc nhờ người "
            "quản trị máy cấp quyền đọc) rồi nhập bản chép."
        )
    if exc.errno == errno.ELOOP:
        return "đường dẫn là liên kết (symlink) trỏ vòng. Hãy nhập chính tệp bảng tính."
    if exc.errno == errno.EIO:
        return "lỗi đọc đĩa (ổ USB hỏng hoặc đã rút ra?). Hãy chép tệp sang máy rồi nhập lại."
    return f"không mở được tệp (lỗi hệ thống số {exc.errno}). Hãy chép tệp sang máy rồi nhập lại."


def hidden_sheets(workbook: object) -> set[str]:
    """Sheets hidden (or "very hidden") in the workbook: calamine's metadata says which."""
    hidden: set[str] = set()
    for meta in getattr(workbook, "sheets_metadata", None) or []:
        if str(getattr(meta, "visible", "")).rsplit(".", 1)[-1] in ("Hidden", "VeryHidden"):
            hidden.add(str(meta.name))
    return hidden


def refuse_uncached(path: Path, inspection: Inspection, hidden: set[str]) -> None:
    """A shown sheet with formulas whose results the file does not store: calamine would read
    those cells as empty, and a name or a date would silently go missing. The whole file is
    refused, once, with what to do (open and save it in Excel or LibreOffice)."""
    found = [u for u in inspection.uncached if u.sheet not in hidden]
    if not found:
        return
    sheet = found[0].sheet
    examples = ", ".join(f"{u.cell} ({u.formula})" for u in found[:3] if u.sheet == sheet)
    others = len({u.sheet for u in found}) - 1
    raise _refuse(
        path,
        f"trang “{sheet}” có {_count(len([u for u in found if u.sheet == sheet]))} ô chứa công "
        f"thức nhưng tệp không lưu kết quả tính, ví dụ ô {examples}"
        + (f" (và {others} trang khác)" if others else "")
        + ". Tệp này do một chương trình tạo ra mà chưa tính công thức, nên các ô đó sẽ bị đọc "
        "thành ô trống. Hãy mở tệp bằng Excel hoặc LibreOffice Calc, bấm Lưu, rồi nhập lại.",
    )


def nothing_shown(hidden: list[str]) -> str:
    if not hidden:
        return "bảng tính không có dữ liệu (mọi trang đều trống)."
    names = ", ".join(f"“{n}”" for n in hidden)
    return (
        f"mọi trang đang hiện đều trống; các trang đang ẩn ({names}) không được nhập. Nếu danh "
        "sách nằm ở đó, hãy bỏ ẩn trang (chuột phải vào tên trang → Bỏ ẩn) rồi lưu lại."
    )
