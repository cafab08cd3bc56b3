"""The report workbook, read back with openpyxl as the organising office would open it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sample_report import BAN_BO, BINH_LU, SCHOOL_AT_RISK, SCHOOL_NO_TARGET, SCHOOL_OK

from dangvien_cli.core.errors import DangvienError
from dangvien_cli.reports.model import FIGURE_LABELS, PERCENT_FIGURES, Report
from dangvien_cli.reports.render_xlsx import HEADER_ROW, NAMES_SHEET, render_xlsx

LEAD = 3  # STT, name, unit


def _open(report: Report, tmp_path: Path) -> Any:
    path = tmp_path / "bao-cao-2024-2025.xlsx"
    render_xlsx(report, path)
    return openpyxl.load_workbook(path)


def _rows_by_name(ws: Any) -> dict[str, int]:
    return {
        ws.cell(row=r, column=2).value: r
        for r in range(HEADER_ROW + 1, ws.max_row + 1)
        if ws.cell(row=r, column=2).value
    }


def _figure(ws: Any, row: int, key: str) -> Any:
    return ws.cell(row=row, column=LEAD + 1 + list(FIGURE_LABELS).index(key))


def test_title_rows_name_the_report_the_unit_the_period_and_the_date(
    report: Report, tmp_path: Path
) -> None:
    ws = _open(report, tmp_path).active
    assert ws.title == "Báo cáo"
    titles = [ws.cell(row=r, column=1).value for r in range(1, 5)]
    assert "BÁO CÁO KẾT QUẢ PHÁT TRIỂN ĐẢNG VIÊN TRONG HỌC SINH" in titles[0]
    assert "NĂM HỌC 2024-2025" in titles[0]
    assert titles[1] == "Đơn vị: Tỉnh Lai Châu"
    assert "01/09/2024" in titles[2] and "31/08/2025" in titles[2]
    assert "lập ngày 05/06/2025" in titles[3]
    merged = {str(r) for r in ws.merged_cells.ranges}
    last = openpyxl.utils.get_column_letter(LEAD + len(FIGURE_LABELS))
    for r in range(1, 5):
        assert f"A{r}:{last}{r}" in merged
    assert ws["A1"].font.bold


def test_headers_are_vietnamese(report: Report, tmp_path: Path) -> None:
    ws = _open(report, tmp_path).active
    header = [c.value for c in ws[HEADER_ROW]]
    assert header == ["STT", "Trường / đơn vị", "Trực thuộc", *FIGURE_LABELS.values()]
    assert all(c.font.bold for c in ws[HEADER_ROW])


def test_numbers_are_numbers_and_percentages_are_percentages(
    report: Report, tmp_path: Path
) -> None:
    ws = _open(report, tmp_path).active
    rows = _rows_by_name(ws)
    school = rows[SCHOOL_OK]
    assert ws.cell(row=school, column=1).value == 1  # STT
    assert ws.cell(row=school, column=3).value == BINH_LU
    students = _figure(ws, school, "students")
    assert students.value == 4410 and isinstance(students.value, int)
    assert students.number_format == "#,##0"
    for key in PERCENT_FIGURES:
        cell = _figure(ws, school, key)
        assert isinstance(cell.value, (int, float)) and cell.number_format.endswith("%")
    conversion = _figure(ws, school, "conversion_rate")
    assert isinstance(conversion.value, float)
    assert conversion.value == pytest.approx(2 / 12)


def test_unset_targets_are_a_dash_and_sum_targets_stay_numbers(
    report: Report, tmp_path: Path
) -> None:
    ws = _open(report, tmp_path).active
    rows = _rows_by_name(ws)
    no_target = rows[SCHOOL_NO_TARGET]
    assert _figure(ws, no_target, "class_target").value == "—"
    assert _figure(ws, no_target, "class_pct").value == "—"
    commune = rows[f"Cộng {BINH_LU}"]
    target = _figure(ws, commune, "class_target")
    assert target.value == 18 and isinstance(target.value, int)
    assert "Σ" in target.number_format
    notes = [str(ws.cell(row=r, column=1).value) for r in range(1, ws.max_row + 1)]
    assert any(n.startswith("(Σ)") for n in notes)


def test_units_and_the_total_are_bold_and_at_risk_rows_highlighted(
    report: Report, tmp_path: Path
) -> None:
    ws = _open(report, tmp_path).active
    rows = _rows_by_name(ws)
    assert list(rows)[:6] == [
        SCHOOL_OK,
        SCHOOL_AT_RISK,
        f"Cộng {BINH_LU}",
        SCHOOL_NO_TARGET,
        f"Cộng {BAN_BO}",
        "Tổng cộng",
    ]
    total = rows["Tổng cộng"]
    assert _figure(ws, total, "students").value == 4940
    assert _figure(ws, total, "class_target").value == 20
    assert _figure(ws, total, "admitted_actual").value == 2
    assert _figure(ws, total, "conversion_rate").value == pytest.approx(0.1)
    for name in (f"Cộng {BINH_LU}", f"Cộng {BAN_BO}", "Tổng cộng"):
        assert ws.cell(row=rows[name], column=2).font.bold
    assert not ws.cell(row=rows[SCHOOL_OK], column=2).font.bold
    risk = ws.cell(row=rows[SCHOOL_AT_RISK], column=2)
    assert risk.fill.fgColor.rgb.endswith("FCE4E4")
    assert risk.font.color.rgb.endswith("C00000")
    assert ws.cell(row=rows[SCHOOL_OK], column=2).fill.fgColor.rgb != risk.fill.fgColor.rgb
    met = _figure(ws, rows[SCHOOL_OK], "class_actual")
    assert met.font.color.rgb.endswith("006100")


def test_frozen_header_widths_and_print_setup(report: Report, tmp_path: Path) -> None:
    ws = _open(report, tmp_path).active
    assert ws.freeze_panes == f"C{HEADER_ROW + 1}"
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert ws.print_title_rows.replace("$", "") == f"{HEADER_ROW}:{HEADER_ROW}"
    name_width = ws.column_dimensions["B"].width
    assert name_width >= len(f"Cộng {BINH_LU}")
    assert ws.row_dimensions[HEADER_ROW].height >= 30  # wrapped Vietnamese headers show


def test_names_sheet_only_with_names(report: Report, named_report: Report, tmp_path: Path) -> None:
    assert _open(report, tmp_path).sheetnames == ["Báo cáo"]
    wb = _open(named_report, tmp_path)
    assert wb.sheetnames == ["Báo cáo", NAMES_SHEET]
    ws = wb[NAMES_SHEET]
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    assert rows[0] == ("STT", "Chỉ số", "Mã học sinh", "Họ và tên", "Trường", "Lớp")
    assert rows[1] == (1, "Đã học lớp bồi dưỡng", "0123456789", "Lò Thị Hương", SCHOOL_OK, "12A1")
    assert {r[1] for r in rows[1:]} == {"Đã học lớp bồi dưỡng", "Đã kết nạp", "Kết nạp: nữ"}
    assert ws.page_setup.orientation == "landscape"


def test_a_missing_folder_is_a_message_not_a_traceback(report: Report, tmp_path: Path) -> None:
    with pytest.raises(DangvienError, match="Không có thư mục"):
        render_xlsx(report, tmp_path / "nowhere" / "bao-cao.xlsx")
    render_xlsx(report, tmp_path / "bao-cao.xlsx")
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []
