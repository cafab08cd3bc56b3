"""Report templates: the packaged ones, a user's own folder first, ``--template`` by name."""

from __future__ import annotations

import dataclasses
import importlib.util
from datetime import date
from pathlib import Path
from typing import Any

import docx
import pytest

from dangvien_cli.core.errors import UsageError
from dangvien_cli.reports.model import Report
from dangvien_cli.reports.render_docx import render_docx
from dangvien_cli.reports.render_html import render_html
from dangvien_cli.reports.templates import (
    format_count,
    format_percent,
    format_target,
    packaged_templates_dir,
    party_date,
)


def test_the_packaged_templates_are_found() -> None:
    folder = packaged_templates_dir()
    assert (folder / "report.html.j2").is_file()
    assert (folder / "report.docx").is_file()
    assert (folder / "make_report_docx.py").is_file()


def test_a_user_template_of_the_same_name_comes_first(report: Report, tmp_path: Path) -> None:
    mine = tmp_path / "mau"
    mine.mkdir()
    (mine / "report.html.j2").write_text(
        '<html lang="vi"><body>Mẫu riêng: {{ scope }}, {{ rows|length }} dòng, '
        "{{ rows[1].label }}, {{ totals.class_pct|pct }}</body></html>",
        encoding="utf-8",
    )
    out = tmp_path / "bao-cao.html"
    render_html(report, out, user_dir=mine)
    text = out.read_text(encoding="utf-8")
    assert text.startswith('<html lang="vi"><body>Mẫu riêng: Tỉnh Lai Châu, 5 dòng')
    assert "&lt;b&gt;Tam Đường&lt;/b&gt;" in text  # autoescape holds in user templates too
    assert "100%" in text


def test_without_a_user_template_the_packaged_one_is_used(report: Report, tmp_path: Path) -> None:
    empty = tmp_path / "mau"
    empty.mkdir()
    out = tmp_path / "bao-cao.html"
    render_html(report, out, user_dir=empty)
    assert "<svg" in out.read_text(encoding="utf-8")


def test_template_picks_another_file_by_name_or_by_path(report: Report, tmp_path: Path) -> None:
    mine = tmp_path / "mau"
    mine.mkdir()
    (mine / "ban-to-chuc.html.j2").write_text("Ban tổ chức: {{ period.label }}", encoding="utf-8")
    out = tmp_path / "bao-cao.html"
    render_html(report, out, template="ban-to-chuc.html.j2", user_dir=mine)
    assert out.read_text(encoding="utf-8") == "Ban tổ chức: năm học 2024-2025"
    render_html(report, out, template=str(mine / "ban-to-chuc.html.j2"))
    assert out.read_text(encoding="utf-8") == "Ban tổ chức: năm học 2024-2025"


def test_a_missing_template_is_a_usage_error_naming_it(report: Report, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"khong-co\.html\.j2"):
        render_html(report, tmp_path / "x.html", template="khong-co.html.j2", user_dir=tmp_path)
    with pytest.raises(UsageError, match=r"khong-co\.docx"):
        render_docx(report, tmp_path / "x.docx", template="khong-co.docx", user_dir=tmp_path)


def _tiny_docx(path: Path, text: str) -> None:
    document = docx.Document()
    document.add_paragraph(text)
    document.save(str(path))


def test_a_user_word_template_comes_first_and_can_be_picked(report: Report, tmp_path: Path) -> None:
    mine = tmp_path / "mau"
    mine.mkdir()
    _tiny_docx(mine / "report.docx", "Mẫu riêng {{ scope }} — {{ period_label }}")
    _tiny_docx(mine / "so-giao-duc.docx", "Sở GD&ĐT: {{ rows[1].name }}")
    out = tmp_path / "bao-cao.docx"
    render_docx(report, out, user_dir=mine)
    assert (
        docx.Document(str(out)).paragraphs[0].text == "Mẫu riêng Tỉnh Lai Châu — năm học 2024-2025"
    )
    render_docx(report, out, user_dir=mine, template="so-giao-duc.docx")
    text = docx.Document(str(out)).paragraphs[0].text
    assert text == "Sở GD&ĐT: \u00a0\u00a0\u00a0PT DTNT <b>Tam Đường</b>"


def _texts(document: Any) -> list[str]:
    out = [p.text for p in document.paragraphs]
    for table in document.tables:
        out += [cell.text for row in table.rows for cell in row.cells]
    return out


def test_the_script_rebuilds_the_packaged_word_template(tmp_path: Path) -> None:
    script = packaged_templates_dir() / "make_report_docx.py"
    spec = importlib.util.spec_from_file_location("make_report_docx", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rebuilt = module.build(tmp_path / "report.docx")
    packaged = docx.Document(str(packaged_templates_dir() / "report.docx"))
    assert _texts(docx.Document(str(rebuilt))) == _texts(packaged)


def test_figures_as_people_read_them() -> None:
    assert format_count(None) == "—"
    assert format_count(4410) == "4.410"
    assert format_percent(0.5) == "50%"
    assert format_percent(2 / 3) == "66,7%"
    assert format_percent(None) == "—"
    assert format_target(12, True) == "12 (Σ)"
    assert format_target(None, True) == "—"
    assert party_date(date(2025, 2, 5)) == "ngày 05 tháng 02 năm 2025"
    assert party_date(date(2025, 11, 20)) == "ngày 20 tháng 11 năm 2025"


def test_a_mistake_in_a_user_template_is_a_message(report: Report, tmp_path: Path) -> None:
    mine = tmp_path / "mau"
    mine.mkdir()
    (mine / "report.html.j2").write_text("{% for r in rows %}{{ r.label }}", encoding="utf-8")
    with pytest.raises(UsageError, match=r"report\.html\.j2 có lỗi, dòng 1"):
        render_html(report, tmp_path / "x.html", user_dir=mine)
    (mine / "report.html.j2").write_text("{{ khong_co_bien }}", encoding="utf-8")
    with pytest.raises(UsageError, match=r"không có trong dữ liệu báo cáo.*khong_co_bien"):
        render_html(report, tmp_path / "x.html", user_dir=mine)
    _tiny_docx(mine / "report.docx", "Đơn vị {{ khong_co_bien }}")
    with pytest.raises(UsageError, match=r"report\.docx có lỗi.*khong_co_bien"):
        render_docx(report, tmp_path / "x.docx", user_dir=mine)
    assert not (tmp_path / "x.html").exists() and not (tmp_path / "x.docx").exists()


def test_a_report_without_schools_still_renders_everywhere(report: Report, tmp_path: Path) -> None:
    from rich.console import Console

    from dangvien_cli.reports.model import Figures
    from dangvien_cli.reports.render_terminal import render_terminal
    from dangvien_cli.reports.render_xlsx import render_xlsx

    empty = dataclasses.replace(report, rows=[], totals=Figures())
    console = Console(record=True, width=160)
    render_terminal(empty, console)
    assert "Tổng cộng" in console.export_text()
    render_xlsx(empty, tmp_path / "r.xlsx")
    render_html(empty, tmp_path / "r.html")
    render_docx(empty, tmp_path / "r.docx")
    assert "Tổng cộng" in (tmp_path / "r.html").read_text(encoding="utf-8")
    assert docx.Document(str(tmp_path / "r.docx")).tables[1].rows[2].cells[1].text == "Tổng cộng"
