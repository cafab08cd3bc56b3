"""The Vietnamese words of the shared vocabulary, one home for each: the admission criteria, the
pipeline's steps, the terms of a school year and the grades.

Where two places show a criterion in different words, both words live here side by side, each
used where it was used before (a terminal column is narrower than a workbook header): the
outputs stay what they were. Plain dictionaries, nothing imported, so that every command may
load them at no cost.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "CRITERION_COLUMNS",
    "CRITERION_HEADERS",
    "CRITERION_LABELS",
    "GRADE_LABELS",
    "RANK_WORDS",
    "RESULT_WORDS",
    "STEP_DATE_WORDS",
    "STEP_LABELS",
    "STEP_NOTE_LABELS",
    "TERM_LABELS",
]

# --------------------------------------------------------------------------- criteria

# The criteria, keyed as rules.eligibility.CRITERIA names them, in its order.
CRITERION_LABELS: Final[dict[str, str]] = {
    "age": "Tuổi",
    "academic": "Học lực",
    "conduct": "Hạnh kiểm",
    "youth_union": "Đoàn viên",
    "mentor": "Đảng viên giúp đỡ",
    "awareness_class": "Lớp bồi dưỡng",
    "discipline": "Kỷ luật",
}
"""The rules' own name of each criterion (the words of the settings: "Học lực", "Hạnh kiểm")."""

CRITERION_COLUMNS: Final[dict[str, str]] = {
    "age": "Tuổi",
    "academic": "Học tập",
    "conduct": "Rèn luyện",
    "youth_union": "Đoàn viên",
    "mentor": "Giúp đỡ",
    "awareness_class": "Lớp BD",
    "discipline": "Kỷ luật",
}
"""The short column header of `eligible`'s terminal table (the TT22 words "Học tập", "Rèn
luyện"; "Giúp đỡ" and "Lớp BD" to keep the columns narrow)."""

CRITERION_HEADERS: Final[dict[str, str]] = {
    "age": "Đủ tuổi",
    "academic": "Học tập",
    "conduct": "Rèn luyện",
    "youth_union": "Đoàn viên",
    "mentor": "ĐV giúp đỡ",
    "awareness_class": "Lớp bồi dưỡng",
    "discipline": "Không kỷ luật",
}
"""The column header of the eligibility workbook, which also names the criterion in its
"Lý do chưa đủ" column: each header says what is met ("Đủ tuổi", "Không kỷ luật")."""

RESULT_WORDS: Final[dict[str, tuple[str, str]]] = {
    # kind → (the results, the value), as named in a reason
    "academic": ("kết quả học tập", "học lực"),
    "conduct": ("kết quả rèn luyện", "hạnh kiểm"),
}
"""How the two graded criteria are named inside a reason: "Chưa có kết quả học tập nào …",
"Kết quả … không ghi học lực"."""

# --------------------------------------------------------------------------- steps

STEP_LABELS: Final[dict[str, str]] = {
    "cam-tinh": "Đưa vào danh sách cảm tình Đảng",
    "lop-boi-duong": "Học lớp bồi dưỡng nhận thức về Đảng",
    "phan-cong-giup-do": "Phân công đảng viên giúp đỡ",
    "don-xin-vao-dang": "Đơn xin vào Đảng, lý lịch",
    "tham-tra-ly-lich": "Thẩm tra lý lịch",
    "gioi-thieu": "Giới thiệu người vào Đảng",
    "lay-y-kien": "Lấy ý kiến nhận xét",
    "chi-bo-de-nghi": "Chi bộ xét, đề nghị kết nạp",
    "dang-uy-co-so": "Đảng ủy cơ sở xét, đề nghị",
    "quyet-dinh-ket-nap": "Quyết định kết nạp",
    "le-ket-nap": "Lễ kết nạp",
    "chinh-thuc": "Công nhận đảng viên chính thức",
    "ky-luat": "Kỷ luật",
    "dung": "Dừng xem xét",
    "chuyen-di": "Chuyển sinh hoạt / chuyển đi",
}
"""Each step of the pipeline (admission.pipeline.STEPS) by its slug, as lists and forms show it;
`record` also accepts it, with or without diacritics, in place of the slug."""

STEP_NOTE_LABELS: Final[dict[str, str]] = {
    "ky-luat": "Hình thức kỷ luật",
    "dung": "Lý do dừng",
    "chuyen-di": "Nơi chuyển đến",
}
"""What the --note of a step that requires one holds (the three ways out)."""

STEP_DATE_WORDS: Final[dict[str, str]] = {
    "chi-bo-de-nghi": "chi bộ đề nghị kết nạp",
    "dang-uy-co-so": "đảng ủy cơ sở đề nghị kết nạp",
    "quyet-dinh-ket-nap": "quyết định kết nạp",
    "le-ket-nap": "lễ kết nạp",
    "chinh-thuc": "công nhận đảng viên chính thức",
}
"""How a chain step's date is named in a sentence: "Ngày quyết định kết nạp …"."""

# --------------------------------------------------------------------------- terms and grades

TERM_LABELS: Final[dict[str, str]] = {"hk1": "Học kỳ I", "hk2": "Học kỳ II", "cn": "Cả năm"}
"""Each term of a school year (core.calendar.TERMS, in its order)."""

GRADE_LABELS: Final[dict[str, str]] = {
    "gioi": "Giỏi",
    "tot": "Tốt",
    "kha": "Khá",
    "tb": "Trung bình",
    "dat": "Đạt",
    "yeu": "Yếu",
    "chua_dat": "Chưa đạt",
    "kem": "Kém",
}
"""The word of each grade code on either scale (core.grades), with diacritics."""

RANK_WORDS: Final[dict[str, dict[int, str]]] = {
    "academic": {4: "Giỏi/Tốt", 3: "Khá", 2: "Trung bình/Đạt", 1: "Yếu/Chưa đạt", 0: "Kém"},
    "conduct": {4: "Tốt", 3: "Khá", 2: "Trung bình/Đạt", 1: "Yếu/Chưa đạt", 0: "Kém"},
}
"""Words for a rank (core.grades.GRADE_RANKS) when a result carries no label, and for a minimum,
per kind of result: both scales' words of the rank (conduct has no Giỏi)."""
