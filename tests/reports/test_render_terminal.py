"""The report in the terminal, read as a person reads it: the text, then the colours."""

from __future__ import annotations

from rich.console import Console
from sample_report import BAN_BO, BINH_LU, SCHOOL_AT_RISK, SCHOOL_NO_TARGET, SCHOOL_OK

from dangvien_cli.reports.model import Report
from dangvien_cli.reports.render_terminal import render_terminal


def _text(report: Report, width: int = 160) -> str:
    console = Console(record=True, width=width)
    render_terminal(report, console)
    return console.export_text()


def _line(text: str, needle: str) -> str:
    return next(line for line in text.splitlines() if needle in line)


def test_table_shows_period_scope_schools_and_units(report: Report) -> None:
    text = _text(report)
    assert "năm học 2024-2025" in text
    assert "Tỉnh Lai Châu" in text
    for name in (SCHOOL_OK, SCHOOL_AT_RISK, SCHOOL_NO_TARGET):
        assert name in text
    assert f"Cộng {BINH_LU}" in text
    assert f"Cộng {BAN_BO}" in text
    assert "Tổng cộng" in text
    assert "Số học sinh" in text.replace("\n", " ") or "Số học" in text


def test_figures_are_written_for_people(report: Report) -> None:
    text = _text(report)
    school = _line(text, SCHOOL_OK)
    assert "4.410" in school  # Vietnamese thousands
    assert "120%" in school and "16,7%" in school
    no_target = _line(text, SCHOOL_NO_TARGET)
    assert "—" in no_target  # unset target
    commune = _line(text, f"Cộng {BINH_LU}")
    assert "18 (Σ)" in commune and "5 (Σ)" in commune  # targets that are sums
    assert "(Σ): chỉ tiêu là tổng" in text


def test_schools_are_indented_under_their_unit(report: Report) -> None:
    text = _text(report)
    school = _line(text, SCHOOL_OK)
    commune = _line(text, f"Cộng {BINH_LU}")
    indent = len(school) - len(school.lstrip())
    assert indent > len(commune) - len(commune.lstrip())


def test_funnel_is_drawn_as_bars(report: Report) -> None:
    text = _text(report)
    assert "Phễu" in text
    attended = _line(text, "Đã học lớp bồi dưỡng  ")
    eligible = _line(text, "Đủ điều kiện  ")
    admitted = _line(text, "Đã kết nạp  ")
    assert attended.count("█") > eligible.count("█") > admitted.count("█") > 0
    assert attended.rstrip().endswith("20")
    assert "7 (35%)" in eligible


def test_colours_met_targets_green_and_at_risk_rows_red(report: Report) -> None:
    console = Console(
        record=True, width=160, force_terminal=True, color_system="standard", no_color=False
    )
    render_terminal(report, console)
    text = console.export_text(styles=True)
    at_risk = _line(text, SCHOOL_AT_RISK)
    assert "\x1b[31m" in at_risk or ";31m" in at_risk
    ok = _line(text, SCHOOL_OK)
    assert "32m" in ok  # the class target and the admission target are met
    assert "31m" not in ok


def test_names_only_with_names(report: Report, named_report: Report) -> None:
    assert "Lò Thị Hương" not in _text(report)
    text = _text(named_report)
    assert "Danh sách học sinh" in text
    assert "Lò Thị Hương" in text and "0123456789" in text


def test_a_narrow_terminal_keeps_the_key_columns_inside_the_window(report: Report) -> None:
    text = _text(report, width=80)
    assert "Cửa sổ hẹp" in text
    assert "Tổng cộng" in text
    assert all(len(line) <= 80 for line in text.splitlines())
    total = _line(text, "Tổng cộng")
    assert "4.940" in total and "10%" in total
