"""Refusing hostile or broken spreadsheet files before anything reads them.

The guard judges the bytes the reader will read (importing.reader reads the file once). A .xlsx
or .ods file is a zip archive; what it holds is judged from the archive's central directory
before a byte is inflated: the sizes it declares, how much they expand, how many entries, names
that climb out of a folder ("../"). calamine's zip reader stops at the declared size of an
entry, so the declared sizes are the ones that count. Then the grids, all sheets together: what
each sheet asks of calamine is measured by a streaming walk of its XML (importing.sheet_walk,
importing.ods_walk) or of its BIFF records (importing.biff) into one Budget (importing.grids),
which refuses past the limits the README states. Cells that hold a formula but no stored result
(files written by programs that do not calculate) are found in the same walk. A .xls file is not
compressed: its size on disk is what is read. A binary workbook (.xlsb) cannot be measured and
is refused.

The limits let a real roster of a million rows through (a 53 MB .xlsx whose sheet expands 10×
to 535 MB, see benchmarks/make_roster.py) and refuse a small file that asks for gigabytes.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from dangvien_cli.importing.grids import Budget, Uncached
from dangvien_cli.importing.grids import count_text as _count
from dangvien_cli.importing.grids import refuse as _refuse
from dangvien_cli.importing.grids import shorten as _short
from dangvien_cli.importing.grids import size_text as _size

MAX_UNCOMPRESSED = 2 * 1024**3  # bytes, everything the archive declares, inflated
MAX_RATIO = 100  # inflated / compressed; real workbooks stay near 10
RATIO_FROM = 8 * 1024**2  # the ratio is judged on entries (and archives) larger than this
MAX_ENTRIES = 5_000
MAX_XLS_BYTES = 512 * 1024**2  # a .xls holds at most 65,536 rows: real ones are far smaller

_MB = 1024**2


@dataclass
class Inspection:
    """What the guard learnt while checking a file, for the reader."""

    kind: str  # xlsx | ods | xls
    uncached: list[Uncached] = field(default_factory=list)
    budget: Budget | None = None  # what the sheets ask of the reader (None: not measured)


def inspect_ole(path: Path, data: bytes) -> Inspection:
    """A .xls (OLE compound file): not compressed, so its size is what calamine reads. A file
    cut short is known from its header (the sectors it names lie past its end); one protected
    by a password to open has a FILEPASS record right after the workbook's first record."""
    size = len(data)
    if size > MAX_XLS_BYTES:
        raise _refuse(
            path,
            f"tệp .xls nặng {_size(size)}, vượt giới hạn {_size(MAX_XLS_BYTES)} (một tệp .xls "
            "chứa tối đa 65.536 dòng, danh sách thật nhỏ hơn nhiều). Hãy kiểm tra lại tệp, "
            "hoặc mở bằng Excel và lưu lại dạng .xlsx.",
        )
    head = data[: 1 << 20]
    if _is_encrypted_package(data):
        raise _refuse(path, PASSWORD)
    if _ole_cut_short(head, size):
        raise _refuse(
            path,
            "tệp .xls bị cắt cụt (thường do tải về chưa xong hoặc chép bị lỗi): phần cuối của "
            "tệp bị thiếu. Hãy tải hoặc chép lại tệp.",
        )
    if _xls_filepass(head):
        raise _refuse(path, PASSWORD)
    from dangvien_cli.importing.biff import measure_xls

    return Inspection(kind="xls", budget=measure_xls(path, data))


def _is_encrypted_package(data: bytes) -> bool:
    """An encrypted .xlsx is an OLE file holding an 'EncryptedPackage' stream."""
    return "EncryptedPackage".encode("utf-16-le") in data[: 1 << 20]


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


def inspect_zip(path: Path, data: bytes) -> Inspection:
    """Check a zip-based workbook (.xlsx, .xlsm, .ods) from its directory, then its grids."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
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
            from dangvien_cli.importing.sheet_walk import measure_xlsx

            inspection.budget = measure_xlsx(path, archive)
            inspection.uncached = inspection.budget.uncached
        elif kind == "ods":
            from dangvien_cli.importing.ods_walk import measure_ods

            inspection.budget = measure_ods(path, archive)
        return inspection


def _check_directory(path: Path, entries: list[zipfile.ZipInfo]) -> None:
    if len(entries) > MAX_ENTRIES:
        raise _refuse(
            path,
            f"tệp nén chứa {_count(len(entries))} mục, quá nhiều cho một bảng tính (giới hạn "
            f"{_count(MAX_ENTRIES)}); không đọc tệp này. Hãy mở bằng Excel, kiểm tra và lưu lại.",
        )
    if len({e.filename for e in entries}) != len(entries):
        # Two entries of one name: the guard and the reader might each take a different one.
        raise _refuse(
            path,
            "tệp nén có hai mục trùng tên, điều mà Excel và LibreOffice không bao giờ tạo ra; tệp "
            "có thể đã bị sửa để gây hại, nên không được đọc. Hãy xin lại tệp gốc từ nơi gửi.",
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
        # The binary workbook: its grids cannot be measured before calamine reads them.
        raise _refuse(
            path,
            "đây là sổ làm việc nhị phân của Excel (.xlsb), dạng dangvien không đọc. Hãy mở "
            "bằng Excel và lưu lại dạng .xlsx (Tệp → Lưu thành → Sổ làm việc Excel).",
        )
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
