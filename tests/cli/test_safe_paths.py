"""Files kept safe (issue 11): no command writes over a file it reads, over something that is
not a regular file (a folder, a pipe, a device), and a killed backup's leftovers are removed by
the next one."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from builders import Kid, plain_roster
from crash.forker import Forker
from dbcheck import query

D = dt.date
LAN = Kid("1710000001", "Nguyễn Thị Lan", D(2007, 3, 15), "Nữ", "Kinh", "12A1", True, "Khá", "Tốt")
posix_only = pytest.mark.skipif(os.name != "posix", reason="FIFOs and process ids are POSIX here")


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DANGVIEN_TODAY", "01/06/2025")


def refused(run, *args: object, code: int = 2) -> str:
    result = run(*args)
    assert result.exit_code == code, (args, result.output)
    assert not result.stdout.strip()
    return " ".join(result.stderr.split())


def students(db: Path) -> int:
    if not db.exists():
        return 0
    return int(query(db, "SELECT count(*) FROM student")[0][0])


# ----------------------------------------------------------------------------- output = input


@pytest.mark.parametrize("spelling", ["same", "dotted", "absolute", "hard link"])
def test_import_refuses_errors_written_over_the_roster_it_reads(run, db_path, tmp_path, spelling):
    roster = plain_roster(tmp_path / "12A1.xlsx", [LAN]).path
    before = roster.read_bytes()
    errors = {
        "same": Path("12A1.xlsx"),
        "dotted": Path("./sub/../12A1.xlsx"),
        "absolute": roster.resolve(),
        "hard link": tmp_path / "loi.xlsx",
    }[spelling]
    (tmp_path / "sub").mkdir()
    if spelling == "hard link":
        os.link(roster, errors)

    message = refused(run, "import", "12A1.xlsx", "--errors", errors)

    assert "--errors" in message and "đang đọc" in message and "12A1.xlsx" in message
    assert roster.read_bytes() == before  # the roster is as it was
    assert students(db_path) == 0  # and nothing was imported


def test_import_errors_to_another_file_still_works(run, tmp_path):
    roster = plain_roster(tmp_path / "12A1.xlsx", [LAN]).path
    run.ok("import", roster, "--errors", tmp_path / "loi.xlsx", "--json")


def _docx_template(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("Báo cáo {{ scope }}")
    document.save(str(path))
    return path


def test_report_refuses_to_write_over_its_own_word_template(run, tmp_path):
    run.ok("unit", "add", "Tỉnh Lai Châu", "--kind", "tinh")
    template = _docx_template(tmp_path / "mau.docx")
    before = template.read_bytes()

    message = refused(
        run, "report", "--year", "2025", "--docx", "--template", template, "--out", "mau.docx"
    )

    assert "mau.docx" in message and "mẫu" in message
    assert template.read_bytes() == before


def test_report_refuses_to_write_over_its_own_html_template(run, tmp_path):
    run.ok("unit", "add", "Tỉnh Lai Châu", "--kind", "tinh")
    folder = tmp_path / "mau"
    folder.mkdir()
    template = folder / "rieng.html"
    template.write_text("<p>{{ scope }}</p>", encoding="utf-8")

    message = refused(
        run, "report", "--year", "2025", "--html", "--templates", folder,
        "--template", "rieng.html", "--out", template,
    )  # fmt: skip

    assert "rieng.html" in message
    assert template.read_text(encoding="utf-8") == "<p>{{ scope }}</p>"
    # the same template towards another file renders
    run.ok("report", "--year", "2025", "--html", "--templates", folder, "--template",
           "rieng.html", "--out", tmp_path / "bao-cao.html")  # fmt: skip
    assert (tmp_path / "bao-cao.html").read_text(encoding="utf-8") == "<p>Tất cả các trường</p>"


# ----------------------------------------------------------------------------- not a regular file


@posix_only
def test_force_never_writes_over_a_pipe_or_a_device(run, tmp_path):
    fifo = tmp_path / "ong.xlsx"
    os.mkfifo(fifo)
    device = tmp_path / "null.xlsx"
    device.symlink_to(os.devnull)  # a link: were it replaced, only the link would go

    for target in (fifo, device):
        message = refused(run, "template", target, "--force")
        assert target.name in message and "không phải tệp thường" in message
    assert fifo.is_fifo() and device.is_symlink()
    assert os.path.exists(os.devnull) and not Path(os.devnull).is_file()


@posix_only
def test_other_outputs_refuse_a_pipe_too(run, tmp_path):
    roster = plain_roster(tmp_path / "12A1.xlsx", [LAN]).path
    run.ok("import", roster, "--json")
    fifo = tmp_path / "ong.xlsx"
    os.mkfifo(fifo)

    for args in (
        ["import", roster, "--errors", fifo],
        ["students", "--xlsx", fifo],
        ["eligible", "--xlsx", fifo],
        ["report", "--year", "2025", "--xlsx", "--out", fifo],
    ):
        assert "không phải tệp thường" in refused(run, *args), args
    assert fifo.is_fifo()


@posix_only
def test_backup_force_refuses_a_pipe_and_a_folder(run, db_path, tmp_path):
    run.ok("unit", "add", "Tỉnh Lai Châu", "--kind", "tinh")
    fifo = tmp_path / "ong.db"
    os.mkfifo(fifo)
    folder = tmp_path / "thu-muc"
    folder.mkdir()

    assert "không phải tệp thường" in refused(run, "backup", fifo, "--force")
    assert "thư mục" in refused(run, "backup", folder, "--force")
    assert fifo.is_fifo() and folder.is_dir()


def test_backup_refuses_the_database_itself_under_another_name(run, db_path, tmp_path):
    run.ok("unit", "add", "Tỉnh Lai Châu", "--kind", "tinh")
    link = tmp_path / "lien-ket.db"
    os.link(db_path, link)

    assert "khác tệp cơ sở dữ liệu" in refused(run, "backup", link, "--force")
    wal = tmp_path / "dangvien.db-wal"  # where another process's last changes may still be
    assert "khác tệp cơ sở dữ liệu" in refused(run, "backup", wal, "--force")


# ----------------------------------------------------------------------------- killed backups


@posix_only
def test_a_stale_journal_and_copy_are_removed_by_the_next_backup(run, db_path, tmp_path):
    run.ok("unit", "add", "Tỉnh Lai Châu", "--kind", "tinh")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = [tmp_path / f".copy.db.tmp-{dead.pid}{end}" for end in ("", "-journal", "-wal")]
    alive = [tmp_path / f".copy.db.tmp-{os.getppid()}-journal", tmp_path / ".copy.db.tmp-x-journal"]
    for leftover in stale + alive:
        leftover.write_bytes(b"half")

    run.ok("backup", tmp_path / "copy.db")

    assert [p for p in stale if p.exists()] == []
    assert all(p.exists() for p in alive)  # a live process's, and a name not ours
    assert query(tmp_path / "copy.db", "PRAGMA integrity_check") == [("ok",)]


@posix_only
def test_a_backup_killed_for_real_leaves_nothing_after_the_next(tmp_path):
    db = tmp_path / "dangvien.db"
    forker = Forker({"DANGVIEN_DB": str(db)})
    try:
        assert forker.run(tmp_path, ["unit", "add", "Tỉnh Lai Châu", "--kind", "tinh"]) == 0
        # SIGKILL as the copy's connection closes: the copy is written, not yet renamed
        assert forker.run(tmp_path, ["backup", "copy.db"], kill_at=1) == -9
        left = [p.name for p in tmp_path.glob(".copy.db.tmp-*")]
        assert left and not (tmp_path / "copy.db").exists()

        assert forker.run(tmp_path, ["backup", "copy.db"]) == 0
    finally:
        forker.close()
    assert list(tmp_path.glob(".copy.db.tmp-*")) == []
    assert query(tmp_path / "copy.db", "PRAGMA integrity_check") == [("ok",)]


@posix_only
def test_a_stale_export_temp_is_removed_by_the_next_export(run, tmp_path):
    """An export killed while it wrote leaves ".NAME.tmp-PID-XXXX.tmp" beside its target; the
    next export to that target removes those whose process is gone."""
    roster = plain_roster(tmp_path / "12A1.xlsx", [LAN]).path
    run.ok("import", roster, "--school", "THPT Bình Lư", "--school-year", "2024-2025")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".ds.xlsx.tmp-{dead.pid}-k3j9x_1.tmp"
    alive = tmp_path / f".ds.xlsx.tmp-{os.getppid()}-a8b2.tmp"
    for leftover in (stale, alive):
        leftover.write_bytes(b"half")

    run.ok("students", "--xlsx", tmp_path / "ds.xlsx")

    assert not stale.exists()
    assert alive.exists()  # a live process's: not ours to remove
    assert sorted(p.name for p in tmp_path.glob(".ds.xlsx*")) == [alive.name]
    assert (tmp_path / "ds.xlsx").stat().st_size > 0
