"""Tests for dangvien_cli.core.text: clean, fold, collation, school names, TCVN3/VNI legacy text."""

from __future__ import annotations

import random
import unicodedata

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from dangvien_cli.core.legacy import decode_tcvn3, decode_vni, detect_legacy, fix_legacy
from dangvien_cli.core.text import (
    clean,
    collation_key,
    fold,
    free_text,
    name_key,
    name_sort_key,
    printable,
    printable_json,
    school_key,
    strip_leading_truong,
)
from legacy_text import VN_LOWER, VN_UPPER, encode_tcvn3, encode_vni

# Every lower-case letter of Vietnamese, and the same in capitals.


# --------------------------------------------------------------------------------------------
# clean
# --------------------------------------------------------------------------------------------


def test_clean_composes_decomposed_input() -> None:
    composed = "Nguyễn Thị Thu Hường"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert clean(decomposed) == composed
    assert fold(decomposed) == fold(composed) == "nguyen thi thu huong"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Họ và  tên  ", "Họ và tên"),
        ("Họ\u00a0và\ttên\n", "Họ và tên"),
        ("Mã\u200bhọc\ufeffsinh", "Mã học sinh"),
        ("\ufeffSTT", "STT"),
        ("Lớp\x0012A1\x85", "Lớp 12A1"),
        ("Ngày\u2060sinh\u3000\u2003", "Ngày sinh"),
        ("Trường\u202fTHPT", "Trường THPT"),
        ("\r\n", ""),
        ("", ""),
        ("Nam", "Nam"),
        ("a  b", "a b"),
        (" x", "x"),
    ],
)
def test_clean(raw: str, expected: str) -> None:
    assert clean(raw) == expected


def test_clean_turns_every_kind_of_whitespace_into_a_space() -> None:
    spaces = [chr(cp) for cp in range(0x110000) if chr(cp).isspace()]
    assert len(spaces) > 20
    for ch in spaces:
        assert clean(f"a{ch}{ch}b{ch}") == "a b", hex(ord(ch))


def test_clean_keeps_the_soft_hyphen_tcvn3_uses_for_u_horn() -> None:
    assert clean("Tr\xadêng") == "Tr\xadêng"


def test_clean_fast_path_returns_clean_ascii_unchanged() -> None:
    value = "1295668844"
    assert clean(value) is value


# --------------------------------------------------------------------------------------------
# fold
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Họ và  TÊN ", "ho va ten"),
        ("Mã định danh Bộ GD&ĐT", "ma dinh danh bo gd&dt"),
        ("Ngày sinh (dd/mm/yyyy)", "ngay sinh dd/mm/yyyy"),
        ("Số QĐ: 141-QĐ/ĐU", "so qd 141-qd/du"),
        ("ĐOÀN VIÊN", "doan vien"),
        ("Kết quả học tập", "ket qua hoc tap"),
        ("Ngày vào Đảng.", "ngay vao dang."),
        ("Họ_tên,  lớp", "ho ten lop"),
        ("Ðoàn viên", "doan vien"),  # Ð (eth) typed for Đ
        ("Straße", "strasse"),
        ("", ""),
    ],
)
def test_fold(raw: str, expected: str) -> None:
    assert fold(raw) == expected


def test_name_key_is_fold() -> None:
    assert name_key("  Nguyễn  THỊ Hồng ") == fold("Nguyễn Thị Hồng") == "nguyen thi hong"
    assert name_key("Đặng Văn Lượng") == name_key("Dang Van Luong")


# --------------------------------------------------------------------------------------------
# Collation
# --------------------------------------------------------------------------------------------

WORDS_IN_ORDER = [
    "a", "à", "ả", "ã", "á", "ạ", "an", "anh", "áo", "ăn", "ắt", "ân", "ấy",
    "bà", "da", "dung", "dương", "đa", "đào", "e", "em", "ê", "ếch", "i",
    "o", "ong", "ô", "ôm", "ơ", "ở", "u", "ung", "ư", "ứng", "y",
]  # fmt: skip


def shuffled(items: list[str], seed: int = 7) -> list[str]:
    out = items[:]
    random.Random(seed).shuffle(out)
    return out


