"""Whether a value can be a person's name: the check both ways a student's name comes in (an
import's cell, a merged school file) go through, so each refuses the same."""

from __future__ import annotations

import unicodedata
from typing import Final

NAME_MAX: Final = 100  # characters

_NAME_PUNCTUATION: Final = frozenset(" -\u2010\u2011'\u2018\u2019\u02bc.,()")


def name_problem(name: str) -> str | None:
    """Why a cleaned name cannot be a person's name, or None. Letters of any script, their
    marks, spaces and punctuation (Ksor H'Nhi, Y-Moan, Nguyễn Thị Lan (B)) are names; digits,
    symbols and emoji are not, nor is a name with no letter at all (only tone marks, dots or
    dashes). Invisible marks were already removed by clean()."""
    if len(name) <= NAME_MAX and name.replace(" ", "").isalpha():
        return None  # nearly every name, at C speed
    if len(name) > NAME_MAX:
        length = f"{len(name):,}".replace(",", ".")
        return (
            f"Họ và tên dài {length} ký tự, quá giới hạn {NAME_MAX}: hãy kiểm tra lại ô này "
            "(có thể đã dán nhầm cả đoạn văn)."
        )
    letters = 0
    for ch in name:
        category = unicodedata.category(ch)
        if category[0] == "L":
            letters += 1
            continue
        if category[0] == "M" or ch in _NAME_PUNCTUATION:
            continue
        if category[0] == "N":
            return (
                f"Họ và tên có chữ số (“{ch}”): hãy kiểm tra lại ô này (mã hoặc ngày sinh gõ "
                "nhầm cột?)."
            )
        return (
            f"Họ và tên có ký tự không phải chữ (“{ch}”, {_kind(ch)}): tên trong hồ sơ chỉ "
            "gồm chữ cái. Hãy xóa ký tự đó trong tệp rồi nhập lại."
        )
    if not letters:
        # Python's isalpha() is False for a combining mark, but its category (M) passes the
        # loop above: a cell of tone marks alone ("\u0301\u0300") would otherwise be a name.
        return (
            "Họ và tên không có chữ cái nào (chỉ có dấu thanh, dấu câu hoặc khoảng trắng): hãy "
            "gõ lại họ và tên đầy đủ trong ô này rồi nhập lại."
        )
    return None


def _kind(ch: str) -> str:
    if ord(ch) >= 0x1F000 or 0x2600 <= ord(ch) < 0x2800:
        return "biểu tượng cảm xúc"
    if unicodedata.category(ch)[0] == "C":
        return "ký tự điều khiển"
    return "ký hiệu"
