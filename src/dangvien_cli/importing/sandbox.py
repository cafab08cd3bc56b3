"""The reader's last line of defence: calamine tries the file in a child process first.

The guard (importing.guard) refuses what it can measure. Whatever it misses — a way to make the
Rust reader allocate without bound, a panic, an endless loop — must not take the tool down, so
before calamine reads a file in the tool's own process, a child process reads the same bytes
under a memory limit (RLIMIT_AS, POSIX) and a time limit (the parent waits, then kills it). A
child that dies, runs out of memory or of time makes the file refused: "tệp quá lớn hoặc hỏng".

On Windows there is no RLIMIT_AS in the standard library: the time limit still holds, and the
guard's limits are the defence against memory (README).

The cost is one Python start (with only python-calamine imported) plus one more read by calamine:
about 0.1 s for a class's roster (benchmarks/README).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from dangvien_cli.core.errors import UnreadableFileError
from dangvien_cli.importing.grids import Budget

CHILD = Path(__file__).with_name("probe_child.py")
BASE_MEMORY = 384 * 1024**2  # the child's own Python and calamine, with room to spare
MEMORY_PER_CELL = 80  # calamine's cell is 32 bytes; its vectors grow by doubling
BASE_SECONDS = 20.0
CELLS_PER_SECOND = 100_000  # calamine reads about a million cells a second here: 10× room


def memory_limit(budget: Budget | None, size: int) -> int:
    """Room for calamine's grid, the text it copies (shared strings once per use, inline text
    at most the XML that holds it) and the file itself, with Python's start around it. A
    workbook too large to walk is allowed 4 bytes per byte of XML: a dense sheet of numbers
    (22 bytes of XML a cell) costs calamine about 72 bytes a cell while it builds the grid."""
    if budget is None:
        return BASE_MEMORY + 4 * size
    if not budget.measured:
        return BASE_MEMORY + 4 * budget.xml + 4 * size
    text = budget.text + budget.xml
    return BASE_MEMORY + MEMORY_PER_CELL * budget.area + 2 * text + 4 * size


def time_limit(budget: Budget | None, size: int) -> float:
    """calamine reads about a million cells, or 30 MB of sheet XML, a second here: 10× room."""
    area = budget.area if budget else 0
    xml = budget.xml if budget else 0
    return BASE_SECONDS + area / CELLS_PER_SECOND + xml / (3 * 1024**2) + size / (2 * 1024**2)


def too_big_or_broken(path: Path, what: str) -> UnreadableFileError:
    return UnreadableFileError(
        f"{path.name}: tệp quá lớn hoặc hỏng: trình đọc bảng tính {what} khi đọc thử tệp, nên "
        "tệp không được nhập (không có gì được ghi). Hãy mở tệp bằng Excel, kiểm tra rồi lưu "
        "lại; nếu tệp rất lớn, hãy chia thành nhiều tệp nhỏ hơn."
    )


def try_read(path: Path, data: bytes, budget: Budget | None) -> list[tuple[str, int, int, int]]:
    """Read `data` with calamine in a child process; refuses the file if the child fails.
    Returns what calamine read of each sheet shown: (name, rows, columns, merged ranges), with
    rows and columns counted from A1 (empty when calamine met an ordinary error)."""
    child = subprocess.Popen(
        # -P: the script's folder (this package's modules) is not put on the child's sys.path.
        [sys.executable, "-P", str(CHILD), str(memory_limit(budget, len(data)))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        out, _ = child.communicate(data, timeout=time_limit(budget, len(data)))
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
        raise too_big_or_broken(path, "chạy quá thời gian cho phép") from None
    except BaseException:
        child.kill()
        child.wait()
        raise
    if child.returncode == 5 and (budget is None or budget.measured):
        return []  # the child found no python-calamine (an unusual install): the guard measured
    if child.returncode == 3:
        raise too_big_or_broken(path, "cần nhiều bộ nhớ hơn giới hạn")
    if child.returncode != 0:
        raise too_big_or_broken(path, f"dừng bất thường (mã {child.returncode})")
    return _sheets_read(out)


def _sheets_read(out: bytes) -> list[tuple[str, int, int, int]]:
    import json

    try:
        read = json.loads(out or b"[]")
        return [(str(n), int(r), int(c), int(m)) for n, r, c, m in read]
    except (ValueError, TypeError):
        return []