def test_collation_vietnamese_alphabet() -> None:
    assert sorted(shuffled(WORDS_IN_ORDER), key=collation_key) == WORDS_IN_ORDER


def test_collation_tones_in_dictionary_order() -> None:
    tones = ["ma", "mà", "mả", "mã", "má", "mạ"]  # ngang, huyền, hỏi, ngã, sắc, nặng
    assert sorted(shuffled(tones), key=collation_key) == tones


def test_collation_own_letters_at_primary_strength() -> None:
    assert sorted(["Ân", "Anh", "Áo", "Ăn", "Ấn"], key=collation_key) == [
        "Anh",
        "Áo",
        "Ăn",
        "Ân",
        "Ấn",
    ]
    assert sorted(["Đào", "Dũng", "Dương", "Đinh", "Duy"], key=collation_key) == [
        "Dũng",
        "Duy",
        "Dương",
        "Đào",
        "Đinh",
    ]
    assert sorted(["ơn", "ôn", "on", "ốc"], key=collation_key) == ["on", "ốc", "ôn", "ơn"]
    assert sorted(["ưng", "út", "uy"], key=collation_key) == ["út", "uy", "ưng"]


def test_collation_levels_compare_the_whole_string() -> None:
    # Letters first over the whole string, then tones, then case.
    assert sorted(["Ma b", "Má a"], key=collation_key) == ["Má a", "Ma b"]
    assert sorted(["àn", "An", "an"], key=collation_key) == ["an", "An", "àn"]
    assert sorted(["Anh", "An Bình", "Án"], key=collation_key) == ["Án", "An Bình", "Anh"]


def test_collation_digits_and_foreign_letters() -> None:
    assert sorted(["12A10", "Anh", "12A2", "10A1"], key=collation_key) == [
        "10A1",
        "12A2",
        "12A10",
        "Anh",
    ]
    latin = ["fa", "gà", "im", "jun", "kim", "vân", "wa", "yên", "zô"]
    assert sorted(shuffled(latin), key=collation_key) == latin


def test_collation_ignores_normal_form_and_spacing() -> None:
    text = "Nguyễn  Thị Ánh"
    assert collation_key(unicodedata.normalize("NFD", text)) == collation_key(text)
    assert collation_key(" Nguyễn Thị Ánh ") == collation_key(text)


def test_name_sort_key_example() -> None:
    names = ["Trần Văn An", "Nguyễn Thị Ân", "Lê Bình", "Nguyễn An"]
    assert sorted(names, key=name_sort_key) == [
        "Nguyễn An",
        "Trần Văn An",
        "Nguyễn Thị Ân",
        "Lê Bình",
    ]


def test_name_sort_key_given_then_middle_then_family() -> None:
    in_order = [
        "Trần Anh",
        "Nguyễn Văn Anh",
        "Bùi Thị Ánh",
        "Phạm Ân",
        "Lê Bình",
        "Đỗ Dũng",
        "Vũ Duy",
        "Hồ Văn Dương",
        "Nguyễn Đạt",
        "Bùi Minh Đức",
        "Đỗ Minh Đức",
        "Hà Thị Ê",
        "Lò Thị Hà",
        "Lò Thị Hạ",
        "Lò Văn Ơn",
        "Giàng A Pó",
        "Lê Thu",
        "Lê Thư",
        "Lò Uyên",
        "Ưng",  # a one-word name is only a given name: first among the Ưng
        "Cầm Ưng",
        "Lò Văn Ưng",
    ]
    for seed in range(5):
        assert sorted(shuffled(in_order, seed), key=name_sort_key) == in_order


# --------------------------------------------------------------------------------------------
# Schools
# --------------------------------------------------------------------------------------------


