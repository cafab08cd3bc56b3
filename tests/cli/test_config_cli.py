"""`dangvien config`: the rules everyone sharing a database applies (issue 3)."""

from __future__ import annotations

import json

import pytest

from dbcheck import query

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


def settings(run) -> dict[str, str]:
    data = run.json("config", "show")
    assert isinstance(data, dict)
    return data


def config_audit(db_path) -> list[tuple[str, dict[str, list[str]]]]:
    rows = query(db_path, "SELECT command, changes FROM audit_log WHERE action = 'config'")
    return [(command, json.loads(changes)) for command, changes in rows]


def table(text: str) -> list[list[str]]:
    """The rows of a rich table whose first cell is filled, as lists of stripped cells."""
    rows = [[c.strip() for c in line.split("│")] for line in text.splitlines() if "│" in line]
    return [cells for cells in rows if cells[1]]


def test_show_lists_every_key_with_its_default(run):
    assert settings(run) == DEFAULTS

    text = run.ok("config", "show").stdout
    rows = {cells[1]: cells[2:4] for cells in table(text)}
    for key, default in DEFAULTS.items():
        assert rows[key] == [default, default], key
    assert "Mặc định" in text and "Ý nghĩa" in text
    assert "tính theo tháng" in text  # what each setting means, in Vietnamese


def test_show_marks_a_changed_value_beside_its_default(run):
    run.ok("config", "set", "age.mode", "day")

    text = run.ok("config", "show").stdout

    rows = {cells[1]: cells[2:4] for cells in table(text)}
    assert rows["age.mode"] == ["day", "month"]
    assert rows["age.min"] == ["18", "18"]


NORMALISED = [  # (key, as typed, as stored)
    ("academic.min", "Khá", "kha"),
    ("academic.min", "GIỎI", "gioi"),
    ("academic.min", "Trung bình", "tb"),
    ("conduct.min", "Tốt", "tot"),
    ("conduct.min", "Đạt", "dat"),
    ("age.mode", "Day", "day"),
    ("age.mode", "theo ngày", "day"),
    ("age.min", "17", "17"),
    ("require.mentor", "False", "false"),
    ("require.youth_union", "không", "false"),
    ("require.discipline", "có", "true"),
    ("term.hk1_known_from", "20/1", "20/01"),
    ("school_year.last_day", "30-06", "30/06"),
    ("awareness_class.valid_months", "72", "72"),
]


def test_set_normalises_the_value(run):
    for key, typed, stored in NORMALISED:  # one database for all: each command is a new start
        result = run.ok("config", "set", key, typed)

        assert stored in result.stdout, (key, typed)
        assert settings(run)[key] == stored, (key, typed)


def test_setting_the_same_value_again_says_so(run, db_path):
    run.ok("config", "set", "academic.min", "Khá")  # the default, written as people write it

    assert "vẫn là kha" in run.ok("config", "set", "academic.min", "kha").stdout
    assert config_audit(db_path) == []


REFUSED = [  # (key, value, words the message must contain)
    ("age.modes", "day", ["Không có thiết lập “age.modes”", "age.mode"]),
    ("mentor", "false", ["Không có thiết lập", "require.mentor"]),
    ("age.mode", "week", ["không hợp lệ", "month", "day"]),
    ("age.min", "mười tám", ["không hợp lệ", "age.min"]),
    ("age.min", "5", ["không hợp lệ"]),
    ("academic.min", "Xuất sắc", ["không hợp lệ", "kha"]),
    ("conduct.min", "Giỏi", ["không hợp lệ"]),  # conduct has no Giỏi
    ("require.mentor", "maybe", ["không hợp lệ", "true", "false"]),
    ("school_year.last_day", "31/02", ["không hợp lệ", "dd/mm"]),
    ("term.hk1_known_from", "29/02", ["không hợp lệ"]),
    ("discipline.months", "0", ["không hợp lệ"]),
]


def test_set_refuses_unknown_keys_and_bad_values(run, db_path):
    run.ok("config", "show")  # the database exists
    for key, value, words in REFUSED:
        result = run("config", "set", key, value)

        assert result.exit_code == 2, (key, value)
        message = " ".join(result.stderr.split())
        for word in words:
            assert word in message, (key, value, word, message)
    assert settings(run) == DEFAULTS
    assert config_audit(db_path) == []
    assert query(db_path, "SELECT COUNT(*) FROM setting") == [(0,)]


def test_a_change_goes_to_the_audit_log(run, db_path):
    run.ok("config", "set", "age.mode", "day")
    run.ok("config", "set", "require.mentor", "false")
    run.ok("config", "set", "age.mode", "month")

    audit = config_audit(db_path)

    assert [changes for _, changes in audit] == [
        {"age.mode": ["month", "day"]},
        {"require.mentor": ["true", "false"]},
        {"age.mode": ["day", "month"]},
    ]
    rows = query(db_path, "SELECT entity, os_user FROM audit_log WHERE action = 'config'")
    assert {entity for entity, _ in rows} == {"setting"}


def test_settings_persist_across_commands_and_shape_the_answers(run, db_path):
    run.ok("config", "set", "age.mode", "day")
    run.ok("config", "set", "discipline.months", "6")

    assert settings(run) == {**DEFAULTS, "age.mode": "day", "discipline.months": "6"}
    assert dict(query(db_path, "SELECT key, value FROM setting")) == {
        "age.mode": "day",
        "discipline.months": "6",
    }
    rows = {cells[1]: cells[2] for cells in table(run.ok("config", "show").stdout)}
    assert rows["age.mode"] == "day" and rows["discipline.months"] == "6"


@pytest.mark.parametrize("key", ["AGE.MODE", "school-year.period-start"])
def test_a_key_typed_in_capitals_or_with_dashes_is_stored_under_its_name(run, key):
    value = "day" if key == "AGE.MODE" else "15/08"

    result = run("config", "set", key, value)

    assert result.exit_code == 0
    canonical = key.lower().replace("-", "_")
    assert settings(run)[canonical] == value
