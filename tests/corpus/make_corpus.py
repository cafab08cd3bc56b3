"""Write the hostile-input corpus: broken, disguised, oversized and tricky roster files.

    python tests/corpus/make_corpus.py [OUT_DIR]     (default: this folder)

Every file is built byte by byte here (zip entries with a fixed date, no clock, no randomness),
so running the script again gives the same bytes; tests/corpus/test_corpus.py checks that the
committed files are exactly what this script writes. What each file must give — exit code,
message, what the database holds afterwards — is in expected.json beside it.

Every school, name, code and date is made up.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import struct
import sys
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
EPOCH = (1980, 1, 1, 0, 0, 0)

# ----------------------------------------------------------------------------- the students

TITLES: list[list[object]] = [
    ["TRƯỜNG THPT SƠN MỘC"],
    ["DANH SÁCH HỌC SINH LỚP 12A1"],
    ["NĂM HỌC 2024-2025"],
    ["HỌC KỲ I"],
    [],
]
HEADER = ["STT", "Mã học sinh", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Học lực",
          "Hạnh kiểm", "Đoàn viên"]  # fmt: skip
D = dt.date


@dataclass(frozen=True)
class Kid:
    code: object
    name: object
    born: object
    gender: str = "Nam"
    ethnicity: str = "Thái"
    academic: str = "Khá"
    conduct: str = "Tốt"
    youth: str = "x"

    def row(self, n: int) -> list[object]:
        return [n, self.code, self.name, self.born, self.gender, self.ethnicity, self.academic,
                self.conduct, self.youth]  # fmt: skip


KIDS = [
    Kid("2900000101", "Lò Văn Khánh", D(2007, 3, 14)),
    Kid("2900000102", "Đinh Thị Mai", D(2007, 8, 2), gender="Nữ", ethnicity="Mường"),
    Kid("2900000103", "Vàng A Sử", "05/11/2007", ethnicity="Mông", academic="Giỏi"),
]


def roster(
    kids: Sequence[Kid], *, titles: Sequence[Sequence[object]] = TITLES
) -> list[list[object]]:
    return [list(t) for t in titles] + [list(HEADER)] + [k.row(i) for i, k in enumerate(kids, 1)]


# ------------------------------------------------------------------------------ xlsx by hand


@dataclass(frozen=True)
class Formula:
    """A formula cell; `cached` is the result the file stores, None for none at all."""

    text: str
    cached: object = None


@dataclass(frozen=True)
class Raw:
    """Cell XML written as it is (for what no writer would produce)."""

    xml: str


@dataclass
class SheetSpec:
    name: str
    rows: list[list[object]]
    state: str = "visible"  # visible | hidden | veryHidden
    merged: list[str] = field(default_factory=list)
    dimension: str | None = None
    far_cells: list[tuple[str, object]] = field(default_factory=list)  # ("XFD1048576", " ")


def col_letters(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def _excel_text(text: str) -> str:
    """XML text the way Excel writes it: control characters as _xHHHH_ escapes."""
    out = []
    for ch in text:
        if ord(ch) < 32 and ch not in "\t\n\r":
            out.append(f"_x{ord(ch):04X}_")
        else:
            out.append(ch)
    return escape("".join(out))


def serial(day: dt.date) -> int:
    """Excel's day number (1900 system, with the 29/02/1900 that never was: day 60)."""
    return (day - D(1899, 12, 31)).days + (day >= D(1900, 3, 1))


def _cell_xml(ref: str, value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, Raw):
        return value.xml.replace("{ref}", ref)
    if isinstance(value, Formula):
        f = f"<f>{escape(value.text.removeprefix('='))}</f>"
        if value.cached is None:
            return f'<c r="{ref}">{f}</c>'
        if isinstance(value.cached, str):
            return f'<c r="{ref}" t="str">{f}<v>{_excel_text(value.cached)}</v></c>'
        if isinstance(value.cached, D):
            return f'<c r="{ref}" s="1">{f}<v>{serial(value.cached)}</v></c>'
        return f'<c r="{ref}">{f}<v>{value.cached}</v></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    if isinstance(value, D):
        return f'<c r="{ref}" s="1"><v>{serial(value)}</v></c>'
    text = _excel_text(str(value))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def sheet_xml(spec: SheetSpec) -> bytes:
    parts = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet '
        'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    ]
    if spec.dimension:
        parts.append(f'<dimension ref="{spec.dimension}"/>')
    parts.append("<sheetData>")
    far: dict[int, list[tuple[str, object]]] = {}
    for ref, value in spec.far_cells:
        row_number = int("".join(ch for ch in ref if ch.isdigit()))
        far.setdefault(row_number, []).append((ref, value))
    for r, row in enumerate(spec.rows, start=1):
        cells = "".join(_cell_xml(f"{col_letters(c)}{r}", v) for c, v in enumerate(row, 1))
        cells += "".join(_cell_xml(ref, v) for ref, v in far.pop(r, []))
        if cells:
            parts.append(f'<row r="{r}">{cells}</row>')
    for r in sorted(far):
        parts.append(f'<row r="{r}">{"".join(_cell_xml(ref, v) for ref, v in far[r])}</row>')
    parts.append("</sheetData>")
    if spec.merged:
        parts.append(f'<mergeCells count="{len(spec.merged)}">')
        parts += [f'<mergeCell ref="{m}"/>' for m in spec.merged]
        parts.append("</mergeCells>")
    parts.append("</worksheet>")
    return "".join(parts).encode("utf-8")


