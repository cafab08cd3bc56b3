"""Parsing the data rows of one roster table into records (or row errors), with what is decided
for the whole table worked out once: which column holds what, each grade column's scale and term,
and the re-import digest that lets an unchanged row skip parsing (PARSER_VERSION)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from datetime import date
from operator import itemgetter
from typing import Any, Final

from dangvien_cli.core.cells import ValueProblem
from dangvien_cli.core.classes import parse_class_name
from dangvien_cli.core.dates import BirthDate
from dangvien_cli.core.grades import Grade
from dangvien_cli.core.names import name_problem
from dangvien_cli.core.text import clean
from dangvien_cli.importing.column_parsers import (
    CACHED_TYPES,
    Bad,
    ColumnParser,
    grade_parser,
    name_key_of,
    value_parsers,
    youth,
)
from dangvien_cli.importing.headers import GRADED_FIELDS
from dangvien_cli.importing.layout import Column, Table
from dangvien_cli.importing.plausible import parse_birth
from dangvien_cli.importing.rows import (
    RowError,
    classify,
    display_value,
    is_dated,
    is_filled,
    rows_between,
)
from dangvien_cli.importing.scales import decide_scales
from dangvien_cli.importing.values import (
    parse_code,
    parse_join_date,
    parse_text,
)
from dangvien_cli.roster.records import RosterRecord

# The version of the code that turns a table's cells into records, part of every re-import
# digest (TableParser.digest): a digest stored under another version does not count as
# unchanged, and the row is compared value by value once (then its digest is rewritten).
# Bump it whenever the same cells could be read otherwise: a value parser (core.dates,
# core.calendar, core.classes, importing.values, grade_values, column_parsers), the plausibility
# checks (importing.plausible, core.names), header recognition (importing.headers, layout),
# text cleaning (core.text) or this module.
# tests/importing/test_parser_version.py fails when the parsed form of its golden rows changes
# while this number does not.
# 3: Youth Union join dates, "Giới tính" of x marks, rows that are not people.
PARSER_VERSION: Final = 3


_MISSING = object()
_GENDER_MARKS = frozenset({"x", "✓", "✔", "√"})
_BLANK_GENDER_ROWS = 2000  # a gender column still blank after these rows is not one of marks


class TableParser:
    """Parses the data rows of one roster table, with the scale of each grade column decided.

    What is decided for the table (which column holds what, each grade column's scale and term)
    is worked out once; each row then costs a look-up per cell for the values rosters repeat."""

    def __init__(
        self,
        table: Table,
        rows: Sequence[list[object]],
        *,
        school_year: int | None,
        term: str | None,
        class_name: str | None,
        year_start: tuple[int, int] = (1, 9),
    ) -> None:
        self.table = table
        self.rows = rows
        self.school_year = school_year
        self.term = term
        self.class_name = class_name
        self.fields = table.fields
        self.graded = [c for c in table.columns if c.field in GRADED_FIELDS]
        self.scales = decide_scales(
            table, rows, self.graded, class_name=class_name, school_year=school_year
        )
        # Decided once for the table, used on every row: (column, kind, term, scale).
        distinct_terms = len({c.term for c in self.graded})
        self.grade_plan = [
            (
                col,
                "academic" if col.field == "academic" else "conduct",
                self.term_of(col, distinct_terms),
                self.scales[col.index],
            )
            for col in self.graded
        ]
        self.unknown = list(table.unknown_columns)
        self.width = max((c.index for c in table.columns), default=-1) + 1
        self.headers = [c.header for c in table.columns]
        self.ended_at: int | None = None  # the row data_rows() stopped at (a footer, a note…)
        f = self.fields
        self._code = f.get("student_code")
        self._name = f.get("full_name")
        self._birth = (
            ColumnParser(
                f["date_of_birth"],
                lambda raw: parse_birth(raw, school_year, year_start),
                cache=True,
            )
            if "date_of_birth" in f
            else None
        )
        # A "Giới tính" column of x and blanks only: x = Nữ, blank = Nam, as school lists write.
        self.gender_marks = "gender" in f and self._gender_is_marks(f["gender"].index)
        self._values = value_parsers(f, gender_marks=self.gender_marks)
        self._class = (
            ColumnParser(f["class_name"], parse_class_name, cache=True)
            if class_name is None and "class_name" in f
            else None
        )
        self.youth = (
            ColumnParser(f["youth_union"], youth, cache=True) if "youth_union" in f else None
        )
        self._joined = (
            ColumnParser(f["youth_union_joined"], parse_join_date, cache=True)
            if "youth_union_joined" in f
            else None
        )
        self._grades = [
            (ColumnParser(col, grade_parser(kind, scale), cache=True), kind, term)
            for col, kind, term, scale in self.grade_plan
            if term is not None  # the caller has refused a table whose grades have no term
        ]
        # The cells what a row says of a student comes from (all but the code, the ordinal and
        # the extra columns): in one table, the same cells always say the same.
        same = sorted(
            {
                c.index
                for c in (self._name, self._birth, self._class, self.youth, self._joined)
                if c is not None
            }
            | {c.index for _, c in self._values}
            | {c.index for c, _, _ in self._grades}
        )
        self._same_cells = itemgetter(*same) if same else None
        # What the re-import digest covers: every column but the ordinal, and everything
        # decided for the table, with the version of the parsing code (PARSER_VERSION).
        self._digest_cells = itemgetter(*(c.index for c in table.columns if c.field != "stt"))
        self._plan_key = repr(
            (
                PARSER_VERSION,
                [(c.index, c.field, c.term, c.header) for c in table.columns],
                sorted(self.scales.items()),
                [(col.index, kind, term) for col, kind, term, _ in self.grade_plan],
                self.class_name,
                table.context.class_name,
                school_year,
                term,
                year_start,  # the plausibility of a birth date depends on it
                self.gender_marks,
            )
        )

    def _gender_is_marks(self, index: int) -> bool:
        """Whether the data rows' gender cells are only marks (x, ✓) and blanks, with at least
        one mark. The first Nam or Nữ decides at once; a column blank in its first rows is not
        read to its end."""
        marked = False
        for n, (_, row) in enumerate(self.data_rows()):
            value = row[index] if index < len(row) else ""
            if not is_filled(value):
                if n >= _BLANK_GENDER_ROWS and not marked:
                    return False
                continue
            if not isinstance(value, str) or clean(value).lower() not in _GENDER_MARKS:
                return False
            marked = True
        return marked

    def same_key(self, cells: list[object]) -> int:
        """A hash of the cells a row's student comes from, for finding a row repeated."""
        return hash(self._same_cells(cells)) if self._same_cells is not None else 0

    def digest_start(self, where: str) -> Any:
        """The digest of rows written to `where` (school, year, term, columns), before a row."""
        return hashlib.blake2b(f"{where}\x1f{self._plan_key}\x1f".encode(), digest_size=12)

    def digest(self, cells: list[object], start: Any) -> str:
        """The digest of what a row says, stored with the student it writes: the same row
        again (same cells, same table, same parsing code) is unchanged without being parsed.
        Cells are compared as the reader gives them (repr keeps 1, 1.0 and True apart)."""
        if len(cells) < self.width:
            cells = [*cells, *([""] * (self.width - len(cells)))]
        h = start.copy()
        h.update(repr(self._digest_cells(cells)).encode())
        return str(h.hexdigest())

    def quick_code(self, cells: list[object]) -> str | None:
        """The row's student code when it parses (None when absent or not valid)."""
        col = self._code
        if col is None:
            return None
        raw = cells[col.index] if col.index < len(cells) else ""
        if raw.__class__ is str and raw.isdigit() and raw.isascii() and len(raw) <= 30:
            return raw
        try:
            return parse_code(raw)
        except ValueProblem:
            return None

    def class_of(self, cells: list[object]) -> str | None:
        """The class a row (already known to parse) puts its student in."""
        klass: object = self.class_name
        cell = self._class
        if cell is not None:
            raw = cells[cell.index]
            got = cell.cache.get(raw, _MISSING) if raw.__class__ in CACHED_TYPES else _MISSING
            klass = cell(raw) if got is _MISSING else got
        if klass is None or klass.__class__ is Bad:
            klass = self.table.context.class_name
        return klass  # type: ignore[return-value]

    def _identity(
        self, r: int, row: list[object], errors: list[RowError]
    ) -> tuple[str | None, str]:
        """The row's student code (None when absent or not valid) and full name ("" when
        absent), with their errors."""
        fail = self._fail
        code = None
        col = self._code
        if col is not None:
            raw = row[col.index]
            if raw.__class__ is str and raw.isdigit() and raw.isascii() and len(raw) <= 30:
                code = raw  # the usual code, as parse_code gives it back
            else:
                try:
                    code = parse_code(raw)
                except ValueProblem as exc:
                    fail(errors, r, row, col, raw, exc.reason)
        full_name = ""
        col = self._name
        if col is not None:
            raw = row[col.index]
            full_name = parse_text(raw) or ""
            if not full_name:
                fail(errors, r, row, col, raw, "Thiếu họ và tên học sinh.")
            elif (problem := name_problem(full_name)) is not None:
                fail(errors, r, row, col, raw, problem)
        elif code is None:
            fail(errors, r, row, None, "", "Dòng không có mã học sinh và họ tên.")
        return code, full_name

    def _youth_union(
        self, r: int, row: list[object], errors: list[RowError]
    ) -> tuple[bool | None, date | None, bool]:
        """Whether the student is in the Youth Union (None: the row does not say), since when,
        and whether the join date was written to the month or year only (kept as extra data).
        A join date (or a mark in the join-date column) makes a member, whatever the "Đoàn
        viên" column says; it is all a table without that column says."""
        youth: bool | None = None
        cell = self.youth
        if cell is not None:
            got = self._read(cell, r, row, errors)
            if got is not _MISSING:
                youth = got  # type: ignore[assignment]
        cell = self._joined
        if cell is None:
            return youth, None, False
        got = self._read(cell, r, row, errors)
        if got is _MISSING:
            return youth, None, False
        member: bool | None
        joined: date | None
        partial: bool
        member, joined, partial = got  # type: ignore[misc]
        if member is True or (member is False and youth is None):
            youth = member
        return youth, joined, partial

    def _results(
        self, r: int, row: list[object], errors: list[RowError]
    ) -> dict[str, dict[str, Grade | None]]:
        """The row's grades: term → {"academic"|"conduct": grade}."""
        results: dict[str, dict[str, Grade | None]] = {}
        for cell, kind, term in self._grades:
            got = self._read(cell, r, row, errors)
            if got is _MISSING:
                continue
            by_kind = results.get(term)
            if by_kind is None:
                by_kind = results[term] = {}
            by_kind[kind] = got  # type: ignore[assignment]
        return results

    def _read(
        self, cell: ColumnParser, r: int, row: list[object], errors: list[RowError]
    ) -> object:
        """The cell's parsed value (from the column's cache when it has it), or _MISSING once
        its reason is among the row's errors."""
        raw = row[cell.index]
        got = cell.cache.get(raw, _MISSING) if raw.__class__ in CACHED_TYPES else _MISSING
        if got is _MISSING:
            got = cell(raw)
        if got.__class__ is Bad:
            self._fail(errors, r, row, cell.column, raw, got.reason)
            return _MISSING
        return got

    def _fail(
        self,
        errors: list[RowError],
        r: int,
        row: list[object],
        col: Column | None,
        value: object,
        reason: str,
    ) -> None:
        errors.append(RowError.of_cell(self.table, self.headers, r, row, col, value, reason))

    def data_rows(self) -> Iterator[tuple[int, list[object]]]:
        """(row index, cells) of each data row, in order; stops at a footer, a note or a
        signature (see after_end). Technical rows are data only when a data row follows."""
        table = self.table
        code_i = self._code.index if self._code is not None else -1
        name_i = self._name.index if self._name is not None else -1
        need = max(code_i, name_i)
        r = table.first_row
        held: list[tuple[int, list[object]]] = []  # technical rows, until a data row follows
        self.ended_at = None
        for row in rows_between(self.rows, table.first_row, table.end_row):
            # The common case, as classify() decides it, without a call: a filled code and a
            # name with a space in it (not a column number "(2)", not a technical ID).
            if code_i >= 0 and name_i >= 0 and need < len(row):
                name = row[name_i]
                code = row[code_i]
                if (
                    name.__class__ is str
                    and code is not None
                    and (code.__class__ is not str or code.strip())
                    and " " in name.strip()
                ):
                    if held:
                        yield from held
                        held = []
                    yield r, row
                    r += 1
                    continue
            kind = classify(row, table)
            if kind.ends_table:
                self.ended_at = r
                return
            if kind.trailing:
                held.append((r, row))
            elif kind.data:
                if held:
                    yield from held
                    held = []
                yield r, row
            r += 1

    def after_end(self) -> list[int]:
        """The rows below where data_rows stopped (a footer, a note, a signature) that look like
        students (a name, with a code or a date of birth): they are not imported, and the
        summary names them. Row indexes, 0-based."""
        if self.ended_at is None:
            return []
        table = self.table
        name_i = self._name.index if self._name is not None else -1
        birth_i = self._birth.index if self._birth is not None else -1
        found = []
        start = self.ended_at + 1
        for r, row in enumerate(rows_between(self.rows, start, table.end_row), start=start):
            name = row[name_i] if 0 <= name_i < len(row) else ""
            if not isinstance(name, str) or name_problem(clean(name)) or " " not in name.strip():
                continue  # a signer's name has no code and no date of birth beside it
            dated = 0 <= birth_i < len(row) and is_dated(row[birth_i])
            if (self.quick_code(row) is not None or dated) and classify(row, table).data:
                found.append(r)
        return found

    def term_of(self, column: Column, distinct_terms: int) -> str | None:
        if distinct_terms > 1:
            return column.term  # columns for several terms: each keeps its own
        return self.term or column.term or self.table.context.term

    def parse(self, r: int, row: list[object]) -> RosterRecord | list[RowError]:
        if len(row) < self.width:  # short rows (calamine trims trailing blanks) read as blank
            row = [*row, *([""] * (self.width - len(row)))]
        errors: list[RowError] = []
        read = self._read
        code, full_name = self._identity(r, row, errors)
        values: dict[str, object] = {}
        birth: BirthDate | None = None
        cell = self._birth
        if cell is not None:
            got = read(cell, r, row, errors)
            if got is not _MISSING:
                birth = got  # type: ignore[assignment]
        for name, cell in self._values:
            got = read(cell, r, row, errors)
            if got is not _MISSING:
                values[name] = got
        klass = self.class_name
        cell = self._class
        if cell is not None:
            got = read(cell, r, row, errors)
            if got is not _MISSING:
                klass = got  # type: ignore[assignment]
        if klass is None:
            klass = self.table.context.class_name
        values["class_name"] = klass
        youth, joined, partial = self._youth_union(r, row, errors)
        results = self._results(r, row, errors) if self._grades else {}
        extra = (
            {
                c.header: display_value(row[c.index])
                for c in self.unknown
                if c.index < len(row) and is_filled(row[c.index])
            }
            if self.unknown
            else {}
        )
        if partial and self._joined is not None:  # "03/2023": a member, the date kept as written
            col = self._joined.column
            extra[col.header] = display_value(row[col.index])
        if errors:
            return errors
        return RosterRecord(
            row=r + 1,
            code=code,
            full_name=full_name,
            name_key=name_key_of(full_name) if full_name else "",
            birth=birth,
            values=values,
            results=results,
            youth_union=youth,
            youth_union_joined=joined,
            extra=extra,
            cells=row,  # the sheet's own list: rows are never changed once read
        )
