"""The headers schools write over each column, and the field each one names.

Every field a roster or a milestone sheet may carry has the headers schools use for it
(ALIASES); match_header says which field a header cell names. layout finds the header rows and
the tables with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from dangvien_cli.core.calendar import parse_term
from dangvien_cli.core.text import fold

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
    "youth_union_joined": (
        "ngay vao doan",
        "ngay ket nap doan",
        "ngay ket nap vao doan",
        "thoi gian vao doan",
        "thoi gian ket nap doan",
    ),
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
# Headers that start like a field's but name none of them: their columns are kept as extra data.
# An honorary Youth Union member ("Đoàn viên danh dự") is not a member.
NOT_FIELDS: tuple[str, ...] = ("doan vien danh du",)

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


def may_name(cell: str, field: str) -> bool:
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
    if not key or key.startswith(NOT_FIELDS):
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