def test_strip_leading_truong() -> None:
    assert strip_leading_truong("TRƯỜNG THPT BÌNH LƯ") == "THPT BÌNH LƯ"
    assert strip_leading_truong("  Trường   THPT Mường Kim ") == "THPT Mường Kim"
    assert strip_leading_truong("truong thpt sin ho") == "thpt sin ho"
    assert strip_leading_truong(unicodedata.normalize("NFD", "Trường PTDTNT Sìn Hồ")) == (
        "PTDTNT Sìn Hồ"
    )
    assert strip_leading_truong("THPT Trường Sơn") == "THPT Trường Sơn"
    # The surname Trương is not the word "trường".
    assert strip_leading_truong("Trương Vĩnh Ký") == "Trương Vĩnh Ký"
    assert strip_leading_truong("Trường") == ""


def test_school_key() -> None:
    keys = {school_key(n) for n in ["TRƯỜNG THPT BÌNH LƯ", "Trường THPT Bình Lư", "thpt binh lu"]}
    assert keys == {"thpt binh lu"}
    assert school_key("Trường THPT Than Uyên") != school_key("Trường THPT Tân Uyên")
    assert school_key("THPT Than Uyên") == "thpt than uyen"


# --------------------------------------------------------------------------------------------
# TCVN3
# --------------------------------------------------------------------------------------------

# Rows of an old roster typed with .VnTime/.VnTimeH, as they show without the fonts.
TCVN3_SHEET = [
    "Së GI¸O DôC Vµ §µO T¹O LAI CH¢U",
    "TR¦êNG THPT M¦êNG TÌ",
    "DANH S¸CH HäC SINH LíP 12A5",
    "N¡M HäC 2024-2025",
    "STT",
    "M· häc sinh",
    "Hä vµ tªn",
    "Ngµy sinh",
    "Giíi tÝnh",
    "D©n téc",
    "Häc lùc",
    "H¹nh kiÓm",
    "N¬i sinh",
    "1295668844",
    "Phµn §øc B×nh",
    "10/07/2007",
    "Nam",
    "Dao",
    "Giái",
    "Tèt",
    "S×n Hå, Lai Ch©u",
    "Lï V¨n B×nh",
    "Gi¸y",
    "Trung b×nh",
    "Tam §\xadêng, Lai Ch©u",
    "Ph¹m H÷u H\xadng",
    "YÕu",
    "§iÖn Biªn Phñ, §iÖn Biªn",
    "Ph¹m ThÞ Lôa",
    "N÷",
    "Kh¸",
    "L\xad¬ng Ngäc Th¾m",
    "Ng« Xu©n VÜnh",
    "M\xadêng TÌ, Lai Ch©u",
]


@pytest.mark.parametrize(
    ("shown", "expected"),
    [
        ("Hµ Néi", "Hà Nội"),
        ("NguyÔn", "Nguyễn"),
        ("ViÖt Nam", "Việt Nam"),
        ("Tr\xadêng", "Trường"),
        ("§¶ng", "Đảng"),
        ("Phµn §øc B×nh", "Phàn Đức Bình"),
        ("L\xad¬ng Ngäc Th¾m", "Lương Ngọc Thắm"),
        ("§iÖn Biªn Phñ, §iÖn Biªn", "Điện Biên Phủ, Điện Biên"),
        ("M\xadêng TÌ, Lai Ch©u", "Mường Tè, Lai Châu"),
        ("Hä vµ tªn", "Họ và tên"),
        ("N÷", "Nữ"),
    ],
)
def test_decode_tcvn3(shown: str, expected: str) -> None:
    assert decode_tcvn3(shown) == expected


@pytest.mark.parametrize(
    ("shown", "expected"),
    [
        ("DANH S¸CH", "DANH SÁCH"),
        ("TR¦êNG THPT M¦êNG TÌ", "TRƯỜNG THPT MƯỜNG TÈ"),
        ("Së GI¸O DôC Vµ §µO T¹O LAI CH¢U", "SỞ GIÁO DỤC VÀ ĐÀO TẠO LAI CHÂU"),
        ("DANH S¸CH HäC SINH LíP 12A5", "DANH SÁCH HỌC SINH LỚP 12A5"),
        ("N¡M HäC 2024-2025", "NĂM HỌC 2024-2025"),
    ],
)
def test_decode_tcvn3_upper(shown: str, expected: str) -> None:
    assert decode_tcvn3(shown, upper=True) == expected
    # fix_legacy sees the capitals and decodes the title upper-case by itself.
    assert fix_legacy(shown, "tcvn3") == expected


