"""The import template's grade drop-downs: the words of the grades (core.labels), TT58's first."""

from __future__ import annotations

from dangvien_cli.roster.template import ACADEMIC_CHOICES, COLUMNS, CONDUCT_CHOICES


def test_grade_choices_are_the_words_of_both_scales_tt58_first() -> None:
    assert ACADEMIC_CHOICES == (
        "Giỏi",
        "Khá",
        "Trung bình",
        "Yếu",
        "Kém",
        "Tốt",
        "Đạt",
        "Chưa đạt",
    )
    assert CONDUCT_CHOICES == ("Tốt", "Khá", "Trung bình", "Yếu", "Đạt", "Chưa đạt")
    choices = {c.header: c.choices for c in COLUMNS}
    assert choices["Học lực"] == ACADEMIC_CHOICES
    assert choices["Hạnh kiểm"] == CONDUCT_CHOICES
