"""The progress report as a workbook an organising office can print and hand on as it is."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from dangvien_cli.core.exporting import append_row, save_workbook
from dangvien_cli.reports.model import FIGURE_LABELS, PERCENT_FIGURES, Figures, Report
from dangvien_cli.reports.templates import (
    DASH,
    SUM_NOTE,
    format_date,
    indents,
    named_students,
    row_label,
    target_met,
)

SHEET = "Báo cáo"
NAMES_SHEET = "Danh sách"
HEADER_ROW = 6  # four title rows, a blank row, then the header
LEAD = ["STT", "Trường / đơn vị", "Trực thuộc"]
TARGET_FLAG = {"class_target": "class_target_is_sum", "admitted_target": "admitted_target_is_sum"}
PERCENT_FORMAT = "0.0%"
COUNT_FORMAT = "#,##0"
SUM_FORMAT = '#,##0" (Σ)"'  # a target that adds up the children's: still a number
FIGURE_WIDTH = 12


def _values(figures: Figures) -> list[object]:
    out: list[object] = []
    for key in FIGURE_LABELS:
        value = figures.value(key)
        out.append(DASH if value is None else value)
    return out


def render_xlsx(report: Report, path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    _report_sheet(ws, report)
    if report.with_names:
        _names_sheet(wb.create_sheet(NAMES_SHEET), report)
    wb.properties.title = f"Báo cáo phát triển đảng viên trong học sinh {report.period.label}"
    wb.properties.creator = "dangvien"
    save_workbook(wb, path)


# A row of the report sheet: its level ("school", a unit's or "total"), label, the unit it
# belongs to, its figures, and how far its label is indented.
_Line = tuple[str, str, str | None, Figures, int]

NOTES = [
    SUM_NOTE,
    "Dòng tô đỏ: có nguy cơ không đạt chỉ tiêu kết nạp (số đã kết nạp cộng số có thể "
    "kết nạp thêm chưa bằng chỉ tiêu). Chữ xanh: đạt chỉ tiêu.",
    "Tỷ lệ kết nạp / học lớp: trong số học sinh đã học lớp bồi dưỡng trong kỳ, tỷ lệ đã "
    "được kết nạp đến ngày tính số liệu.",
]


def _report_sheet(ws: Any, report: Report) -> None:
    """The report as the sheet an office prints: titles, the header, a row for each school and
    unit and the total, the notes, then widths and print settings."""
    from openpyxl.utils import get_column_letter

    header = [*LEAD, *FIGURE_LABELS.values()]
    width = len(header)
    _titles(ws, report, width)
    ws.append([])
    append_row(ws, header)
    border = _thin_border()
    _style_header(ws[HEADER_ROW], border)
    lines: list[_Line] = [
        (row.level, row_label(row), row.unit, row.figures, indent)
        for row, indent in zip(report.rows, indents(report), strict=True)
    ]
    lines.append(("total", "Tổng cộng", None, report.totals, 0))
    last = _figure_rows(ws, lines, border)
    ws.append([])
    _notes(ws, width)
    _column_widths(ws, report, lines)
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=len(LEAD))
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_area = f"A1:{get_column_letter(width)}{last + 1 + len(NOTES)}"
    _print_setup(ws)


def _titles(ws: Any, report: Report, width: int) -> None:
    """The four title rows, each merged across the sheet's width."""
    from openpyxl.styles import Alignment, Font

    period = report.period
    titles = [
        (f"BÁO CÁO KẾT QUẢ PHÁT TRIỂN ĐẢNG VIÊN TRONG HỌC SINH {period.label.upper()}", 14),
        (f"Đơn vị: {report.scope}", 12),
        (
            f"Kỳ báo cáo: {period.label} (từ {format_date(period.start)} "
            f"đến {format_date(period.end)})",
            11,
        ),
        (
            f"Số liệu tính đến ngày {format_date(report.now)}; "
            f"lập ngày {format_date(report.generated_at.date())}",
            11,
        ),
    ]
    for number, (text, size) in enumerate(titles, start=1):
        append_row(ws, [text])
        ws.merge_cells(start_row=number, start_column=1, end_row=number, end_column=width)
        cell = ws.cell(row=number, column=1)
        cell.font = Font(bold=number <= 2, italic=number > 2, size=size)
        cell.alignment = Alignment(horizontal="center", vertical="center")


def _thin_border() -> Any:
    from openpyxl.styles import Border, Side

    thin = Side(style="thin", color="808080")
    return Border(left=thin, right=thin, top=thin, bottom=thin)


def _style_header(cells: Any, border: Any) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    for cell in cells:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border