@pytest.mark.parametrize(
    ("shown", "expected"),
    [
        ("N÷", "Nữ"),  # one capital is not a title
        ("Vò Hµ", "Vũ Hà"),
        ("Hä vµ tªn", "Họ và tên"),
        ("L\xad¬ng Ngäc Th¾m", "Lương Ngọc Thắm"),
        ("1295668844", "1295668844"),
        ("Đoàn viên", "Đoàn viên"),  # typed later in Unicode: left alone
    ],
)
def test_fix_legacy_tcvn3(shown: str, expected: str) -> None:
    assert fix_legacy(shown, "tcvn3") == expected


def test_decode_tcvn3_is_nfc() -> None:
    out = decode_tcvn3("NguyÔn ThÞ Hoµng YÕn")
    assert out == "Nguyễn Thị Hoàng Yến"
    assert unicodedata.is_normalized("NFC", out)


@given(st.text(alphabet=VN_LOWER + " ", max_size=40))
def test_tcvn3_round_trip(text: str) -> None:
    assert decode_tcvn3(encode_tcvn3(text)) == text


@given(st.text(alphabet="ĂÂÊÔƠƯĐ" + VN_LOWER + "ABCDEFGHIKLMNOPQRSTUVXY ", max_size=40))
def test_tcvn3_round_trip_upper(text: str) -> None:
    # What .VnTimeH shows as capitals comes back upper-case.
    assert decode_tcvn3(encode_tcvn3(text), upper=True) == text.upper()


# --------------------------------------------------------------------------------------------
# VNI
# --------------------------------------------------------------------------------------------

VNI_EXAMPLES = [
    ("Xin chaøo", "Xin chào"),
    ("Vieät Nam", "Việt Nam"),
    ("Nguyeãn", "Nguyễn"),
    ("ñ Ñ", "đ Đ"),
    ("Tröôøng", "Trường"),
    ("ÔÙ", "Ớ"),
    ("Nguyeãn Thò Thuùy", "Nguyễn Thị Thúy"),
    ("NGUYEÃN THÒ THUÙY", "NGUYỄN THỊ THÚY"),
    ("Ñaëng Vaên Löôïng", "Đặng Văn Lượng"),
    ("Ñoã Ñöùc Hieáu", "Đỗ Đức Hiếu"),
    ("Caàm Vaên Ñònh", "Cầm Văn Định"),
    ("Löôøng Vaên Tuaán", "Lường Văn Tuấn"),
    ("Buøi Thò Thaém", "Bùi Thị Thắm"),
    ("Vuõ Thò Hoàng Nhung", "Vũ Thị Hồng Nhung"),
    ("Ngoâ Xuaân Vónh", "Ngô Xuân Vĩnh"),
    ("Taån Thò Mæ", "Tẩn Thị Mỉ"),
    ("Laàu A Söû", "Lầu A Sử"),
    ("Hoà Thò Myõ", "Hồ Thị Mỹ"),
    ("Lyù Thò Kyø", "Lý Thị Kỳ"),
    ("Hoï vaø teân", "Họ và tên"),
    ("Danh saùch hoïc sinh lôùp 12A1", "Danh sách học sinh lớp 12A1"),
    ("TRÖÔØNG THPT PHONG THOÅ", "TRƯỜNG THPT PHONG THỔ"),
    ("ÑIEÄN BIEÂN PHUÛ", "ĐIỆN BIÊN PHỦ"),
    ("Ñieän Bieân Phuû, Ñieän Bieân", "Điện Biên Phủ, Điện Biên"),
    ("kî", "kỵ"),
    ("Kyî", "Kỵ"),  # some converters write y + î
    ("Aùnh", "Ánh"),  # a capital with a lower-case mark still means Á
]


@pytest.mark.parametrize(("shown", "expected"), VNI_EXAMPLES)
def test_decode_vni(shown: str, expected: str) -> None:
    assert decode_vni(shown) == expected
    assert fix_legacy(shown, "vni") == expected


