"""What a file says of itself outside its table: the school named in a title, the class named
by a sheet or by the file itself ("12A1", "6A.xlsx", "DS_10Ly4.xlsx" → 10 Lý 4)."""

from __future__ import annotations

import re
from pathlib import PurePath

from dangvien_cli.core.text import fold

_SCHOOL_SEGMENT = re.compile(
    r"^(?:truong\s+)?(?:thpt|thcs|pt|pt dtnt|ptdtnt|ttgdnn|tt|trung tam)\b"
)
# Written in capitals whatever the title's case: the kinds of school and their bodies.
_ACRONYMS = frozenset(
    {"THPT", "THCS", "TH", "PT", "DTNT", "PTDTNT", "GDNN", "GDTX", "TT", "GDNN-GDTX", "DTBT",
     "PTDTBT", "TTGDTX", "TTGDNN", "THPTDTNT", "CĐ", "ĐH", "SP", "ĐHSP", "GD", "ĐT", "GD&ĐT",
     "PTLC", "PTTH", "BTVH", "GDTX-HN", "KTTH-HN"}
)  # fmt: skip
# A class written with its subject ("10 Lý 4", "10Ly4", "11 Toán"): the subject as it is spelt.
_SUBJECTS = {
    "toan": "Toán", "ly": "Lý", "li": "Lý", "hoa": "Hóa", "sinh": "Sinh", "van": "Văn",
    "su": "Sử", "dia": "Địa", "anh": "Anh", "tin": "Tin", "nga": "Nga", "phap": "Pháp",
    "trung": "Trung", "nhat": "Nhật", "han": "Hàn", "duc": "Đức",
}  # fmt: skip
# The first word of a school's name after "Trường" further on in a title ("SỞ GD&ĐT LAI CHÂU
# TRƯỜNG THPT MƯỜNG KIM"): a kind of school, not "toàn trường năm học …".
_KINDS = frozenset(
    {"thpt", "thcs", "th", "pt", "ptdtnt", "dtnt", "ptdtbt", "ptlc", "lien", "pho", "trung",
     "tieu", "chuyen", "quoc", "thcs-thpt", "th-thcs", "th-thcs-thpt", "ttgdtx", "gdtx"}
)  # fmt: skip
_CLASS = re.compile(r"^(\d{1,2})\s?([^\W\d_]{1,5})\s?(\d{1,2})?$")
_SEPARATORS = re.compile(r"[\s_.,;()\[\]+-]+")


def class_from_sheet_name(name: str) -> str | None:
    """The class a sheet's name is ("12A1", "10 Lý 4"), or None."""
    return _class(name.strip())


def class_from_file_name(name: str) -> str | None:
    """The class a file's name names ("6A.xlsx", "DS_10Ly4.xlsx" → "10 Lý 4", "Danh sach lop
    12A1 - HK1.xlsx" → "12A1"), or None; the last such word when there are several."""
    stem = PurePath(name).stem
    found = [c for token in _SEPARATORS.split(stem) if (c := _class(token))]
    return found[-1] if found else None


def _class(text: str) -> str | None:
    m = _CLASS.match(text)
    if not m or not 6 <= int(m.group(1)) <= 12:
        return None
    grade, letters, number = m.group(1), m.group(2), m.group(3) or ""
    subject = _SUBJECTS.get(fold(letters))
    if subject is not None and len(letters) > 1:
        return " ".join(p for p in (grade, subject, number) if p)
    if not letters.isascii():
        return None  # "12 Mỹ": not a class name schools write
    return (grade + letters + number).upper()


def school_from_title(text: str) -> str | None:
    """'TRƯỜNG THPT MƯỜNG KIM - NĂM HỌC 2024-2025' → 'THPT Mường Kim'; 'SỞ GD&ĐT LAI CHÂU
    TRƯỜNG THPT MƯỜNG KIM' and 'HỆ THỐNG TRƯỜNG LIÊN CẤP …' name the school after "Trường"."""
    for segment in re.split(r"\s+[-–—]\s+|,\s*", text):
        words = segment.split()
        folded = fold(segment)
        if folded.startswith("truong ") or _SCHOOL_SEGMENT.match(folded):
            if fold(words[0]) == "truong":
                words = words[1:]
        else:
            # "Trường" further on (ờ: not "trưởng", a head of something)
            at = next((i for i, w in enumerate(words) if w.lower() == "trường"), None)
            if at is None or at + 1 == len(words) or fold(words[at + 1]) not in _KINDS:
                continue
            words = words[at + 1 :]
        if not words:
            return None
        # Only a title typed all in capitals has its words' case guessed: a title in
        # ordinary case says how the school writes its name ("Trường THPT số 1 TP Lào Cai").
        capitals = " ".join(words).isupper()
        return " ".join(_pretty_word(w, capitals) for w in words)
    return None


def _pretty_word(word: str, capitals: bool) -> str:
    upper = word.upper()
    if upper in _ACRONYMS or any(ch.isdigit() for ch in word):
        return upper
    if "-" in word and all(part in _ACRONYMS for part in upper.split("-")):
        return upper  # THCS-THPT, GDNN-GDTX
    if capitals and word.isupper():
        return word[:1] + word[1:].lower()
    return word
