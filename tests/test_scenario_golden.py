"""The ~50-command scenario gives, byte for byte, the output it gave before the code was
reorganised (issue 10): every command's exit code, stdout (JSON or the terminal table) and stderr.

The golden file was written by the code as it stood before the reorganisation. When a change of
behaviour is intended, refresh it with
``DANGVIEN_UPDATE_GOLDEN=1 pytest tests/test_scenario_golden.py`` and say why in the commit.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from scenario import SCREENS, build_files, play_raw, scenario

GOLDEN = Path(__file__).parent / "fixtures" / "scenario-golden.json"


def test_the_scenario_gives_the_same_output_byte_for_byte(tmp_path: Path) -> None:
    files = build_files(tmp_path / "files")
    played = play_raw(str(tmp_path / "s.db"), [*scenario(files, tmp_path), *SCREENS], tmp_path)
    if os.environ.get("DANGVIEN_UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(played, ensure_ascii=False, indent=1) + "\n", "utf-8")
    golden = json.loads(GOLDEN.read_text("utf-8"))
    assert len(played) == len(golden)
    for now, before in zip(played, golden, strict=True):
        assert now == before, " ".join(before["command"])
