"""The report's renderers behind one interface, and the table `dangvien report` picks from.

As pip-audit's `_format/interface.py` does for its output formats: each renderer is a small
class, named by its format, with the same method as the others of its kind; the command looks
the format up in `RENDERERS` instead of an if/elif chain. There are two kinds: a stream
renderer shows the report on the command's standard output (`show`: the terminal's table,
JSON), a file renderer writes it to a file (`write`: xlsx, html, docx). What some formats take
and others ignore (the user's template, the letterhead of a Word report) travels in one
`RenderOptions`.

Each renderer imports its library (rich, openpyxl, jinja2, docxtpl) only when it renders:
start-up of `dangvien report` loads none of them for the formats it was not asked for.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from rich.console import Console

    from dangvien_cli.reports.model import Report


@dataclass(frozen=True)
class RenderOptions:
    """What the command line says about a report's files beyond their format and path."""

    template: str | None = None  # the user's HTML/Word template (--template)
    user_dir: Path | None = None  # the folder of the user's templates (--templates)
    issuer: str | None = None  # the Word report's letterhead: the issuing body (--issuer)
    place: str | None = None  # … the place on the date line (--place)
    number: str | None = None  # … the document's number (--number)


@dataclass(frozen=True)
class Screen:
    """The command's standard output, as the command prints on it: a rich console (as wide as
    the terminal, in its colours), made when a renderer asks for it so that JSON loads no rich;
    and `echo`, for a text printed as it is with a newline after (every command's --json is
    printed so)."""

    console: Callable[[], Console]
    echo: Callable[[str], None]


class Renderer(ABC):
    """A report in one format."""

    name: ClassVar[str]  # the format, as RENDERERS knows it

    def __init__(self, options: RenderOptions | None = None) -> None:
        self.options = options or RenderOptions()


class StreamRenderer(Renderer):
    """Shows a report on the command's standard output."""

    @abstractmethod
    def show(self, report: Report, screen: Screen) -> None:
        """Print `report` on `screen`."""


class FileRenderer(Renderer):
    """Writes a report to a file of one format, whole or not at all."""

    suffix: ClassVar[str]  # the format's file name suffix, without the dot: its name too

    @abstractmethod
    def write(self, report: Report, path: Path) -> None:
        """Write `report` to `path`."""


class TerminalRenderer(StreamRenderer):
    """The table of schools and units, then the funnel, as wide as the terminal allows."""

    name = "terminal"

    def show(self, report: Report, screen: Screen) -> None:
        from dangvien_cli.reports.render_terminal import render_terminal

        render_terminal(report, screen.console())


class JsonRenderer(StreamRenderer):
    """The report's figures as JSON (`--json`), indented by two spaces, Vietnamese as it is."""

    name = "json"

    def render(self, report: Report) -> str:
        return json.dumps(report.as_json(), ensure_ascii=False, indent=2)

    def show(self, report: Report, screen: Screen) -> None:
        screen.echo(self.render(report))


class XlsxRenderer(FileRenderer):
    """An Excel workbook an organising office can print as it is."""

    name = suffix = "xlsx"

    def write(self, report: Report, path: Path) -> None:
        from dangvien_cli.reports.render_xlsx import render_xlsx

        render_xlsx(report, path)


class HtmlRenderer(FileRenderer):
    """A printable web page, from the packaged template or the user's."""

    name = suffix = "html"

    def write(self, report: Report, path: Path) -> None:
        from dangvien_cli.reports.render_html import render_html

        render_html(report, path, template=self.options.template, user_dir=self.options.user_dir)


class DocxRenderer(FileRenderer):
    """A Word report in the Party's document format, from the packaged template or the user's."""

    name = suffix = "docx"

    def write(self, report: Report, path: Path) -> None:
        from dangvien_cli.reports.render_docx import render_docx

        options = self.options
        render_docx(
            report,
            path,
            template=options.template,
            user_dir=options.user_dir,
            issuer=options.issuer,
            place=options.place,
            number=options.number,
        )


# The file formats in the order the command writes them when several are asked for.
RENDERERS: dict[str, type[Renderer]] = {
    renderer.name: renderer
    for renderer in (TerminalRenderer, JsonRenderer, XlsxRenderer, HtmlRenderer, DocxRenderer)
}
FILE_FORMATS = tuple(name for name, r in RENDERERS.items() if issubclass(r, FileRenderer))


def stream_renderer(fmt: str, options: RenderOptions | None = None) -> StreamRenderer:
    """The renderer of a format shown on standard output (terminal, json)."""
    renderer = RENDERERS[fmt](options)
    assert isinstance(renderer, StreamRenderer), fmt
    return renderer


def file_renderer(fmt: str, options: RenderOptions | None = None) -> FileRenderer:
    """The renderer of a format written to a file (FILE_FORMATS)."""
    renderer = RENDERERS[fmt](options)
    assert isinstance(renderer, FileRenderer), fmt
    return renderer
