"""Finding the tables in a sheet: header rows, the columns they name, and the titles above them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from dangvien_cli.core.calendar import parse_school_year, parse_term
from dangvien_cli.core.text import clean, fold
from dangvien_cli.importing.headers import (
    MILESTONE_FIELDS,
    ROSTER_ONLY_FIELDS,
    HeaderMatch,
    match_header,
    may_name,
    names_someone_else,
    settle_names,
)
from dangvien_cli.importing.reader import Sheet
from dangvien_cli.importing.titles import school_from_title

HEADER_SEARCH_ROWS = 30


@dataclass
class Column:
    index: int
    header: str  # as written (both rows of a two-row header, joined by " / ")
    field: str | None
    term: str | None = None  # from "Học kỳ I" above it, or from the header itself
    scale_hint: str | None = None  # tt58/tt22 from the header wording


@dataclass
class Context:
    """What the titles above a table (or the sheet name) say about it."""

    school: str | None = None
    class_name: str | None = None
    school_year: int | None = None
    term: str | None = None


@dataclass
class Table:
    """One table found in a sheet: its columns and the rows holding its data."""

    sheet: str
    header_first: int  # 0-based rows
    header_last: int
    columns: list[Column]
    first_row: int
    end_row: int  # exclusive
    context: Context = field(default_factory=Context)

    @cached_property
    def fields(self) -> dict[str, Column]:
        """The first column of each field (a term-qualified grade column counts separately)."""
        out: dict[str, Column] = {}
        for col in self.columns:
            if col.field is not None and col.field not in out:
                out[col.field] = col
        return out

    @property
    def kind(self) -> str:
        names = {c.field for c in self.columns if c.field}
        if names & MILESTONE_FIELDS and not names & ROSTER_ONLY_FIELDS:
            return "milestones"
        return "roster"

    @property
    def unknown_columns(self) -> list[Column]:
        return [c for c in self.columns if c.field is None and c.header]


def _text(value: object) -> str:
    if isinstance(value, str):
        return clean(value)
    return ""


def _row_matches(row: list[object]) -> dict[int, HeaderMatch]:
    found: dict[int, HeaderMatch] = {}
    for i, value in enumerate(row):
        text = _text(value)
        if text and len(text) <= 80:
            match = match_header(text)
            if match is not None:
                found[i] = match
    return settle_names(found)


def _is_header(matches: dict[int, HeaderMatch]) -> bool:
    names = {m.field for m in matches.values()}
    if "full_name" in names:
        return len(names - {"stt"}) >= 2
    # A milestone sheet keyed by code may lack names; a roster never does.
    return "student_code" in names and len(names & MILESTONE_FIELDS) >= 1


def _header_at(rows: Sequence[list[object]], r: int) -> bool:
    """Row r starts a header: on its own, or with the row below when the top row holds only the
    name and group labels ("Họ và tên" | "Học kỳ I" over "Học lực" | "Hạnh kiểm")."""
    matches = _row_matches(rows[r])
    if _is_header(matches):
        return True
    name_col = next((i for i, m in matches.items() if m.field == "full_name"), None)
    if name_col is None or r + 1 >= len(rows) or not _is_second_header(rows[r + 1], name_col):
        return False
    return _is_header({**_row_matches(rows[r + 1]), **matches})


def find_tables(sheet: Sheet) -> list[Table]:
    """Every table in the sheet: the first header within the first 30 rows, then any repeats."""
    rows = sheet.rows
    first: int | None = None
    for r in range(min(len(rows), HEADER_SEARCH_ROWS)):
        if _header_at(rows, r):
            first = r
            break
    if first is None:
        return []
    # A repeated block repeats the header: only rows whose cell in the first header's name (or
    # code) column is itself a header are looked at closely, so a long table costs one check
    # a row.
    first_matches = _row_matches(rows[first])
    key_col = next(
        (i for i, m in first_matches.items() if m.field == "full_name"),
        next(iter(first_matches)),
    )
    key_field = first_matches[key_col].field
    headers = [first]
    for r in range(first + 1, len(rows)):
        row = rows[r]
        cell = row[key_col] if key_col < len(row) else ""
        if not isinstance(cell, str) or not cell or len(cell) > 40:
            continue
        if not may_name(cell, key_field):
            continue
        match = settle_names({key_col: m} if (m := match_header(cell)) else {}).get(key_col)
        if match is not None and match.field == key_field and _header_at(rows, r):
            headers.append(r)
    if not headers:
        return []
    tables: list[Table] = []
    title_start = 0
    for n, h in enumerate(headers):
        next_h = headers[n + 1] if n + 1 < len(headers) else len(rows)
        columns, header_last = _columns(sheet, h)
        # The next table's titles sit just above its header: they end this table's data.
        end = (
            _titles_start(rows, next_h, header_last + 1, columns)
            if n + 1 < len(headers)
            else len(rows)
        )
        context = _context(rows[title_start:h], columns)
        tables.append(
            Table(
                sheet=sheet.name,
                header_first=h,
                header_last=header_last,
                columns=columns,
                first_row=header_last + 1,
                end_row=end,
                context=context,
            )
        )
        title_start = end
    return tables


def _titles_start(
    rows: Sequence[list[object]], header: int, floor: int, columns: list[Column]
) -> int:
    """Walk up from a repeated header over its title rows and blank rows."""
    fields = {c.index: c.field for c in columns if c.field}
    r = header
    while r - 1 >= floor and _is_title_like(rows[r - 1], fields):
        r -= 1
    return r


# Words a title row starts with and a person's name never does (folded).
_TITLE_START = re.compile(
    r"^(?:so|phong|truong|danh sach|bang tong hop|bao cao|cong hoa|doc lap|nam hoc|hoc ky"
    r"|lop|khoi|ubnd|uy ban)\b"
)


# A label and a number, once or more: counters ("Tổng số HS: 645", "Nam: 320 Nữ: 325"), the
# period of a report ("Từ ngày: 01/09/2024"), a class ("Lớp: 10A1"); or the label alone, its
# number in the next cell ("Tổng số:" | 45). A name has no colon.
_LABELLED_NUMBER = re.compile(r"^[^\W\d_][\w .&/()-]{0,40}?:(?:\s*\d|\s*$)")
# The period of a report written without a colon (folded): "Từ ngày 01/09/2024 đến ngày …".
_PERIOD = re.compile(r"^(?:tu ngay|den ngay|ky bao cao|thoi gian bao cao)\b")


def is_label_line(text: str) -> bool:
    """A cell that states a count, a period or a class over or under a table, or labels the
    next cell's: never a person."""
    return bool(_LABELLED_NUMBER.match(text) or _PERIOD.match(fold(text)))


