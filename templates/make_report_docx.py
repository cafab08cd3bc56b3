"""Builds templates/report.docx, the Word template of the progress report, with python-docx.

Run it again after changing it: ``python templates/make_report_docx.py``. The output is a
docxtpl template: Jinja tags in the text, ``{%tr … %}`` rows for the table. The layout follows
the Party's rules for its documents (issuing body top left, "ĐẢNG CỘNG SẢN VIỆT NAM" top right,
number, place and date, title, body, "Nơi nhận" and signature), in Times New Roman, on A4 with
margins top 20 mm, bottom 20 mm, left 30 mm, right 15 mm. Users may copy the .docx into their
own templates folder and edit it in Word, keeping the tags.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 11
OUT = Path(__file__).resolve().parent / "report.docx"

# The table: (header of the first row, header of the second row or None, width in mm,
# the cell text of a data row). A first-row header repeated over consecutive columns is
# one merged cell; None in the second row merges the first row's cell down.
COLUMNS: list[tuple[str, str | None, float, str]] = [
    ("TT", None, 8, "{{ row.number }}"),
    ("Trường, đơn vị", None, 38, "{{ row.name }}"),
    ("Số học sinh", None, 14, "{{ row.t.students }}"),
    ("Học lớp bồi dưỡng", "Chỉ tiêu", 12.5, "{{ row.t.class_target }}"),
    ("Học lớp bồi dưỡng", "Đã học", 11, "{{ row.t.class_actual }}"),
    ("Kết nạp đảng viên", "Chỉ tiêu", 12.5, "{{ row.t.admitted_target }}"),
    ("Kết nạp đảng viên", "Đã kết nạp", 11, "{{ row.t.admitted_actual }}"),
    ("Tỷ lệ kết nạp / học lớp", None, 14, "{{ row.t.conversion_rate }}"),
    ("Có thể kết nạp thêm", None, 12, "{{ row.t.reachable }}"),
    ("Trong số đã kết nạp", "Nữ", 10, "{{ row.t.admitted_women }}"),
    ("Trong số đã kết nạp", "Dân tộc thiểu số", 11, "{{ row.t.admitted_ethnic_minority }}"),
    ("Trong số đã kết nạp", "Tôn giáo", 10.5, "{{ row.t.admitted_religious }}"),
]


def set_font(run_or_style_rpr: object, *, size: float | None = None) -> None:
    """Times New Roman for every script, so Word never falls back for Vietnamese letters."""
    rpr = run_or_style_rpr
    fonts = rpr.find(qn("w:rFonts"))  # type: ignore[attr-defined]
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)  # type: ignore[attr-defined]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def para(
    container: object,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    size: float = BODY_PT,
    align: WD_ALIGN_PARAGRAPH | None = WD_ALIGN_PARAGRAPH.CENTER,
    after: float = 0,
    before: float = 0,
    first_line: float | None = None,
    existing: Paragraph | None = None,
) -> Paragraph:
    p = existing if existing is not None else container.add_paragraph()  # type: ignore[attr-defined]
    p.alignment = align
    fmt = p.paragraph_format
    fmt.space_after = Pt(after)
    fmt.space_before = Pt(before)
    if first_line is not None:
        fmt.first_line_indent = Cm(first_line)
    if text:
        run = p.add_run(text)
        run.bold = bold
        run.italic = italic
        run.underline = underline
        run.font.size = Pt(size)
        set_font(run._element.get_or_add_rPr())
    return p


def no_borders(table: Table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def fixed_widths(table: Table, widths_mm: list[float]) -> None:
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
    for col, width in zip(table.columns, widths_mm, strict=True):
        col.width = Mm(width)


def row_flags(row: object, *, header: bool = False) -> None:
    """Rows never split across pages; header rows repeat on every page."""
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    cant = OxmlElement("w:cantSplit")
    tr_pr.append(cant)
    if header:
        h = OxmlElement("w:tblHeader")
        tr_pr.append(h)


def fill(cell: _Cell, colour: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shd)


def cell_text(
    cell: _Cell, text: str, *, bold: bool = False, italic: bool = False, left: bool = False
) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    para(
        cell,
        text,
        bold=bold,
        italic=italic,
        size=TABLE_PT,
        align=WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER,
        existing=cell.paragraphs[0],
    )


def header_block(doc: object) -> None:
    """Issuing body and number at the left, the Party's name, place and date at the right."""
    table = doc.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    no_borders(table)
    fixed_widths(table, [72, 93])
    left, right = table.rows[0].cells
    para(left, "{{ issuer }}", existing=left.paragraphs[0])
    para(left, "{{ body }}", bold=True)
    para(left, "*")
    para(left, "Số {{ number }}", size=13)
    para(
        right,
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        bold=True,
        underline=True,
        size=15,
        existing=right.paragraphs[0],
    )
    para(right, "")
    para(right, "")
    para(right, "{{ place_date }}", italic=True)


