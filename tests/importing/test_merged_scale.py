"""Merged ranges cost the cells they cover, never ranges × tables (issue 11: 250,000 merged
ranges on a header row hung the import past 3 minutes). The guard refuses more than
grids.MAX_MERGED ranges in a file; these tests build the sheet in memory, past the guard, to
show that even then finding the tables and reading their rows stays fast."""

from __future__ import annotations

import time

from dangvien_cli.importing.layout import find_tables
from dangvien_cli.importing.merged import merged_down
from dangvien_cli.importing.reader import MergedRange, Sheet

HEADER = ["STT", "Mã học sinh", "Họ và tên", "Ngày sinh", "Lớp"]


def blocks(count: int, students: int) -> list[list[object]]:
    """`count` classes one under the other, each a title, its header and its students."""
    rows: list[list[object]] = []
    n = 0
    for b in range(count):
        rows.append([f"DANH SÁCH HỌC SINH LỚP 10A{b % 9 + 1}"])
        rows.append(list(HEADER))
        for s in range(students):
            n += 1
            rows.append([s + 1, f"{2900000000 + n}", f"Học Sinh Số {n}", "01/01/2008", "10A1"])
    return rows


def test_250000_merged_ranges_on_a_header_row() -> None:
    rows = blocks(1, 40)
    spans = [((1, 0), (1, 1)), ((1, 1), (1, 2)), ((1, 0), (1, 4)), ((1, 2), (1, 3))]
    merged: list[MergedRange] = [spans[i % len(spans)] for i in range(250_000)]
    sheet = Sheet(name="10A1", rows=rows, merged=merged)

    started = time.perf_counter()
    tables = find_tables(sheet)
    read = [merged_down(rows, sheet.merged_down(t.first_row, t.end_row), t) for t in tables]
    took = time.perf_counter() - started

    assert len(tables) == 1 and len(read[0]) == len(rows)
    assert took < 3, took


def test_many_tables_and_many_merges_down_cost_what_they_cover() -> None:
    """1,000 classes in one sheet, the class column merged down each (with 9 more ranges
    over the same cells): each table looks only at the ranges that start inside it."""
    count, students = 1_000, 20
    rows = blocks(count, students)
    merged: list[MergedRange] = []
    for b in range(count):
        first = b * (students + 2) + 2
        merged += [((first, 4), (first + students - 1, 4))] * 10
    sheet = Sheet(name="Khoi 10", rows=rows, merged=merged)

    started = time.perf_counter()
    tables = find_tables(sheet)
    shown = [merged_down(rows, sheet.merged_down(t.first_row, t.end_row), t) for t in tables]
    took = time.perf_counter() - started

    assert len(tables) == count
    last = tables[-1]
    assert shown[-1][last.end_row - 1][4] == "10A1"
    assert took < 5, took