def _figure_rows(ws: Any, lines: list[_Line], border: Any) -> int:
    """A row for each line: schools numbered, units and the total in bold, a row at risk of
    missing its admission target filled red, a figure that meets its target in green. Returns
    the number of the last row."""
    from openpyxl.styles import Alignment, Font, PatternFill

    risk_fill = PatternFill("solid", fgColor="FCE4E4")
    met_font_color = "006100"
    risk_font_color = "C00000"
    school_number = 0
    r = HEADER_ROW
    for level, label, unit, figures, indent in lines:
        if level == "school":
            school_number += 1
        lead: list[object] = [school_number if level == "school" else "", label, unit or ""]
        r = append_row(ws, [*lead, *_values(figures)])
        bold = level != "school"
        at_risk = figures.at_risk
        for column, cell in enumerate(ws[r], start=1):
            cell.border = border
            if column == 1:
                cell.alignment = Alignment(horizontal="center", vertical="center")
            elif column == 2:
                cell.alignment = Alignment(indent=2 * indent, vertical="center")
            else:
                cell.alignment = Alignment(vertical="center")
            color = risk_font_color if at_risk else None
            if column > len(LEAD):
                key = list(FIGURE_LABELS)[column - len(LEAD) - 1]
                _format_figure(cell, key, figures)
                if not at_risk and target_met(figures, key):
                    color = met_font_color
            cell.font = Font(bold=bold, color=color)
            if at_risk:
                cell.fill = risk_fill
            elif level == "total":
                cell.fill = PatternFill("solid", fgColor="F2F2F2")
    return r


def _notes(ws: Any, width: int) -> None:
    """The notes under the table, each merged across the sheet's width."""
    from openpyxl.styles import Alignment, Font

    for note in NOTES:
        r = append_row(ws, [note])
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        ws.cell(row=r, column=1).font = Font(italic=True, size=10)
        ws.cell(row=r, column=1).alignment = Alignment(wrap_text=True, vertical="top")


def _column_widths(ws: Any, report: Report, lines: list[_Line]) -> None:
    """Columns as wide as their labels (within bounds), the header as tall as its longest."""
    from openpyxl.utils import get_column_letter

    name_width = max([len(line[1]) + 2 * line[4] for line in lines] + [16])
    unit_width = max([len(r.unit or "") for r in report.rows] + [10])
    widths = [5, min(name_width + 3, 48), min(unit_width + 2, 32)]
    widths += [FIGURE_WIDTH] * len(FIGURE_LABELS)
    for index, column_width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column_width
    lines_needed = max(
        math.ceil(len(label) / (FIGURE_WIDTH - 2)) for label in FIGURE_LABELS.values()
    )
    ws.row_dimensions[HEADER_ROW].height = 15 * lines_needed + 4
    ws.row_dimensions[1].height = 22


def _format_figure(cell: Any, key: str, figures: Figures) -> None:
    from openpyxl.styles import Alignment

    if cell.value == DASH:
        cell.alignment = Alignment(horizontal="center", vertical="center")
        return
    if key in PERCENT_FIGURES:
        cell.number_format = PERCENT_FORMAT
    elif key in TARGET_FLAG and getattr(figures, TARGET_FLAG[key]):
        cell.number_format = SUM_FORMAT
    else:
        cell.number_format = COUNT_FORMAT


def _names_sheet(ws: Any, report: Report) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    header = ["STT", "Chỉ số", "Mã học sinh", "Họ và tên", "Trường", "Lớp"]
    append_row(ws, [f"DANH SÁCH HỌC SINH ĐƯỢC TÍNH TRONG BÁO CÁO {report.period.label.upper()}"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws["A1"].font = Font(bold=True, size=13)
    ws["A1"].alignment = Alignment(horizontal="center")
    append_row(ws, [f"Đơn vị: {report.scope}"])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(header))
    ws["A2"].alignment = Alignment(horizontal="center")
    ws.append([])
    append_row(ws, header)
    for cell in ws[4]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    students = named_students(report)
    for number, (key, student) in enumerate(students, start=1):
        append_row(
            ws,
            [
                number,
                FIGURE_LABELS.get(key, key),
                student.student_code or "",
                student.full_name,
                student.school,
                student.class_name or "",
            ],
        )
    for index in range(1, len(header) + 1):
        values = [ws.cell(row=r, column=index).value for r in range(4, ws.max_row + 1)]
        longest = max(len(str(v)) for v in values if v is not None)
        ws.column_dimensions[get_column_letter(index)].width = min(max(longest + 2, 6), 40)
    ws.freeze_panes = "A5"
    ws.print_title_rows = "4:4"
    ws.auto_filter.ref = f"A4:{get_column_letter(len(header))}{max(ws.max_row, 5)}"
    _print_setup(ws)


def _print_setup(ws: Any) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "Trang &P / &N"
