"""Reading a test's database file back with the plain sqlite3 module, as an outside check would."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any


def query(db: Path, sql: str, *params: object) -> list[tuple[Any, ...]]:
    """Rows of a query on the database file, read with the plain sqlite3 module."""
    con = sqlite3.connect(db)
    try:
        return list(con.execute(sql, params))
    finally:
        con.close()


def snapshot(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table that holds students' data (not the import log or audit)."""
    tables = ["person", "student", "enrollment", "term_result", "youth_union", "milestone",
              "school", "school_year"]  # fmt: skip
    return {t: query(db, f"SELECT * FROM {t} ORDER BY id") for t in tables}


RESULTS_SQL = """
SELECT s.student_code, y.label, r.term, r.academic, r.academic_scale, r.conduct, r.conduct_scale
FROM term_result r
JOIN student s ON s.id = r.student_id
JOIN school_year y ON y.id = r.school_year_id
ORDER BY s.student_code, y.start_year, r.term
"""


def results(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """student code → [(school year, term, academic, scale, conduct, scale)…]."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    for code, *rest in query(db, RESULTS_SQL):
        out.setdefault(code, []).append(tuple(rest))
    return out
