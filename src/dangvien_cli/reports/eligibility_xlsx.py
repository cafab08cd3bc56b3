"""The eligibility table as a workbook a chi bộ secretary can print and hand on."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dangvien_cli.core.exporting import append_row, save_workbook
from dangvien_cli.core.labels import CRITERION_HEADERS

if TYPE_CHECKING:
    from dangvien_cli.admission.lists import EligibilityRow

_HEADER = (
    "STT",
    "Mã học sinh",
    "Họ và tên",
    "Trường",
    "Lớp",
    "Ngày sinh",
    "Đủ tuổi từ",
    "Ra trường",
    *CRITERION_HEADERS.values(),
    "Đủ điều kiện",
    "Lý do chưa đủ",
)
_WIDTHS = (5, 13, 24, 18, 7, 11, 11, 11, *([9] * len(CRITERION_HEADERS)), 10, 60)
_HEADER_ROW = 4  # under the title, the summary and an empty row


def write_eligibility(path: Path, rows: Sequence[EligibilityRow], *, as_of: date) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Xét điều kiện"
    border = _thin_border()
    _write_heading(ws, rows, as_of, border)
    _write_rows(ws, rows, border)
    _lay_out_page(ws)
    save_workbook(wb, path)


def _thin_border() -> Any:
    from openpyxl.styles import Border, Side

    thin = Side(style="thin")
    return Border(left=thin, right=thin, top=thin, bottom=thin)


def _write_heading(ws: Any, rows: Sequence[EligibilityRow], as_of: date, border: Any) -> None:
    """The title, the count of eligible students and the column header (rows 1–4)."""
    from openpyxl.styles import Alignment, Font, PatternFill

    ws.append([f"DANH SÁCH XÉT ĐIỀU KIỆN KẾT NẠP ĐẢNG — NGÀY XÉT {as_of:%d/%m/%Y}"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(_HEADER))
    ws["A1"].font = Font(bold=True, size=13)
    ws["A1"].alignment = Alignment(horizontal="center")
    eligible = sum(1 for r in rows if r.result.eligible)
    late = sum(1 for r in rows if r.result.leaves_before_age_eligible)
    ws.append(
        [
            f"{eligible}/{len(rows)} học sinh đủ điều kiện; {late} học sinh ra trường trước "
            "khi đủ tuổi (đánh dấu ⚠)."
        ]
    )
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(_HEADER))
    ws.append([])
    append_row(ws, _HEADER)
    for cell in ws[_HEADER_ROW]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border


def _write_rows(ws: Any, rows: Sequence[EligibilityRow], border: Any) -> None:
    """One row a student: who, the age window, each criterion's mark, the verdict and why not."""
    from openpyxl.styles import Alignment, Font

    red = Font(color="C00000", bold=True)
    top, top_wrap = Alignment(vertical="top"), Alignment(vertical="top", wrap_text=True)
    for i, r in enumerate(rows, start=1):
        res = r.result
        reasons = "; ".join(
            f"{CRITERION_HEADERS[k]}: {c.detail}"
            for k, c in res.criteria.items()
            if c.ok is not True
        )
        first = res.first_age_eligible_date
        row = append_row(
            ws,
            [
                i,
                r.info.code or "",
                r.info.full_name,
                r.info.school,
                r.info.class_name or "",
                r.info.date_of_birth or r.info.birth_year,
                first,
                res.leaves_school_on,
                *(res.criteria[k].mark for k in CRITERION_HEADERS),
                "Có" if res.eligible else "Chưa",
                reasons,
            ],
        )
        # ws.max_row and ws[row] look at every cell of the sheet: once a row, that made a
        # list of 20,000 students take more than five minutes.
        for column in range(1, len(_HEADER) + 1):
            cell = ws.cell(row=row, column=column)
            cell.border = border
            cell.alignment = top_wrap if column == len(_HEADER) else top
        for column in (6, 7, 8):
            if isinstance(ws.cell(row=row, column=column).value, date):  # not a bare year
                ws.cell(row=row, column=column).number_format = "dd/mm/yyyy"
        if res.leaves_before_age_eligible:
            ws.cell(row=row, column=7).font = red
            ws.cell(row=row, column=8).font = red
            ws.cell(row=row, column=7).value = first


def _lay_out_page(ws: Any) -> None:
    """Column widths, the frozen header, and A4 landscape one page wide."""
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "D5"
    ws.print_title_rows = "4:4"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