STYLES = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>
<fonts count="1"><font><sz val="11"/><name val="Times New Roman"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
</styleSheet>"""  # noqa: E501


def zip_bytes(entries: Iterable[tuple[str, bytes]], *, level: int = 9) -> bytes:
    """A zip archive with fixed dates, deflated, entries in the order given."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=level)
    return buffer.getvalue()


def xlsx_entries(sheets: Sequence[SheetSpec]) -> list[tuple[str, bytes]]:
    sheet_entries = "".join(
        f'<sheet name="{escape(s.name, {chr(34): "&quot;"})}" sheetId="{i}"'
        + ("" if s.state == "visible" else f' state="{s.state}"')
        + f' r:id="rId{i}"/>'
        for i, s in enumerate(sheets, 1)
    )
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f"<sheets>{sheet_entries}</sheets></workbook>"
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    rels += (
        f'<Relationship Id="rId{len(sheets) + 1}" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    )
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.styles+xml"/>'
        f"{overrides}</Types>"
    )
    root_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    entries = [
        ("[Content_Types].xml", content_types.encode()),
        ("_rels/.rels", root_rels.encode()),
        ("xl/workbook.xml", workbook.encode()),
        (
            "xl/_rels/workbook.xml.rels",
            (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
                f'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}'
                "</Relationships>"
            ).encode(),
        ),
        ("xl/styles.xml", STYLES),
    ]
    entries += [(f"xl/worksheets/sheet{i}.xml", sheet_xml(s)) for i, s in enumerate(sheets, 1)]
    return entries


def xlsx(*sheets: SheetSpec) -> bytes:
    return zip_bytes(xlsx_entries(sheets))


def one_sheet(rows: list[list[object]], name: str = "12A1", **kw: object) -> bytes:
    return xlsx(SheetSpec(name, rows, **kw))  # type: ignore[arg-type]


# ------------------------------------------------------------------------------- xls (xlwt)


def xls(rows: list[list[object]], *, sheet: str = "12A1", password_marker: bool = False) -> bytes:
    """A BIFF8 .xls; with password_marker, a FILEPASS record (RC4, as Excel writes for a
    workbook protected by a password to open) right after the BOF, the records left plain."""
    import xlwt

    if password_marker:

        class Locked(xlwt.Workbook):  # type: ignore[misc]
            def _Workbook__intf_hdr_rec(self) -> bytes:
                rc4 = struct.pack("<HHH", 1, 1, 1) + bytes(range(48))
                filepass = struct.pack("<HH", 0x002F, len(rc4)) + rc4
                return filepass + super()._Workbook__intf_hdr_rec()  # type: ignore[no-any-return]

        book = Locked(encoding="utf-8")
    else:
        book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet(sheet)
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, D):
                ws.write(r, c, value, date_style)
            else:
                ws.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# ------------------------------------------------------------------------------- ods by hand

_ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def ods(tables: str) -> bytes:
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {_ODS_NS} '
        f'office:version="1.2"><office:body><office:spreadsheet>{tables}'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest xmlns:manifest="urn:oasis:'
        'names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry '
        'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.'
        'spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
        'manifest:media-type="text/xml"/></manifest:manifest>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("mimetype", date_time=EPOCH)
        archive.writestr(info, "application/vnd.oasis.opendocument.spreadsheet")
        for name, data in (("content.xml", content), ("META-INF/manifest.xml", manifest)):
            info = zipfile.ZipInfo(name, date_time=EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data.encode(), compresslevel=9)
    return buffer.getvalue()