def figures_table(doc: object) -> None:
    n = len(COLUMNS)
    # two header rows, then the {%tr %} rows: for, if, bold row, else, plain row, endif, endfor,
    # then the total row
    table = doc.add_table(rows=2 + 7 + 1, cols=n)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    fixed_widths(table, [c[2] for c in COLUMNS])
    top, second = table.rows[0], table.rows[1]
    for row in (top, second):
        row_flags(row, header=True)
    # header texts and merges
    i = 0
    while i < n:
        first, sub, _, _ = COLUMNS[i]
        j = i
        while j + 1 < n and COLUMNS[j + 1][0] == first and sub is not None:
            j += 1
        if sub is None:
            cell = top.cells[i].merge(second.cells[i])
            cell_text(cell, first, bold=True)
        else:
            cell = top.cells[i].merge(top.cells[j]) if j > i else top.cells[i]
            cell_text(cell, first, bold=True)
            for k in range(i, j + 1):
                cell_text(second.cells[k], COLUMNS[k][1] or "", bold=True)
        i = j + 1
    for row in (top, second):
        for cell in row.cells:
            fill(cell, "E8EEF7")
    tags = {
        2: "{%tr for row in rows %}",
        3: "{%tr if row.bold %}",
        5: "{%tr else %}",
        7: "{%tr endif %}",
        8: "{%tr endfor %}",
    }
    for index, tag in tags.items():
        cell_text(table.rows[index].cells[0], tag, left=True)
    for index, bold in ((4, True), (6, False)):
        row_flags(table.rows[index])
        for k, column in enumerate(COLUMNS):
            cell_text(table.rows[index].cells[k], column[3], bold=bold, left=k == 1)
    total = table.rows[9]
    row_flags(total)
    for k, column in enumerate(COLUMNS):
        text = column[3].replace("row.", "total.")
        if k == 0:
            text = ""
        if k == 1:
            text = "Tổng cộng"
        cell_text(total.cells[k], text, bold=True, left=k == 1)
        fill(total.cells[k], "F2F2F2")


def signature_block(doc: object) -> None:
    table = doc.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    no_borders(table)
    fixed_widths(table, [80, 85])
    left, right = table.rows[0].cells
    first = left.paragraphs[0]
    left_align = WD_ALIGN_PARAGRAPH.LEFT
    para(
        left,
        "Nơi nhận:",
        bold=True,
        italic=True,
        underline=True,
        size=12,
        align=left_align,
        existing=first,
    )
    para(left, "{%p for line in recipients %}", size=12, align=left_align)
    para(left, "- {{ line }}", size=12, align=left_align)
    para(left, "{%p endfor %}", size=12, align=left_align)
    para(right, "{{ sign_for }}", bold=True, existing=right.paragraphs[0])
    para(right, "{{ signer_title }}", bold=True)
    for _ in range(4):
        para(right, "")
    para(right, "{{ signer }}", bold=True)


def build(out: Path = OUT) -> Path:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = section.footer_distance = Mm(10)

    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    set_font(normal.element.get_or_add_rPr())
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE

    header_block(doc)
    para(doc, "")
    para(doc, "BÁO CÁO", bold=True, size=16, before=6)
    para(doc, "kết quả phát triển đảng viên trong học sinh {{ period_label }}", bold=True)
    para(doc, "-----", after=12)

    body = {"align": WD_ALIGN_PARAGRAPH.JUSTIFY, "first_line": 1.0, "after": 6}
    para(doc, "{{ intro }}", **body)  # type: ignore[arg-type]
    para(doc, "{{ summary }}", **body)  # type: ignore[arg-type]
    para(doc, "Kết quả cụ thể của từng trường, đơn vị như sau:", **body)  # type: ignore[arg-type]
    figures_table(doc)
    para(
        doc,
        "{{ notes }}",
        italic=True,
        size=11,
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        before=4,
        after=12,
    )
    signature_block(doc)

    props = doc.core_properties
    props.title = "Báo cáo kết quả phát triển đảng viên trong học sinh {{ period_label }}"
    props.author = "dangvien"
    props.comments = "Mẫu báo cáo của dangvien (docxtpl)"
    doc.save(str(out))
    return out


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    print(build(target))
