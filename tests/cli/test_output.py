"""cli/output.dumps writes exactly what json.dumps(ensure_ascii=False, indent=2) writes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangvien_cli.cli.output import dumps, no_gc_pauses

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()  # control characters, quotes, backslashes, Vietnamese, emoji
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=30,
)


@given(values)
def test_the_same_text_as_the_standard_library(value: Any) -> None:
    assert dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_an_eligibility_row_reads_back_the_same() -> None:
    row = {
        "student_code": "1510000001",
        "full_name": 'Nguyễn Thị "Lan"\n',
        "eligible": True,
        "failed": [],
        "criteria": {"age": {"ok": None, "detail": "Chưa đủ 18 tuổi."}, "mentor": {}},
        "first_age_eligible_date": None,
    }
    text = dumps([row, row])
    assert text == json.dumps([row, row], ensure_ascii=False, indent=2)
    assert json.loads(text) == [row, row]


def test_keys_that_are_not_text_are_written_as_json_dumps_writes_them() -> None:
    value = {1: "a", 2.5: "b", False: "c", None: "d"}
    assert dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_what_json_cannot_hold_is_refused() -> None:
    with pytest.raises(TypeError):
        dumps({"when": object()})


def test_no_gc_pauses_turns_collection_back_on() -> None:
    import gc

    with no_gc_pauses():
        assert not gc.isenabled()
    assert gc.isenabled()
