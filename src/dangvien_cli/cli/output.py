"""Printing results as JSON: every command's --json the same way, and large results fast (JSON
laid out as json.dumps(indent=2) lays it out, no GC pauses).

`eligible --json` over a province prints thousands of rows. The standard library's encoder
writes indented JSON in pure Python, one generator step per token; `dumps` here gives the very
same text (a test compares them) in about a third of the time.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from json.encoder import encode_basestring  # the C function when the interpreter has it
from typing import Any

__all__ = ["dumps", "no_gc_pauses"]

_INDENT = "  "


def dumps(value: Any) -> str:
    """json.dumps(value, ensure_ascii=False, indent=2), for dicts, lists, tuples, str, int,
    float, bool and None."""
    out: list[str] = []
    _write(value, out, "\n")
    return "".join(out)


def _write(value: Any, out: list[str], newline: str) -> None:
    # `newline` is "\n" and the indentation of the line the value is on.
    kind = type(value)
    if kind is dict:
        if not value:
            out.append("{}")
            return
        inner = newline + _INDENT
        separator = "{" + inner
        for key, item in value.items():
            scalar = _SCALARS.get(type(item))
            head = separator + (encode_basestring(key) if type(key) is str else _key(key)) + ": "
            if scalar is not None:
                out.append(head + scalar(item))
            else:
                out.append(head)
                _write(item, out, inner)
            separator = "," + inner
        out.append(newline + "}")
    elif kind is list or kind is tuple:
        if not value:
            out.append("[]")
            return
        inner = newline + _INDENT
        separator = "[" + inner
        for item in value:
            scalar = _SCALARS.get(type(item))
            if scalar is not None:
                out.append(separator + scalar(item))
            else:
                out.append(separator)
                _write(item, out, inner)
            separator = "," + inner
        out.append(newline + "]")
    else:
        scalar = _SCALARS.get(kind)
        if scalar is not None:
            out.append(scalar(value))
        elif isinstance(value, str | int | float):  # subclasses, as json.dumps takes them
            out.append(_scalar(value))
        elif isinstance(value, dict):
            _write(dict(value), out, newline)
        elif isinstance(value, list | tuple):
            _write(list(value), out, newline)
        else:
            raise TypeError(f"Object of type {kind.__name__} is not JSON serializable")


def _scalar(value: str | int | float) -> str:
    if isinstance(value, str):
        return encode_basestring(value)
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return int.__repr__(value)
    return _float(value)


def _key(key: Any) -> str:
    if isinstance(key, str):
        return encode_basestring(key)
    # json.dumps turns these keys into strings the same way
    if key is True:
        return '"true"'
    if key is False:
        return '"false"'
    if key is None:
        return '"null"'
    if isinstance(key, int):
        return encode_basestring(int.__repr__(key))
    if isinstance(key, float):
        return encode_basestring(_float(key))
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == float("inf"):
        return "Infinity"
    if value == -float("inf"):
        return "-Infinity"
    return float.__repr__(value)


_SCALARS: dict[type, Any] = {
    str: encode_basestring,
    type(None): lambda _value: "null",
    bool: lambda value: "true" if value else "false",
    int: int.__repr__,
    float: lambda value: _float(value),
}


@contextmanager
def no_gc_pauses() -> Iterator[None]:
    """No cyclic garbage collection while a command builds a large result: every collection
    would walk all the objects made so far (the rows, SQLAlchemy's), for nothing to free."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
