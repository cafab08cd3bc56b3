"""Cells merged down a table's data rows, read as the sheet shows them.

A roster often merges the class (or the ethnicity, the ordinal) down the rows of its students:
Excel shows the value beside every one of those rows, but the file stores it in the first row
only, and may keep old values hidden under the merge. Each row of such a range is read with the
value shown, its first cell's. Merges across columns are left alone: a footer merged across the
table ("Tổng số: 45") must stay a footer.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import overload

from dangvien_cli.importing.layout import Table
from dangvien_cli.importing.reader import MergedRange


class MergedDown(Sequence[list[object]]):
    """The rows of a sheet, with the cells of column merges over data rows filled in."""

    def __init__(self, rows: Sequence[list[object]], fills: dict[int, dict[int, object]]) -> None:
        self._rows = rows
        self._fills = fills  # row → {column: value shown}

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> list[object]: ...

    @overload
    def __getitem__(self, index: slice) -> list[list[object]]: ...

    def __getitem__(self, index: int | slice) -> list[object] | list[list[object]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        row = self._rows[index]
        fill = self._fills.get(index if index >= 0 else index + len(self))
        if fill is None:
            return row
        width = max(len(row), max(fill) + 1)
        patched = [*row, *([""] * (width - len(row)))]
        for column, value in fill.items():
            patched[column] = value
        return patched

    def __iter__(self) -> Iterator[list[object]]:
        for i in range(len(self)):
            yield self[i]


@overload
def merged_down(
    rows: list[list[object]], ranges: list[MergedRange], table: Table
) -> list[list[object]]: ...


@overload
def merged_down(
    rows: Sequence[list[object]], ranges: list[MergedRange], table: Table
) -> Sequence[list[object]]: ...


def merged_down(
    rows: Sequence[list[object]], ranges: list[MergedRange], table: Table
) -> Sequence[list[object]]:
    """A sheet's rows as the table's parser should read them (the same object when no column
    is merged down its data rows; a list stays a list).

    `ranges` are the sheet's column merges that start inside the table (Sheet.merged_down):
    the work is the cells they cover inside the table, whatever the sheet's other merges."""
    fills: dict[int, dict[int, object]] = {}
    for (r1, c1), (r2, c2) in ranges:
        if c1 != c2 or r2 <= r1 or r1 < table.first_row or r1 >= table.end_row:
            continue
        top = rows[r1]
        value = top[c1] if c1 < len(top) else ""
        for r in range(r1 + 1, min(r2, table.end_row - 1) + 1):
            fills.setdefault(r, {})[c1] = value
    if not fills:
        return rows
    view = MergedDown(rows, fills)
    if not isinstance(rows, list):
        return view
    patched = list(rows)  # a copy of the references only; the rows filled in are new lists
    for r in fills:
        patched[r] = view[r]
    return patched
