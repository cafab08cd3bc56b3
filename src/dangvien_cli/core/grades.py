"""Grades on the two scales, their codes and ranks (the one home of the ranks; their words are
core.labels'): small and free of the importer, so that the commands that only read (eligible,
report, students) do not load the importing package."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from dangvien_cli.core.labels import GRADE_LABELS

TT58: Final = "tt58"
TT22: Final = "tt22"
ACADEMIC: Final = "academic"
CONDUCT: Final = "conduct"

# The rank of each code: 4 Giỏi/Tốt, 3 Khá, 2 Trung bình/Đạt, 1 Yếu/Chưa đạt, 0 Kém (the
# minimum a rule asks is compared with it, whichever scale a result was graded on).
GRADE_RANKS: Final[dict[str, int]] = {
    "gioi": 4,
    "tot": 4,
    "kha": 3,
    "tb": 2,
    "dat": 2,
    "yeu": 1,
    "chua_dat": 1,
    "kem": 0,
}
# The codes each scale has, per kind of result, best first.
SCALE_CODES: Final[dict[tuple[str, str], tuple[str, ...]]] = {
    (TT58, ACADEMIC): ("gioi", "kha", "tb", "yeu", "kem"),
    (TT58, CONDUCT): ("tot", "kha", "tb", "yeu"),
    (TT22, ACADEMIC): ("tot", "kha", "dat", "chua_dat"),
    (TT22, CONDUCT): ("tot", "kha", "dat", "chua_dat"),
}


@dataclass(frozen=True, slots=True)
class Grade:
    """A result on one grading scale: ``code`` ("gioi", "kha", "tb", "tot", "dat", "chua_dat"…),
    ``scale`` ("tt58" or "tt22") and ``rank`` (4 Giỏi/Tốt, 3 Khá, 2 Trung bình/Đạt,
    1 Yếu/Chưa đạt, 0 Kém)."""

    code: str
    scale: str
    rank: int

    @property
    def label(self) -> str:
        """The Vietnamese word, with diacritics: "Giỏi", "Trung bình", "Chưa đạt"…"""
        return GRADE_LABELS[self.code]


def grade_rank(code: str) -> int:
    """The rank of a grade code (:data:`GRADE_RANKS`), Chưa đạt spelt either way: "chua_dat" as
    results store it or "chua-dat" as the settings write it."""
    return GRADE_RANKS[code.replace("-", "_")]
