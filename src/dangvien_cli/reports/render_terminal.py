"""The progress report in the terminal: a rich table of schools and units, then the funnel."""

from __future__ import annotations

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from dangvien_cli.reports.model import FIGURE_LABELS, PERCENT_FIGURES, Figures, Report, ReportRow
from dangvien_cli.reports.templates import (
    SUM_NOTE,
    format_count,
    format_date,
    format_percent,
    format_target,
    met,
    named_students,
    row_label,
)

# A column met its target: (figure, actual, target).
_MET = {
    "class_actual": ("class_actual", "class_target"),
    "class_pct": ("class_actual", "class_target"),
    "admitted_actual": ("admitted_actual", "admitted_target"),
    "admitted_pct": ("admitted_actual", "admitted_target"),
}
_FUNNEL_WIDTH = 50


def cell(figures: Figures, key: str) -> str:
    """One figure as the table shows it."""
    value = figures.value(key)
    if key in PERCENT_FIGURES:
        return format_percent(value)
    if key == "class_target":
        return format_target(value, figures.class_target_is_sum)
    if key == "admitted_target":
        return format_target(value, figures.admitted_target_is_sum)
    return format_count(value)


def _cells(figures: Figures) -> list[Text]:
    out = []
    for key in FIGURE_LABELS:
        style = ""
        if key in _MET:
            actual, target = _MET[key]
            if met(figures.value(actual), figures.value(target)):
                style = "green"
        out.append(Text(cell(figures, key), style=style))
    return out


def _name(row: ReportRow) -> str:
    return "  " * max(row.depth - 1, 0) + row_label(row)


def report_table(report: Report) -> Table:
    table = Table(
        title=f"Báo cáo kết quả phát triển đảng viên trong học sinh {report.period.label}\n"
        f"{report.scope}",
        title_style="bold",
        box=box.SIMPLE_HEAD,
        collapse_padding=True,
        pad_edge=False,
        header_style="bold",
    )
    longest = max((len(_name(row)) for row in report.rows), default=0)
    table.add_column("Trường / đơn vị", min_width=min(max(longest, 12), 40), overflow="fold")
    for label in FIGURE_LABELS.values():
        table.add_column(label, justify="right", max_width=8, overflow="fold")
    for row in report.rows:
        style = "red" if row.figures.at_risk else ""
        if row.level != "school":
            style = f"bold {style}".strip()
        name = Text(_name(row))
        table.add_row(name, *_cells(row.figures), style=style)
    table.add_section()
    total_style = "bold red" if report.totals.at_risk else "bold"
    table.add_row(Text("Tổng cộng"), *_cells(report.totals), style=total_style)
    return table


def funnel(report: Report) -> Group:
    """Attended the class → eligible → admitted, as bars scaled to the largest."""
    steps = report.funnel
    largest = max((count for _, count in steps), default=0)
    label_width = max(len(label) for label, _ in steps)
    first = steps[0][1] if steps else 0
    lines: list[Text] = [Text("Phễu phát triển đảng viên", style="bold")]
    for label, count in steps:
        length = round(_FUNNEL_WIDTH * count / largest) if largest else 0
        line = Text(f"{label:<{label_width}}  ")
        line.append("█" * length, style="cyan")
        line.append("·" * (_FUNNEL_WIDTH - length), style="dim")
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
            FIGURE_LABELS.get(key, key),
            student.student_code or "",
            student.full_name,
            student.school,
            student.class_name or "",
        )
    return table


def render_terminal(report: Report, console: Console) -> None:
    console.print(report_table(report))
    console.print(
        f"Số liệu tính đến {format_date(report.now)}. {SUM_NOTE} "
        "Màu xanh: đạt chỉ tiêu; màu đỏ: có nguy cơ không đạt chỉ tiêu kết nạp.",
        style="dim",
    )
    console.print()
    console.print(funnel(report))
    if report.with_names:
        console.print()
        console.print(names_table(report))
