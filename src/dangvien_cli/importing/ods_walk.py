""".ods content measured by a streaming XML parser before calamine reads it.

One cell written once may stand for millions: table:number-columns-repeated and
table:number-rows-repeated multiply it, and calamine gives every copy its own cell and its own
copy of the text. content.xml is inflated a piece at a time into expat (whatever its size: no
part is skipped) and each sheet's rectangle, cells and text are counted with their repeats into
the workbook's Budget (importing.grids).
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from dangvien_cli.importing.grids import WALK_LIMIT, Budget, refuse
from dangvien_cli.importing.sheet_walk import NotWellFormed, check_prolog, feed, new_parser

_CELLS = ("table-cell", "covered-table-cell")


def _local(name: str) -> str:
    return name[name.find(":") + 1 :]


def _repeat(attrs: list[str], wanted: str) -> int:
    for i in range(0, len(attrs), 2):
        if _local(attrs[i]) == wanted:
            text = attrs[i + 1].strip()
            return int(text) if text.isdigit() and int(text) > 0 else 1
    return 1


class OdsWalk:
    """expat's handlers over content.xml: tables, rows, cells and the text inside cells."""

    def __init__(self, budget: Budget, parser: Any) -> None:
        self.budget = budget
        self.parser = parser
        self.sheet = ""
        self.depth = 0  # tables inside tables (a table in a cell) are counted as part of it
        self.row = self.last_row = self.last_col = 0
        self.row_repeat = 1
        self.col = self.row_last_col = 0
        self.row_cells = self.row_text = 0
        self.cell_span = 0  # >0 inside a cell
        self.cell_used = False
        self.cell_text = 0

    def start(self, name: str, attrs: list[str]) -> None:
        local = _local(name)
        if self.cell_span:
            self.cell_used = True  # a paragraph (or anything) inside the cell
        if local == "table":
            self.depth += 1
            if self.depth == 1:
                self.sheet = next(
                    (attrs[i + 1] for i in range(0, len(attrs), 2) if _local(attrs[i]) == "name"),
                    "",
                )
                self.row = self.last_row = self.last_col = 0
        elif local == "table-row":
            self.row_repeat = _repeat(attrs, "number-rows-repeated")
            self.col = self.row_last_col = self.row_cells = self.row_text = 0
        elif local in _CELLS and not self.cell_span:
            self.cell_span = _repeat(attrs, "number-columns-repeated")
            self.cell_used = any(_local(attrs[i]) == "value-type" for i in range(0, len(attrs), 2))
            self.cell_text = 0

    def text(self, data: str) -> None:
        if self.cell_span:
            self.cell_text += len(data.encode("utf-8", "surrogatepass"))

    def end(self, name: str) -> None:
        local = _local(name)
        if local in _CELLS and self.cell_span and not self._nested():
            span, self.cell_span = self.cell_span, 0
            if self.cell_used:
                self.row_last_col = self.col + span
                self.row_cells += span
                self.row_text += span * self.cell_text
            self.col += span
        elif local == "table-row" and not self.cell_span:
            repeat = self.row_repeat
            if self.row_last_col:
                self.last_row = self.row + repeat
                self.last_col = max(self.last_col, self.row_last_col)
                self.budget.check_sheet(self.sheet, self.last_col, self.last_row)
                self.budget.add_cells(self.row_cells * repeat)
                self.budget.add_text(self.row_text * repeat)
            self.row += repeat
            self.row_repeat = 1
        elif local == "table":
            self.depth -= 1
            if self.depth == 0:
                self.budget.sheet_done(self.sheet, self.last_col, self.last_row)

    def _nested(self) -> bool:
        return self.depth > 1


def measure_ods(path: Path, archive: zipfile.ZipFile) -> Budget:
    info = archive.NameToInfo.get("content.xml")
    if info is None:
        raise refuse(path, "tệp .ods bị hỏng: thiếu phần nội dung (content.xml).")
    budget = Budget(path, xml=info.file_size)
    if info.file_size > WALK_LIMIT:  # real content: calamine's child measures it (sandbox)
        budget.measured = False
        check_prolog(path, archive, info)
        return budget
    parser = new_parser()
    walk = OdsWalk(budget, parser)
    parser.StartElementHandler = walk.start
    parser.EndElementHandler = walk.end
    parser.CharacterDataHandler = walk.text
    try:
        feed(path, archive, info, parser)
    except NotWellFormed:
        return Budget(path, xml=info.file_size, measured=False)
    budget.check_sparse()
    return budget
