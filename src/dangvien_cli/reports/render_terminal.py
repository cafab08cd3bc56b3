"""The progress report in the terminal: a rich table of schools and units, then the funnel."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Console, Group
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from dangvien_cli.core.text import printable
from dangvien_cli.reports.model import FIGURE_LABELS, Figures, Report
from dangvien_cli.reports.templates import (
    SUM_NOTE,
    figure_text,
    format_count,
    format_date,
    format_percent,
    indents,
    named_students,
    row_label,
    target_met,
)

_FUNNEL_WIDTH = 50
# On a narrow terminal, the figures a reader looks at first (the funnel below shows eligible).
_KEY_FIGURES = (
    "students",
    "class_target",
    "class_actual",
    "admitted_target",
    "admitted_actual",
    "conversion_rate",
    "reachable",
)
_FULL_WIDTH = 150  # below this many columns, only the key figures


def _cells(figures: Figures, keys: Sequence[str]) -> list[Text]:
    out = []
    for key in keys:
        style = "green" if target_met(figures, key) else ""
        out.append(Text(figure_text(figures, key), style=style))
    return out


def report_table(
    report: Report, keys: Sequence[str] = tuple(FIGURE_LABELS), *, figure_width: int = 7
) -> Table:
    table = Table(
        title=f"Báo cáo kết quả phát triển đảng viên trong học sinh {report.period.label}\n"
        f"{escape(printable(report.scope))}",
        title_style="bold",
        box=box.SIMPLE_HEAD,
        padding=(0, 0),
        pad_edge=False,
        header_style="bold",
    )
    table.add_column("Trường / đơn vị", min_width=12, overflow="fold")
    for key in keys:
        table.add_column(
            FIGURE_LABELS[key], justify="right", max_width=figure_width, overflow="fold"
        )
    for row, indent in zip(report.rows, indents(report), strict=True):
        style = "red" if row.figures.at_risk else ""
        if row.level != "school":
            style = f"bold {style}".strip()
        name = Text("  " * indent + printable(row_label(row)))  # Text: never markup
        table.add_row(name, *_cells(row.figures, keys), style=style)
    table.add_section()
    total_style = "bold red" if report.totals.at_risk else "bold"
    table.add_row(Text("Tổng cộng"), *_cells(report.totals, keys), style=total_style)
    return table


def funnel(report: Report, width: int = _FUNNEL_WIDTH) -> Group:
    """Attended the class → eligible → admitted, as bars scaled to the largest."""
    steps = report.funnel
    largest = max((count for _, count in steps), default=0)
    label_width = max(len(label) for label, _ in steps)
    first = steps[0][1] if steps else 0
    lines: list[Text] = [Text("Phễu phát triển đảng viên", style="bold")]
    for label, count in steps:
        length = round(width * count / largest) if largest else 0
        line = Text(f"{label:<{label_width}}  ")
        line.append("█" * length, style="cyan")
        line.append("·" * (width - length), style="dim")
        line.append(f"  {format_count(count)}")
        if first and label != steps[0][0]:
            line.append(f" ({format_percent(count / first)})", style="dim")
        lines.append(line)
    return Group(*lines)


def names_table(report: Report) -> Table:
    table = Table(title="Danh sách học sinh được tính", box=box.SIMPLE_HEAD, title_style="bold")
    for header in ("Chỉ số", "Mã học sinh", "Họ và tên", "Trường", "Lớp"):
        table.add_column(header)
    for key, student in named_students(report):
        table.add_row(
            *(
                Text(printable(cell))
                for cell in (
                    FIGURE_LABELS.get(key, key),
                    student.student_code or "",
                    student.full_name,
                    student.school,
                    student.class_name or "",
                )
            )
        )
    return table


def render_terminal(report: Report, console: Console) -> None:
    narrow = console.width < _FULL_WIDTH
    if narrow:
        console.print(report_table(report, _KEY_FIGURES, figure_width=6))
    else:
        console.print(report_table(report))
    if narrow:
        console.print(
            f"Cửa sổ hẹp: chỉ hiện các cột chính (đủ {len(FIGURE_LABELS)} cột từ "
            f"{_FULL_WIDTH} ký tự, hoặc xuất --xlsx / --html).",
            style="dim",
        )
    console.print(
        f"Số liệu tính đến {format_date(report.now)}. {SUM_NOTE} "
        "Màu xanh: đạt chỉ tiêu; màu đỏ: có nguy cơ không đạt chỉ tiêu kết nạp.",
        style="dim",
    )
    console.print()
    label_width = max(len(label) for label, _ in report.funnel)
    bars = max(10, min(_FUNNEL_WIDTH, console.width - label_width - 16))
    console.print(funnel(report, bars))
    if report.with_names:
        console.print()
        if named_students(report):
            console.print(names_table(report))
        else:
            console.print("Danh sách học sinh: không có học sinh nào được tính trong kỳ này.")
