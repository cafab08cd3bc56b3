"""Hypothesis strategies for the property tests: Vietnamese letters, words, made-up names.

Every name here is invented from common family names, middle names and given names; any
resemblance to a real student is chance.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from hypothesis import settings
from hypothesis import strategies as st

# Moderate: the suite must stay fast. No deadline: the first example of a test pays for imports.
PROPERTY = settings(max_examples=150, deadline=None)
SLOW_PROPERTY = settings(max_examples=50, deadline=None)

# The Vietnamese alphabet in dictionary order (f j w z, for loan words and minority-language
# names, in their Latin places).
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
VOWELS = frozenset("aăâeêioôơuưy")
# Tones in dictionary order: ngang (none), huyền, hỏi, ngã, sắc, nặng.
TONE_MARKS = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
# Base letters as the alphabet has them → the letter without its own mark.
UNMARKED = {"ă": "a", "â": "a", "đ": "d", "ê": "e", "ô": "o", "ơ": "o", "ư": "u"}


@dataclass(frozen=True)
class Letter:
    """One letter: its base (an entry of ALPHABET), its tone (0–5) and whether it is a capital."""

    base: str
    tone: int
    upper: bool

    @property
    def text(self) -> str:
        char = unicodedata.normalize("NFC", self.base + TONE_MARKS[self.tone])
        return char.upper() if self.upper else char


@st.composite
def letters(draw: st.DrawFn) -> Letter:
    base = draw(st.sampled_from(ALPHABET))
    tone = draw(st.integers(0, 5)) if base in VOWELS else 0
    return Letter(base, tone, draw(st.booleans()))


words = st.lists(letters(), min_size=1, max_size=7)


def spell(word: list[Letter]) -> str:
    return "".join(letter.text for letter in word)


FAMILY = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương",
    "Lý", "Lò", "Cầm", "Hà", "Giàng", "Mùa", "Tòng", "Quàng", "Ưng", "Âu", "Đinh", "Sùng",
)  # fmt: skip
MIDDLE = (
    "Văn", "Thị", "Minh", "Thu", "Đức", "Ngọc", "Hữu", "Xuân", "Thị Thanh", "A", "Mí", "Bảo",
    "Ánh", "Thị Ngọc", "Công", "Diệu",
)  # fmt: skip
GIVEN = (
    "An", "Bình", "Cường", "Dũng", "Đạt", "Giang", "Hương", "Huyền", "Khánh", "Lan", "Mai",
    "Nga", "Oanh", "Phượng", "Quân", "Sơn", "Thảo", "Uyên", "Vân", "Xuân", "Yến", "Ánh", "Ước",
    "Ơn", "Ứng", "Ẩn", "Pó", "Dế", "Chư", "Ly",
)  # fmt: skip

# A made-up full name: family, middle, given (sometimes no middle name).
names = st.builds(
    lambda family, middle, given: " ".join(p for p in (family, middle, given) if p),
    st.sampled_from(FAMILY),
    st.sampled_from((*MIDDLE, "")),
    st.sampled_from(GIVEN),
)
