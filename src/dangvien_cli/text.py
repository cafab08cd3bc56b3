"""Vietnamese text: normal form, folding for matching, collation for sorting, legacy encodings."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import TypeAlias

__all__ = [
    "CollationKey",
    "clean",
    "collation_key",
    "decode_tcvn3",
    "decode_vni",
    "detect_legacy",
    "fix_legacy",
    "fold",
    "name_key",
    "name_sort_key",
    "school_key",
    "strip_leading_truong",
]

# --------------------------------------------------------------------------------------------
# clean
# --------------------------------------------------------------------------------------------

# Everything str.isspace() accepts (listed rather than found by scanning all of Unicode, which
# would cost a noticeable fraction of a second at every start; a test checks the list).
_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680"
    + "".join(chr(c) for c in range(0x2000, 0x200B))
    + "\u2028\u2029\u202f\u205f\u3000"
)
# C0 and C1 controls and DEL: they come from pasted text and old exports and are never content.
_CONTROLS = "".join(chr(c) for c in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)))
# Invisible characters that split or glue words without showing: zero-width space/joiners,
# direction marks, word joiner, BOM, bidi embeddings and isolates, Mongolian vowel separator.
# The soft hyphen U+00AD is deliberately absent: in TCVN3 text it is the letter "ư".
_INVISIBLE = (
    "".join(chr(c) for c in range(0x200B, 0x2010))
    + "".join(chr(c) for c in range(0x202A, 0x202F))
    + "".join(chr(c) for c in range(0x2060, 0x2065))
    + "".join(chr(c) for c in range(0x2066, 0x206A))
    + "\ufeff\u180e"
)
_CLEAN_TABLE: dict[int, str] = {ord(c): " " for c in _WHITESPACE + _CONTROLS + _INVISIBLE}


def clean(value: str) -> str:
    """NFC, every kind of space/control/invisible character as one plain space, stripped."""
    if not value.isascii():
        value = unicodedata.normalize("NFC", value)
    # Most cells are already clean: answer them with a few C-level checks. isprintable() is
    # False for every character of _CLEAN_TABLE (controls, separators other than " ", format
    # characters), so only text that needs the translation pays for it.
    if value.isprintable() and "  " not in value and value[:1] != " " and value[-1:] != " ":
        return value
    # After the translation the only whitespace left is " ", so split() both collapses runs
    # and strips the ends.
    return " ".join(value.translate(_CLEAN_TABLE).split())


# --------------------------------------------------------------------------------------------
# fold
# --------------------------------------------------------------------------------------------

_FOLD_KEEP = frozenset("&/-. ")
# đ has no decomposition, so NFD cannot strip it; ð (eth) and ɖ (African D) are look-alikes
# that some keyboards and converters produce for it.
_FOLD_D = {"đ": "d", "ð": "d", "ɖ": "d"}


def _fold_once(text: str) -> str:
    out: list[str] = []
    for c in unicodedata.normalize("NFD", text.casefold()):
        if unicodedata.category(c).startswith("M"):
            continue
        # casefold() sends Cherokee to its capitals; lower() brings those back down.
        c = _FOLD_D.get(c, c).lower()
        if c.isupper():
            # A capital with no lower case (ℂ, 𝐀, ϒ): its compatibility form has one.
            compat = unicodedata.normalize("NFKD", c)
            out.append(_fold_once(compat) if compat != c else " ")
            continue
        out.append(c if c.isalnum() or c in _FOLD_KEEP else " ")
    return "".join(out)


def _fold_char(ch: str) -> str:
    # casefold, NFD and mark removal all work character by character, so folding one
    # character at a time (and caching it in the translate table) equals folding the string.
    # Iterate to a fixed point so folding folded text never changes it again.
    result = _fold_once(ch)
    for _ in range(4):
        again = _fold_once(result)
        if again == result:
            break
        result = again
    return result


class _FoldTable(dict[int, str]):
    """A str.translate table that computes (and remembers) a character the first time it is seen.

    Precomputing all of Unicode would slow every start; a text only ever meets a few hundred
    distinct characters.
    """

    def __missing__(self, key: int) -> str:
        value = _fold_char(chr(key))
        self[key] = value
        return value


_FOLD_TABLE = _FoldTable()
for _cp in (*range(0x250), *range(0x1E00, 0x1F00)):
    _FOLD_TABLE[_cp] = _fold_char(chr(_cp))


@lru_cache(maxsize=1 << 16)
def fold(value: str) -> str:
    """The form used for matching: no diacritics, đ→d, lower case, only letters, digits, &/-.

    "  Họ và  TÊN " → "ho va ten"; "Mã định danh Bộ GD&ĐT" → "ma dinh danh bo gd&dt".
    """
    return " ".join(clean(value).translate(_FOLD_TABLE).split())


def name_key(full_name: str) -> str:
    """The folded key stored with a person to match their name across files."""
    return fold(full_name)


# --------------------------------------------------------------------------------------------
# Collation
# --------------------------------------------------------------------------------------------

CollationKey: TypeAlias = tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]

# Vietnamese alphabet, with f j w z (loan words, minority-language names) in their Latin place.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
# Primary weight ranges: a space sorts before everything (so "An Bình" < "Anh"), then
# punctuation and symbols, then numbers, then letters of the alphabet, then other letters.
_P_SPACE = 1
_P_PUNCT = 2  # + code point
_P_NUMBER = 0x120000
_P_LETTER = 0x130000  # + index in _ALPHABET
_P_OTHER = 0x140000  # + code point of the lower-case letter
_LETTER_INDEX = {ch: _P_LETTER + i for i, ch in enumerate(_ALPHABET)}
# Dictionary order of the tones: ngang, huyền, hỏi, ngã, sắc, nặng.
_TONE = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Marks that make a letter of its own rather than a tone.
_LETTER_MARK = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}
_D_LIKE = {"đ", "ð", "ɖ"}
_Unit = tuple[int, int, int]


def _unit(ch: str) -> _Unit:
    """(primary, secondary, tertiary) of one character; primary 0 marks a lone combining mark."""
    decomposed = unicodedata.normalize("NFD", ch)
    base, marks = decomposed[0], decomposed[1:]
    if unicodedata.category(base).startswith("M"):
        return (0, 8 * ord(base), 0)
    letter = base.lower()
    if len(letter) != 1:
        letter = base
    tertiary = 0 if letter == base else 1  # lower case before upper case
    if letter in _D_LIKE:
        letter = "đ"
    tone = 0
    other = 0
    for m in marks:
        modified = _LETTER_MARK.get((letter, m))
        if modified is not None:
            letter = modified
        elif m in _TONE and tone == 0:
            tone = _TONE[m]
        else:
            # Foreign diacritics (ü, ç, å…) rank after the Vietnamese tones.
            other = other * 0x110000 + ord(m)
    if letter in _LETTER_INDEX:
        primary = _LETTER_INDEX[letter]
    elif letter.isalpha():
        primary = _P_OTHER + ord(letter)
    elif letter.isspace():
        primary = _P_SPACE
    else:
        primary = _P_PUNCT + ord(letter)
    return (primary, tone + 8 * other, tertiary)


_UNITS: dict[str, _Unit] = {}
for _cp in (*range(0x20, 0x7F), *range(0xA0, 0x250), *range(0x1E00, 0x1F00)):
    _UNITS[chr(_cp)] = _unit(chr(_cp))
del _cp
_DIGITS_RE = re.compile(r"\d+")
_EMPTY_KEY: CollationKey = ((), (), ())


@lru_cache(maxsize=1 << 16)
def _word_key(word: str) -> CollationKey:
    # Keys are built word by word and cached: names are made of a few thousand distinct
    # words, so a million-name sort computes each word once.
    primary: list[int] = []
    secondary: list[int] = []
    tertiary: list[int] = []

    def letters(chunk: str) -> None:
        for ch in chunk:
            unit = _UNITS.get(ch)
            if unit is None:
                unit = _UNITS[ch] = _unit(ch)
            p, s, t = unit
            if p == 0:  # a combining mark NFC could not attach: it refines the previous letter
                if secondary:
                    secondary[-1] += s
                continue
            primary.append(p)
            secondary.append(s)
            tertiary.append(t)

    pos = 0
    for m in _DIGITS_RE.finditer(word):
        letters(word[pos : m.start()])
        run = m.group()
        # Numbers compare by value ("12A2" < "12A10"): marker, digit count, digits; leading
        # zeros only break ties, at the tertiary level.
        digits = str(int(run))
        primary.append(_P_NUMBER)
        primary.append(len(digits))
        primary.extend(ord(d) - 48 for d in digits)
        tertiary.append(len(run) - len(digits))
        pos = m.end()
    letters(word[pos:])
    return (tuple(primary), tuple(secondary), tuple(tertiary))


def _words_key(words: list[str]) -> CollationKey:
    if len(words) == 1:
        return _word_key(words[0])
    primary: list[int] = []
    secondary: list[int] = []
    tertiary: list[int] = []
    for i, word in enumerate(words):
        if i:
            primary.append(_P_SPACE)
            secondary.append(0)
            tertiary.append(0)
        p, s, t = _word_key(word)
        primary.extend(p)
        secondary.extend(s)
        tertiary.extend(t)
    return (tuple(primary), tuple(secondary), tuple(tertiary))


def collation_key(text: str) -> CollationKey:
    """Sort key for Vietnamese text: letters, then tones, then case, each over the whole string.

    ă â đ ê ô ơ ư are letters of their own; tones order ngang < huyền < hỏi < ngã < sắc < nặng.
    """
    return _words_key(clean(text).split(" "))


def name_sort_key(full_name: str) -> tuple[CollationKey, CollationKey, CollationKey]:
    """Sort key for a person's name the Vietnamese way: given name, middle name(s), family name."""
    words = clean(full_name).split(" ")
    given = _word_key(words[-1])
    if len(words) == 1:
        return (given, _EMPTY_KEY, _EMPTY_KEY)
    return (given, _words_key(words[1:-1]) if len(words) > 2 else _EMPTY_KEY, _word_key(words[0]))


# --------------------------------------------------------------------------------------------
# Schools
# --------------------------------------------------------------------------------------------


def strip_leading_truong(name: str) -> str:
    """Drop a leading "Trường" word: "TRƯỜNG THPT BÌNH LƯ" → "THPT BÌNH LƯ"."""
    text = clean(name)
    first, _, rest = text.partition(" ")
    # "truong" also folds from the surname Trương and from trưởng ("head of"); only take the
    # word with the huyền tone, or typed without any diacritics.
    if fold(first) == "truong" and (
        first.isascii() or "\u0300" in unicodedata.normalize("NFD", first)
    ):
        return rest
    return text


def school_key(name: str) -> str:
    """Key matching a school however its name is written: fold without the word "Trường"."""
    return fold(strip_leading_truong(name))


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