def test_vni_table_in_tests_matches_examples() -> None:
    for shown, expected in VNI_EXAMPLES[:-3]:
        assert encode_vni(expected) == shown


@given(st.text(alphabet=VN_LOWER + VN_UPPER + " ", max_size=40))
def test_vni_round_trip(text: str) -> None:
    # "yỵ" never occurs in Vietnamese; its VNI form "yî" is read as the variant spelling of ỵ.
    assume("yỵ" not in text.lower())
    assert decode_vni(encode_vni(text)) == text


def test_fix_legacy_unknown_encoding() -> None:
    with pytest.raises(ValueError):
        fix_legacy("Hµ Néi", "viscii")


# --------------------------------------------------------------------------------------------
# Detection
# --------------------------------------------------------------------------------------------

VNI_SHEET = [shown for shown, _ in VNI_EXAMPLES] + ["STT", "Ngaøy sinh", "Giôùi tính", "Nöõ"]

UNICODE_PARAGRAPHS = [
    "Chi bộ trường THPT Mường Kim tổ chức lễ kết nạp đảng viên mới cho các em học sinh ưu tú. "
    "Đồng chí Bí thư chi bộ trao quyết định kết nạp và phát biểu giao nhiệm vụ.",
    "Học sinh đã hoàn thành lớp bồi dưỡng nhận thức về Đảng, được đảng viên chính thức giúp đỡ, "
    "có kết quả học tập Tốt, rèn luyện Tốt; đoàn viên ưu tú, được chi đoàn giới thiệu.",
    "Hoà, khoá, hoãn, thuý, tuỳ, xoè, khoẻ, quê, Nguyễn Thị Hoài Thương, Lò Văn Toán.",
    "HỌ VÀ TÊN",
    "DANH SÁCH HỌC SINH LỚP 12A1 - NĂM HỌC 2024-2025",
    "TRƯỜNG THPT SÌN HỒ",
    "Ghi chú: bản sao ©",
    "Nhiệt độ 30°C",
]
ENGLISH = [
    "Student list, class 12A1, school year 2024-2025",
    "The quick brown fox jumps over the lazy dog.",
    "Copyright© 2024 Example Company®. All rights reserved.",
    "A naïve café résumé from Zürich",
]


def test_detect_tcvn3() -> None:
    assert detect_legacy(TCVN3_SHEET) == "tcvn3"
    assert detect_legacy(iter(TCVN3_SHEET)) == "tcvn3"
    # Only the names column, or only the header row, is enough.
    assert detect_legacy(["Phµn §øc B×nh", "Lï V¨n B×nh", "Ph¹m H÷u H\xadng"]) == "tcvn3"
    assert detect_legacy(TCVN3_SHEET[5:13]) == "tcvn3"
    # A Unicode header typed later into the old file does not hide it.
    assert detect_legacy([*TCVN3_SHEET, "Đoàn viên", "Ngày vào Đoàn"]) == "tcvn3"


def test_detect_tcvn3_generated_names() -> None:
    rng = random.Random(3)
    family = ["Nguyễn", "Trần", "Lê", "Phạm", "Đặng", "Lò", "Lường", "Giàng", "Tẩn", "Hoàng"]
    middle = ["Văn", "Thị", "Đức", "Minh", "Thu", "Ngọc", "Hữu"]
    given = ["Hưng", "Thắm", "Lụa", "Điệp", "Nguyệt", "Phượng", "Kiệt", "Vĩnh", "Tường"]
    names = [f"{rng.choice(family)} {rng.choice(middle)} {rng.choice(given)}" for _ in range(50)]
    assert detect_legacy([encode_tcvn3(n) for n in names]) == "tcvn3"
    assert detect_legacy([encode_vni(n) for n in names]) == "vni"
    assert detect_legacy([encode_vni(n).upper() for n in names]) == "vni"
    assert detect_legacy(names) is None
    assert detect_legacy([unicodedata.normalize("NFD", n) for n in names]) is None


def test_detect_vni() -> None:
    assert detect_legacy(VNI_SHEET) == "vni"
    assert detect_legacy(["Nguyeãn Thò Thuùy", "Löôøng Vaên Tuaán", "Hoï vaø teân"]) == "vni"


