"""The headers schools write over each column, and the field each one names.

Every field a roster or a milestone sheet may carry has the headers schools use for it
(ALIASES); match_header says which field a header cell names. layout finds the header rows and
the tables with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from dangvien_cli.core.calendar import parse_term
from dangvien_cli.core.text import fold

# Each field a roster or milestone sheet may carry, with the headers schools use for it, folded
# (no diacritics, lower case, punctuation and marks such as "(*)" gone). A header matches when
# its folded text equals an alias, or starts with one followed by more words ("Họ và tên học
# sinh", "Ngày sinh (dd/mm/yyyy)") that name nobody else and no other number (see _NOT_ITS_OWN);
# typed without its spaces ("họvàtên", "mãhọcsinh*") it matches too.
ALIASES: dict[str, tuple[str, ...]] = {
    "stt": ("stt", "so tt", "so thu tu", "tt"),
    "student_code": (
        "ma hoc sinh",
        "ma hs",
        "mshs",
        "ms hs",
        "ma so hs",
        "ma so hoc sinh",
        "ma hoc vien",
        "ma so hoc vien",
        "ma so dinh danh",
        "ma so dinh danh hoc sinh",
        "ma so vnedu",
        "ma so smas",
        "ma dinh danh bo gd&dt",
        "ma dinh danh bo gddt",
        "ma dinh danh",
        "ma dinh danh hoc sinh",
        "ma moet",
        "ma vnedu",
        "ma smas",
        "ma csdl",
        "ma so",  # alone only: "Mã số trên thẻ BHYT" is another number
        "ma",
    ),
    "full_name": ("ho va ten", "ho ten", "ho va ten hoc sinh", "ho ten hoc sinh", "ten hoc sinh"),
    # The name on the birth certificate. Beside the name in use it is kept as extra data;
    # alone, it is the full name (layout decides, seeing the whole header row).
    "birth_name": (
        "ho ten khai sinh",
        "ho va ten khai sinh",
        "ho ten theo khai sinh",
        "ho va ten theo khai sinh",
        "ho ten theo giay khai sinh",
        "ho va ten theo giay khai sinh",
        "ten khai sinh",
    ),
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
        "ma so dinh danh ca nhan",
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
# Too loose to start a longer header: "Mã số trên thẻ BHYT", "Mã trường" are not the code.
_EXACT_ONLY = frozenset({"ma so", "ma"})
# Headers typed without their spaces ("họvàtên", "mãhọcsinh*"), keyed by the alias without
# them; an alias of two fields' spellings (none today) would be left out.
_COMPACT: dict[str, str] = {}
for _alias, _name in _EXACT.items():
    _COMPACT.setdefault(_alias.replace(" ", ""), _name)
# Prefix aliases grouped by their first word, longest first: a data cell ("nguyen van an")
# is dismissed with one dictionary look-up. An alias typed without its spaces is a prefix too
# ("ngàysinh (dd/mm/yyyy)").
_PREFIXES: dict[str, list[tuple[str, str]]] = {}
for _alias, _name in sorted([*_EXACT.items(), *_COMPACT.items()], key=lambda item: -len(item[0])):
    if len(_alias) >= 3 and _alias not in _EXACT_ONLY:
        _entries = _PREFIXES.setdefault(_alias.split(" ", 1)[0], [])
        if (_alias, _name) not in _entries:
            _entries.append((_alias, _name))
# "HL", "HK" are too short to start any header ("HK I" is a term label over the grades), but
# followed by a term they name a grade column: "HL cả năm", "HK HK1".
_SHORT_GRADED = {a: n for a, n in _EXACT.items() if n in GRADED_FIELDS and len(a) < 3}
# The first word (as match_header cuts it) of every header of a field: a cell whose first word
# is none of its field's can name no such field (see may_name). With spaces left out, the first
# word may be any run of the alias's first words glued ("họvà tên" → "hova").
_FIRST_WORDS: dict[str, set[str]] = {}
for _alias, _name in _EXACT.items():
    _words = _alias.split(" ")
    _FIRST_WORDS.setdefault(_name, set()).update(
        "".join(_words[:n]) for n in range(1, len(_words) + 1)
    )

# Words that, after a field's header, say the column is someone else's or another number:
# "Họ tên mẹ", "Năm sinh cha", "Họ tên người giám hộ", "Mã số trên thẻ BHYT", "Mã SV".
# ("ba" is the father in the South.) A teacher or an officer in general is not here: in a
# staff list, "Họ tên giáo viên" is the person listed.
_OTHER_PEOPLE = frozenset(
    {
        "cha", "me", "bo", "ba", "bo me", "cha me", "phu huynh", "ph", "giam ho", "chu ho",
        "vo", "chong", "ong", "nguoi than", "gvcn", "gvbm", "giao vien chu nhiem",
        "giao vien bo mon", "hieu truong", "bi thu", "nguoi lien he", "nguoi dai dien",
        "nguoi gioi thieu", "nguoi do dau", "nguoi nuoi duong", "nguoi lap", "nguoi ky",
    }
)  # fmt: skip
_OTHER_NUMBERS = frozenset(
    {
        "bhyt", "bhxh", "bao hiem", "the", "tai khoan", "stk", "ngan hang", "dien thoai",
        "sdt", "dtdd", "di dong", "cccd", "cmnd", "can cuoc", "cong dan", "ca nhan", "sv",
        "sinh vien", "doan", "doan vien", "thue", "ho khau", "truong", "lop", "tinh",
        "huyen", "xa", "dan toc", "ton giao",
    }
)  # fmt: skip
_NOT_ITS_OWN: dict[str, frozenset[str]] = {
    "student_code": _OTHER_PEOPLE | _OTHER_NUMBERS,
    **{
        name: _OTHER_PEOPLE
        for name in (
            "full_name",
            "birth_name",
            "date_of_birth",
            "gender",
            "female",
            "ethnicity",
            "religion",
            "national_id",
            "class_name",
            "grade_level",
            "youth_union",
            "youth_union_joined",
        )
    },
}
# Words after a name header that make it another field's: the birth-certificate name, the
# Party member who helps the candidate ("Họ tên đảng viên giúp đỡ").
_NAME_OF = {"khai sinh": "birth_name", "nguoi giup do": "mentor", "dang vien giup do": "mentor"}
_WORD = re.compile(r"[a-z0-9]+")
# "Bộ" is not always a father: the ministry ("Mã định danh (Bộ GD&ĐT)"), an officer ("Họ tên
# cán bộ", in a staff list the person listed).
_NOT_A_FATHER = re.compile(r"\b(?:bo (?=gd|giao duc)|can bo\b)")


def _phrases(rest: str) -> set[str]:
    """Every run of one to four words in `rest` ("cha/mẹ" is "cha", "me", "cha me")."""
    words = _WORD.findall(_NOT_A_FATHER.sub("", rest))
    return {" ".join(words[i : i + n]) for n in (1, 2, 3, 4) for i in range(len(words) - n + 1)}


def names_someone_else(label: str) -> bool:
    """True when a group label over sub-columns names another person ("Cha", "Thông tin mẹ",
    "Cha/mẹ hoặc người giám hộ" over "Họ tên" | "Năm sinh"): its columns are not the student's."""
    return bool(_phrases(fold(label)) & _OTHER_PEOPLE)


