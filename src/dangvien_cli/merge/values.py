"""What each column of a school's file may hold, as the models store it: the type SQLite does not
enforce (an INTEGER column takes 'abc'), the range, the format of dates, the length and the
characters of text, JSON that parses. Each problem is said without the value."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final

from sqlalchemy import JSON, Boolean, Column, Date, DateTime, Integer, TypeDecorator

from dangvien_cli.admission.pipeline import STEPS
from dangvien_cli.core.calendar import TERMS
from dangvien_cli.core.grades import TT22, TT58
from dangvien_cli.core.names import name_problem
from dangvien_cli.core.text import clean
from dangvien_cli.merge.schema import TABLES
from dangvien_cli.organisation.units import UNIT_KINDS

__all__ = ["RULES", "Rule", "count", "value_problem"]

YEARS: Final = (1900, 2200)  # a date or year outside is a typing or a forging mistake
TEXT_MAX: Final = 500  # characters, for a text column not named below
JSON_MAX: Final = 1_000_000  # bytes
JSON_DEPTH: Final = 32
BIG: Final = 2**62

# Control characters (escape sequences start with one) and the bidirectional overrides that
# make text display in another order than it is stored.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_FREE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?\Z")
_SHA256 = re.compile(r"[0-9a-f]{64}\Z")


@dataclass(frozen=True)
class Rule:
    """What one column may hold."""

    kind: str  # int | bool | date | datetime | text | json
    nullable: bool
    low: int = -BIG
    high: int = BIG
    longest: int = TEXT_MAX
    person_name: bool = False
    free: bool = False  # free text: a line break or a tab is allowed
    choices: frozenset[str] | None = None
    pattern: re.Pattern[str] | None = None


def _kind(column: Column[Any]) -> str:
    t = column.type
    if isinstance(t, TypeDecorator):  # sqlmodel's AutoString and UTCDateTime
        t = t.impl_instance
    if isinstance(t, Boolean):
        return "bool"
    if isinstance(t, Integer):
        return "int"
    if isinstance(t, DateTime):
        return "datetime"
    if isinstance(t, Date):
        return "date"
    if isinstance(t, JSON):
        return "json"
    return "text"


_YEAR = {"low": YEARS[0], "high": YEARS[1]}
_TERMS = frozenset(TERMS)
_SCALES = frozenset({TT58, TT22})
_SPECIAL: Final[dict[tuple[str, str], dict[str, Any]]] = {
    ("school_year", "start_year"): _YEAR,
    ("person", "birth_year"): _YEAR,
    ("youth_union", "roster_year"): _YEAR,
    ("person", "full_name"): {"person_name": True},
    ("person", "birth_name"): {"person_name": True},
    ("person", "given_name"): {"person_name": True},
    ("person", "gender"): {"choices": frozenset({"Nam", "Nữ"})},
    ("enrollment", "grade"): {"low": 1, "high": 12},
    ("term_result", "term"): {"choices": _TERMS},
    ("youth_union", "roster_term"): {"choices": _TERMS},
    ("import_batch", "term"): {"choices": _TERMS},
    ("term_result", "academic_scale"): {"choices": _SCALES},
    ("term_result", "conduct_scale"): {"choices": _SCALES},
    ("term_result", "academic_rank"): {"low": 0, "high": 4},
    ("term_result", "conduct_rank"): {"low": 0, "high": 4},
    ("milestone", "step"): {"choices": frozenset(STEPS)},
    ("milestone", "note"): {"free": True, "longest": 2_000},
    ("unit", "kind"): {"choices": frozenset(UNIT_KINDS)},
    ("import_batch", "sha256"): {"pattern": _SHA256},
    ("import_batch", "file_name"): {"longest": 1_000},
    ("audit_log", "command"): {"longest": 10_000},
    ("target", "class_target"): {"low": 0, "high": 10_000_000},
    ("target", "admitted_target"): {"low": 0, "high": 10_000_000},
    **{
        ("import_batch", c): {"low": 0, "high": 1_000_000_000}
        for c in ("rows", "created", "updated", "unchanged", "rejected")
    },
}


def _rule(table: str, column: Column[Any]) -> Rule:
    extra = dict(_SPECIAL.get((table, column.name), {}))
    if column.primary_key and _kind(column) == "int":
        extra = {"low": 1, **extra}
        return Rule("int", False, **extra)
    return Rule(_kind(column), bool(column.nullable), **extra)


RULES: Final[dict[str, dict[str, Rule]]] = {
    name: {c.name: _rule(name, c) for c in table.columns} for name, table in TABLES.items()
}


def count(n: int) -> str:
    """A number as Vietnamese writes it: 10.485.760."""
    return f"{n:,}".replace(",", ".")


_SQL_TYPES = {int: "số nguyên", float: "số thực", str: "chữ", bytes: "dữ liệu nhị phân (blob)"}


def value_problem(rule: Rule, value: Any) -> str | None:
    """Why `value` cannot be in a column of `rule`, or None. Never quotes the value."""
    if value is None:
        return None if rule.nullable else "trống, nhưng cột này bắt buộc có giá trị"
    if rule.kind in ("int", "bool"):
        return _int_problem(rule, value)
    if not isinstance(value, str):
        expected = {"date": "ngày (chữ dạng NNNN-TT-NN)", "datetime": "thời điểm", "json": "JSON"}
        return (
            f"là {_SQL_TYPES.get(type(value), 'giá trị lạ')}, "
            f"cột này phải là {expected.get(rule.kind, 'chữ')}"
        )
    if rule.kind == "date":
        return _date_problem(value, _DATE, date.fromisoformat, "ngày")
    if rule.kind == "datetime":
        return _date_problem(value, _DATETIME, datetime.fromisoformat, "thời điểm")
    if rule.kind == "json":
        return _json_problem(value)
    return _text_problem(rule, value)


def _int_problem(rule: Rule, value: Any) -> str | None:
    if not isinstance(value, int):
        return f"là {_SQL_TYPES.get(type(value), 'giá trị lạ')}, cột này phải là số nguyên"
    if rule.kind == "bool" and value not in (0, 1):
        return "phải là 0 hoặc 1 (đúng/sai)"
    if not rule.low <= value <= rule.high:
        return f"số {count(value)} ngoài khoảng cho phép ({count(rule.low)}–{count(rule.high)})"
    return None


def _date_problem(value: str, pattern: re.Pattern[str], parse: Any, what: str) -> str | None:
    if len(value) > 40 or not pattern.match(value):
        return f"không phải {what} theo định dạng dangvien lưu"
    try:
        parsed = parse(value)
    except ValueError:
        return f"không phải {what} có thật"
    if not YEARS[0] <= parsed.year <= YEARS[1]:
        return f"năm {parsed.year} không hợp lý (nhận từ {YEARS[0]} đến {YEARS[1]})"
    return None


def _text_problem(rule: Rule, value: str) -> str | None:
    if rule.person_name:
        return _name_problem(value)
    if len(value) > rule.longest:
        return f"chữ dài {count(len(value))} ký tự, quá giới hạn {count(rule.longest)}"
    found = (_CONTROL_FREE if rule.free else _CONTROL).search(value)
    if found:
        return f"có ký tự điều khiển (U+{ord(found.group()):04X}), có thể là chuỗi thoát terminal"
    if rule.choices is not None and value not in rule.choices:
        return "không phải một giá trị dangvien dùng cho cột này"
    if rule.pattern is not None and not rule.pattern.match(value):
        return "không đúng định dạng của cột này"
    return None


def _name_problem(value: str) -> str | None:
    if len(value) <= 1_000:  # a longer one is refused for its length alone
        found = _CONTROL.search(value)
        if found:
            return (
                f"họ và tên có ký tự điều khiển (U+{ord(found.group()):04X}), có thể là chuỗi "
                "thoát terminal"
            )
        if clean(value) != value:
            return "họ và tên có ký tự ẩn hoặc khoảng trắng thừa"
    problem = name_problem(value)
    if problem is None:
        return None
    # name_problem speaks of a spreadsheet cell after ": "; the reason is what comes before.
    return problem.rpartition(": ")[0] or problem


def _json_problem(value: str) -> str | None:
    size = len(value.encode("utf-8", "surrogatepass"))
    if size > JSON_MAX:
        return f"JSON dài {count(size)} byte, quá giới hạn {count(JSON_MAX)}"
    try:
        parsed = json.loads(value)
    except (ValueError, RecursionError):
        return "không phải JSON đọc được"
    if parsed is not None and not isinstance(parsed, dict):
        return "JSON không phải một bảng khóa–giá trị"
    return _json_text_problem(parsed, 0)


def _json_text_problem(value: Any, depth: int) -> str | None:
    if depth > JSON_DEPTH:
        return f"JSON lồng sâu quá {JSON_DEPTH} tầng"
    if isinstance(value, str):
        found = _CONTROL_FREE.search(value)
        return None if not found else f"JSON có ký tự điều khiển (U+{ord(found.group()):04X})"
    items: list[Any] = []
    if isinstance(value, dict):
        items = [*value.keys(), *value.values()]
    elif isinstance(value, list):
        items = value
    for item in items:
        problem = _json_text_problem(item, depth + 1)
        if problem is not None:
            return problem
    return None
