"""Backups: a whole copy of a SQLite file, written under a hidden name and renamed when whole;
for a server, the pg_dump command to use."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dangvien_cli.core.errors import DatabaseError, UsageError
from dangvien_cli.core.exporting import refuse_special_file, same_file
from dangvien_cli.db.engine import Location, copy_sqlite_atomically


@dataclass(frozen=True)
class BackupDone:
    """Where the copy went and how large it is."""

    path: Path
    size: int


def pg_dump_hint(url: str) -> str:
    """How to back up a PostgreSQL database with pg_dump, built from its URL without the
    password (pg_dump reads it from ~/.pgpass or PGPASSWORD)."""
    from sqlalchemy.engine import make_url

    u = make_url(url)
    parts = ["pg_dump"]
    if u.host:
        parts += ["-h", u.host]
    if u.port:
        parts += ["-p", str(u.port)]
    if u.username:
        parts += ["-U", u.username]
    name = u.database or "dangvien"
    parts += ["-Fc", "-f", f"{name}-{date.today():%Y%m%d}.dump", name]
    command = " ".join(parts)
    return (
        "Cơ sở dữ liệu PostgreSQL được sao lưu bằng công cụ pg_dump của máy chủ, không bằng "
        f"dangvien backup. Ví dụ: {command} (mật khẩu lấy từ ~/.pgpass hoặc biến PGPASSWORD; "
        "khôi phục bằng pg_restore -d TÊN_CSDL TỆP.dump)."
    )


def backup(location: Location, target: Path, *, force: bool = False) -> BackupDone:
    """Copy the SQLite database to `target` with SQLite's online backup (safe while another
    process writes), owner-only (0600), written under a temporary name and then renamed so
    that `target` is never a half-written file."""
    if location.path is None:
        if location.url.startswith("sqlite"):
            raise UsageError("Cơ sở dữ liệu SQLite trong bộ nhớ không có gì để sao lưu.")
        raise UsageError(pg_dump_hint(location.url))
    source = location.path
    if not source.exists():
        raise DatabaseError(f"Không có cơ sở dữ liệu {source} để sao lưu. Hãy kiểm tra --db.")
    target = target.expanduser().resolve()
    own = [source, *(source.with_name(source.name + end) for end in ("-wal", "-shm", "-journal"))]
    if any(same_file(target, path) for path in own):  # its -wal may hold what is not yet merged
        raise UsageError("Tệp sao lưu phải khác tệp cơ sở dữ liệu đang dùng (và các tệp đi kèm).")
    if target.is_dir():
        raise UsageError(f"{target} là một thư mục; hãy ghi rõ tên tệp sao lưu.")
    refuse_special_file(target)  # even with --force: /dev/null, a pipe are not backups
    if target.exists() and not force:
        raise UsageError(
            f"Tệp {target} đã có. Chọn tên khác, hoặc thêm --force để ghi đè lên tệp đó."
        )
    if not target.parent.is_dir():
        raise UsageError(f"Không có thư mục {target.parent}. Hãy tạo thư mục đó trước.")
    try:
        copy_sqlite_atomically(source, target)
    except sqlite3.Error as exc:
        raise DatabaseError(f"Không sao lưu được {source}: {exc}.") from exc
    except OSError as exc:
        raise DatabaseError(f"Không ghi được tệp sao lưu {target}: {exc.strerror}.") from exc
    return BackupDone(target, target.stat().st_size)


def human_size(size: int) -> str:
    """A file size the Vietnamese way: 512 byte, 12,3 KB, 4,5 MB."""
    value = float(size)
    for unit in ("byte", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            if unit == "byte":
                return f"{size} byte"
            return f"{value:.1f} {unit}".replace(".", ",")
        value /= 1024
    raise AssertionError("unreachable")