def _is_title_like(row: list[object], fields: dict[int, str]) -> bool:
    filled = [
        (i, v)
        for i, v in enumerate(row)
        if not (v is None or (isinstance(v, str) and not v.strip()))
    ]
    if not filled:
        return True
    first = filled[0][1]
    if isinstance(first, str) and is_label_line(clean(first)):
        return True  # "Từ ngày: … Đến ngày: …", "Nam: 320 | Nữ: 325" over a repeated header
    if len(filled) > 2 or not all(isinstance(v, str) for _, v in filled):
        return False
    # A name and one more value in the table's own columns (a roster of names and dates of birth
    # typed as text) is the previous block's last student, not a title of the next block.
    if len(filled) == 2 and all(i in fields for i, _ in filled):
        name = next((v for i, v in filled if fields[i] == "full_name"), None)
        if isinstance(name, str) and not _TITLE_START.match(fold(name)):
            return False
    return True


def _columns(sheet: Sheet, h: int) -> tuple[list[Column], int]:
    """The columns under header row h, reading a second header row below it when there is one."""
    rows = sheet.rows
    top = rows[h]
    below = rows[h + 1] if h + 1 < len(rows) else []
    width = max(len(top), len(below))
    top_matches = _row_matches(top)
    name_col = (
        next(i for i, m in top_matches.items() if m.field == "full_name")
        if any(m.field == "full_name" for m in top_matches.values())
        else next(iter(top_matches))
    )
    two_rows = _is_second_header(below, name_col)
    groups = _group_labels(sheet, h, top, below, width) if two_rows else {}
    columns: list[Column] = []
    from dangvien_cli.importing.grade_values import scale_from_header

    lowers = [_text(below[i]) if two_rows and i < len(below) else "" for i in range(width)]
    owns = [lower or (_text(top[i]) if i < len(top) else "") for i, lower in enumerate(lowers)]
    # "Họ tên" | "Năm sinh" under a merged "Cha" are the father's: kept as extra data.
    theirs = {i for i, low in enumerate(lowers) if low and names_someone_else(groups.get(i, ""))}
    matches = settle_names(
        {i: m for i, own in enumerate(owns) if own and i not in theirs and (m := match_header(own))}
    )
    for i, own in enumerate(owns):
        group = groups.get(i) if lowers[i] else None
        header = f"{group} / {own}" if group and group != own else own
        match = matches.get(i)
        term = None
        if match is not None:
            term = match.term
            if term is None and group:
                term = parse_term(group)
        columns.append(
            Column(
                index=i,
                header=header,
                field=match.field if match else None,
                term=term,
                scale_hint=scale_from_header(fold(own)) if match else None,
            )
        )
    return columns, (h + 1 if two_rows else h)


def _is_second_header(below: list[object], name_col: int) -> bool:
    """Row h+1 continues the header when it names fields and carries no student."""
    if not below:
        return False
    if name_col < len(below) and _text(below[name_col]):
        return False
    texts = [_text(v) for v in below if _text(v)]
    if not texts or any(not isinstance(v, str) for v in below if v not in ("", None)):
        return False
    return any(match_header(t) is not None for t in texts)


def _group_labels(
    sheet: Sheet, h: int, top: list[object], below: list[object], width: int
) -> dict[int, str]:
    """For each column of a two-row header, the label of the merged group cell above it."""
    groups: dict[int, str] = {}
    for (_, c1), (_, c2) in sheet.merged_across(h):  # sorted once per sheet: never all ranges
        label = _text(top[c1]) if c1 < len(top) else ""
        for c in range(c1, min(c2, width - 1) + 1):
            groups[c] = label
    # Without merge information (.ods), a group label runs right over the empty top cells.
    current = ""
    for i in range(width):
        upper = _text(top[i]) if i < len(top) else ""
        lower = _text(below[i]) if i < len(below) else ""
        if upper:
            current = upper if lower else ""
        if lower and i not in groups and current:
            groups[i] = current
    return groups


_CLASS_IN_TITLE = re.compile(r"\blop\s*:?\s*(\d{1,2}\s?[a-z0-9]{0,6}(?:\s?\d{1,2})?)\b")


def _context(title_rows: Sequence[list[object]], columns: list[Column]) -> Context:
    ctx = Context()
    for row in title_rows:
        for value in row:
            text = _text(value)
            if not text or len(text) > 200:
                continue
            folded = fold(text)
            if ctx.school is None:
                ctx.school = school_from_title(text)
            if ctx.class_name is None:
                m = _CLASS_IN_TITLE.search(folded)
                if m:
                    ctx.class_name = m.group(1).replace(" ", "").upper()
            if ctx.school_year is None:
                ctx.school_year = parse_school_year(text)
            if ctx.term is None:
                ctx.term = parse_term(text)
    return ctx
