"""The report's file renderers behind one interface, and the table `dangvien report` picks from.

As pip-audit's `_format/interface.py` does for its output formats: each renderer is a small
class with the same method, `write(report, path)`, and says which file name suffix it writes;
the command looks the format up in `RENDERERS` instead of an if/elif chain. What some formats
take and others ignore (the user's template, the letterhead of a Word report) travels in one
`RenderOptions`.

Each renderer imports its library (openpyxl, jinja2, docxtpl) only when it writes: start-up
of `dangvien report` loads none of them for a report shown in the terminal.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from dangvien_cli.reports.model import Report


@dataclass(frozen=True)
class RenderOptions:
    """What the command line says about a report's files beyond their format and path."""

    template: str | None = None  # the user's HTML/Word template (--template)
    user_dir: Path | None = None  # the folder of the user's templates (--templates)
    issuer: str | None = None  # the Word report's letterhead: the issuing body (--issuer)
    place: str | None = None  # … the place on the date line (--place)
    number: str | None = None  # … the document's number (--number)


class FileRenderer(ABC):
    """Writes a report to a file of one format, whole or not at all."""

    suffix: ClassVar[str]  # the format's name and its file name suffix, without the dot

    def __init__(self, options: RenderOptions | None = None) -> None:
        self.options = options or RenderOptions()

    @abstractmethod
    def write(self, report: Report, path: Path) -> None:
        """Write `report` to `path`."""


class XlsxRenderer(FileRenderer):
    """An Excel workbook an organising office can print as it is."""

    suffix = "xlsx"

    def write(self, report: Report, path: Path) -> None:
        from dangvien_cli.reports.render_xlsx import render_xlsx

        render_xlsx(report, path)


class HtmlRenderer(FileRenderer):
    """A printable web page, from the packaged template or the user's."""

    suffix = "html"

    def write(self, report: Report, path: Path) -> None:
        from dangvien_cli.reports.render_html import render_html

        render_html(report, path, template=self.options.template, user_dir=self.options.user_dir)


class DocxRenderer(FileRenderer):
    """A Word report in the Party's document format, from the packaged template or the user's."""

    suffix = "docx"

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


# In the order the command writes them when several are asked for.
RENDERERS: dict[str, type[FileRenderer]] = {
    renderer.suffix: renderer for renderer in (XlsxRenderer, HtmlRenderer, DocxRenderer)
}


def file_renderer(fmt: str, options: RenderOptions | None = None) -> FileRenderer:
    """The renderer of a format named in RENDERERS."""
    return RENDERERS[fmt](options)
