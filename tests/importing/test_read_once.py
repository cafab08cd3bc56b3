"""A file is read once (issue 11): the import batch records the SHA-256 of the very bytes that
were checked and read, not of whatever the path holds by the time the batch is written."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from builders import Kid, plain_roster
from dbcheck import query

KID = Kid("2600000001", "Hà Thị Dua", 2007, "Nữ", klass="12A1")
OTHER = Kid("2600000002", "Sùng A Tủa", 2007, klass="12A1")


def test_the_batch_records_the_digest_of_the_file_imported(run, tmp_path, db_path):
    roster = plain_roster(tmp_path / "12A1.xlsx", [KID]).path

    run.ok("import", roster, "--school", "THPT Bình Lư", "--school-year", "2024-2025")

    digest = hashlib.sha256(roster.read_bytes()).hexdigest()
    assert query(db_path, "SELECT file_name, sha256 FROM import_batch") == [("12A1.xlsx", digest)]


def test_a_file_swapped_after_it_was_read_does_not_change_what_is_recorded(tmp_path: Path):
    from dangvien_cli.db.audit import Stamp
    from dangvien_cli.db.engine import open_database
    from dangvien_cli.importing import ImportOptions, import_file
    from dangvien_cli.importing.reader import read_workbook

    roster = plain_roster(tmp_path / "12A1.xlsx", [KID]).path
    read = hashlib.sha256(roster.read_bytes()).hexdigest()
    sheets = read_workbook(roster)
    plain_roster(roster, [KID, OTHER])  # another file under the same name, after the read

    db = open_database(str(tmp_path / "d.db"))
    try:
        with db.session(write=True) as session:
            stamp = Stamp(now=dt.datetime.now().astimezone(), user="test", command="import")
            options = ImportOptions(school="THPT Bình Lư", school_year=2024)
            import_file(session, roster, options, stamp=stamp, today=dt.date(2025, 1, 10),
                        sheets=sheets)  # fmt: skip
    finally:
        db.close()

    assert query(tmp_path / "d.db", "SELECT sha256 FROM import_batch") == [(read,)]
    assert query(tmp_path / "d.db", "SELECT student_code FROM student") == [(KID.code,)]
