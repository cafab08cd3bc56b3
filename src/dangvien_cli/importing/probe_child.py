"""The reader's trial run, in a process of its own (run by importing.sandbox as a script).

It imports nothing of dangvien: only the standard library and python-calamine. It caps its own
address space (POSIX), reads the workbook's bytes from stdin, has calamine read every sheet shown,
and exits 0 when calamine returned — with the sheets (their sizes as calamine holds them, as
JSON on stdout: [name, rows, columns, merged ranges] each) or with an ordinary error, which the
reader meets again and explains. Running out of memory, a panic of the Rust reader, or an abort ends
it otherwise, and the reader refuses the file without ever having read it in the tool's process.

    python -P probe_child.py MEMORY_LIMIT_BYTES < workbook
"""

import io
import json
import sys


def main() -> int:
    limit = int(sys.argv[1])
    if limit > 0:
        try:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ImportError, ValueError, OSError):
            pass  # Windows: the guard's limits are the defence there
    data = sys.stdin.buffer.read()
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        return 5  # not where the tool found it: the reader says so
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        del data
        hidden = set()
        for meta in getattr(workbook, "sheets_metadata", None) or []:
            if str(getattr(meta, "visible", "")).rsplit(".", 1)[-1] in ("Hidden", "VeryHidden"):
                hidden.add(str(meta.name))
        read = []
        for name in workbook.sheet_names:
            if name not in hidden:
                sheet = workbook.get_sheet_by_name(name)
                end = sheet.end or (-1, -1)
                merged = getattr(sheet, "merged_cell_ranges", None) or []
                read.append([name, int(end[0]) + 1, int(end[1]) + 1, len(merged)])
                del sheet
    except MemoryError:
        return 3
    except Exception:  # an ordinary error: the reader meets it again and says what it is
        return 0
    except BaseException:  # a panic of the Rust reader (PanicException)
        return 4
    sys.stdout.write(json.dumps(read))
    return 0


if __name__ == "__main__":
    sys.exit(main())
