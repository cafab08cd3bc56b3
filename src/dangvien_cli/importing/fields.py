"""The fields a column can be read as, by the names people and scripts use for them.

Inside the importer a field has a Python name ("full_name"); on the command line and in
`import --preview --json` it has a short Vietnamese name without diacritics ("ho-ten", the names
of issue 12's `--column HEADER=field`), and on screen a label ("Họ và tên").
"""

from __future__ import annotations

from typing import Final

# Python name → (name on the command line and in JSON, label on screen).
FIELDS: Final[dict[str, tuple[str, str]]] = {
    "stt": ("stt", "Số thứ tự"),
    "student_code": ("ma-hoc-sinh", "Mã học sinh"),
    "full_name": ("ho-ten", "Họ và tên"),
    "birth_name": ("ho-ten-khai-sinh", "Họ tên khai sinh (giữ làm dữ liệu thêm)"),
    "date_of_birth": ("ngay-sinh", "Ngày sinh"),
    "gender": ("gioi-tinh", "Giới tính"),
    "female": ("gioi-tinh", "Giới tính (cột “Nữ” đánh dấu x)"),
    "ethnicity": ("dan-toc", "Dân tộc"),
    "religion": ("ton-giao", "Tôn giáo"),
    "national_id": ("so-dinh-danh", "Số định danh cá nhân"),
    "class_name": ("lop", "Lớp"),
    "grade_level": ("khoi", "Khối"),
    "academic": ("hoc-luc", "Học lực"),
    "conduct": ("hanh-kiem", "Hạnh kiểm"),
    "youth_union": ("doan-vien", "Đoàn viên"),
    "youth_union_joined": ("ngay-vao-doan", "Ngày vào Đoàn"),
    "school": ("truong", "Trường"),
    "class_date": ("lop-boi-duong", "Ngày học lớp bồi dưỡng"),
    "certificate_no": ("so-giay-chung-nhan", "Số giấy chứng nhận"),
    "mentor": ("dang-vien-giup-do", "Đảng viên giúp đỡ"),
    "mentor_date": ("ngay-phan-cong", "Ngày phân công giúp đỡ"),
    "recommend_date": ("chi-bo-de-nghi", "Ngày chi bộ đề nghị"),
    "decision_no": ("so-quyet-dinh", "Số quyết định kết nạp"),
    "decision_date": ("ngay-quyet-dinh", "Ngày quyết định kết nạp"),
    "ceremony_date": ("ngay-ket-nap", "Ngày lễ kết nạp"),
}


def field_name(field: str) -> str:
    """The name a script sees ("ho-ten") of the importer's field ("full_name")."""
    return FIELDS[field][0] if field in FIELDS else field.replace("_", "-")


def field_label(field: str) -> str:
    """The label a person reads ("Họ và tên") of the importer's field."""
    return FIELDS[field][1] if field in FIELDS else field