@lru_cache(maxsize=4096)
def _first_word(token: str) -> str | None:
    """The first word match_header cuts from a cell that starts with `token` (its text up to
    the first space), or None when the token alone does not tell (it folds to nothing)."""
    key = fold(token)
    if not key:
        return None
    return key.split(" ", 1)[0]


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
    """The field a header cell names, or None.

    fold() has already dropped marks ("Họ và tên (*)", "Mã HS:") and joined the lines of a
    cell. A header that starts with a field's alias names that field unless what follows
    names someone else or another number ("Họ tên mẹ", "Mã số trên thẻ BHYT")."""
    key = fold(text)
    if not key or key.startswith(NOT_FIELDS):
        return None
    name = _EXACT.get(key) or _COMPACT.get(key.replace(" ", ""))
    if name is not None:
        return HeaderMatch(name)
    for alias, name in _PREFIXES.get(key.split(" ", 1)[0], ()):
        if not key.startswith(alias) or key[len(alias) : len(alias) + 1] != " ":
            continue
        return _qualified(name, key[len(alias) + 1 :])
    first, _, rest = key.partition(" ")
    short = _SHORT_GRADED.get(first)
    if short is not None and rest:
        term = parse_term(rest)
        if term is not None:
            return HeaderMatch(short, term)
    return None


def _qualified(name: str, rest: str) -> HeaderMatch | None:
    """The field of a header made of `name`'s alias followed by the words `rest`."""
    if name in GRADED_FIELDS:
        return HeaderMatch(name, parse_term(rest))
    phrases = _phrases(rest)
    if phrases & _NOT_ITS_OWN.get(name, frozenset()):
        return None
    if name == "full_name":
        for words, other in _NAME_OF.items():
            if words in phrases:
                return HeaderMatch(other)
    return HeaderMatch(name)


def settle_names(matches: dict[int, HeaderMatch]) -> dict[int, HeaderMatch]:
    """The fields of one header row, by column: the birth-certificate name is the full name
    when the row has no other, and the person's birth name beside the name in use ("Họ tên
    khai sinh" | "Họ tên đang dùng")."""
    births = [i for i, m in matches.items() if m.field == "birth_name"]
    if not births:
        return matches
    settled = dict(matches)
    in_use = any(m.field == "full_name" for m in matches.values())
    for i in births:
        if not in_use:
            settled[i] = HeaderMatch("full_name")
    return settled
