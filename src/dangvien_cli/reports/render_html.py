"""The progress report as one self-contained HTML page: inline CSS, inline SVG charts, no
network; rendered from a Jinja2 template that a user may replace with their own."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Any

import jinja2

from dangvien_cli.core.exporting import save_workbook
from dangvien_cli.reports.model import FIGURE_LABELS, PERCENT_FIGURES, NamedStudent, Report
from dangvien_cli.reports.templates import (
    HTML_TEMPLATE,
    SUM_NOTE,
    figure_text,
    format_date,
    indents,
    load_html_template,
    named_students,
    party_date,
    refuse_writing_over,
    row_label,
    summary,
    target_met,
    template_error,
)


@dataclass(frozen=True)
class ChartRow:
    """One school in the bar charts."""

    name: str
    class_actual: int
    class_target: int | None
    admitted_actual: int
    admitted_target: int | None
    at_risk: bool


@dataclass(frozen=True)
class FunnelStep:
    label: str
    count: int
    share: float | None  # of the first step


@dataclass(frozen=True)
class NameGroup:
    label: str
    students: list[NamedStudent]


def context(report: Report) -> dict[str, Any]:
    """Everything a report template may use; the figures stay numbers, the filters
    ``num``, ``pct``, ``target`` and ``vndate`` write them."""
    schools = [
        ChartRow(
            name=r.name,
            class_actual=r.figures.class_actual,
            class_target=r.figures.class_target,
            admitted_actual=r.figures.admitted_actual,
            admitted_target=r.figures.admitted_target,
            at_risk=r.figures.at_risk,
        )
        for r in report.rows
        if r.level == "school"
    ]
    first = report.funnel[0][1] if report.funnel else 0
    funnel = [
        FunnelStep(label, count, count / first if first else None) for label, count in report.funnel
    ]
    names = [
        NameGroup(FIGURE_LABELS.get(key, key), [student for _, student in group])
        for key, group in groupby(named_students(report), key=lambda pair: pair[0])
    ]
    return {
        "report": report,
        "period": report.period,
        "scope": report.scope,
        "rows": [
            {
                "label": row_label(r),
                "level": r.level,
                "indent": indent,
                "figures": r.figures,
            }
            for r, indent in zip(report.rows, indents(report), strict=True)
        ],
        "totals": report.totals,
        "keys": list(FIGURE_LABELS),
        "labels": FIGURE_LABELS,
        "percent_keys": PERCENT_FIGURES,
        "schools": schools,
        "class_max": max(
            [s.class_actual for s in schools] + [s.class_target or 0 for s in schools] + [1]
        ),
        "admitted_max": max(
            [s.admitted_actual for s in schools] + [s.admitted_target or 0 for s in schools] + [1]
        ),
        "funnel": funnel,
        "funnel_max": max([step.count for step in funnel] + [1]),
        "at_risk_count": sum(1 for s in schools if s.at_risk),
        "summary": summary(report),
        "sum_note": SUM_NOTE,
        "names": names if report.with_names else [],
        "figure_text": figure_text,
        "target_met": target_met,
        "made_on": party_date(report.generated_at.date()),
        "made_at": format_date(report.generated_at.date()),
    }


class _Page:
    """The rendered page, with the ``save`` that ``save_workbook`` calls: one atomic write."""

    def __init__(self, text: str) -> None:
        self.text = text

    def save(self, path: str) -> None:
        Path(path).write_text(self.text, encoding="utf-8")


def render_html(
    report: Report,
    path: Path,
    *,
    template: str | None = None,
    user_dir: Path | None = None,
) -> None:
    loaded = load_html_template(template, user_dir)
    if loaded.filename is not None:
        refuse_writing_over(Path(loaded.filename), path)
    try:
        page = loaded.render(**context(report))
    except jinja2.TemplateError as exc:
        raise template_error(loaded.name or HTML_TEMPLATE, exc) from exc
    save_workbook(_Page(page), path)
