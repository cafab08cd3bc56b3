"""The renderers' table: every format of `dangvien report` behind one interface, picked by name."""

from __future__ import annotations

import json

import pytest
from rich.console import Console

from dangvien_cli.reports.model import Report
from dangvien_cli.reports.render_terminal import render_terminal
from dangvien_cli.reports.renderers import (
    FILE_FORMATS,
    RENDERERS,
    FileRenderer,
    Screen,
    StreamRenderer,
    file_renderer,
    stream_renderer,
)


def test_the_table_names_every_format_once() -> None:
    assert list(RENDERERS) == ["terminal", "json", "xlsx", "html", "docx"]
    assert FILE_FORMATS == ("xlsx", "html", "docx")
    for name, renderer in RENDERERS.items():
        assert renderer.name == name
        assert issubclass(renderer, StreamRenderer) != issubclass(renderer, FileRenderer)
        if issubclass(renderer, FileRenderer):
            assert renderer.suffix == name


def test_a_stream_format_is_not_a_file_format_nor_the_other_way() -> None:
    with pytest.raises(AssertionError):
        file_renderer("json")
    with pytest.raises(AssertionError):
        stream_renderer("xlsx")


def test_json_is_echoed_as_every_json_output_is(report: Report) -> None:
    echoed: list[str] = []
    made: list[Console] = []

    def console() -> Console:
        made.append(Console())
        return made[-1]

    stream_renderer("json").show(report, Screen(console, echoed.append))
    assert echoed == [json.dumps(report.as_json(), ensure_ascii=False, indent=2)]
    assert made == []  # JSON needs no rich console


def test_the_terminal_renderer_prints_the_terminal_report(report: Report) -> None:
    shown = Console(record=True, width=160)
    stream_renderer("terminal").show(report, Screen(lambda: shown, print))
    direct = Console(record=True, width=160)
    render_terminal(report, direct)
    assert shown.export_text() == direct.export_text()
