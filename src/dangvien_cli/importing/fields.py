"""The fields a column can be read as, by the names scripts and people use for them.

Inside the importer a field has a Python name ("full_name"); on the command line and in
`import --preview --json` it has a short Vietnamese name without diacritics ("ho-ten", the names
of issue 12's `--column HEADER=field`), and on screen a label ("Họ và tên": the roster's labels
are those its row errors use, importing.rows.FIELD_LABELS).
"""

from __future__ import annotations

from typing import Final

from dangvien_cli.importing.rows import FIELD_LABELS

# Python name → name on the command line and in JSON.
FIELD_NAMES: Final[dict[str, str]] = {
    "stt": "stt",
    "student_code": "ma-hoc-sinh",
    "full_name": "ho-ten",
    "birth_name": "ho-ten-khai-sinh",
    "date_of_birth": "ngay-sinh",
    "gender": "gioi-tinh",
    "female": "gioi-tinh",
    "ethnicity": "dan-toc",
    "religion": "ton-giao",
    "national_id": "so-dinh-danh",
    "class_name": "lop",
    "grade_level": "khoi",
    "academic": "hoc-luc",
    "conduct": "hanh-kiem",
    "youth_union": "doan-vien",
    "youth_union_joined": "ngay-vao-doan",
    "school": "truong",
    "class_date": "lop-boi-duong",
    "certificate_no": "so-giay-chung-nhan",
    "mentor": "dang-vien-giup-do",
    "mentor_date": "ngay-phan-cong",
    "recommend_date": "chi-bo-de-nghi",
    "decision_no": "so-quyet-dinh",
    "decision_date": "ngay-quyet-dinh",
    "ceremony_date": "ngay-ket-nap",
}

# Labels of the fields a roster's row errors never name.
_MORE_LABELS: Final[dict[str, str]] = {
    "stt": "Số thứ tự",
    "birth_name": "Họ tên khai sinh (giữ làm dữ liệu thêm)",
    "female": "Giới tính (cột “Nữ” đánh dấu x)",
    "school": "Trường",
    "class_date": "Ngày học lớp bồi dưỡng",
    "certificate_no": "Số giấy chứng nhận",
    "mentor": "Đảng viên giúp đỡ",
    "mentor_date": "Ngày phân công giúp đỡ",
    "recommend_date": "Ngày chi bộ đề nghị",
    "decision_no": "Số quyết định kết nạp",
    "decision_date": "Ngày quyết định kết nạp",
    "ceremony_date": "Ngày lễ kết nạp",
}


def field_name(field: str) -> str:
    """The name a script sees ("ho-ten") of the importer's field ("full_name")."""
    return FIELD_NAMES.get(field, field.replace("_", "-"))


def field_label(field: str) -> str:
    """The label a person reads ("Họ và tên") of the importer's field."""
    return _MORE_LABELS.get(field) or FIELD_LABELS.get(field) or field