def ods_table(name: str, rows: list[list[object]]) -> str:
    out = [f'<table:table table:name="{escape(name)}">']
    for row in rows:
        out.append("<table:table-row>")
        for value in row:
            if value is None or value == "":
                out.append("<table:table-cell/>")
            elif isinstance(value, (int, float)):
                out.append(
                    f'<table:table-cell office:value-type="float" office:value="{value}">'
                    f"<text:p>{value}</text:p></table:table-cell>"
                )
            else:
                out.append(
                    '<table:table-cell office:value-type="string">'
                    f"<text:p>{escape(str(value))}</text:p></table:table-cell>"
                )
        out.append("</table:table-row>")
    out.append("</table:table>")
    return "".join(out)


# ----------------------------------------------------------- an OLE compound file, by hand


def ole(streams: dict[str, bytes]) -> bytes:
    """A compound file (version 3, 512-byte sectors) holding the given streams in the root
    storage. Streams are padded to 4,096 bytes or more so that none lives in a mini stream."""
    free, end, fat_sect = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    data = b""
    fat: list[int] = []
    entries: list[tuple[str, int, int]] = []
    for name, body in streams.items():
        body = body.ljust(max(4096, len(body)), b"\0")
        first = len(fat)
        count = -(-len(body) // 512)
        fat += [first + i + 1 for i in range(count - 1)] + [end]
        data += body.ljust(count * 512, b"\0")
        entries.append((name, first, len(body)))
    directory_sector = len(fat)
    fat.append(end)
    fat_sector = len(fat)
    fat.append(fat_sect)
    fat += [free] * (128 - len(fat))

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", free, right, child)
            + b"\0" * 16
            + struct.pack("<I", 0)
            + b"\0" * 16
            + struct.pack("<III", start, size, 0)
        )

    # Siblings form a tree ordered by name length, then name: the shorter name is the child.
    ordered = sorted(range(len(entries)), key=lambda i: (len(entries[i][0]), entries[i][0].upper()))
    rights = {ordered[k]: ordered[k + 1] + 1 for k in range(len(ordered) - 1)}
    directory = entry("Root Entry", 5, ordered[0] + 1, free, end, 0)
    for i, (name, start, size) in enumerate(entries):
        directory += entry(name, 2, free, rights.get(i, free), start, size)
    directory = directory.ljust(512, b"\0")
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, directory_sector, 0, 4096, end, 0, end, 0)
        + struct.pack("<I", fat_sector)
        + struct.pack("<I", free) * 108
    )
    assert len(header) == 512
    return header + data + directory + struct.pack("<128I", *fat)


AGILE_INFO = (
    struct.pack("<HHI", 4, 4, 0x40)
    + b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<encryption '
    b'xmlns="http://schemas.microsoft.com/office/2006/encryption" '
    b'xmlns:p="http://schemas.microsoft.com/office/2006/keyEncryptor/password">'
    b'<keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" '
    b'cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" '
    b'saltValue="AAECAwQFBgcICQoLDA0ODw=="/><keyEncryptors><keyEncryptor '
    b'uri="http://schemas.microsoft.com/office/2006/keyEncryptor/password"><p:encryptedKey '
    b'spinCount="100000" saltSize="16" blockSize="16" keyBits="256" hashSize="64" '
    b'cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" '
    b'saltValue="EBESExQVFhcYGRobHB0eHw=="/></keyEncryptor></keyEncryptors></encryption>'
)


def pseudo_random(n: int, seed: bytes) -> bytes:
    """Bytes that look like ciphertext, the same every time."""
    out = b""
    block = seed
    while len(out) < n:
        block = hashlib.sha256(block).digest()
        out += block
    return out[:n]


# --------------------------------------------------------------------------- zip surgery


def cut(data: bytes, keep: float = 0.5) -> bytes:
    return data[: int(len(data) * keep)]


