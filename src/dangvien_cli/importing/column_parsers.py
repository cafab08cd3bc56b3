"""The parsers of one column's cells, as TableParser uses them: each remembers its results for
the values a roster repeats (grades, genders, classes, birth dates), and a cell that does not
parse gives a Bad with its reason instead of raising. Also the folded key of a name, a word at a
time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Final

from dangvien_cli.core.cells import ValueProblem
from dangvien_cli.core.text import fold
from dangvien_cli.importing.grade_values import parse_grade
from dangvien_cli.importing.layout import Column
from dangvien_cli.importing.values import parse_code, parse_gender, parse_text, parse_yes_no

CACHED_TYPES: Final = frozenset({str, date, datetime})  # cell types whose parse is kept by value
CACHE_LIMIT: Final = 4096  # distinct values kept per column (a column of ID numbers stops there)


class Bad:
    """A cell value that does not parse: the reason, kept like a parsed value."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


class ColumnParser:
    """Parses the cells of one column, remembering the result for each distinct text or date:
    a roster repeats its grades, genders, classes and birth dates thousands of times. The
    parser looks in `cache` itself (for a cell whose type is in CACHED_TYPES) and calls this
    only for what is not there."""

    __slots__ = ("cache", "column", "index", "limit", "parse")

    def __init__(self, column: Column, parse: Callable[[object], object], *, cache: bool) -> None:
        self.column = column
        self.index = column.index
        self.parse = parse
        self.cache: dict[object, object] = {}
        self.limit = CACHE_LIMIT if cache else 0

    def __call__(self, raw: object) -> object:
        try:
            got = self.parse(raw)
        except ValueProblem as exc:
            got = Bad(exc.reason)
        if raw.__class__ in CACHED_TYPES and len(self.cache) < self.limit:
            self.cache[raw] = got
        return got


_WORD_KEYS: dict[str, str] = {}  # a word of a name → its folded form


def name_key_of(full_name: str) -> str:
    """fold(full_name) for a name that is already clean, a word at a time: a roster's names
    are nearly all different but are made of a few hundred words."""
    keys = _WORD_KEYS
    folded = []
    for word in full_name.split(" "):
        key = keys.get(word)
        if key is None:
            key = fold(word)
            if len(keys) < 100_000:
                keys[word] = key
        folded.append(key)
    # fold() works a character at a time, then makes the spaces single: the same here.
    return " ".join(" ".join(folded).split())


def female(raw: object) -> str:
    return "Nữ" if parse_yes_no(raw) else "Nam"


def youth(raw: object) -> bool:
    return bool(parse_yes_no(raw))


def grade_parser(kind: str, scale: str) -> Callable[[object], object]:
    def parse(raw: object) -> object:
        return parse_grade(raw, kind=kind, scale=scale)

    return parse


def value_parsers(
    fields: dict[str, Column], *, gender_marks: bool
) -> list[tuple[str, ColumnParser]]:
    """The parsers of the person values a table has, in the order the record has always listed
    them (the re-import digest depends on it). With `gender_marks`, the "Giới tính" column is
    read as the "Nữ" column is: x for a girl, blank for a boy."""
    f = fields
    plan: list[tuple[str, ColumnParser]] = []
    for name, parse in (
        ("gender", female if gender_marks else parse_gender),
        ("ethnicity", parse_text),
    ):
        if name in f:
            plan.append((name, ColumnParser(f[name], parse, cache=True)))
    if "female" in f and "gender" not in f:
        plan.append(("gender", ColumnParser(f["female"], female, cache=True)))
    if "religion" in f:
        plan.append(("religion", ColumnParser(f["religion"], parse_text, cache=True)))
    if "national_id" in f:  # one per person: nothing to remember
        plan.append(("national_id", ColumnParser(f["national_id"], parse_code, cache=False)))
    if "birth_name" in f:  # beside the name in use (headers.settle_names)
        plan.append(("birth_name", ColumnParser(f["birth_name"], parse_text, cache=False)))
    return plan
