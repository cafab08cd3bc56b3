"""Vietnamese text: normal form, folding for matching, collation for sorting (legacy 8-bit
encodings are in core.legacy)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import TypeAlias

__all__ = [
    "CollationKey",
    "clean",
    "collation_key",
    "fold",
    "free_text",
    "name_key",
    "name_sort_key",
    "printable",
    "printable_json",
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


# A terminal's escape sequences: CSI ("ESC [ … letter": erase the screen, move the cursor,
# colours), OSC ("ESC ] … BEL or ESC \\": the window's title, links) and the other two-character
# ones. Removed whole, so that "\x1b[2J" leaves nothing rather than "[2J".
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"  # CSI (a cut-off one too)
    r"|\x1b[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC, DCS, SOS, PM, APC
    r"|\x1b[ -~]?"  # any other escape, or a lone ESC
    r"|\x9b[0-?]*[ -/]*[@-~]?"  # CSI in its one-byte C1 form
)


def free_text(value: str) -> str:
    """Text a person typed or a file brought (a note, a document number, a name), as it is
    stored: terminal escape sequences removed whole, then `clean` (NFC; controls, direction
    overrides and other invisible characters as one space). Printed later, it can neither
    erase a screen nor set a window's title, nor turn a line's reading direction round."""
    if "\x1b" in value or "\x9b" in value:
        value = _ESCAPE_SEQUENCE.sub("", value)
    return clean(value)


# What `printable` shows in place of a character that would act on a terminal rather than be
# seen: C0 controls but the line break and the tab (a message may have several lines), DEL,
# the C1 controls, and the direction overrides and isolates.
_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def printable(text: str) -> str:
    """Text from the database as a terminal may show it: each control character written as
    the escape a programmer would read ("\\x1b", "\\u202e"), so an escape stored by an older
    version shows harmlessly and visibly."""
    if text.isprintable():  # nearly all text: no control, no format character
        return text
    return _UNPRINTABLE.sub(_visible, text)


# In JSON, the C0 controls are already escaped by every encoder; these are not.
_UNPRINTABLE_IN_JSON = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable_json(text: str) -> str:
    """JSON text with DEL, the C1 controls and the direction overrides written as \\u escapes:
    the same JSON to a program, nothing that acts on a terminal."""
    if text.replace("\n", " ").isprintable():  # at C speed, 3 times faster than the search
        return text
    return _UNPRINTABLE_IN_JSON.sub(lambda found: f"\\u{ord(found[0]):04x}", text)


def _visible(found: re.Match[str]) -> str:
    code = ord(found[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


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