def test_detect_nothing_in_unicode_or_english() -> None:
    assert detect_legacy(UNICODE_PARAGRAPHS) is None
    assert detect_legacy([unicodedata.normalize("NFD", p) for p in UNICODE_PARAGRAPHS]) is None
    assert detect_legacy(ENGLISH) is None
    assert detect_legacy(UNICODE_PARAGRAPHS + ENGLISH) is None
    assert detect_legacy([]) is None
    assert detect_legacy(["", "STT", "12A1", "1295668844"]) is None


def test_detect_needs_more_than_one_odd_character() -> None:
    assert detect_legacy(["DANH S¸CH"]) is None
    assert detect_legacy(["Ghi chú ©", "Nguyễn Văn An", "Trần Thị Bình"]) is None
    assert detect_legacy(["Xin chaøo"]) is None


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(st.text())
def test_fold_has_no_marks_no_capitals(text: str) -> None:
    out = fold(text)
    assert not any(unicodedata.category(c).startswith("M") for c in out)
    assert not any(c.isupper() for c in out)
    assert "  " not in out and out == out.strip()


@given(st.text(alphabet=VN_LOWER + VN_UPPER + " \t\u00a0\u200b&/-.,:()0123456789"))
def test_fold_of_vietnamese_is_ascii(text: str) -> None:
    out = fold(text)
    assert out.isascii()
    assert set(out) <= set("abcdefghijklmnopqrstuvwxyz0123456789 &/-.")


@given(st.text())
def test_clean_is_idempotent(text: str) -> None:
    once = clean(text)
    assert clean(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert "  " not in once and once == once.strip(" ")


@given(st.lists(st.text(alphabet="aàáăâAÀÂdđĐ 1", max_size=4), min_size=2, max_size=2))
def test_collation_key_equal_only_for_equal_text(pair: list[str]) -> None:
    a, b = pair
    assert (collation_key(a) == collation_key(b)) == (clean(a) == clean(b))


# --------------------------------------------------------------------------------------------
# free_text, printable (issue 11: terminal escapes)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ghi chú\x1b[2J\x1b]0;pwned\x07 xong", "ghi chú xong"),  # erase screen, set title
        ("CN\x1b[31m-12\x1b[0m", "CN-12"),  # colours
        ("a\x1b]8;;http://x\x1b\\b", "ab"),  # a link, ended by ESC \
        ("a\x9b2Jb", "ab"),  # CSI in its C1 form
        ("a\x1b", "a"),  # a lone escape
        ("a\x1bcb", "ab"),  # reset the terminal
        ("Bí thư\x07\x08\x7f", "Bí thư"),
        ("abc\u202edcba\u2066x", "abc dcba x"),  # direction overrides and isolates
        ("Trường [/]THPT [bold]X", "Trường [/]THPT [bold]X"),  # markup is text, kept
        ("145-QĐ/ĐU", "145-QĐ/ĐU"),
    ],
)
def test_free_text_removes_what_would_act_on_a_terminal(raw: str, expected: str) -> None:
    assert free_text(raw) == expected


@given(st.text())
def test_free_text_leaves_nothing_a_terminal_acts_on(raw: str) -> None:
    text = free_text(raw)
    assert printable(text) == text
    assert free_text(text) == text


def test_printable_shows_controls_as_text() -> None:
    assert printable("Tỉnh\x1b[2J\x07") == "Tỉnh\\x1b[2J\\x07"
    assert printable("a\u202eb\x9b") == "a\\u202eb\\x9b"
    assert printable("dòng 1\ndòng 2\tx") == "dòng 1\ndòng 2\tx"  # line breaks and tabs kept
    assert printable("Nguyễn Thị Lan") == "Nguyễn Thị Lan"


def test_printable_json_is_the_same_json_without_raw_controls() -> None:
    import json

    text = json.dumps({"note": "a\x9b2J\u202eb\x1b"}, ensure_ascii=False)
    safe = printable_json(text)
    assert json.loads(safe) == json.loads(text)
    assert not set(safe) & {"\x9b", "\u202e", "\x1b"}
