"""Properties of Vietnamese text handling: folding for matching, collation for sorting, and the
legacy 8-bit encodings, checked against a plain statement of the rules."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st
from strategies import ALPHABET, PROPERTY, UNMARKED, Letter, names, spell, words

from dangvien_cli.core.legacy import detect_legacy, fix_legacy
from dangvien_cli.core.text import CollationKey, collation_key, fold, name_key, name_sort_key
from dangvien_cli.roster.students import listing_order
from legacy_text import encode_tcvn3, encode_vni


def sign(a: object, b: object) -> int:
    return (a > b) - (a < b)  # type: ignore[operator]


def rule_key(word: list[Letter]) -> tuple[tuple[int, ...], ...]:
    """The dictionary's rule, level by level over the whole word: the letters in the order of the
    alphabet (ă, â, đ, ê, ô, ơ, ư are letters of their own), then the tones (ngang, huyền, hỏi,
    ngã, sắc, nặng), then lower case before capitals."""
    return (
        tuple(ALPHABET.index(x.base) for x in word),
        tuple(x.tone for x in word),
        tuple(int(x.upper) for x in word),
    )


# --------------------------------------------------------------------------- folding


@PROPERTY
@given(words)
def test_fold_forgets_tones_marks_and_case(word: list[Letter]) -> None:
    text = spell(word)
    plain = "".join(UNMARKED.get(x.base, x.base) for x in word)
    assert fold(text) == plain
    assert fold(text.upper()) == fold(text.lower()) == plain
    assert fold(unicodedata.normalize("NFD", text)) == plain


@PROPERTY
@given(st.lists(words.map(spell), min_size=1, max_size=5))
def test_fold_is_idempotent_and_joins_words_with_one_space(parts: list[str]) -> None:
    text = "\u00a0 \t".join(parts)
    folded = fold(text)
    assert fold(folded) == folded
    assert folded == " ".join(fold(p) for p in parts)


@PROPERTY
@given(names)
def test_the_name_key_matches_a_name_however_it_is_typed(name: str) -> None:
    plain = fold(name)
    for typed in (name.upper(), plain, plain.title(), unicodedata.normalize("NFD", name)):
        assert name_key(typed) == name_key(name)


# --------------------------------------------------------------------------- collation


@PROPERTY
@given(words, words)
def test_collation_follows_the_vietnamese_dictionary(a: list[Letter], b: list[Letter]) -> None:
    assert sign(collation_key(spell(a)), collation_key(spell(b))) == sign(rule_key(a), rule_key(b))


@PROPERTY
@given(words, words)
def test_a_word_sorts_before_every_longer_word_it_starts(a: list[Letter], b: list[Letter]) -> None:
    assert collation_key(spell(a)) < collation_key(spell(a + b))
    # And a space before anything: "An Bình" before "Anh".
    assert collation_key(spell(a) + " " + spell(b)) < collation_key(spell(a) + "a")


@PROPERTY
@given(words)
def test_collation_ignores_normal_form_and_spacing(word: list[Letter]) -> None:
    text = spell(word)
    key = collation_key(text)
    assert collation_key(unicodedata.normalize("NFD", text)) == key
    assert collation_key(f"  {text}\u00a0") == key


EMPTY: CollationKey = ((), (), ())


def rule_name_key(name: str) -> tuple[CollationKey, CollationKey, CollationKey]:
    """How names are ordered in Vietnamese lists: given name, then middle name(s), then family."""
    parts = name.split(" ")
    middle = collation_key(" ".join(parts[1:-1])) if len(parts) > 2 else EMPTY
    family = collation_key(parts[0]) if len(parts) > 1 else EMPTY
    return (collation_key(parts[-1]), middle, family)


@PROPERTY
@given(names, names)
def test_names_sort_by_given_name_then_middle_then_family(a: str, b: str) -> None:
    assert sign(name_sort_key(a), name_sort_key(b)) == sign(rule_name_key(a), rule_name_key(b))


@PROPERTY
@given(st.lists(names, min_size=2, max_size=12), st.data())
def test_students_list_in_the_order_of_the_rule(
    class_names: list[str], data: st.DataObject
) -> None:
    # `students` sorts by school, class, then name: inside one class, the names' rule decides.
    classes = data.draw(st.lists(st.sampled_from(["10A1", "12A1", "12A2", "12A10"]), min_size=2))
    people = [(n, classes[i % len(classes)]) for i, n in enumerate(class_names)]
    listed = sorted(people, key=lambda p: listing_order("THPT Bình Lư", p[1], p[0]))
    grade_then_class = [(int(k[:2]), collation_key(k)) for _, k in listed]
    assert grade_then_class == sorted(grade_then_class)
    for i in range(len(listed) - 1):
        (name_a, class_a), (name_b, class_b) = listed[i], listed[i + 1]
        if class_a == class_b:
            assert rule_name_key(name_a) <= rule_name_key(name_b)


# --------------------------------------------------------------------------- legacy encodings

# Titles and headers of an old roster, typed in the same legacy font as its names.
SHEET_WORDS = ["DANH SÁCH HỌC SINH", "Họ và tên", "Ngày sinh", "Dân tộc", "Giới tính"]


def typed_in_vntime(text: str) -> str:
    """TCVN3 (.VnTime) has codes for Ă Â Ê Ô Ơ Ư Đ but not for a capital with a tone: such a
    capital is typed as the lower-case letter."""
    return "".join(
        c.lower() if c.isupper() and unicodedata.normalize("NFD", c) != c else c for c in text
    )


@PROPERTY
@given(st.lists(names, min_size=3, max_size=40))
def test_a_sheet_typed_in_vni_is_recognised_and_converted(students: list[str]) -> None:
    cells = [encode_vni(t) for t in SHEET_WORDS + students]
    assert detect_legacy(cells) == "vni"
    assert [fix_legacy(c, "vni") for c in cells] == SHEET_WORDS + students
    # The same sheet in Unicode is left alone.
    assert detect_legacy(SHEET_WORDS + students) is None


@PROPERTY
@given(st.lists(names, min_size=3, max_size=40))
def test_a_sheet_typed_in_tcvn3_is_recognised_and_converted(students: list[str]) -> None:
    typed = [typed_in_vntime(n) for n in students]
    cells = [encode_tcvn3("Họ và tên"), encode_tcvn3("Ngày sinh")] + [
        encode_tcvn3(t) for t in typed
    ]
    assert detect_legacy(cells) == "tcvn3"
    assert [fix_legacy(c, "tcvn3") for c in cells[2:]] == typed
