"""Sequences taken a slice at a time, for IN (...) lists that stay within the databases' limits."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

CHUNK = 5000  # parameters per IN (...) query: well under SQLite's and PostgreSQL's limits


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