def overlapping_bomb(copies: int, inflated: int) -> bytes:
    """A valid workbook plus `copies` directory entries that all point at one deflated run of
    `inflated` spaces (the overlapping-files zip bomb): the archive declares copies × inflated
    bytes in a few hundred kilobytes."""
    base = xlsx_entries([SheetSpec("12A1", roster(KIDS))])
    filler = b" " * inflated
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in [*base, ("xl/media/dem.bin", filler)]:
            info = zipfile.ZipInfo(name, date_time=EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data, compresslevel=9)
    raw = bytearray(buffer.getvalue())
    # Copy the central directory record of the filler `copies` times under new names.
    eocd = raw.rfind(b"PK\x05\x06")
    cd_size, cd_offset = struct.unpack_from("<II", raw, eocd + 12)
    central = bytes(raw[cd_offset : cd_offset + cd_size])
    record_at = central.rfind(b"PK\x01\x02")
    record = central[record_at:]
    name_len = struct.unpack_from("<H", record, 28)[0]
    extra = record[46 + name_len :]
    extra_records = []
    for i in range(copies):
        name = f"xl/media/dem{i:03d}.bin".encode()
        head = bytearray(record[:46])
        struct.pack_into("<H", head, 28, len(name))
        extra_records.append(bytes(head) + name + extra)
    new_central = central + b"".join(extra_records)
    count = struct.unpack_from("<H", raw, eocd + 10)[0] + copies
    end = bytearray(raw[eocd:])
    struct.pack_into("<HHII", end, 8, count, count, len(new_central), cd_offset)
    return bytes(raw[:cd_offset]) + new_central + bytes(end)


def with_extra_entry(entries: list[tuple[str, bytes]], name: str, data: bytes) -> bytes:
    return zip_bytes([*entries, (name, data)])


def replace_entry(entries: list[tuple[str, bytes]], name: str, data: bytes) -> bytes:
    return zip_bytes(replace_entry_list(entries, name, data))


def replace_entry_list(
    entries: list[tuple[str, bytes]], name: str, data: bytes
) -> list[tuple[str, bytes]]:
    return [(n, data if n == name else d) for n, d in entries]


# ------------------------------------------------------------------------------ the corpus

R = roster(KIDS)


def _formulas(cached: bool) -> bytes:
    """Họ đệm + Tên joined by a formula, as many exports do; STT by ROW()."""
    header = ["STT", "Mã học sinh", "Họ đệm", "Tên", "Họ và tên", "Ngày sinh", "Giới tính",
              "Dân tộc"]  # fmt: skip
    people = [("2900000301", "Lò Văn", "Khánh", D(2007, 3, 14)),
              ("2900000302", "Đinh Thị", "Mai", D(2007, 8, 2))]  # fmt: skip
    rows: list[list[object]] = [list(t) for t in TITLES] + [header]
    for i, (code, family, given, born) in enumerate(people):
        r = len(rows) + 1
        rows.append([
            Formula(f"ROW()-{len(TITLES) + 1}", i + 1 if cached else None),
            code, family, given,
            Formula(f'C{r}&" "&D{r}', f"{family} {given}" if cached else None),
            born, "Nam" if i == 0 else "Nữ", "Thái",
        ])  # fmt: skip
    return one_sheet(rows)


def _hidden() -> bytes:
    visible = roster([Kid("2900000401", "Hà Thị Nguyệt", D(2007, 6, 9), gender="Nữ")])
    old = roster(
        [Kid("2900000402", "Bạc Cầm Lương", D(2006, 1, 20))],
        titles=[["TRƯỜNG THPT SƠN MỘC"], ["DANH SÁCH HỌC SINH LỚP 12A2"], ["NĂM HỌC 2023-2024"],
                ["HỌC KỲ I"], []],
    )  # fmt: skip
    lists = [["Dân tộc"], ["Kinh"], ["Thái"], ["Mường"], ["Mông"]]
    return xlsx(
        SheetSpec("12A1", visible),
        SheetSpec("12A2 (năm trước)", old, state="hidden"),
        SheetSpec("DanhMuc", lists, state="veryHidden"),
    )


def _merged() -> bytes:
    """A class column merged down its rows (the value in the first row only), and a title
    merged across the table over cells that still hold old values."""
    header = ["STT", "Lớp", "Mã học sinh", "Họ và tên", "Ngày sinh"]
    rows: list[list[object]] = [
        ["TRƯỜNG THPT SƠN MỘC", "cũ: 12A9", "cũ: 2900009999"],
        ["DANH SÁCH HỌC SINH NĂM HỌC 2024-2025"],
        [],
        header,
        [1, "12A3", "2900000501", "Sầm Văn Tú", D(2007, 2, 2)],
        [2, "12A9 (ẩn dưới ô gộp)", "2900000502", "Lường Thị Hoa", D(2007, 4, 18)],
        [3, None, "2900000503", "Tòng Văn Quý", D(2007, 12, 30)],
    ]
    return one_sheet(rows, name="Khoi 12", merged=["A1:E1", "B5:B7"])


