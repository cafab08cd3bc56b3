"""core.names: a name must hold at least one letter; tone marks, dots and dashes alone are not a
name, whether the check is asked directly or a roster brings such a cell."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from builders import D, Kid, plain_roster
from dangvien_cli.core.names import name_problem

NO_LETTER = [
    "\u0301\u0300\u0303",  # three combining tone marks
    "\u0301",
    "\u0323 \u0309",
    "...",
    "- -",
    "()",
    "'",
]


@pytest.mark.parametrize("name", NO_LETTER)
def test_a_name_without_any_letter_is_refused_in_vietnamese(name: str) -> None:
    problem = name_problem(name)
    assert problem is not None
    assert "không có chữ cái nào" in problem
    assert name.strip() not in problem or not name.strip()  # the cell's value is not repeated


@pytest.mark.parametrize(
    "name",
    [
        "Nguyễn Thị Lan",
        "Ksor H'Nhi",
        "Y-Moan",
        "Nguyễn Thị Lan (B)",
        "Nguye\u0302\u0303n Thi\u0323 Lan",  # decomposed: letters with their marks
        "A",
    ],
)
def test_names_with_letters_still_pass(name: str) -> None:
    assert name_problem(name) is None


def test_a_roster_row_whose_name_is_only_tone_marks_is_rejected(run: Any, tmp_path: Path) -> None:
    kids = [
        Kid("2501000001", "Lò Thị Hoa", D(2007, 4, 2), "Nữ"),
        Kid("2501000002", "\u0301\u0300\u0303", D(2007, 5, 3)),
        Kid("2501000003", "Vàng A Sử", D(2007, 6, 4)),
    ]
    roster = plain_roster(tmp_path / "dau.xlsx", kids)
    result = run("import", roster.path, "--json")
    assert result.exit_code == 3, result.output
    report = json.loads(result.stdout)["files"][0]
    assert (report["created"], report["rejected"]) == (2, 1)
    [error] = report["errors"]
    assert error["row"] == roster.notes["header_row"] + 2
    assert error["column"] == "Họ và tên"
    assert "không có chữ cái nào" in error["reason"]
    assert sorted(run.by_code()) == ["2501000001", "2501000003"]
