"""Roster workbooks built inside the tests, one builder per layout schools really send.

Each builder imitates one layout of the sample rosters (CSDL ngành, vnEdu .xls, SMAS TT22, one
sheet per class, .ods with years of birth, a file full of mistakes, a TCVN3 file) with a few
made-up students, writes it into a directory the test owns and returns the path together with
the students it holds, so that a test can compare what `students --json` gives back with what
the file says. Every name, code and date here is invented.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

D = dt.date


@dataclass(frozen=True)
class Kid:
    """One made-up student as a roster lists them, and what the database should keep of them."""

    code: str | None
    name: str  # NFC, with diacritics
    born: dt.date | int  # an int when only the year is known
    gender: str = "Nam"
    ethnicity: str = "Kinh"
    klass: str = "12A1"
    youth: bool | None = None  # None: the roster has no Đoàn viên column
    academic: str | None = None  # as written in the file
    conduct: str | None = None
    religion: str | None = None
    national_id: str | None = None
    youth_joined: dt.date | None = None

    @property
    def birth_iso(self) -> str:
        return str(self.born) if isinstance(self.born, int) else self.born.isoformat()

    @property
    def dmy(self) -> str:
        assert isinstance(self.born, dt.date)
        return self.born.strftime("%d/%m/%Y")


@dataclass
class Roster:
    """A built roster file and the students it holds (in file order)."""

    path: Path
    kids: list[Kid]
    notes: dict[str, Any] = field(default_factory=dict)

    def kid(self, name: str) -> Kid:
        return next(k for k in self.kids if k.name == name)


# ----------------------------------------------------------------------------- xlsx helpers


def _bold() -> Any:
    from openpyxl.styles import Font

    return Font(bold=True)


def put_text(ws: Any, row: int, col: int, value: object) -> None:
    """A cell formatted as Text (@), as careful schools format code and date columns."""
    c = ws.cell(row=row, column=col, value=value)
    c.number_format = "@"


def put_date(ws: Any, row: int, col: int, value: dt.date) -> None:
    c = ws.cell(row=row, column=col, value=value)
    c.number_format = "dd/mm/yyyy"


def put_header(ws: Any, row: int, names: Sequence[str]) -> None:
    for i, name in enumerate(names, start=1):
        ws.cell(row=row, column=i, value=name).font = _bold()


def xlsx_rows(
    path: Path,
    rows: Iterable[Sequence[object]],
    *,
    sheet: str = "Danh sách",
    text_columns: Iterable[int] = (),
) -> Path:
    """A one-sheet workbook from plain rows (None is an empty cell); columns 1-based."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    text = set(text_columns)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is None:
                continue
            if c in text:
                put_text(ws, r, c, value)
            elif isinstance(value, dt.date):
                put_date(ws, r, c, value)
            else:
                ws.cell(row=r, column=c, value=value)
    wb.save(path)
    return path


# Header of a plain roster with grades, as most schools type it by hand.
PLAIN_HEADER = [
    "STT",
    "Mã học sinh",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Dân tộc",
    "Lớp",
    "Học lực",
    "Hạnh kiểm",
    "Đoàn viên",
]


def plain_roster(
    path: Path,
    kids: Sequence[Kid],
    *,
    titles: Sequence[str] = (
        "TRƯỜNG THPT BÌNH LƯ",
        "DANH SÁCH HỌC SINH - HỌC KỲ I - NĂM HỌC 2024-2025",
    ),
    header: Sequence[str] = PLAIN_HEADER,
    extra: dict[str, Sequence[object]] | None = None,
) -> Roster:
    """A simple one-sheet roster: title rows, a blank row, the header, one row per kid.

    Only the columns named in ``header`` (from PLAIN_HEADER) are written; ``extra`` adds more
    columns (header → one value per kid).
    """
    getters = {
        "STT": lambda i, k: i,
        "Mã học sinh": lambda i, k: k.code,
        "Họ và tên": lambda i, k: k.name,
        "Ngày sinh": lambda i, k: k.born if isinstance(k.born, int) else k.dmy,
        "Giới tính": lambda i, k: k.gender,
        "Dân tộc": lambda i, k: k.ethnicity,
        "Lớp": lambda i, k: k.klass,
        "Học lực": lambda i, k: k.academic,
        "Hạnh kiểm": lambda i, k: k.conduct,
        "Đoàn viên": lambda i, k: "x" if k.youth else None,
        "Tôn giáo": lambda i, k: k.religion,
    }
    heads = list(header) + list((extra or {}).keys())
    rows: list[list[object]] = [[t] for t in titles]
    rows.append([])
    rows.append(heads)
    for i, kid in enumerate(kids, start=1):
        row = [getters[h](i, kid) for h in header]
        row += [values[i - 1] for values in (extra or {}).values()]
        rows.append(row)
    text_cols = [heads.index(h) + 1 for h in ("Mã học sinh", "Ngày sinh") if h in heads]
    xlsx_rows(path, rows, text_columns=text_cols)
    return Roster(path, list(kids), {"header_row": len(titles) + 2})


