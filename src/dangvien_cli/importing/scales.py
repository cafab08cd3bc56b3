"""Which grading scale (TT58 or TT22) each grade column of a roster table uses, when the file
does not say: people mix scales, and "Khá" or "Tốt" exist on both."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from dangvien_cli.core.cells import ValueProblem
from dangvien_cli.core.classes import grade_of_class
from dangvien_cli.importing.grade_values import default_scale, is_ambiguous, parse_grade
from dangvien_cli.importing.layout import Column, Table
from dangvien_cli.importing.rows import is_filled, rows_between


def decide_scales(
    table: Table,
    rows: Sequence[list[object]],
    graded: list[Column],
    *,
    class_name: str | None,
    school_year: int | None,
) -> dict[int, str]:
    """Each grade column's scale (by column index): its own unambiguous values decide; else the
    other grade column of the same term, if its values decided; else its header wording; else
    the scale the school year and grade imply."""
    grade = None
    klass = class_name or table.context.class_name
    if klass:
        grade = grade_of_class(klass)
    decided: dict[int, str] = {}
    for col in graded:
        kind = "academic" if col.field == "academic" else "conduct"
        votes: Counter[str] = Counter()
        for row in rows_between(rows, table.first_row, table.end_row):
            value = row[col.index] if col.index < len(row) else ""
            if not is_filled(value) or is_ambiguous(value, kind):
                continue
            try:
                parsed = parse_grade(value, kind=kind, scale=None)
            except ValueProblem:
                continue
            if parsed is not None:
                votes[parsed.scale] += 1
                if votes.total() >= 500:  # enough to know; a long table need not be read twice
                    break
        if votes:
            decided[col.index] = votes.most_common(1)[0][0]
    scales = dict(decided)
    for col in graded:
        if col.index in scales:
            continue
        sibling = next(
            (
                decided[c.index]
                for c in graded
                if c.index in decided and c.field != col.field and c.term == col.term
            ),
            None,
        )
        if sibling is not None:
            scales[col.index] = sibling
        elif col.scale_hint:
            scales[col.index] = col.scale_hint
        elif school_year is not None:
            scales[col.index] = default_scale(school_year, grade)
        else:
            scales[col.index] = "tt58"
    return scales