def _long_cells() -> bytes:
    rows = roster([
        Kid("2900000601", "Quàng Văn " + "Dài" * 3334, D(2007, 1, 1)),
        Kid("2900000602", "Cầm Thị Ngân", D(2007, 5, 5), gender="Nữ"),
    ])  # fmt: skip
    rows[len(TITLES)].append("Ghi chú")
    rows[-1].append("Nhận xét rất dài. " * 556)
    return one_sheet(rows)


def _control_characters() -> bytes:
    return one_sheet(roster([
        Kid("2900000701", "Lò\tVăn\nKhánh", D(2007, 3, 14)),
        Kid("2900000702", "Đinh Thị\x07 Mai\x0b", D(2007, 8, 2), gender="Nữ"),
        Kid("2900000703\x00", "Vàng A\x1f Sử", D(2007, 11, 5)),
    ]))  # fmt: skip


def _emoji_and_marks() -> bytes:
    return one_sheet(roster([
        Kid("2900000801", "\u200fNguyễn Thị\u200e Lan\u200b", D(2007, 3, 8), gender="Nữ"),
        Kid("\u202a2900000802\u202c", "\ufeffHoàng Văn Nam", D(2007, 9, 9)),
        Kid("2900000803", "Trần Thị Hồng 🌸", D(2007, 10, 10), gender="Nữ"),
        Kid("2900000804", "Lê Văn\u2067 Tâm", D(2007, 4, 4)),
    ]))  # fmt: skip


def _dates() -> bytes:
    return one_sheet(roster([
        Kid("2900000901", "Mè Văn Cường", D(1900, 1, 1)),
        Kid("2900000902", "Lừ Thị Ánh", D(2100, 12, 31), gender="Nữ"),
        Kid("2900000903", "Khà Văn Páo", "01/01/1900"),
        Kid("2900000904", "Vi Thị Xuân", 2100, gender="Nữ"),
        Kid("2900000905", "Hoàng Thị Yến", D(2007, 7, 7), gender="Nữ"),
    ]))  # fmt: skip


def _codes() -> bytes:
    return one_sheet(roster([
        Kid(-2900001001, "Lò Thị Dung", D(2007, 1, 2), gender="Nữ"),
        Kid(2900001002.5, "Điêu Văn Hải", D(2007, 2, 3)),
        Kid("-2900001003", "Hà Văn Lợi", D(2007, 3, 4)),
        Kid(2900001004.0, "Vi Văn Sáng", D(2007, 4, 5)),
        Kid(2900001005, "Lường Văn Thắng", D(2007, 5, 6)),
    ]))  # fmt: skip


def _twice() -> bytes:
    return one_sheet(roster([
        Kid("2900001101", "Nông Văn Bình", D(2007, 1, 15)),
        Kid("2900001102", "Lăng Thị Cúc", D(2007, 2, 16), gender="Nữ"),
        Kid("2900001101", "Nông Văn Bính", D(2007, 1, 25)),
        Kid("2900001102", "Lăng Thị Cúc", D(2007, 2, 16), gender="Nữ"),
    ]))  # fmt: skip


def race_roster(klass: str, name: str) -> bytes:
    titles = [["TRƯỜNG THPT SƠN MỘC"], [f"DANH SÁCH HỌC SINH LỚP {klass}"], ["NĂM HỌC 2024-2025"],
              ["HỌC KỲ I"], []]  # fmt: skip
    given = ["An", "Bình", "Chung", "Dũng", "Đạt"]
    others = [
        Kid(f"29000012{klass[-1]}{i}", f"{name} {g}", D(2007, 1, i + 1))
        for i, g in enumerate(given)
    ]
    shared = Kid("2900001200", "Lý Thị Sinh", D(2007, 6, 1), gender="Nữ")
    return one_sheet(roster([shared, *others], titles=titles), name=klass)


def _odd_sheet_names() -> bytes:
    kids_a = [Kid("2900001301", "Sùng A Chá", D(2007, 9, 1))]
    kids_b = [Kid("2900001302", "Giàng Thị Dợ", D(2007, 9, 2), gender="Nữ")]
    return xlsx(
        SheetSpec("12A1 & <HK1> ‘đặc biệt’", roster(kids_a)),
        SheetSpec('\u202e1A21 ☆ "x"', roster(kids_b)),
        SheetSpec("   ", [["Trang không có tên"]]),
    )


