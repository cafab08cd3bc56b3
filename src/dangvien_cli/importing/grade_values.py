"""Parsing the grades roster cells hold: học lực / hạnh kiểm (TT58) and kết quả học tập / rèn
luyện (TT22), in full, abbreviated or without diacritics, and the scale a header or a school
year implies. Each parser raises ValueProblem with a Vietnamese reason, as importing.values'.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from dangvien_cli.core.cells import ValueProblem
from dangvien_cli.core.cells import fold_value as _fold
from dangvien_cli.core.cells import quote as _quote
from dangvien_cli.core.cells import show_cell as _shown
from dangvien_cli.core.grades import (
    ACADEMIC,
    CONDUCT,
    SCALE_CODES,
    TT22,
    TT58,
    Grade,
)
from dangvien_cli.core.grades import (
    GRADE_RANKS as _GRADE_RANKS,
)
from dangvien_cli.core.text import clean as _clean

__all__ = ["default_scale", "is_ambiguous", "parse_grade", "scale_from_header"]


# --------------------------------------------------------------------------- grades

# Folded text with everything but letters and digits removed → grade code.
_GRADE_WORDS: Final[dict[str, str]] = {
    "gioi": "gioi",
    "g": "gioi",
    "kha": "kha",
    "k": "kha",
    "trungbinh": "tb",
    "tb": "tb",
    "tbinh": "tb",
    "trbinh": "tb",
    "yeu": "yeu",
    "y": "yeu",
    "kem": "kem",
    "tot": "tot",
    "t": "tot",
    "dat": "dat",
    "d": "dat",
    "chuadat": "chua_dat",
    "cd": "chua_dat",
    "cdat": "chua_dat",
    "khongdat": "chua_dat",
}
_TITLE_WORDS: Final = frozenset({"htxs", "hsxs", "hsg", "hstt", "hocsinhgioi", "hocsinhtientien"})
_NOT_ALNUM_RE: Final = re.compile(r"[^a-z0-9]+")
_SCORE_RE: Final = re.compile(r"\d+(?:[.,]\d+)?")
_KIND_NAMES: Final[dict[str, str]] = {
    ACADEMIC: "học lực (kết quả học tập)",
    CONDUCT: "hạnh kiểm (kết quả rèn luyện)",
}
_KIND_SHORT: Final[dict[str, str]] = {ACADEMIC: "học lực", CONDUCT: "hạnh kiểm"}
_ACCEPTED_GRADES: Final[dict[str, str]] = {
    ACADEMIC: "Giỏi/Khá/Trung bình/Yếu/Kém (TT58) hoặc Tốt/Khá/Đạt/Chưa đạt (TT22)",
    CONDUCT: "Tốt/Khá/Trung bình/Yếu (TT58) hoặc Tốt/Khá/Đạt/Chưa đạt (TT22)",
}


def _check_kind(kind: str, scale: str | None) -> None:
    if kind not in _KIND_NAMES:
        raise ValueError(f"kind must be 'academic' or 'conduct', not {kind!r}")
    if scale is not None and scale not in (TT58, TT22):
        raise ValueError(f"scale must be 'tt58', 'tt22' or None, not {scale!r}")


def _grade_key(text: str) -> str:
    return _NOT_ALNUM_RE.sub("", _fold(text))


def _grade_candidates(key: str, kind: str) -> tuple[str, ...]:
    """The scales on which the grade word ``key`` is a valid result of ``kind``."""
    code = _GRADE_WORDS.get(key)
    if code is None:
        return ()
    return tuple(s for s in (TT58, TT22) if code in SCALE_CODES[(s, kind)])


@lru_cache(maxsize=4096)
def _grade_from_text(value: str, kind: str, scale: str | None) -> Grade | None:
    text = _clean(value)
    if not text:
        return None
    key = _grade_key(text)
    code = _GRADE_WORDS.get(key)
    accepted = _ACCEPTED_GRADES[kind]
    if code is None:
        if "xuatsac" in key or "tientien" in key or key in _TITLE_WORDS:
            raise ValueProblem(
                f"{_quote(text)} là danh hiệu thi đua, không phải {_KIND_SHORT[kind]}; "
                f"hãy ghi {accepted}."
            )
        if _SCORE_RE.fullmatch(text):
            raise ValueProblem(
                f"{_quote(text)} là điểm số, không phải xếp loại {_KIND_SHORT[kind]}; "
                f"hãy ghi {accepted}."
            )
        raise ValueProblem(
            f"{_quote(text)} không phải {_KIND_NAMES[kind]} hợp lệ; hãy ghi {accepted}."
        )
    scales = _grade_candidates(key, kind)
    if not scales:
        raise ValueProblem(
            f"{_quote(text)} không dùng cho {_KIND_NAMES[kind]}; hãy ghi {accepted}."
        )
    if len(scales) == 1:
        chosen = scales[0]
    elif scale in scales:
        chosen = scale
    else:
        chosen = TT58
    return Grade(code, chosen, _GRADE_RANKS[code])


def parse_grade(value: object, *, kind: str, scale: str | None = None) -> Grade | None:
    """A học lực / hạnh kiểm (TT58) or kết quả học tập / rèn luyện (TT22); None when empty.

    ``kind`` is "academic" or "conduct"; ``scale`` is a hint ("tt58", "tt22" or None). A value
    that only one scale has decides the scale whatever the hint (people mix scales); a value
    both scales have (Khá; Tốt or T as conduct) takes the hint, or TT58 without one — use
    :func:`is_ambiguous` to settle a column's scale from its other values first.
    """
    _check_kind(kind, scale)
    if value is None:
        return None
    if isinstance(value, str):
        return _grade_from_text(value, kind, scale)
    if isinstance(value, int | float) and not isinstance(value, bool):
        shown = _shown(value)
        raise ValueProblem(
            f"{_quote(shown)} là điểm số, không phải xếp loại {_KIND_SHORT[kind]}; "
            f"hãy ghi {_ACCEPTED_GRADES[kind]}."
        )
    raise ValueProblem(
        f"{_quote(_shown(value))} không phải {_KIND_NAMES[kind]} hợp lệ; "
        f"hãy ghi {_ACCEPTED_GRADES[kind]}."
    )


@lru_cache(maxsize=4096)
def _ambiguous_text(value: str, kind: str) -> bool:
    return len(_grade_candidates(_grade_key(_clean(value)), kind)) > 1


def is_ambiguous(value: object, kind: str) -> bool:
    """Whether ``value`` is a valid grade of ``kind`` on both scales (so its scale needs a hint)."""
    _check_kind(kind, None)
    return isinstance(value, str) and _ambiguous_text(value, kind)


_TT22_HEADER_RE: Final = re.compile(r"\bket qua (?:hoc tap|ren luyen)\b|\bkqht\b|\bkqrl\b")
_TT58_HEADER_RE: Final = re.compile(r"\bhoc luc\b|\bhanh kiem\b|^(?:hl|hk)$")


def scale_from_header(header_folded: str) -> str | None:
    """The scale a column header names: "Kết quả học tập/rèn luyện" → tt22, "Học lực/Hạnh kiểm"
    → tt58, else None. Takes the folded header (folding again does no harm)."""
    header = _fold(header_folded)
    if _TT22_HEADER_RE.search(header):
        return TT22
    if _TT58_HEADER_RE.search(header):
        return TT58
    return None


def default_scale(school_year_start: int, grade: int | None) -> str:
    """The scale a class used in a school year when its file does not say.

    TT22 reached grade 6 in 2021-22, grades 7 and 10 in 2022-23, 8 and 11 in 2023-24, 9 and 12
    in 2024-25. With the grade unknown: TT22 from 2024-25 on (every grade had it), else TT58.
    """
    if grade is not None and 10 <= grade <= 12:
        return TT22 if school_year_start - (grade - 10) >= 2022 else TT58
    if grade is not None and 6 <= grade <= 9:
        return TT22 if school_year_start - (grade - 6) >= 2021 else TT58
    return TT22 if school_year_start >= 2024 else TT58
