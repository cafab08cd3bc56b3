"""The progress report as a Word document in the Party's layout, rendered with docxtpl from
``templates/report.docx`` (or a user's own template of that shape)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from dangvien_cli.core.exporting import save_workbook
from dangvien_cli.reports.model import FIGURE_LABELS, Figures, Report
from dangvien_cli.reports.templates import (
    ALL_SCHOOLS,
    DOCX_TEMPLATE,
    SUM_NOTE,
    environment,
    figure_text,
    find_template_file,
    format_date,
    indents,
    is_school_report,
    party_date,
    refuse_writing_over,
    row_label,
    scope_in_sentence,
    split_template,
    summary,
    template_error,
)

BLANK = "……………"  # a dotted gap the sender fills in by hand
NUMBER_BLANK = "……-BC/……"
_SCHOOL_PREFIXES = ("thpt", "thcs", "pt", "ptdtnt", "th", "trung học")


def _texts(figures: Figures) -> dict[str, str]:
    return {key: figure_text(figures, key) for key in FIGURE_LABELS}


def body_name(report: Report) -> str:
    """The issuing body's own line, in capitals: the unit, or the school's Party cell."""
    if is_school_report(report):
        name = report.scope.strip()
        lowered = name.casefold()
        if lowered.startswith("chi bộ"):
            return name.upper()
        if lowered.startswith("trường"):
            return f"CHI BỘ {name}".upper()
        if lowered.split(" ", 1)[0] in _SCHOOL_PREFIXES:
            return f"CHI BỘ TRƯỜNG {name}".upper()
        return f"CHI BỘ {name}".upper()
    if report.scope == ALL_SCHOOLS:
        return BLANK
    return report.scope.upper()


def context(
    report: Report,
    *,
    issuer: str | None = None,
    place: str | None = None,
    number: str | None = None,
) -> dict[str, Any]:
    """Everything the Word template uses: texts ready to print, and the figures themselves."""
    rows: list[dict[str, Any]] = []
    school_number = 0
    for row, indent in zip(report.rows, indents(report), strict=True):
        if row.level == "school":
            school_number += 1
        rows.append(
            {
                "number": str(school_number) if row.level == "school" else "",
                "name": "\u00a0\u00a0\u00a0" * indent + row_label(row),
                "level": row.level,
                "bold": row.level != "school",
                "at_risk": row.figures.at_risk,
                "t": _texts(row.figures),
                "f": row.figures,
            }
        )
    school = is_school_report(report)
    made = report.generated_at.date()
    period = report.period
    return {
        "issuer": (issuer or BLANK).upper(),
        "body": body_name(report),
        "number": number or NUMBER_BLANK,
        "place_date": f"{place or BLANK}, {party_date(made)}",
        "period_label": period.label,
        "scope": report.scope,
        "intro": (
            f"Căn cứ chỉ tiêu phát triển đảng viên trong học sinh {period.label} (từ "
            f"{format_date(period.start)} đến {format_date(period.end)}), "
            f"{scope_in_sentence(report)} báo cáo kết quả thực hiện như sau:"
        ),
        "summary": summary(report),
        "rows": rows,
        "total": {"t": _texts(report.totals), "f": report.totals, "at_risk": report.totals.at_risk},
        "notes": f"Số liệu tính đến ngày {format_date(report.now)}. {SUM_NOTE}",
        "recipients": (
            ["Đảng ủy cấp trên (để báo cáo),", "Lưu chi bộ."]
            if school
            else ["Cấp ủy cấp trên (để báo cáo),", "Các chi bộ trường học,", "Lưu văn phòng."]
        ),
        "sign_for": "T/M CHI BỘ" if school else "T/M ĐẢNG ỦY",
        "signer_title": "BÍ THƯ",
        "signer": "",
        "report": report,
    }


def render_docx(
    report: Report,
    path: Path,
    *,
    template: str | None = None,
    user_dir: Path | None = None,
    issuer: str | None = None,
    place: str | None = None,
    number: str | None = None,
) -> None:
    from docxtpl import DocxTemplate

    source = find_template_file(template, DOCX_TEMPLATE, user_dir)
    _, folder = split_template(template, DOCX_TEMPLATE, user_dir)
    refuse_writing_over(source, path)
    document = DocxTemplate(str(source))
    values = context(report, issuer=issuer, place=place, number=number)
    # autoescape: a name with "<" or "&" must stay text, not break the document's XML
    try:
        document.render(values, jinja_env=environment(folder), autoescape=True)
    except jinja2.TemplateError as exc:
        raise template_error(source.name, exc) from exc
    save_workbook(document, path)
