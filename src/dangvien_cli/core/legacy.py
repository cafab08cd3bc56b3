"""Legacy Vietnamese 8-bit encodings (TCVN3 / .VnTime, VNI): telling a sheet typed in one of them
from Unicode, and turning its text into Unicode."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

__all__ = ["decode_tcvn3", "decode_vni", "detect_legacy", "fix_legacy"]

# --------------------------------------------------------------------------------------------
# Legacy 8-bit encodings, as they show when the file is opened without its font
# --------------------------------------------------------------------------------------------

# TCVN3 (TCVN 5712:1993, "ABC", fonts .VnTime / .VnTimeH): one byte per letter. There are no
# codes for capitals with a tone mark: the all-capitals .VnTimeH font draws the lower-case
# codes as capitals. 0xAD (a soft hyphen in Windows-1252) is "ư".
_TCVN3_CODES = {
    "Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7,
    "ă": 0xA8, "â": 0xA9, "ê": 0xAA, "ô": 0xAB, "ơ": 0xAC, "ư": 0xAD, "đ": 0xAE,
    "à": 0xB5, "ả": 0xB6, "ã": 0xB7, "á": 0xB8, "ạ": 0xB9,
    "ằ": 0xBB, "ẳ": 0xBC, "ẵ": 0xBD, "ắ": 0xBE, "ặ": 0xC6,
    "ầ": 0xC7, "ẩ": 0xC8, "ẫ": 0xC9, "ấ": 0xCA, "ậ": 0xCB,
    "è": 0xCC, "ẻ": 0xCE, "ẽ": 0xCF, "é": 0xD0, "ẹ": 0xD1,
    "ề": 0xD2, "ể": 0xD3, "ễ": 0xD4, "ế": 0xD5, "ệ": 0xD6,
    "ì": 0xD7, "ỉ": 0xD8, "ĩ": 0xDC, "í": 0xDD, "ị": 0xDE,
    "ò": 0xDF, "ỏ": 0xE1, "õ": 0xE2, "ó": 0xE3, "ọ": 0xE4,
    "ồ": 0xE5, "ổ": 0xE6, "ỗ": 0xE7, "ố": 0xE8, "ộ": 0xE9,
    "ờ": 0xEA, "ở": 0xEB, "ỡ": 0xEC, "ớ": 0xED, "ợ": 0xEE,
    "ù": 0xEF, "ủ": 0xF1, "ũ": 0xF2, "ú": 0xF3, "ụ": 0xF4,
    "ừ": 0xF5, "ử": 0xF6, "ữ": 0xF7, "ứ": 0xF8, "ự": 0xF9,
    "ỳ": 0xFA, "ỷ": 0xFB, "ỹ": 0xFC, "ý": 0xFD, "ỵ": 0xFE,
}  # fmt: skip
_TCVN3_TABLE: dict[int, str] = {code: letter for letter, code in _TCVN3_CODES.items()}
_TCVN3_CHARS = "".join(sorted(chr(code) for code in _TCVN3_CODES.values()))

# VNI (VNI-Windows, fonts VNI-Times…): a base letter followed by a byte for the modifier and/or
# tone, except i and ỵ, ơ ư đ which have single bytes. Lower-case forms below; the capital
# forms are the same bytes 0x20 lower (str.upper() of these Latin-1 letters).
_VNI_TONES = ("ù", "ø", "û", "õ", "ï")  # sắc, huyền, hỏi, ngã, nặng
_UNI_TONES = ("\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
_VNI_CIRCUMFLEX = ("â", "á", "à", "å", "ã", "ä")  # â, then â with sắc … nặng
_VNI_BREVE = ("ê", "é", "è", "ú", "ü", "ë")  # ă, then ă with sắc … nặng
_VNI_I = ("í", "ì", "æ", "ó", "ò")  # i with sắc … nặng


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _vni_lower_table() -> dict[str, str]:
    # ỵ has a byte of its own, î; "yî" (some converters) is accepted too, and "yï" falls out of
    # the loop below: VNI-Times draws both as ỵ.
    table: dict[str, str] = {"ô": "ơ", "ö": "ư", "ñ": "đ", "î": "ỵ", "yî": "ỵ"}
    for vni_tone, tone in zip(_VNI_TONES, _UNI_TONES, strict=True):
        for base in "aeouy":
            table[base + vni_tone] = _nfc(base + tone)
        table["ô" + vni_tone] = _nfc("ơ" + tone)
        table["ö" + vni_tone] = _nfc("ư" + tone)
    for vni_i, tone in zip(_VNI_I, _UNI_TONES, strict=True):
        table[vni_i] = _nfc("i" + tone)
    for i, vni_mark in enumerate(_VNI_CIRCUMFLEX):
        tone = _UNI_TONES[i - 1] if i else ""
        for base in "aeo":
            table[base + vni_mark] = _nfc(base + "\u0302" + tone)
    for i, vni_mark in enumerate(_VNI_BREVE):
        tone = _UNI_TONES[i - 1] if i else ""
        table["a" + vni_mark] = _nfc("a\u0306" + tone)
    return table


_VNI_LOWER = _vni_lower_table()
_VNI_DECODE: dict[str, str] = {}
for _seq, _letter in _VNI_LOWER.items():
    _VNI_DECODE[_seq] = _letter
    _VNI_DECODE[_seq.upper()] = _letter.upper()
    if len(_seq) == 2:
        # A capital base with a lower-case mark (or the reverse) is a typing slip that
        # VNI-Times still draws as the intended letter; the base decides the case.
        _VNI_DECODE[_seq[0].upper() + _seq[1]] = _letter.upper()
        _VNI_DECODE[_seq[0] + _seq[1].upper()] = _letter
del _seq, _letter


def _alternation(sequences: Iterable[str]) -> str:
    """A regex matching any of the given 1- or 2-character sequences, two-character ones first."""
    by_first: dict[str, set[str]] = {}
    singles: set[str] = set()
    for seq in sequences:
        if len(seq) == 2:
            by_first.setdefault(seq[0], set()).add(seq[1])
        else:
            singles.add(seq)
    parts = [
        re.escape(first) + "[" + "".join(re.escape(c) for c in sorted(seconds)) + "]"
        for first, seconds in sorted(by_first.items())
    ]
    if singles:
        parts.append("[" + "".join(re.escape(c) for c in sorted(singles)) + "]")
    return "|".join(parts)


_VNI_DECODE_RE = re.compile(_alternation(_VNI_DECODE))


def _vni_replace(match: re.Match[str]) -> str:
    return _VNI_DECODE[match.group()]


def decode_tcvn3(s: str, upper: bool = False) -> str:
    """TCVN3 text (as shown in Windows-1252) → Unicode NFC; upper=True for .VnTimeH titles."""
    text = s.translate(_TCVN3_TABLE)
    if upper:
        # .VnTimeH has only capitals: every letter, ASCII ones included, shows upper-case.
        text = text.upper()
    return _nfc(text)


def decode_vni(s: str) -> str:
    """VNI text (as shown in Windows-1252) → Unicode NFC: "Vieät Nam" → "Việt Nam"."""
    if s.isascii():
        return s
    return _nfc(_VNI_DECODE_RE.sub(_vni_replace, s))


# Letters (and combining tone marks, for NFD text) that only Unicode Vietnamese has: an 8-bit
# legacy string read as Windows-1252 can never contain them.
_UNICODE_VN_RE = re.compile(
    "[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0"
    "\u1ea0-\u1ef9\u0300\u0301\u0303\u0309\u0323]"
)
# A word with two upper-case letters (ASCII or the TCVN3 capitals Ă Â Ê Ô Ơ Ư Đ).
_TCVN3_CAPS_WORD_RE = re.compile("[A-Z\xa1-\xa7][^\\sA-Z\xa1-\xa7]*[A-Z\xa1-\xa7]")
_ASCII_LOWER_RE = re.compile("[a-z]")


def _tcvn3_title(s: str) -> bool:
    # A .VnTimeH title is typed in capitals: no lower-case ASCII letter, and at least one word
    # with two capitals. A single capital ("N÷" = Nữ, "Vò Hµ" = Vũ Hà) is too weak: a short
    # word typed in .VnTime looks the same.
    return _ASCII_LOWER_RE.search(s) is None and _TCVN3_CAPS_WORD_RE.search(s) is not None


def fix_legacy(value: str, encoding: str) -> str:
    """Decode one cell typed in a legacy encoding ("tcvn3" or "vni") to Unicode NFC.

    A cell that already holds letters only Unicode has (typed later into the old file) is left
    as it is. Do not apply twice: a decoded "Khá" would be read again as TCVN3.
    """
    if value.isascii() or _UNICODE_VN_RE.search(value):
        return value
    enc = encoding.lower()
    if enc == "tcvn3":
        return decode_tcvn3(value, upper=_tcvn3_title(value))
    if enc == "vni":
        return decode_vni(value)
    raise ValueError(f"unknown legacy encoding {encoding!r} (expected 'tcvn3' or 'vni')")


# --- detection ------------------------------------------------------------------------------

_LATIN1_VN_LETTERS = frozenset("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý")
# TCVN3 codes that are not letters of Unicode Vietnamese: seeing them next to letters means
# TCVN3 (or VNI, whose marks overlap; the VNI patterns are taken out first).
_TCVN3_EVIDENCE = "".join(c for c in _TCVN3_CHARS if c not in _LATIN1_VN_LETTERS)
# The ones that are neither letters of Western languages (ä ö ü ß ñ ï …) nor symbols Western
# text writes next to words (© ® « » · ¡): at least two strong hits must be seen.
_TCVN3_STRONG = frozenset("¢£¤¥¦§¨ª¬\xadµ¶¸¹¼½¾")
# Strong too after an ASCII letter ("B×nh" Bình, "ThÞ" Thị), where "3×4" never puts them.
_TCVN3_STRONG_AFTER_LETTER = frozenset("×Þ")
# Strong between two ASCII letters ("D©n" Dân, "Ch©u" Châu), never "Copyright©", "«Bonjour»".
_TCVN3_STRONG_INSIDE = frozenset("©®«»·÷")
_TCVN3_EVIDENCE_RE = re.compile(
    "(?<=[A-Za-z{all}])[{ev}]|[{ev}](?=[A-Za-z{all}])|(?<=[a-z])[\xc0-\xd6\xd8-\xde]".format(
        all=re.escape(_TCVN3_CHARS), ev=re.escape(_TCVN3_EVIDENCE)
    )
)
# VNI evidence: a vowel followed by its VNI mark, in the same case. "oà oá oã" are left out
# because Unicode has them too (hoà, khoá, hoãn).
_VNI_PAIRS = [
    seq
    for lower in _VNI_LOWER
    if len(lower) == 2
    for seq in (lower, lower.upper())
    if seq not in {"oà", "oá", "oã", "OÀ", "OÁ", "OÃ"}
]
_VNI_EVIDENCE_RE = re.compile(
    _alternation(_VNI_PAIRS)
    # ư before ơ ("Tröôøng"), and đ starting a word before a vowel ("ñaïi", "Ñoaøn").
    + "|[öÖ](?=[ôÔ])|(?<![A-Za-z\xc0-\xff])[ñÑ](?=[aeiouyAEIOUYôöÔÖ])"
)
_MIN_HITS = 3
_MAX_DETECT_STRINGS = 5000


def _as_letters(match: re.Match[str]) -> str:
    return "a" * len(match.group())


def _is_ascii_letter(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def _tcvn3_strong(ch: str, before: str, after: str) -> bool:
    if ch in _TCVN3_STRONG:
        return True
    if not _is_ascii_letter(before):
        return False
    # A capital right after a lower-case letter: "ViÖt" Việt, "KiÒu" Kiều, "NguyÔn" Nguyễn.
    if before.islower() and "\xc0" <= ch <= "\xde":
        return True
    return ch in _TCVN3_STRONG_AFTER_LETTER or (
        ch in _TCVN3_STRONG_INSIDE and _is_ascii_letter(after)
    )


def detect_legacy(samples: Iterable[str]) -> str | None:
    """Guess whether text cells of one sheet are TCVN3 or VNI shown as Windows-1252.

    Returns "tcvn3", "vni" or None. Counts characters and sequences plausible only in one legacy
    encoding; needs at least three (for TCVN3, two of them beyond doubt), clearly more than the
    other encoding's and more than the letters only Unicode Vietnamese has, so one odd "©" or
    "°" in a note, or a line of German or French, does not trigger it.
    """
    tcvn3 = strong = vni = unicode_vn = 0
    seen = 0
    for sample in samples:
        if not sample or sample.isascii():
            continue
        seen += 1
        unicode_vn += len(_UNICODE_VN_RE.findall(sample))
        text = sample
        hits = len(_VNI_EVIDENCE_RE.findall(text))
        if hits:
            vni += hits
            # Taken out so the same bytes do not count for TCVN3 too.
            text = _VNI_EVIDENCE_RE.sub(_as_letters, text)
        for m in _TCVN3_EVIDENCE_RE.finditer(text):
            tcvn3 += 1
            before = text[m.start() - 1 : m.start()] if m.start() else ""
            strong += _tcvn3_strong(m.group(), before, text[m.end() : m.end() + 1])
        if seen >= _MAX_DETECT_STRINGS:
            break
    if tcvn3 >= _MIN_HITS and strong >= 2 and tcvn3 >= 2 * vni and tcvn3 > unicode_vn:
        return "tcvn3"
    if vni >= _MIN_HITS and vni >= 2 * tcvn3 and vni > unicode_vn:
        return "vni"
    return None
