"""The admission settings: their keys, defaults, meanings, valid values, and the Rules they make."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Final

from dangvien_cli.core.errors import UsageError
from dangvien_cli.core.grades import CONDUCT, SCALE_CODES, grade_rank
from dangvien_cli.core.text import fold

__all__ = [
    "SETTINGS",
    "Rules",
    "SettingError",
    "SettingSpec",
    "normalise_setting",
    "rank_of",
    "rules_from",
]


class SettingError(UsageError):
    """A setting key or value that cannot be used; ``message`` (Vietnamese) lists the valid ones."""


@dataclass(frozen=True)
class Rules:
    """The settings eligibility is judged by, as plain values (see :data:`SETTINGS`)."""

    age_mode: str = "month"
    age_min: int = 18
    academic_min: str = "kha"
    conduct_min: str = "tot"
    require_youth_union: bool = True
    require_mentor: bool = True
    require_awareness_class: bool = True
    require_discipline: bool = True
    awareness_class_valid_months: int = 60
    discipline_months: int = 12
    hk1_known_from: tuple[int, int] = (16, 1)  # (day, month)
    school_year_last_day: tuple[int, int] = (31, 5)  # (day, month)
    school_year_period_start: tuple[int, int] = (1, 9)  # (day, month)

    @property
    def academic_rank(self) -> int:
        """The lowest academic rank that passes (4 Giỏi/Tốt … 0 Kém)."""
        return rank_of(self.academic_min)

    @property
    def conduct_rank(self) -> int:
        """The lowest conduct rank that passes (4 Tốt … 1 Yếu/Chưa đạt)."""
        return rank_of(self.conduct_min)


@dataclass(frozen=True)
class SettingSpec:
    """One setting: its key, default (as stored text), meaning and the values it takes."""

    key: str
    default: str
    description: str
    accepted: str  # what a person may write, said in Vietnamese
    normalise: Callable[[str], str | None]  # canonical text, or None when the value is invalid


# --------------------------------------------------------------------------- value normalisers

# Grade words of both scales (folded, letters and digits only) → canonical code.
_GRADE_CODES: Final[dict[str, str]] = {
    "gioi": "gioi",
    "g": "gioi",
    "tot": "tot",
    "t": "tot",
    "kha": "kha",
    "k": "kha",
    "tb": "tb",
    "trungbinh": "tb",
    "dat": "dat",
    "d": "dat",
    "yeu": "yeu",
    "y": "yeu",
    "chuadat": "chua-dat",
    "cd": "chua-dat",
    "kem": "kem",
}
# The settings write Chưa đạt "chua-dat" (the grades' code is "chua_dat"); their ranks are the
# grades' (core.grades.grade_rank accepts either spelling).
# Conduct has no Giỏi and no Kém on either scale: its codes are those of the conduct scales.
_CONDUCT_CODES: Final = frozenset(
    code.replace("_", "-")
    for (_scale, kind), codes in SCALE_CODES.items()
    if kind == CONDUCT
    for code in codes
)
_NOT_ALNUM_RE: Final = re.compile(r"[^a-z0-9]+")

_TRUE_WORDS: Final = frozenset({"true", "co", "1", "yes", "x", "dung"})
_FALSE_WORDS: Final = frozenset({"false", "khong", "0", "no", "sai"})
_DAY_MONTH_RE: Final = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})")
_AGE_MODES: Final[dict[str, str]] = {
    "month": "month",
    "thang": "month",
    "theo thang": "month",
    "day": "day",
    "ngay": "day",
    "theo ngay": "day",
}


def _grade_code(text: str) -> str | None:
    return _GRADE_CODES.get(_NOT_ALNUM_RE.sub("", fold(text)))


def _academic(text: str) -> str | None:
    return _grade_code(text)


def _conduct(text: str) -> str | None:
    code = _grade_code(text)
    return code if code in _CONDUCT_CODES else None


def _bool(text: str) -> str | None:
    key = fold(text)
    if key in _TRUE_WORDS:
        return "true"
    if key in _FALSE_WORDS:
        return "false"
    return None


def _age_mode(text: str) -> str | None:
    return _AGE_MODES.get(fold(text))


def _int_between(low: int, high: int) -> Callable[[str], str | None]:
    def normalise(text: str) -> str | None:
        cleaned = text.strip()
        if not (cleaned.isascii() and cleaned.isdigit()):
            return None
        number = int(cleaned)
        return str(number) if low <= number <= high else None

    return normalise


def _day_month(text: str) -> str | None:
    match = _DAY_MONTH_RE.fullmatch(text.strip())
    if match is None:
        return None
    day, month = int(match.group(1)), int(match.group(2))
    try:
        date(2001, month, day)  # a common year: 29/02 would not exist every year
    except ValueError:
        return None
    return f"{day:02d}/{month:02d}"


_BOOL_ACCEPTED: Final = "true hoặc false (cũng nhận có/không, yes/no, 1/0)"
_DAY_MONTH_ACCEPTED: Final = "ngày/tháng dạng dd/mm, ví dụ 16/01 (không dùng 29/02)"
_AGE_RANGE: Final = (16, 30)
_VALID_MONTHS_RANGE: Final = (1, 240)
_DISCIPLINE_RANGE: Final = (1, 120)


def _spec(
    key: str, default: str, description: str, accepted: str, normalise: Callable[[str], str | None]
) -> tuple[str, SettingSpec]:
    return key, SettingSpec(key, default, description, accepted, normalise)


SETTINGS: Final[dict[str, SettingSpec]] = dict(
    [
        _spec(
            "age.mode",
            "month",
            "Cách tính tuổi: month — đủ tuổi từ ngày 1 của tháng sinh nhật (tính theo tháng); "
            "day — đủ tuổi từ đúng ngày sinh nhật (sinh 29/02 thì năm không nhuận tính 28/02).",
            "month (tính theo tháng) hoặc day (tính theo ngày)",
            _age_mode,
        ),
        _spec(
            "age.min",
            "18",
            "Số tuổi tối thiểu vào ngày chi bộ xét đề nghị kết nạp.",
            f"một số nguyên từ {_AGE_RANGE[0]} đến {_AGE_RANGE[1]}",
            _int_between(*_AGE_RANGE),
        ),
        _spec(
            "academic.min",
            "kha",
            "Học lực (kết quả học tập) tối thiểu ở kết quả gần nhất đã có tại ngày xét; "
            "Giỏi (TT58) ngang Tốt (TT22), Trung bình (TT58) ngang Đạt (TT22).",
            "gioi, tot, kha, tb (trung bình), dat, yeu, chua-dat hoặc kem "
            "(có dấu hay không dấu đều được, ví dụ Khá)",
            _academic,
        ),
        _spec(
            "conduct.min",
            "tot",
            "Hạnh kiểm (kết quả rèn luyện) tối thiểu ở kết quả gần nhất đã có tại ngày xét; "
            "Trung bình (TT58) ngang Đạt (TT22).",
            "tot, kha, tb (trung bình), dat, yeu hoặc chua-dat "
            "(có dấu hay không dấu đều được, ví dụ Tốt)",
            _conduct,
        ),
        _spec(
            "require.youth_union",
            "true",
            "Bắt buộc là đoàn viên vào ngày xét.",
            _BOOL_ACCEPTED,
            _bool,
        ),
        _spec(
            "require.mentor",
            "true",
            "Bắt buộc đã được phân công đảng viên chính thức giúp đỡ.",
            _BOOL_ACCEPTED,
            _bool,
        ),
        _spec(
            "require.awareness_class",
            "true",
            "Bắt buộc có giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng còn hạn vào ngày xét.",
            _BOOL_ACCEPTED,
            _bool,
        ),
        _spec(
            "require.discipline",
            "true",
            "Bắt buộc không bị kỷ luật trong số tháng discipline.months trước ngày xét.",
            _BOOL_ACCEPTED,
            _bool,
        ),
        _spec(
            "awareness_class.valid_months",
            "60",
            "Số tháng giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng còn giá trị, kể từ ngày "
            "học; hết hạn thì phải học lại.",
            f"một số nguyên từ {_VALID_MONTHS_RANGE[0]} đến {_VALID_MONTHS_RANGE[1]} (tháng)",
            _int_between(*_VALID_MONTHS_RANGE),
        ),
        _spec(
            "discipline.months",
            "12",
            "Số tháng một kỷ luật còn ngăn việc xét kết nạp, kể từ ngày kỷ luật.",
            f"một số nguyên từ {_DISCIPLINE_RANGE[0]} đến {_DISCIPLINE_RANGE[1]} (tháng)",
            _int_between(*_DISCIPLINE_RANGE),
        ),
        _spec(
            "term.hk1_known_from",
            "16/01",
            "Ngày bắt đầu tính kết quả học kỳ I (ví dụ 16/01: học kỳ I năm học 2024-2025 "
            "được tính từ 16/01/2025).",
            _DAY_MONTH_ACCEPTED,
            _day_month,
        ),
        _spec(
            "school_year.last_day",
            "31/05",
            "Ngày cuối năm học: kết quả học kỳ II và cả năm được tính từ ngày hôm sau; "
            "học sinh lớp 12 rời trường vào ngày này.",
            _DAY_MONTH_ACCEPTED,
            _day_month,
        ),
        _spec(
            "school_year.period_start",
            "01/09",
            "Ngày đầu năm học, dùng khi chia số liệu theo năm học.",
            _DAY_MONTH_ACCEPTED,
            _day_month,
        ),
    ]
)


def _quote(text: str) -> str:
    return f"“{text}”"


def _spec_of(key: str) -> SettingSpec:
    wanted = key.strip().lower().replace("-", "_")
    spec = SETTINGS.get(wanted)
    if spec is not None:
        return spec
    message = f"Không có thiết lập {_quote(key.strip())}."
    close = difflib.get_close_matches(wanted, list(SETTINGS), n=1)
    if close:
        message += f" Có phải ý bạn là {close[0]}?"
    message += " Các thiết lập hợp lệ: " + ", ".join(SETTINGS) + "."
    raise SettingError(message)


def normalise_setting(key: str, value: str) -> str:
    """The canonical text of ``value`` for the setting ``key`` ("Khá" → "kha", "16/1" → "16/01").

    Raises :class:`SettingError` for an unknown key (listing the valid keys) or a value the
    setting does not take (listing the valid values).
    """
    spec = _spec_of(key)
    canonical = spec.normalise(value)
    if canonical is None:
        raise SettingError(
            f"Giá trị {_quote(value.strip())} không hợp lệ cho {spec.key}; hãy ghi {spec.accepted}."
        )
    return canonical


def rank_of(min_code: str) -> int:
    """The rank a grade word stands for: gioi/tot → 4, kha → 3, tb/dat → 2, yeu/chua-dat → 1,
    kem → 0 (either scale, with or without diacritics)."""
    code = _grade_code(min_code)
    if code is None:
        raise SettingError(
            f"{_quote(min_code)} không phải mức xếp loại; hãy ghi "
            f"{SETTINGS['academic.min'].accepted}."
        )
    return grade_rank(code)


def _day_month_pair(text: str) -> tuple[int, int]:
    day, month = text.split("/")
    return int(day), int(month)


def rules_from(values: Mapping[str, str]) -> Rules:
    """The Rules given the stored settings; a missing key takes its default, a key that is not a
    setting is ignored (the table may hold other things). A stored value is checked again and
    raises :class:`SettingError` if it is not valid (a hand-edited database)."""
    text = {key: spec.default for key, spec in SETTINGS.items()}
    for key, value in values.items():
        if key in SETTINGS:
            text[key] = normalise_setting(key, value)
    return Rules(
        age_mode=text["age.mode"],
        age_min=int(text["age.min"]),
        academic_min=text["academic.min"],
        conduct_min=text["conduct.min"],
        require_youth_union=text["require.youth_union"] == "true",
        require_mentor=text["require.mentor"] == "true",
        require_awareness_class=text["require.awareness_class"] == "true",
        require_discipline=text["require.discipline"] == "true",
        awareness_class_valid_months=int(text["awareness_class.valid_months"]),
        discipline_months=int(text["discipline.months"]),
        hk1_known_from=_day_month_pair(text["term.hk1_known_from"]),
        school_year_last_day=_day_month_pair(text["school_year.last_day"]),
        school_year_period_start=_day_month_pair(text["school_year.period_start"]),
    )
