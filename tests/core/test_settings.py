"""Tests for the admission settings: keys, defaults, normalising values, and the Rules they make."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangvien_cli.core.errors import UsageError
from dangvien_cli.core.grades import CONDUCT, GRADE_RANKS, SCALE_CODES, grade_rank
from dangvien_cli.core.labels import GRADE_LABELS
from dangvien_cli.core.settings import (
    SETTINGS,
    Rules,
    SettingError,
    normalise_setting,
    rank_of,
    rules_from,
)

CONTRACT_KEYS = [
    "age.mode",
    "age.min",
    "academic.min",
    "conduct.min",
    "require.youth_union",
    "require.mentor",
    "require.awareness_class",
    "require.discipline",
    "awareness_class.valid_months",
    "discipline.months",
    "term.hk1_known_from",
    "school_year.last_day",
    "school_year.period_start",
]
DEFAULTS = {
    "age.mode": "month",
    "age.min": "18",
    "academic.min": "kha",
    "conduct.min": "tot",
    "require.youth_union": "true",
    "require.mentor": "true",
    "require.awareness_class": "true",
    "require.discipline": "true",
    "awareness_class.valid_months": "60",
    "discipline.months": "12",
    "term.hk1_known_from": "16/01",
    "school_year.last_day": "31/05",
    "school_year.period_start": "01/09",
}
VIETNAMESE_LETTERS = set("ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ")


def test_keys_and_defaults_are_the_contract() -> None:
    assert list(SETTINGS) == CONTRACT_KEYS
    assert {key: spec.default for key, spec in SETTINGS.items()} == DEFAULTS
    for key, spec in SETTINGS.items():
        assert spec.key == key


def test_each_default_is_canonical() -> None:
    for key, spec in SETTINGS.items():
        assert normalise_setting(key, spec.default) == spec.default


def test_descriptions_and_accepted_values_are_vietnamese() -> None:
    for spec in SETTINGS.values():
        assert spec.description.strip()
        assert spec.accepted.strip()
        assert VIETNAMESE_LETTERS & set(spec.description.lower()), spec.key


def test_defaults_make_the_default_rules() -> None:
    assert rules_from({}) == Rules()
    assert rules_from(DEFAULTS) == Rules()
    rules = Rules()
    assert rules.age_mode == "month"
    assert rules.age_min == 18
    assert (rules.academic_min, rules.conduct_min) == ("kha", "tot")
    assert (rules.academic_rank, rules.conduct_rank) == (3, 4)
    assert rules.require_youth_union and rules.require_mentor
    assert rules.require_awareness_class and rules.require_discipline
    assert (rules.awareness_class_valid_months, rules.discipline_months) == (60, 12)
    assert rules.hk1_known_from == (16, 1)
    assert rules.school_year_last_day == (31, 5)
    assert rules.school_year_period_start == (1, 9)


@pytest.mark.parametrize(
    ("key", "value", "canonical"),
    [
        ("age.mode", "month", "month"),
        ("age.mode", "Day", "day"),
        ("age.mode", "tháng", "month"),
        ("age.mode", "Theo ngày", "day"),
        ("age.min", "18", "18"),
        ("age.min", " 20 ", "20"),
        ("age.min", "16", "16"),
        ("age.min", "30", "30"),
        ("academic.min", "Khá", "kha"),
        ("academic.min", "K", "kha"),
        ("academic.min", "kha", "kha"),
        ("academic.min", "KHÁ", "kha"),
        ("academic.min", "Kha\u0301", "kha"),  # decomposed (NFD) á
        ("academic.min", "Giỏi", "gioi"),
        ("academic.min", "Tốt", "tot"),
        ("academic.min", "tb", "tb"),
        ("academic.min", "Trung bình", "tb"),
        ("academic.min", "trung-binh", "tb"),
        ("academic.min", "Đạt", "dat"),
        ("academic.min", "Yếu", "yeu"),
        ("academic.min", "Chưa đạt", "chua-dat"),
        ("academic.min", "chua-dat", "chua-dat"),
        ("academic.min", "CĐ", "chua-dat"),
        ("academic.min", "Kém", "kem"),
        ("conduct.min", "Tốt", "tot"),
        ("conduct.min", "T", "tot"),
        ("conduct.min", "khá", "kha"),
        ("conduct.min", "Đạt", "dat"),
        ("conduct.min", "chưa đạt", "chua-dat"),
        ("require.mentor", "true", "true"),
        ("require.mentor", "False", "false"),
        ("require.mentor", "có", "true"),
        ("require.mentor", "Không", "false"),
        ("require.mentor", "khong", "false"),
        ("require.youth_union", "1", "true"),
        ("require.youth_union", "0", "false"),
        ("require.awareness_class", "yes", "true"),
        ("require.discipline", "NO", "false"),
        ("awareness_class.valid_months", "60", "60"),
        ("awareness_class.valid_months", "36", "36"),
        ("awareness_class.valid_months", "240", "240"),
        ("discipline.months", "12", "12"),
        ("discipline.months", "1", "1"),
        ("discipline.months", "024", "24"),
        ("term.hk1_known_from", "16/01", "16/01"),
        ("term.hk1_known_from", "16/1", "16/01"),
        ("term.hk1_known_from", "1-2", "01/02"),
        ("school_year.last_day", "31.05", "31/05"),
        ("school_year.last_day", " 30/6 ", "30/06"),
        ("school_year.period_start", "5/9", "05/09"),
        ("School_Year.Last_Day", "31/05", "31/05"),
        ("require.youth-union", "true", "true"),
    ],
)
def test_normalise_valid_values(key: str, value: str, canonical: str) -> None:
    assert normalise_setting(key, value) == canonical


@pytest.mark.parametrize(
    ("key", "value", "hint"),
    [
        ("age.mode", "year", "month"),
        ("age.min", "abc", "16 đến 30"),
        ("age.min", "15", "16 đến 30"),
        ("age.min", "31", "16 đến 30"),
        ("age.min", "-18", "16 đến 30"),
        ("age.min", "18.5", "16 đến 30"),
        ("academic.min", "xuất sắc", "gioi, tot, kha"),
        ("academic.min", "8.5", "gioi, tot, kha"),
        ("academic.min", "", "gioi, tot, kha"),
        ("conduct.min", "Giỏi", "tot, kha"),
        ("conduct.min", "kém", "tot, kha"),
        ("require.mentor", "maybe", "true hoặc false"),
        ("require.mentor", "", "true hoặc false"),
        ("awareness_class.valid_months", "0", "1 đến 240"),
        ("awareness_class.valid_months", "241", "1 đến 240"),
        ("discipline.months", "0", "1 đến 120"),
        ("discipline.months", "121", "1 đến 120"),
        ("term.hk1_known_from", "32/01", "dd/mm"),
        ("term.hk1_known_from", "16/13", "dd/mm"),
        ("term.hk1_known_from", "29/02", "dd/mm"),
        ("term.hk1_known_from", "31/04", "dd/mm"),
        ("school_year.last_day", "31/05/2025", "dd/mm"),
        ("school_year.last_day", "cuối tháng 5", "dd/mm"),
    ],
)
def test_normalise_rejects_bad_values_listing_valid_ones(key: str, value: str, hint: str) -> None:
    with pytest.raises(SettingError) as caught:
        normalise_setting(key, value)
    message = caught.value.message
    assert "không hợp lệ" in message
    assert hint in message
    assert SETTINGS[key.lower()].accepted in message


def test_unknown_key_lists_every_valid_key() -> None:
    with pytest.raises(SettingError) as caught:
        normalise_setting("age.minimum", "18")
    message = caught.value.message
    assert message.startswith("Không có thiết lập “age.minimum”.")
    assert "Có phải ý bạn là age.min?" in message
    for key in CONTRACT_KEYS:
        assert key in message


def test_setting_error_is_a_usage_error_with_a_message() -> None:
    with pytest.raises(UsageError) as caught:
        normalise_setting("nothing", "x")
    assert isinstance(caught.value, SettingError)
    assert isinstance(caught.value, Exception)
    assert str(caught.value) == caught.value.message
    assert "Có phải ý bạn là" not in caught.value.message  # nothing close to suggest


@pytest.mark.parametrize(
    ("code", "rank"),
    [
        ("gioi", 4),
        ("tot", 4),
        ("Giỏi", 4),
        ("kha", 3),
        ("Khá", 3),
        ("tb", 2),
        ("trung-binh", 2),
        ("Trung bình", 2),
        ("dat", 2),
        ("yeu", 1),
        ("chua-dat", 1),
        ("chua_dat", 1),  # the importer's spelling of the code
        ("kem", 0),
    ],
)
def test_rank_of(code: str, rank: int) -> None:
    assert rank_of(code) == rank


def test_rank_of_agrees_with_the_ranks_of_the_grades() -> None:
    # The settings take their ranks from the grades' (core.grades, their one home): every code of
    # every scale, spelt either way or written as its word, is accepted with the same rank.
    codes = {code for scale in SCALE_CODES.values() for code in scale}
    assert codes == set(GRADE_RANKS)
    for code in codes:
        assert rank_of(code) == GRADE_RANKS[code] == grade_rank(code)
        assert rank_of(code.replace("_", "-")) == grade_rank(code.replace("_", "-"))
        assert rank_of(GRADE_LABELS[code]) == GRADE_RANKS[code]


def test_conduct_min_takes_the_codes_of_the_conduct_scales() -> None:
    # conduct.min takes every code a conduct result may have, on either scale, and no other.
    conduct = {c for (_, kind), scale in SCALE_CODES.items() if kind == CONDUCT for c in scale}
    for code in GRADE_RANKS:
        if code in conduct:
            assert normalise_setting("conduct.min", code) == code.replace("_", "-")
        else:
            with pytest.raises(SettingError):
                normalise_setting("conduct.min", code)


def test_rank_of_unknown_word() -> None:
    with pytest.raises(SettingError) as caught:
        rank_of("xuat-sac")
    assert "không phải mức xếp loại" in caught.value.message


def test_rules_from_stored_values() -> None:
    rules = rules_from(
        {
            "age.mode": "day",
            "age.min": "20",
            "academic.min": "tb",
            "conduct.min": "kha",
            "require.youth_union": "false",
            "require.mentor": "false",
            "require.awareness_class": "false",
            "require.discipline": "false",
            "awareness_class.valid_months": "36",
            "discipline.months": "6",
            "term.hk1_known_from": "01/02",
            "school_year.last_day": "30/06",
            "school_year.period_start": "05/09",
        }
    )
    assert rules == Rules(
        age_mode="day",
        age_min=20,
        academic_min="tb",
        conduct_min="kha",
        require_youth_union=False,
        require_mentor=False,
        require_awareness_class=False,
        require_discipline=False,
        awareness_class_valid_months=36,
        discipline_months=6,
        hk1_known_from=(1, 2),
        school_year_last_day=(30, 6),
        school_year_period_start=(5, 9),
    )
    assert (rules.academic_rank, rules.conduct_rank) == (2, 3)


def test_rules_from_takes_defaults_for_missing_keys_and_ignores_other_keys() -> None:
    rules = rules_from({"age.mode": "day", "report.signer": "Nguyễn Văn A"})
    assert rules == Rules(age_mode="day")


def test_rules_from_rechecks_stored_values() -> None:
    with pytest.raises(SettingError) as caught:
        rules_from({"discipline.months": "mười hai"})
    assert "discipline.months" in caught.value.message


# --------------------------------------------------------------------------- properties

_SAMPLES = {
    "age.mode": ["month", "day", "Tháng", "NGÀY", "week"],
    "age.min": ["18", "0", "25", "99", "x"],
    "academic.min": ["Khá", "K", "Giỏi", "chua dat", "Tb", "A+"],
    "conduct.min": ["Tốt", "t", "Đ", "Kém", "?"],
    "require.mentor": ["Có", "không", "1", "0", "yes", "YES", "hmm"],
    "awareness_class.valid_months": ["60", "1", "0", "999"],
    "term.hk1_known_from": ["16/1", "1.2", "30-12", "29/2", "0/0"],
}


@given(
    st.sampled_from(sorted(_SAMPLES)).flatmap(
        lambda key: st.tuples(st.just(key), st.sampled_from(_SAMPLES[key]) | st.text(max_size=8))
    )
)
def test_normalising_is_idempotent(pair: tuple[str, str]) -> None:
    key, value = pair
    try:
        canonical = normalise_setting(key, value)
    except SettingError as error:
        assert error.message
        return
    assert normalise_setting(key, canonical) == canonical
    rules_from({key: canonical})  # every canonical value makes Rules


@given(st.text(max_size=20))
def test_unknown_keys_always_raise_setting_error(key: str) -> None:
    if key.strip().lower().replace("-", "_") in SETTINGS:
        return
    with pytest.raises(SettingError):
        normalise_setting(key, "true")