def _duplicate_columns() -> bytes:
    header = ["STT", "Mã học sinh", "Họ và tên", "Ngày sinh", "Họ và tên", "Ngày sinh"]
    rows: list[list[object]] = [list(t) for t in TITLES] + [header]
    rows.append([1, "2900001401", "Lò Văn Khánh", D(2007, 3, 14), "Lò Văn Khanh", D(2007, 3, 15)])
    return one_sheet(rows)


def _far_header() -> bytes:
    rows: list[list[object]] = [["TRƯỜNG THPT SƠN MỘC"]] + [[] for _ in range(38)]
    rows += roster(KIDS, titles=[])
    return one_sheet(rows)


def _sixteen_k_columns() -> bytes:
    rows = roster([Kid("2900001601", "Chẻo Thị Mỷ", D(2007, 11, 11), gender="Nữ")])
    return one_sheet(rows, far_cells=[("XFD7", "ô cuối cùng của trang")])


def _invoice() -> bytes:
    rows: list[list[object]] = [
        ["CÔNG TY TNHH VĂN PHÒNG PHẨM HOA BAN"],
        ["HÓA ĐƠN BÁN HÀNG", None, None, "Số: 0000123"],
        [],
        ["STT", "Tên hàng", "Đơn vị", "Số lượng", "Đơn giá", "Thành tiền"],
        [1, "Giấy A4", "ram", 20, 65000, Formula("D5*E5", 1300000)],
        [2, "Bút bi", "hộp", 5, 42000, Formula("D6*E6", 210000)],
        [None, "Cộng", None, None, None, Formula("SUM(F5:F6)", 1510000)],
    ]
    return one_sheet(rows, name="HoaDon")


def _header_only() -> bytes:
    return one_sheet(roster([]))


def _space_at_the_bottom() -> bytes:
    """No roster; one cell holding a space at H1048576 makes calamine's grid 8 × 1,048,576."""
    rows: list[list[object]] = [["BẢNG THEO DÕI (bỏ trống)"]]
    return one_sheet(rows, name="Trang1", far_cells=[("H1048576", " ")])


def million_formatted_rows(rows: int = 1_000_000) -> bytes:
    """A title and a million rows that carry a border style and no value, as Excel writes a
    sheet where someone formatted whole rows down the page (2.4 MB: built by the test, not
    committed)."""
    head = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://'
        'schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:H1000001"/>'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>DANH SÁCH HỌC SINH (chưa nhập)'
        "</t></is></c></row>"
    ).encode()
    body = b"".join(
        b'<row r="%d" spans="1:8" s="1" customFormat="1"/>' % r for r in range(2, rows + 2)
    )
    sheet = head + body + b"</sheetData></worksheet>"
    entries = xlsx_entries([SheetSpec("Sheet1", [])])
    return replace_entry(entries, "xl/worksheets/sheet1.xml", sheet)


def _ratio_bomb() -> bytes:
    """A roster whose sheet XML carries 16 MiB of spaces: 17 KB on disk, 1,000× expansion."""
    sheet = sheet_xml(SheetSpec("12A1", R)).replace(
        b"<sheetData>", b"<sheetData>" + b" " * (16 << 20)
    )
    return replace_entry(xlsx_entries([SheetSpec("12A1", R)]), "xl/worksheets/sheet1.xml", sheet)


def _grid_bomb() -> bytes:
    return one_sheet([["Họ và tên", "Mã học sinh"]], far_cells=[("XFD1048576", "x")])


def _ods_bomb() -> bytes:
    table = (
        '<table:table table:name="Bom"><table:table-row><table:table-cell '
        'office:value-type="string"><text:p>Họ và tên</text:p></table:table-cell>'
        '</table:table-row><table:table-row table:number-rows-repeated="1000000">'
        '<table:table-cell office:value-type="string" table:number-columns-repeated="16384">'
        "<text:p>x</text:p></table:table-cell></table:table-row></table:table>"
    )
    return ods(table)


def _far_cell_in_row_1(cell: str) -> bytes:
    """One far cell inside <row r="1">, its reference spelt as `cell` gives it (the quotes
    included): the row's number says 1, the cell's reference says row 1,048,576."""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://'
        'schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:B1"/><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Họ và tên</t></is></c>'
        f'<c {cell} t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>'
    ).encode()
    return replace_entry(xlsx_entries([SheetSpec("12A1", [])]), "xl/worksheets/sheet1.xml", sheet)


def _many_sheets() -> bytes:
    """40 sheets, each spanning A1:AC1031034 (29.9 million cells, under a limit per sheet)."""
    sheets = [
        SheetSpec(f"Trang {i}", [["Họ và tên"]], far_cells=[("AC1031034", "x")])
        for i in range(1, 41)
    ]
    return xlsx(*sheets)


def _shared_strings_bomb() -> bytes:
    """One shared string of 5 MB used by 4,000 cells: calamine copies it into each, 20 GB."""
    long = "x" * (5 << 20)
    strings = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.'
        'openxmlformats.org/spreadsheetml/2006/main" count="4000" uniqueCount="1">'
        f"<si><t>{long}</t></si></sst>"
    ).encode()
    rows = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{col_letters(c)}{r}" t="s"><v>0</v></c>'
                                   for c in range(1, 41)) + "</row>"
        for r in range(1, 101)
    )  # fmt: skip
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://'
        f'schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData>'
        "</worksheet>"
    ).encode()
    entries = replace_entry_list(
        xlsx_entries([SheetSpec("12A1", [])]), "xl/worksheets/sheet1.xml", sheet
    )
    rels = dict(entries)["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    entries = [(n, rels if n == "xl/_rels/workbook.xml.rels" else d) for n, d in entries]
    return zip_bytes([*entries, ("xl/sharedStrings.xml", strings)])


def _xls_thirty_sheets() -> bytes:
    """30 sheets of a .xls, each with a cell in A1 and one in IV65536 (the last cell)."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    for i in range(1, 31):
        ws = book.add_sheet(f"Trang {i}")
        ws.write(0, 0, "Họ và tên")
        ws.write(65535, 255, "x")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _merged_bomb(count: int = 250_000) -> bytes:
    """A roster whose header row carries 250,000 merged ranges (five ranges, over and over)."""
    spans = ["A6:B6", "B6:C6", "A6:I6", "C6:E6", "F6:I6"]
    return one_sheet(R, merged=[spans[i % len(spans)] for i in range(count)])


def _sparse_area() -> bytes:
    """Two cells, A1 and AD1000000, 2 KB: a rectangle of 30 million cells, all but two empty."""
    return one_sheet([["Họ và tên"]], far_cells=[("AD1000000", "x")])


def _path_traversal() -> bytes:
    return with_extra_entry(xlsx_entries([SheetSpec("12A1", R)]), "../../../tmp/dangvien-pwned.txt",
                            b"should never be written anywhere")  # fmt: skip


def _bad_xml() -> bytes:
    broken = sheet_xml(SheetSpec("12A1", R)).replace(b"</sheetData>", b"<row r='99'><c r=<<</row>")
    return replace_entry(xlsx_entries([SheetSpec("12A1", R)]), "xl/worksheets/sheet1.xml", broken)


def _docx() -> bytes:
    return zip_bytes([
        ("[Content_Types].xml", b'<?xml version="1.0"?><Types xmlns="http://schemas.'
         b'openxmlformats.org/package/2006/content-types"/>'),
        ("word/document.xml", b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.'
         b'openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Danh s\xc3\xa1ch'
         b"</w:t></w:r></w:p></w:body></w:document>"),
    ])  # fmt: skip


def _encrypted_xlsx() -> bytes:
    package = struct.pack("<Q", 5000) + pseudo_random(5008, b"dangvien corpus")
    return ole({"EncryptionInfo": AGILE_INFO, "EncryptedPackage": package})


def _xdoctype() -> bytes:
    bomb = (
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 '
        b'"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )
    sheet = sheet_xml(SheetSpec("12A1", R)).replace(
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n', bomb
    )
    sheet = sheet.replace(b"DANH S", b"&lol2;DANH S", 1)
    return replace_entry(xlsx_entries([SheetSpec("12A1", R)]), "xl/worksheets/sheet1.xml", sheet)


CSV = ("STT,Mã học sinh,Họ và tên,Ngày sinh\r\n1,2900000101,Lò Văn Khánh,14/03/2007\r\n").encode(
    "utf-8-sig"
)
HTML = (
    '<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head><meta charset="utf-8"></head>'
    "<body><table><tr><td>Mã học sinh</td><td>Họ và tên</td></tr><tr><td>2900000101</td>"
    "<td>Lò Văn Khánh</td></tr></table></body></html>"
).encode()


def _dates_as_text(rows: list[list[object]]) -> list[list[object]]:
    return [[v.strftime("%d/%m/%Y") if isinstance(v, D) else v for v in row] for row in rows]


def _baseline() -> bytes:
    """The roster every test imports first, so that "writes nothing" means something."""
    titles = [["TRƯỜNG THPT SƠN MỘC"], ["DANH SÁCH HỌC SINH LỚP 11A1"], ["NĂM HỌC 2024-2025"],
              ["HỌC KỲ I"], []]  # fmt: skip
    kids = [Kid("2900009001", "Lò Thị Bắp", D(2008, 2, 2), gender="Nữ"),
            Kid("2900009002", "Quàng Văn Chiến", D(2008, 3, 3))]  # fmt: skip
    return one_sheet(roster(kids, titles=titles), name="11A1")


FILES: dict[str, Callable[[], bytes]] = {
    "nen-11a1.xlsx": _baseline,
    # the container
    "cat-cut.xlsx": lambda: cut(xlsx(SheetSpec("12A1", R))),
    "cat-cut.xls": lambda: cut(xls(R), 0.4),
    "bom-nen.xlsx": _ratio_bomb,
    "bom-chong-lop.xlsx": lambda: overlapping_bomb(160, 16 << 20),
    "bom-o.xlsx": _grid_bomb,
    "bom-lap.ods": _ods_bomb,
    "bom-xml.xlsx": _xdoctype,
    "bom-o-dong-1.xlsx": lambda: _far_cell_in_row_1('r="XFD1048576"'),
    "bom-o-chu-thuong.xlsx": lambda: _far_cell_in_row_1('r="xfd1048576"'),
    "bom-o-so-0.xlsx": lambda: _far_cell_in_row_1('r="XFD0001048576"'),
    "bom-o-nhay-don.xlsx": lambda: _far_cell_in_row_1("s='0' x='a>b' r='XFD1048576'"),
    "bom-nhieu-trang.xlsx": _many_sheets,
    "bom-chuoi-chung.xlsx": _shared_strings_bomb,
    "bom-30-trang.xls": _xls_thirty_sheets,
    "bom-o-gop.xlsx": _merged_bomb,
    "bom-vung-thua.xlsx": _sparse_area,
    "mat-khau.xlsx": _encrypted_xlsx,
    "mat-khau.xls": lambda: xls(R, password_marker=True),
    "csv-doi-ten.xlsx": lambda: CSV,
    "html-doi-ten.xlsx": lambda: HTML,
    "word-doi-ten.xlsx": _docx,
    "rong-0-byte.xlsx": lambda: b"",
    "duong-dan-leo-ra.xlsx": _path_traversal,
    "xml-hong.xlsx": _bad_xml,
    # what the workbook holds
    "so-rong.xlsx": lambda: one_sheet([], name="Sheet1"),
    "o-trong-cuoi-trang.xlsx": _space_at_the_bottom,
    "hoa-don.xlsx": _invoice,
    "chi-co-tieu-de.xlsx": _header_only,
    "tieu-de-dong-40.xlsx": _far_header,
    "cong-thuc-co-ket-qua.xlsx": lambda: _formulas(cached=True),
    "cong-thuc-chua-tinh.xlsx": lambda: _formulas(cached=False),
    "trang-an.xlsx": _hidden,
    "o-gop.xlsx": _merged,
    "o-10000-ky-tu.xlsx": _long_cells,
    "ky-tu-dieu-khien.xlsx": _control_characters,
    "bieu-tuong-va-dau-huong.xlsx": _emoji_and_marks,
    "ngay-sinh-1900-2100.xlsx": _dates,
    "ma-am-va-le.xlsx": _codes,
    "trung-hoc-sinh.xlsx": _twice,
    "ten-trang-la.xlsx": _odd_sheet_names,
    "cot-trung-ten.xlsx": _duplicate_columns,
    "16384-cot.xlsx": _sixteen_k_columns,
    # disguises that are fine: read by content, not by name
    "xls-doi-ten.xlsx": lambda: xls(R),
    "xlsx-doi-ten.xls": lambda: xlsx(SheetSpec("12A1", R)),
    "xls-duoi-la.ods": lambda: xls(R),
    "danh-sach.ods": lambda: ods(ods_table("12A1", _dates_as_text(R))),
    # two files racing for the same student
    "dua-12a1.xlsx": lambda: race_roster("12A1", "Hà Văn"),
    "dua-12a2.xlsx": lambda: race_roster("12A2", "Sa Văn"),
}  # fmt: skip


def write(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in FILES.items():
        path = out / name
        path.write_bytes(make())
        written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    paths = write(target)
    total = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} tệp, {total / 1024:.0f} KB, trong {target}")
