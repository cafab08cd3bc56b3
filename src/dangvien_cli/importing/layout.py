"""Finding the tables in a sheet: header rows, the columns they name, and the titles above them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from dangvien_cli.core.calendar import parse_school_year, parse_term
from dangvien_cli.core.text import clean, fold
from dangvien_cli.importing.reader import Sheet

HEADER_SEARCH_ROWS = 30

# Each field a roster or milestone sheet may carry, with the headers schools use for it, folded
# (no diacritics, lower case). A header matches when its folded text equals an alias, or starts
# with one followed by a space or "(" (e.g. "Họ và tên học sinh", "Ngày sinh (dd/mm/yyyy)").
ALIASES: dict[str, tuple[str, ...]] = {
    "stt": ("stt", "so tt", "so thu tu", "tt"),
    "student_code": (
        "ma hoc sinh",
        "ma hs",
        "ma dinh danh bo gd&dt",
        "ma dinh danh bo gddt",
        "ma dinh danh",
        "ma dinh danh hoc sinh",
        "ma moet",
        "ma so hoc sinh",
        "ma so",
        "ma",
    ),
    "full_name": ("ho va ten", "ho ten", "ho va ten hoc sinh", "ho ten hoc sinh", "ten hoc sinh"),
    "date_of_birth": ("ngay sinh", "ngay thang nam sinh", "ngay, thang, nam sinh", "nam sinh"),
    "gender": ("gioi tinh", "gioi", "nam/nu", "nam, nu"),
    "female": ("nu",),  # a "Nữ" column marked x for girls
    "ethnicity": ("dan toc",),
    "religion": ("ton giao",),
    "national_id": (
        "so dinh danh ca nhan",
        "so dinh danh",
        "cccd",
        "so cccd",
        "can cuoc cong dan",
        "so can cuoc",
        "cmnd/cccd",
        "ma dinh danh ca nhan",
    ),
    "class_name": ("lop", "lop hoc", "ten lop"),
    "grade_level": ("khoi", "khoi hoc", "khoi lop"),
    "academic": ("hoc luc", "ket qua hoc tap", "hl", "xep loai hoc luc", "kqht", "xl hoc luc"),
    "conduct": (
        "hanh kiem",
        "ket qua ren luyen",
        "hk",
        "xep loai hanh kiem",
        "kqrl",
        "xl hanh kiem",
    ),
    "youth_union_joined": ("ngay vao doan", "ngay ket nap doan", "ngay ket nap vao doan"),
    "youth_union": ("doan vien", "la doan vien", "dv", "doan"),
    "school": ("truong", "ten truong"),
    # milestone sheets
    "class_date": (
        "ngay hoc lop boi duong",
        "ngay hoc lop bd",
        "lop boi duong nhan thuc ve dang",
        "ngay hoc lop cam tinh",
        "lop boi duong",
    ),
    "certificate_no": ("so giay chung nhan", "so chung nhan", "giay chung nhan", "so gcn"),
    "mentor": ("dang vien giup do", "dang vien duoc phan cong giup do", "nguoi giup do"),
    "mentor_date": ("ngay phan cong", "ngay phan cong giup do"),
    "recommend_date": ("ngay chi bo de nghi", "ngay chi bo xet", "chi bo de nghi"),
    "decision_no": ("so quyet dinh ket nap", "so quyet dinh", "so qd ket nap", "so qd"),
    "decision_date": ("ngay quyet dinh ket nap", "ngay quyet dinh", "ngay qd ket nap", "ngay qd"),
    "ceremony_date": ("ngay ket nap", "ngay le ket nap", "ngay to chuc ket nap"),
}
MILESTONE_FIELDS = frozenset(
    {
        "class_date",
        "certificate_no",
        "mentor",
        "mentor_date",
        "recommend_date",
        "decision_no",
        "decision_date",
        "ceremony_date",
    }
)
ROSTER_ONLY_FIELDS = frozenset(
    {
        "date_of_birth",
        "gender",
        "female",
        "ethnicity",
        "academic",
        "conduct",
        "youth_union",
        "national_id",
    }
)
GRADED_FIELDS = frozenset({"academic", "conduct"})

# Keyed by the folded alias, as headers are: "nam, nu" is looked up as "nam nu".
_EXACT: dict[str, str] = {
    fold(alias): name for name, aliases in ALIASES.items() for alias in aliases
}
# Prefix aliases grouped by their first word, longest first: a data cell ("nguyen van an")
# is dismissed with one dictionary look-up.
_PREFIXES: dict[str, list[tuple[str, str]]] = {}
for _alias, _name in sorted(_EXACT.items(), key=lambda item: -len(item[0])):
    if len(_alias) >= 3:
        _PREFIXES.setdefault(_alias.split(" ", 1)[0], []).append((_alias, _name))
# "HL", "HK" are too short to start any header ("HK I" is a term label over the grades), but
# followed by a term they name a grade column: "HL cả năm", "HK HK1".
_SHORT_GRADED = {a: n for a, n in _EXACT.items() if n in GRADED_FIELDS and len(a) < 3}
# The first word (as match_header cuts it) of every header of a field: a cell whose first word
# is none of its field's can name no such field (see _may_name).
_FIRST_WORDS: dict[str, set[str]] = {}
for _alias, _name in _EXACT.items():
    _word = _alias.split(" ", 1)[0]
    _FIRST_WORDS.setdefault(_name, set()).update((_word, _word.split("(", 1)[0]))


@lru_cache(maxsize=4096)
def _first_word(token: str) -> str | None:
    """The first word match_header cuts from a cell that starts with `token` (its text up to
    the first space), or None when the token alone does not tell (it folds to nothing)."""
    key = fold(token).lstrip(" :.*")
    if not key:
        return None
    return key.split(" ", 1)[0].split("(", 1)[0].rstrip(":.*")


def _may_name(cell: str, field: str) -> bool:
    """False when match_header(cell) cannot be `field`, told from the cell's first word only:
    the cells under a name column ("Nguyễn Văn An") are dismissed without folding them whole.
    fold() works a character at a time, so the first word of the folded cell is the first
    word of its folded first token."""
    if field in GRADED_FIELDS:
        return True  # "HL cả năm": short forms are looked at whole
    word = _first_word(cell.split(" ", 1)[0])
    return word is None or word in _FIRST_WORDS.get(field, ())


@dataclass(frozen=True)
class HeaderMatch:
    field: str
    term: str | None = None  # "Học lực HK1" → hk1


def match_header(text: str) -> HeaderMatch | None:
    """The field a header cell names, or None."""
    key = fold(text).strip(" :.*")
    if not key:
        return None
    if key in _EXACT:
        return HeaderMatch(_EXACT[key])
    for alias, name in _PREFIXES.get(key.split(" ", 1)[0].split("(", 1)[0], ()):
        if not key.startswith(alias):
            continue
        rest = key[len(alias) :]
        if not rest.startswith((" ", "(")):
            continue
        term = parse_term(rest) if name in GRADED_FIELDS else None
        return HeaderMatch(name, term)
    first, _, rest = key.partition(" ")
    short = _SHORT_GRADED.get(first)
    if short is not None and rest:
        term = parse_term(rest)
        if term is not None:
            return HeaderMatch(short, term)
    return None


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
    return found


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
        if not _may_name(cell, key_field):
            continue
        match = match_header(cell)
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


def _is_title_like(row: list[object], fields: dict[int, str]) -> bool:
    filled = [
        (i, v)
        for i, v in enumerate(row)
        if not (v is None or (isinstance(v, str) and not v.strip()))
    ]
    if not filled:
        return True
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
    from dangvien_cli.importing.values import scale_from_header

    for i in range(width):
        upper = _text(top[i]) if i < len(top) else ""
        lower = _text(below[i]) if two_rows and i < len(below) else ""
        own = lower or upper
        group = groups.get(i) if lower else None
        header = f"{group} / {own}" if group and group != own else own
        match = match_header(own) if own else None
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
_SCHOOL_SEGMENT = re.compile(
    r"^(?:truong\s+)?(?:thpt|thcs|pt|pt dtnt|ptdtnt|ttgdnn|tt|trung tam)\b"
)
_SHEET_CLASS = re.compile(r"^\s*(\d{1,2})\s?([A-Za-z][A-Za-z0-9]{0,5})\s*$")
_ACRONYMS = frozenset(
    {"THPT", "THCS", "TH", "PT", "DTNT", "PTDTNT", "GDNN", "GDTX", "TT", "GDNN-GDTX", "DTBT"}
)


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


def class_from_sheet_name(name: str) -> str | None:
    m = _SHEET_CLASS.match(name)
    if not m or not 6 <= int(m.group(1)) <= 12:
        return None
    return (m.group(1) + m.group(2)).upper()


def school_from_title(text: str) -> str | None:
    """'TRƯỜNG THPT MƯỜNG KIM - NĂM HỌC 2024-2025' → 'THPT Mường Kim'."""
    for segment in re.split(r"\s+[-–—]\s+|,\s*", text):
        folded = fold(segment)
        if folded.startswith("truong ") or _SCHOOL_SEGMENT.match(folded):
            words = segment.split()
            if fold(words[0]) == "truong":
                words = words[1:]
            if not words:
                return None
            # Only a title typed all in capitals has its words' case guessed: a title in
            # ordinary case says how the school writes its name ("Trường THPT số 1 TP Lào Cai").
            capitals = " ".join(words).isupper()
            return " ".join(_pretty_word(w, capitals) for w in words)
    return None


def _pretty_word(word: str, capitals: bool) -> str:
    if word.upper() in _ACRONYMS or any(ch.isdigit() for ch in word):
        return word.upper()
    if capitals and word.isupper():
        return word[:1] + word[1:].lower()
    return word
