"""The canonical roster layout: the empty workbook `dangvien template` writes and `import` reads."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dangvien_cli.core.calendar import school_year_label
from dangvien_cli.core.exporting import save_workbook
from dangvien_cli.core.grades import ACADEMIC, CONDUCT, SCALE_CODES, TT22, TT58
from dangvien_cli.core.labels import GRADE_LABELS, TERM_LABELS


@dataclass(frozen=True)
class TemplateColumn:
    header: str
    width: int
    explanation: str
    choices: tuple[str, ...] = ()
    text: bool = False  # stored as text so Excel keeps leading zeros and long codes


def _grade_choices(kind: str) -> tuple[str, ...]:
    """The words of a kind of result's grades offered in the template's drop-down: those of the
    TT58 scale, best first, then the TT22 words it does not already have ("Giỏi", "Khá",
    "Trung bình", "Yếu", "Kém", "Tốt", "Đạt", "Chưa đạt")."""
    codes = (*SCALE_CODES[(TT58, kind)], *SCALE_CODES[(TT22, kind)])
    return tuple(dict.fromkeys(GRADE_LABELS[code] for code in codes))


ACADEMIC_CHOICES = _grade_choices(ACADEMIC)
CONDUCT_CHOICES = _grade_choices(CONDUCT)

COLUMNS: tuple[TemplateColumn, ...] = (
    TemplateColumn("STT", 5, "Số thứ tự; không bắt buộc, không được nhập."),
    TemplateColumn(
        "Mã học sinh",
        14,
        "Mã định danh Bộ GD&ĐT (mã MOET) của học sinh, ghi dạng chữ để giữ đủ chữ số. "
        "Dùng để nhận ra học sinh qua các lần nhập; nếu bỏ trống, học sinh được nhận ra theo "
        "trường + họ tên + ngày sinh.",
        text=True,
    ),
    TemplateColumn("Họ và tên", 26, "Họ và tên đầy đủ, có dấu. Bắt buộc."),
    TemplateColumn(
        "Ngày sinh",
        12,
        "Ngày/tháng/năm, ví dụ 05/03/2007 (không ghi tháng trước ngày). Nếu chỉ biết năm sinh, "
        "ghi năm, ví dụ 2007.",
        text=True,
    ),
    TemplateColumn("Giới tính", 9, "Nam hoặc Nữ.", choices=("Nam", "Nữ")),
    TemplateColumn("Dân tộc", 10, "Ví dụ: Kinh, Thái, Mông, Dao, Giáy."),
    TemplateColumn("Tôn giáo", 11, "Ví dụ: Không, Phật giáo, Công giáo, Tin lành."),
    TemplateColumn(
        "Số định danh cá nhân",
        16,
        "Số căn cước (12 chữ số), ghi dạng chữ. Không bắt buộc.",
        text=True,
    ),
    TemplateColumn("Lớp", 8, "Tên lớp, ví dụ 12A1. Số đầu tên lớp là khối."),
    TemplateColumn(
        "Học lực",
        11,
        "Kết quả học tập của học kỳ ghi ở dòng tiêu đề. Thông tư 58: Giỏi, Khá, Trung bình, Yếu, "
        "Kém; Thông tư 22: Tốt, Khá, Đạt, Chưa đạt. Được viết tắt (G, K, TB, Y, T, Đ, CĐ).",
        choices=ACADEMIC_CHOICES,
    ),
    TemplateColumn(
        "Hạnh kiểm",
        11,
        "Hạnh kiểm (TT58: Tốt, Khá, Trung bình, Yếu) hoặc kết quả rèn luyện (TT22: Tốt, Khá, "
        "Đạt, Chưa đạt).",
        choices=CONDUCT_CHOICES,
    ),
    TemplateColumn(
        "Đoàn viên",
        10,
        "Ghi x nếu là đoàn viên; để trống nếu không phải.",
        choices=("x",),
    ),
    TemplateColumn(
        "Ngày vào Đoàn",
        13,
        "Ngày kết nạp vào Đoàn, dạng ngày/tháng/năm. Không bắt buộc.",
        text=True,
    ),
)


def write_template(
    path: Path,
    *,
    school: str | None = None,
    school_year: int | None = None,
    term: str | None = None,
    class_name: str | None = None,
) -> None:
    """Write the empty roster: title rows, the header row, drop-down lists, and a guide sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = class_name or "Danh sách"
    titles = [
        f"TRƯỜNG {school.upper()}" if school else None,
        f"DANH SÁCH HỌC SINH LỚP {class_name}" if class_name else "DANH SÁCH HỌC SINH",
        f"NĂM HỌC {school_year_label(school_year)}" if school_year else None,
        TERM_LABELS[term].upper() if term else None,
    ]
    bold = Font(bold=True)
    row = 1
    for title in titles:
        if title:
            ws.cell(row=row, column=1, value=title).font = bold
            row += 1
    header_row = row + 1
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    fill = PatternFill("solid", fgColor="DDEBF7")
    last_row = header_row + 200
    for i, col in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=header_row, column=i, value=col.header)
        cell.font = bold
        cell.fill = fill
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = col.width
        if col.text:
            for r in range(header_row + 1, last_row + 1):
                ws.cell(row=r, column=i).number_format = "@"
        if col.choices:
            dv = DataValidation(
                type="list",
                formula1='"' + ",".join(col.choices) + '"',
                allow_blank=True,
                showErrorMessage=False,  # a warning is enough: abbreviations are accepted too
            )
            dv.prompt = col.explanation
            dv.promptTitle = col.header
            dv.showInputMessage = True
            ws.add_data_validation(dv)
            dv.add(f"{letter}{header_row + 1}:{letter}{last_row}")
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)

    guide = wb.create_sheet("Hướng dẫn")
    guide.append(["Cột", "Cách ghi"])
    for cell in guide[1]:
        cell.font = bold
        cell.fill = fill
    for col in COLUMNS:
        guide.append([col.header, col.explanation])
    guide.append([])
    guide.append(
        [
            "Dòng tiêu đề",
            "Các dòng trên bảng ghi tên trường (TRƯỜNG …), lớp (DANH SÁCH HỌC SINH LỚP 12A1), "
            "năm học (NĂM HỌC 2024-2025) và học kỳ (HỌC KỲ I / HỌC KỲ II / CẢ NĂM). Nếu không "
            "ghi, hãy cho biết khi nhập: dangvien import TỆP --school … --school-year … --term ….",
        ]
    )
    guide.column_dimensions["A"].width = 22
    guide.column_dimensions["B"].width = 100
    for r in guide.iter_rows(min_row=2):
        r[1].alignment = Alignment(wrap_text=True, vertical="top")
    save_workbook(wb, path)