# ----------------------------------------------------------------------------- 1. CSDL ngành

CSDL_KIDS = [
    Kid("2503656229", "Nguyễn Văn Khang", D(2007, 3, 5), "Nam", "Kinh", "12A1",
        religion="Không", national_id="012207004512"),
    Kid("2503656230", "Lò Thị Thơ", D(2007, 11, 23), "Nữ", "Thái", "12A1",
        religion="Không", national_id="012307001234"),
    Kid("0103656231", "Giàng A Sình", D(2007, 1, 30), "Nam", "Mông", "12A1",
        religion="Tin lành", national_id="012207009876"),
    Kid("2503656232", "Tẩn Thị Duyên", D(2007, 12, 1), "Nữ", "Dao", "12A1",
        religion="Không", national_id="012307005555"),
]  # fmt: skip


def csdl_nganh(directory: Path) -> Roster:
    """Ministry-database export: titles, a blank row, the header on row 4; codes, ID numbers
    and dates as text; no school name, no school year, no grades."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws["A1"] = "SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH LAI CHÂU"
    ws["A2"] = "DANH SÁCH HỌC SINH LỚP 12A1"
    ws.merge_cells("A2:J2")
    put_header(
        ws,
        4,
        ["STT", "Mã định danh Bộ GD&ĐT", "Họ tên", "Ngày sinh", "Giới tính", "Dân tộc",
         "Tôn giáo", "Lớp học", "Khối học", "Số định danh cá nhân"],
    )  # fmt: skip
    for i, k in enumerate(CSDL_KIDS, start=1):
        r = 4 + i
        ws.cell(row=r, column=1, value=i)
        put_text(ws, r, 2, k.code)
        ws.cell(row=r, column=3, value=k.name)
        put_text(ws, r, 4, k.dmy)
        ws.cell(row=r, column=5, value=k.gender)
        ws.cell(row=r, column=6, value=k.ethnicity)
        ws.cell(row=r, column=7, value=k.religion)
        ws.cell(row=r, column=8, value=k.klass)
        ws.cell(row=r, column=9, value="Khối 12")
        put_text(ws, r, 10, k.national_id)
    path = directory / "csdl-nganh-12A1.xlsx"
    wb.save(path)
    return Roster(path, list(CSDL_KIDS))


# ----------------------------------------------------------------------------- 2. vnEdu .xls

VNEDU_BLOCKS = {
    # class: kids; the three blocks write dates as text dd/mm/yyyy, real dates, d/m/yyyy.
    "12A1": [
        Kid("1200145576", "Lù Xuân Chiến", D(2007, 3, 16),
            "Nam", "Giáy", "12A1", True, "Khá", "Tốt"),
        Kid("1232628966", "Lò Công Hưng", D(2007, 8, 14),
            "Nam", "Thái", "12A1", False, "TB", "Khá"),
        Kid("1211110001", "Đỗ Thu Ngà", D(2007, 10, 2), "Nữ", "Kinh", "12A1", True, "Giỏi", "Tốt"),
    ],
    "12A2": [
        Kid("1222220001", "Vàng Thị Mỷ", D(2007, 5, 9), "Nữ", "Mông", "12A2", True, "Yếu", "TB"),
        Kid("1222220002", "Hồ Minh Lộc", D(2007, 12, 31),
            "Nam", "Kinh", "12A2", False, "Khá", "Khá"),
    ],
    "12A3": [
        Kid("1233330001", "Triệu Thị Quế", D(2007, 1, 7), "Nữ", "Dao", "12A3", True, "Giỏi", "Tốt"),
        Kid("1233330002", "Cầm Văn Sang", D(2007, 6, 20), "Nam", "Thái", "12A3", True, "TB", "Tốt"),
    ],
}  # fmt: skip


def vnedu_xls(directory: Path) -> Roster:
    """Legacy .xls: three class blocks on one sheet, each with titles and a two-row header whose
    merged "Học kỳ I" spans "Học lực" / "Hạnh kiểm"; codes as numbers; "x" for Đoàn viên."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("DanhSach")
    datef = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    codef = xlwt.easyxf(num_format_str="0")
    r = 0
    kids: list[Kid] = []
    for block, (klass, studs) in enumerate(VNEDU_BLOCKS.items()):
        kids += studs
        ws.write(r, 0, "SỞ GD&ĐT LAI CHÂU")
        ws.write(r + 1, 0, "TRƯỜNG THPT PHONG THỔ")
        ws.write_merge(r + 2, r + 2, 0, 8, f"DANH SÁCH HỌC SINH LỚP {klass} - NĂM HỌC 2024-2025")
        h = r + 4
        for c, name in enumerate(
            ["STT", "Mã học sinh", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc"]
        ):
            ws.write_merge(h, h + 1, c, c, name)
        ws.write_merge(h, h, 6, 7, "Học kỳ I")
        ws.write(h + 1, 6, "Học lực")
        ws.write(h + 1, 7, "Hạnh kiểm")
        ws.write_merge(h, h + 1, 8, 8, "Đoàn viên")
        for i, k in enumerate(studs, start=1):
            rr = h + 1 + i
            assert isinstance(k.born, dt.date) and k.code
            ws.write(rr, 0, i)
            ws.write(rr, 1, float(k.code), codef)  # the code as a number, as vnEdu exports it
            ws.write(rr, 2, k.name)
            if block == 0:
                ws.write(rr, 3, k.dmy)
            elif block == 1:
                ws.write(rr, 3, k.born, datef)
            else:
                ws.write(rr, 3, f"{k.born.day}/{k.born.month}/{k.born.year}")
            ws.write(rr, 4, k.gender)
            ws.write(rr, 5, k.ethnicity)
            ws.write(rr, 6, k.academic)
            ws.write(rr, 7, k.conduct)
            ws.write(rr, 8, "x" if k.youth else "")
        r = h + 2 + len(studs) + 2
    path = directory / "vnedu-khoi12-hk1.xls"
    wb.save(str(path))
    return Roster(path, kids)


# ----------------------------------------------------------------------------- 3. SMAS TT22

SMAS_KIDS = [
    Kid("1244440001", "Nguyễn Thị Hồng", D(2007, 2, 14), "Nữ", "Kinh", "12A2", True, "T", "Tốt",
        youth_joined=D(2022, 3, 26)),
    Kid("1244440002", "Phạm Quang Hưng", D(2007, 4, 1), "Nam", "Kinh", "12A2", False, "Kha", "K"),
    Kid("1244440003", "Lường Thị Điệp", D(2007, 7, 7), "Nữ", "Thái", "12A2", True, "Đ", "Dat",
        youth_joined=D(2023, 9, 9)),
    Kid("1244440004", "Sùng A Dế", D(2007, 9, 30), "Nam", "Mông", "12A2", True, "CĐ", "Đạt",
        youth_joined=D(2022, 3, 26)),
    Kid("1244440005", "Quàng Văn Tường", D(2007, 11, 11), "Nam", "Thái", "12A2", False, "Tot", "T"),
    Kid("1244440006", "Trịnh Ngọc Ánh", D(2007, 12, 24), "Nữ", "Kinh", "12A2", True, "Khá", "Kha",
        youth_joined=D(2023, 11, 19)),
]  # fmt: skip


def smas_tt22(directory: Path) -> Roster:
    """SMAS TT22 roster: titles with school, class, year and term; TT22 results written as
    T/K/Đ/CĐ, in full or without diacritics; names in NFD; "Có"/blank Đoàn viên; join dates as
    real dates; a signature block under the table."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "12A2"
    titles = ["TRƯỜNG THPT SÌN HỒ", "DANH SÁCH HỌC SINH LỚP 12A2", "NĂM HỌC 2024-2025", "HỌC KỲ I"]
    for i, t in enumerate(titles, start=1):
        ws.cell(row=i, column=1, value=t).font = _bold()
    put_header(
        ws,
        6,
        ["STT", "Mã học sinh", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc",
         "Kết quả học tập", "Kết quả rèn luyện", "Là đoàn viên", "Ngày vào Đoàn"],
    )  # fmt: skip
    for i, k in enumerate(SMAS_KIDS, start=1):
        r = 6 + i
        ws.cell(row=r, column=1, value=i)
        put_text(ws, r, 2, k.code)
        ws.cell(row=r, column=3, value=unicodedata.normalize("NFD", k.name))
        put_text(ws, r, 4, k.dmy)
        ws.cell(row=r, column=5, value=k.gender)
        ws.cell(row=r, column=6, value=k.ethnicity)
        ws.cell(row=r, column=7, value=k.academic)
        ws.cell(row=r, column=8, value=k.conduct)
        ws.cell(row=r, column=9, value="Có" if k.youth else None)
        if k.youth_joined:
            put_date(ws, r, 10, k.youth_joined)
    last = 6 + len(SMAS_KIDS)
    ws.cell(row=last + 2, column=8, value="Sìn Hồ, ngày 17 tháng 01 năm 2025")
    ws.cell(row=last + 3, column=3, value="NGƯỜI LẬP BIỂU").font = _bold()
    ws.cell(row=last + 3, column=8, value="HIỆU TRƯỞNG").font = _bold()
    ws.cell(row=last + 4, column=8, value="(Đã ký)")
    ws.cell(row=last + 7, column=3, value="Lò Văn Hiệu")  # the signer's name, not a student
    ws.cell(row=last + 7, column=8, value="Nguyễn Thị Trưởng")
    path = directory / "smas-12A2-tt22.xlsx"
    wb.save(path)
    return Roster(path, list(SMAS_KIDS))


# -------------------------------------------------------------------------- 4. one sheet per class

MULTI_KIDS = {
    "12A1": [
        Kid("1251510001", "Bùi Đức Khiêm", D(2007, 1, 19),
            "Nam", "Kinh", "12A1", True, "Giỏi", "Tốt"),
        Kid("1251510002", "Lò Thị Xoan", D(2007, 6, 2),
            "Nữ", "Thái", "12A1", False, "Trung bình", "Khá"),
    ],
    "12A2": [
        Kid("1252520001", "Mùa A Pó", D(2007, 8, 8), "Nam", "Mông", "12A2", True, "Khá", "Tốt"),
        Kid("1252520002", "Hoàng Thị Lụa", D(2007, 10, 15),
            "Nữ", "Giáy", "12A2", True, "Yếu", "Trung bình"),
    ],
    "12A3": [
        Kid("1253530001", "Chảo Văn Định", D(2007, 2, 28),
            "Nam", "Dao", "12A3", False, "Khá", "Tốt"),
        Kid("1253530002", "Ngô Thị Thúy", D(2007, 4, 4), "Nữ", "Kinh", "12A3", True, "Giỏi", "Tốt"),
    ],
}  # fmt: skip


def multi_sheet(directory: Path) -> Roster:
    """One sheet per class named 12A1…; school and school year in one title row, the term in
    another; real dates; full TT58 words; Đoàn viên as the number 1 or blank; no class column."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    kids: list[Kid] = []
    for klass, studs in MULTI_KIDS.items():
        kids += studs
        ws = wb.create_sheet(klass)
        ws["A1"] = "TRƯỜNG THPT MƯỜNG KIM - NĂM HỌC 2024-2025"
        ws["A2"] = "KẾT QUẢ HỌC KỲ I"
        put_header(
            ws,
            4,
            ["STT", "Mã học sinh", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc",
             "Học lực", "Hạnh kiểm", "Đoàn viên"],
        )  # fmt: skip
        for i, k in enumerate(studs, start=1):
            r = 4 + i
            assert isinstance(k.born, dt.date)
            ws.cell(row=r, column=1, value=i)
            put_text(ws, r, 2, k.code)
            ws.cell(row=r, column=3, value=k.name)
            put_date(ws, r, 4, k.born)
            ws.cell(row=r, column=5, value=k.gender)
            ws.cell(row=r, column=6, value=k.ethnicity)
            ws.cell(row=r, column=7, value=k.academic)
            ws.cell(row=r, column=8, value=k.conduct)
            ws.cell(row=r, column=9, value=1 if k.youth else None)
    path = directory / "truong-nhieu-lop.xlsx"
    wb.save(path)
    return Roster(path, kids)


# ------------------------------------------------------------------------- 5. .ods, years of birth

ODS_KIDS = [
    Kid("1161610001", "Lê Thị Cúc", D(2008, 3, 3), "Nữ", "Kinh", "11A3", True),
    Kid("1161610002", "Vì Văn Lực", 2008, "Nam", "Thái", "11A3", False),  # year as a number
    Kid("1161610003", "Thào A Chư", D(2008, 9, 18), "Nam", "Mông", "11A3", True),
    Kid("1161610004", "Phàn Thị Na", 2008, "Nữ", "Dao", "11A3", True),  # year as text
]


def ods_years(directory: Path) -> Roster:
    """OpenDocument roster of one grade-11 class: title rows, most births as date cells, some
    only the year (as a number, as text); an extra "Ghi chú" column."""
    from odf.number import DateStyle, Day, Month, Year
    from odf.number import Text as NText
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    ds = DateStyle(name="dmy")
    for part in (Day(style="long"), NText(text="/"), Month(style="long"), NText(text="/"),
                 Year(style="long")):  # fmt: skip
        ds.addElement(part)
    doc.automaticstyles.addElement(ds)
    datecell = Style(name="cdate", family="table-cell", datastylename="dmy")
    doc.automaticstyles.addElement(datecell)

    def s_cell(text: str) -> Any:
        c = TableCell(valuetype="string")
        c.addElement(P(text=text))
        return c

    def f_cell(num: float) -> Any:
        c = TableCell(valuetype="float", value=num)
        c.addElement(P(text=str(num)))
        return c

    def d_cell(d: dt.date) -> Any:
        c = TableCell(valuetype="date", datevalue=d.isoformat(), stylename=datecell)
        c.addElement(P(text=d.strftime("%d/%m/%Y")))
        return c

    table = Table(name="11A3")
    for _ in range(8):
        table.addElement(TableColumn())

    def row(cells: list[Any]) -> None:
        tr = TableRow()
        for c in cells or [TableCell()]:
            tr.addElement(c)
        table.addElement(tr)

    row([s_cell("TRƯỜNG THPT TÂN UYÊN")])
    row([s_cell("DANH SÁCH HỌC SINH LỚP 11A3")])
    row([s_cell("NĂM HỌC 2024-2025")])
    row([])
    row([s_cell(h) for h in ["STT", "Mã học sinh", "Họ và tên", "Ngày sinh", "Giới tính",
                             "Dân tộc", "Đoàn viên", "Ghi chú"]])  # fmt: skip
    for i, k in enumerate(ODS_KIDS, start=1):
        note = TableCell()
        if isinstance(k.born, dt.date):
            born = d_cell(k.born)
        elif i == 2:
            born = f_cell(k.born)
            note = s_cell("Chỉ có năm sinh")
        else:
            born = s_cell(str(k.born))
            note = s_cell("Chỉ có năm sinh")
        assert k.code
        row([f_cell(i), s_cell(k.code), s_cell(k.name), born, s_cell(k.gender),
             s_cell(k.ethnicity), s_cell("x") if k.youth else TableCell(), note])  # fmt: skip
    doc.spreadsheet.addElement(table)
    path = directory / "nam-sinh.ods"
    doc.save(str(path))
    return Roster(path, list(ODS_KIDS))


# ----------------------------------------------------------------------------- 6. the error file

ERROR_GOOD = [
    Kid("1270000001", "Đặng Văn Hậu", D(2007, 4, 12), "Nam", "Kinh", "12A4", True, "Khá", "Tốt"),
    Kid("1270000002", "Lò Thị Hoài", D(2007, 5, 6),
        "Nữ", "Thái", "12A4", False, "Trung bình", "Khá"),
    Kid("1270000004", "Cao Minh Tín", D(2007, 7, 1), "Nam", "Kinh", "12A4", True, "Giỏi", "Tốt"),
    Kid("1270000009", "Giàng Thị Pà", D(2007, 8, 30), "Nữ", "Mông", "12A4", True, "Khá", "Khá"),
    Kid("1270000011", "Chu Văn Nhân", D(2007, 10, 10), "Nam", "Kinh", "12A4", False, "Khá", "Tốt"),
]  # fmt: skip

# Excel row → (column letter, column header, value as shown, a word the reason must contain)
ERROR_ROWS = {
    7: ("D", "Ngày sinh", "31/02/2007", "31"),
    10: ("D", "Ngày sinh", "02/13/2007", "13"),
    11: ("D", "Ngày sinh", "13/25/2007", "25"),
    12: ("C", "Họ và tên", "", "họ và tên"),
    13: ("G", "Học lực", "Xuất sắc", "Xuất sắc"),
    15: ("B", "Mã học sinh", "1270000001", "1270000001"),
}


def error_file(directory: Path) -> Roster:
    """A roster with the usual mistakes. Header on row 4, data from row 5:

    5 ok · 6 ok · 7 31/02/2007 · 8 ok · 9 blank row · 10 02/13/2007 (month first) ·
    11 13/25/2007 · 12 empty name · 13 "Xuất sắc" as Học lực · 14 ok ·
    15 the code of row 5 with another name · 16 ok · 17 "Tổng số: 45" footer.
    """
    good = iter(ERROR_GOOD)
    header = ["STT", "Mã học sinh", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc",
              "Học lực", "Hạnh kiểm", "Đoàn viên"]  # fmt: skip

    def ok(k: Kid) -> list[object]:
        return [k.code, k.name, k.dmy, k.gender, k.ethnicity, k.academic, k.conduct,
                "x" if k.youth else None]  # fmt: skip

    body: dict[int, list[object] | None] = {
        5: ok(next(good)),
        6: ok(next(good)),
        7: ["1270000003", "Tô Thị Gấm", "31/02/2007", "Nữ", "Kinh", "Khá", "Tốt", "x"],
        8: ok(next(good)),
        9: None,
        10: ["1270000005", "Lại Văn Kiệt", "02/13/2007", "Nam", "Kinh", "Khá", "Tốt", None],
        11: ["1270000006", "Mai Thị Kiều", "13/25/2007", "Nữ", "Kinh", "Giỏi", "Tốt", "x"],
        12: ["1270000007", None, "03/03/2007", "Nữ", "Kinh", "Khá", "Tốt", "x"],
        13: ["1270000008", "Phùng Văn Quyết", "21/06/2007", "Nam", "Kinh", "Xuất sắc", "Tốt", "x"],
        14: ok(next(good)),
        15: ["1270000001", "Khuất Thị Bích", "09/09/2007", "Nữ", "Kinh", "Khá", "Tốt", "x"],
        16: ok(next(good)),
    }
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "12A4"
    ws["A1"] = "TRƯỜNG THPT THAN UYÊN"
    ws["A2"] = "DANH SÁCH HỌC SINH LỚP 12A4 - HỌC KỲ I - NĂM HỌC 2024-2025"
    put_header(ws, 4, header)
    n = 0
    for r, vals in body.items():
        if vals is None:
            continue
        n += 1
        ws.cell(row=r, column=1, value=n)
        put_text(ws, r, 2, vals[0])
        for j, v in enumerate(vals[1:], start=3):
            if j == 4:
                put_text(ws, r, j, v)
            elif v is not None:
                ws.cell(row=r, column=j, value=v)
    ws.cell(row=17, column=1, value="Tổng số: 45")
    path = directory / "co-loi.xlsx"
    wb.save(path)
    return Roster(path, list(ERROR_GOOD), {"rows_read": 11})


# ----------------------------------------------------------------------------- 7. TCVN3

# TCVN3 (ABC) codes of the letters used below; a file opened without the .VnTime font shows
# each byte as its Windows-1252 character. Capitals with a tone mark have no code: the
# .VnTimeH font draws the lower-case code as a capital.
TCVN3 = {
    "Ă": 0xA1, "Â": 0xA2, "Ư": 0xA6, "Đ": 0xA7,
    "ă": 0xA8, "â": 0xA9, "ê": 0xAA, "ơ": 0xAC, "ư": 0xAD,
    "à": 0xB5, "á": 0xB8, "ạ": 0xB9, "ã": 0xB7, "ặ": 0xC6, "ầ": 0xC7,
    "è": 0xCC, "ể": 0xD3, "ễ": 0xD4,
    "ì": 0xD7, "í": 0xDD, "ị": 0xDE,
    "ò": 0xDF, "ỏ": 0xE1, "ọ": 0xE4, "ổ": 0xE6, "ố": 0xE8, "ộ": 0xE9,
    "ờ": 0xEA, "ở": 0xEB, "ớ": 0xED,
    "ụ": 0xF4, "ữ": 0xF7, "ự": 0xF9, "ỳ": 0xFA,
}  # fmt: skip


def to_tcvn3(text: str) -> str:
    """Unicode → what a TCVN3 file shows without its font ("Hà Nội" → "Hµ Néi")."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in TCVN3:
            out.append(chr(TCVN3[ch]))
        elif ch.isascii():
            out.append(ch)
        else:
            out.append(chr(TCVN3[ch.lower()]))  # a toned capital: KeyError if not in the table
    return "".join(out)


TCVN3_KIDS = [
    Kid("1280000001", "Nguyễn Văn Khang", D(2007, 2, 3),
        "Nam", "Kinh", "12A5", None, "Giỏi", "Tốt"),
    Kid("1280000002", "Lê Thị Thơ", D(2007, 5, 17), "Nữ", "Kinh", "12A5", None, "Khá", "Tốt"),
    Kid("1280000003", "Trần Minh Hưng", D(2007, 8, 21),
        "Nam", "Kinh", "12A5", None, "Trung bình", "Khá"),
    Kid("1280000004", "Đặng Thu Liên", D(2007, 11, 9), "Nữ", "Kinh", "12A5", None, "Khá", "Khá"),
    Kid("1280000005", "Lò Thị Nhàn", D(2007, 12, 25), "Nữ", "Thái", "12A5", None, "Giỏi", "Tốt"),
]  # fmt: skip


def tcvn3_file(directory: Path) -> Roster:
    """An old roster typed in TCVN3: titles (in capitals), headers, names, grades, places."""
    from openpyxl import Workbook

    assert to_tcvn3("Hà Nội") == "Hµ Néi" and to_tcvn3("Nguyễn") == "NguyÔn"
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    titles = ["SỞ GIÁO DỤC VÀ ĐÀO TẠO LAI CHÂU", "TRƯỜNG THPT MƯỜNG TÈ",
              "DANH SÁCH HỌC SINH LỚP 12A5", "NĂM HỌC 2024-2025", "HỌC KỲ I"]  # fmt: skip
    for i, t in enumerate(titles, start=1):
        ws.cell(row=i, column=1, value=to_tcvn3(t))
    header = ["STT", "Mã học sinh", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc",
              "Học lực", "Hạnh kiểm", "Nơi sinh"]  # fmt: skip
    for j, h in enumerate(header, start=1):
        ws.cell(row=7, column=j, value=to_tcvn3(h))
    places = [
        "Tam Đường, Lai Châu",
        "Hà Nội",
        "Phong Thổ, Lai Châu",
        "Hà Nội",
        "Mường Tè, Lai Châu",
    ]
    for i, (k, place) in enumerate(zip(TCVN3_KIDS, places, strict=True), start=1):
        r = 7 + i
        ws.cell(row=r, column=1, value=i)
        put_text(ws, r, 2, k.code)
        ws.cell(row=r, column=3, value=to_tcvn3(k.name))
        put_text(ws, r, 4, k.dmy)
        ws.cell(row=r, column=5, value=to_tcvn3(k.gender))
        ws.cell(row=r, column=6, value=to_tcvn3(k.ethnicity))
        ws.cell(row=r, column=7, value=to_tcvn3(k.academic or ""))
        ws.cell(row=r, column=8, value=to_tcvn3(k.conduct or ""))
        ws.cell(row=r, column=9, value=to_tcvn3(place))
    path = directory / "tcvn3.xlsx"
    wb.save(path)
    return Roster(path, list(TCVN3_KIDS), {"places": places})


# ----------------------------------------------------------------------------- 8. VNI

# VNI-Windows text as it shows without the VNI-Times font (a letter, then its marks), typed by
# hand from the VNI rules: ư ơ = ö ô, ă = aê, â ê ô = aâ eâ oâ, tones ù ø û õ ï, ị = ò.
VNI = {
    "TRƯỜNG THPT BÌNH LƯ": "TRÖÔØNG THPT BÌNH LÖ",
    "DANH SÁCH HỌC SINH LỚP 12A6": "DANH SAÙCH HOÏC SINH LÔÙP 12A6",
    "NĂM HỌC 2024-2025": "NAÊM HOÏC 2024-2025",
    "HỌC KỲ I": "HOÏC KYØ I",
    "Mã học sinh": "Maõ hoïc sinh",
    "Họ và tên": "Hoï vaø teân",
    "Ngày sinh": "Ngaøy sinh",
    "Giới tính": "Giôùi tính",
    "Dân tộc": "Daân toäc",
    "Học lực": "Hoïc löïc",
    "Hạnh kiểm": "Haïnh kieåm",
    "Nguyễn Văn Khang": "Nguyeãn Vaên Khang",
    "Lê Thị Thơ": "Leâ Thò Thô",
    "Trần Minh Hưng": "Traàn Minh Höng",
    "Nữ": "Nöõ",
    "Giỏi": "Gioûi",
    "Khá": "Khaù",
    "Tốt": "Toát",
    "Thái": "Thaùi",
}

VNI_KIDS = [
    Kid("1290000001", "Nguyễn Văn Khang", D(2007, 2, 3),
        "Nam", "Kinh", "12A6", None, "Giỏi", "Tốt"),
    Kid("1290000002", "Lê Thị Thơ", D(2007, 5, 17), "Nữ", "Thái", "12A6", None, "Khá", "Tốt"),
    Kid("1290000003", "Trần Minh Hưng", D(2007, 8, 21), "Nam", "Kinh", "12A6", None, "Khá", "Khá"),
]  # fmt: skip


def vni_file(directory: Path) -> Roster:
    """An old roster typed with VNI fonts: titles, headers, names and grades in VNI."""

    def v(text: str) -> str:
        return VNI.get(text, text)

    rows: list[list[object]] = [
        [v("TRƯỜNG THPT BÌNH LƯ")],
        [v("DANH SÁCH HỌC SINH LỚP 12A6")],
        [v("NĂM HỌC 2024-2025")],
        [v("HỌC KỲ I")],
        [],
        [v(h) for h in ("STT", "Mã học sinh", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc",
                        "Học lực", "Hạnh kiểm")],
    ]  # fmt: skip
    for i, k in enumerate(VNI_KIDS, start=1):
        rows.append([i, k.code, v(k.name), k.dmy, v(k.gender), v(k.ethnicity), v(k.academic or ""),
                     v(k.conduct or "")])  # fmt: skip
    path = xlsx_rows(directory / "vni.xlsx", rows, sheet="Sheet1", text_columns=[2, 4])
    return Roster(path, list(VNI_KIDS))


# ----------------------------------------------------------------------------- big rosters


def big_roster(path: Path, n: int, *, klass: str = "12A1") -> Path:
    """A plain roster of ``n`` made-up students with codes 99000000…, written fast."""
    family = ["Nguyễn", "Trần", "Lê", "Lò", "Giàng", "Tẩn", "Hoàng", "Vàng"]
    middle = ["Văn", "Thị", "Minh", "Thu", "Đức", "Ngọc"]
    given = ["Khang", "Thơ", "Hưng", "Liên", "Lộc", "Nhàn", "Sang", "Thúy", "Định", "Quế"]

    def rows() -> Iterable[Sequence[object]]:
        yield ["TRƯỜNG THPT BÌNH LƯ"]
        yield ["DANH SÁCH HỌC SINH - HỌC KỲ I - NĂM HỌC 2024-2025"]
        yield []
        yield PLAIN_HEADER
        for i in range(n):
            name = f"{family[i % 8]} {middle[(i // 8) % 6]} {given[(i // 48) % 10]}"
            born = D(2007, 1, 1) + dt.timedelta(days=i % 365)
            yield [i + 1, f"99{i:08d}", name, born.strftime("%d/%m/%Y"), "Nam" if i % 2 else "Nữ",
                   "Kinh", klass, "Khá", "Tốt", "x" if i % 3 else None]  # fmt: skip

    return fast_xlsx(path, rows())


def fast_xlsx(path: Path, rows: Iterable[Sequence[object]], *, sheet: str = "Danh sách") -> Path:
    """A minimal .xlsx written straight as XML (inline strings and numbers): for rosters of tens
    of thousands of rows, where openpyxl would take seconds to write them."""
    import zipfile
    from xml.sax.saxutils import escape, quoteattr

    def col(i: int) -> str:
        letters = ""
        i += 1
        while i:
            i, rem = divmod(i - 1, 26)
            letters = chr(65 + rem) + letters
        return letters

    parts = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             "<sheetData>"]  # fmt: skip
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row):
            if value is None:
                continue
            ref = f"{col(c)}{r}"
            if isinstance(value, (int, float)):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>')
        parts.append(f'<row r="{r}">{"".join(cells)}</row>')
    parts.append("</sheetData></worksheet>")
    ns = "http://schemas.openxmlformats.org"
    office = f"{ns}/officeDocument/2006/relationships"
    ct = "application/vnd.openxmlformats"
    head = '<?xml version="1.0" encoding="UTF-8"?>'

    def rels(kind: str, target: str) -> str:
        return (
            f'{head}<Relationships xmlns="{ns}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{office}/{kind}" Target="{target}"/></Relationships>'
        )

    files = {
        "[Content_Types].xml": (
            f'{head}<Types xmlns="{ns}/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="{ct}-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            f'ContentType="{ct}-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            f'ContentType="{ct}-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": rels("officeDocument", "xl/workbook.xml"),
        "xl/workbook.xml": (
            f'{head}<workbook xmlns="{ns}/spreadsheetml/2006/main" xmlns:r="{office}">'
            f'<sheets><sheet name={quoteattr(sheet)} sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": rels("worksheet", "worksheets/sheet1.xml"),
        "xl/worksheets/sheet1.xml": "".join(parts),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return path


# ----------------------------------------------------------------------------- progress sheets

# Header of a milestone (progress) sheet, keyed by student code, as a chi bộ secretary keeps it.
PROGRESS_HEADER = [
    "STT",
    "Mã học sinh",
    "Họ và tên",
    "Ngày học lớp bồi dưỡng",
    "Số giấy chứng nhận",
    "Đảng viên giúp đỡ",
    "Ngày phân công",
    "Ngày chi bộ đề nghị",
    "Số quyết định kết nạp",
    "Ngày quyết định kết nạp",
    "Ngày kết nạp",
]


def progress_rows(
    body: Sequence[Sequence[object]],
    *,
    title: str = "THEO DÕI TIẾN ĐỘ KẾT NẠP ĐẢNG - CHI BỘ TRƯỜNG THPT BÌNH LƯ",
) -> list[list[object]]:
    """A progress sheet's rows: a title, a blank row, PROGRESS_HEADER, then ``body`` (each row
    from "Mã học sinh" on; STT is added; a short row stops early)."""
    rows: list[list[object]] = [[title], [], list(PROGRESS_HEADER)]
    rows += [[i, *values] for i, values in enumerate(body, start=1)]
    return rows


def xlsx_sheets(path: Path, sheets: dict[str, Sequence[Sequence[object]]]) -> Path:
    """A workbook with several sheets of plain rows; column B (the student code) as text,
    dates as real dates."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                if c == 2:
                    put_text(ws, r, c, value)
                elif isinstance(value, dt.date):
                    put_date(ws, r, c, value)
                else:
                    ws.cell(row=r, column=c, value=value)
    wb.save(path)
    return path


def run_on(db: Path, *commands: Sequence[object]) -> Path:
    """Run CLI commands on the database file ``db``, each of which must succeed: a starting
    database built once per module and copied into each test with ``copy_db``."""
    from typer.testing import CliRunner

    from dangvien_cli.cli import app

    runner = CliRunner()
    for command in commands:
        args = ["--db", str(db), *(str(a) for a in command)]
        result = runner.invoke(app, args, catch_exceptions=False)
        assert result.exit_code == 0, result.output
    return db


def copy_db(source: Path, target: Path) -> Path:
    """A copy of a closed SQLite database file (with its WAL files, if any are left)."""
    import shutil

    for suffix in ("", "-wal", "-shm"):
        extra = source.with_name(source.name + suffix)
        if extra.exists():
            shutil.copyfile(extra, target.with_name(target.name + suffix))
    return target
