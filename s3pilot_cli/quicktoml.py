"""A fast reader for the plain TOML that registries are written in; tomllib for the rest.

tomllib is exact and pure Python, and on a large registry parsing is nearly all of s3pilot's
work. Registries use little of TOML: `[table]` and `[[array-of-tables]]` headers with bare
names, and `key = value` lines whose values are plain strings, integers, or arrays of plain
strings. `loads` reads exactly that, line by line with compiled patterns, several times
faster than tomllib, and returns None at the first line it does not recognise: an escape in
a string, a float, a date, a dotted or quoted key, a Windows line ending, a repeated key or
table, anything. The caller then hands the text to tomllib, which reads it or says what is
wrong. Wherever `loads` returns a document, it is the one tomllib returns (tests/test_quicktoml.py
holds the two together).
"""

import re
from collections.abc import Iterator
from typing import Any

# TOML forbids these control characters anywhere in a document (tab and newline are allowed).
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

_KEY = r"[ \t]*([A-Za-z0-9_-]+)[ \t]*=[ \t]*"
_END = r"[ \t]*(?:#.*)?"
_STRING = r'"([^"\\]*)"'
_STRING_LINE = re.compile(_KEY + _STRING + _END)
_INTEGER_LINE = re.compile(_KEY + r"([+-]?(?:0|[1-9][0-9]*))" + _END)
_ARRAY_LINE = re.compile(
    _KEY + r'\[[ \t]*((?:"[^"\\]*"[ \t]*,[ \t]*)*(?:"[^"\\]*"[ \t]*,?[ \t]*)?)\]' + _END
)
_ARRAY_START = re.compile(_KEY + r"\[" + _END)
_ARRAY_ITEM = re.compile(r"[ \t]*" + _STRING + r"[ \t]*(,?)" + _END)
_ARRAY_END = re.compile(r"[ \t]*\]" + _END)
_TABLE = re.compile(r"[ \t]*\[[ \t]*([A-Za-z0-9_-]+)[ \t]*\]" + _END)
_ARRAY_TABLE = re.compile(r"[ \t]*\[\[[ \t]*([A-Za-z0-9_-]+)[ \t]*\]\]" + _END)
_BLANK = re.compile(_END)
_ITEMS = re.compile(_STRING)


def loads(text: str) -> dict[str, Any] | None:
    """The document in `text`, or None when it is more than plain TOML."""
    if "\r" in text or _FORBIDDEN.search(text):
        return None
    root: dict[str, Any] = {}
    arrays: set[str] = set()  # names made by [[name]], which may be appended to
    table = root
    lines = _lines(text)
    for line in lines:
        if _BLANK.fullmatch(line):
            continue
        if line.lstrip(" \t").startswith("["):
            opened = _open(line, root, arrays)
            if opened is None:
                return None
            table = opened
            continue
        pair = _pair(line, lines)
        if pair is None or pair[0] in table:
            return None
        table[pair[0]] = pair[1]
    return root


def _lines(text: str, chunk: int = 1 << 20) -> Iterator[str]:
    """The lines of `text`, split a megabyte at a time: the lines of a 30 MB file at once
    would take more memory than the document they make."""
    start = 0
    while start <= len(text):
        end = text.find("\n", start + chunk)
        end = len(text) if end < 0 else end
        yield from text[start:end].split("\n")
        start = end + 1


def _pair(line: str, lines: Iterator[str]) -> tuple[str, Any] | None:
    """The key and value of a `key = value` line (and the lines of its array, if any)."""
    if match := _STRING_LINE.fullmatch(line):
        return match.group(1), match.group(2)
    if match := _INTEGER_LINE.fullmatch(line):
        return match.group(1), int(match.group(2))
    if match := _ARRAY_LINE.fullmatch(line):
        return match.group(1), _ITEMS.findall(match.group(2))
    if (match := _ARRAY_START.fullmatch(line)) and (items := _array_lines(lines)) is not None:
        return match.group(1), items
    return None


def _open(line: str, root: dict[str, Any], arrays: set[str]) -> dict[str, Any] | None:
    """The table a `[name]` or `[[name]]` line opens; None if it is not plain or not allowed."""
    if match := _ARRAY_TABLE.fullmatch(line):
        name = match.group(1)
        if name in root and name not in arrays:
            return None
        arrays.add(name)
        table: dict[str, Any] = {}
        root.setdefault(name, []).append(table)
        return table
    if (match := _TABLE.fullmatch(line)) and match.group(1) not in root:
        table = root[match.group(1)] = {}
        return table
    return None


def _array_lines(lines: Iterator[str]) -> list[str] | None:
    """The strings of an array written one item a line, up to its closing bracket."""
    items: list[str] = []
    comma = True  # whether another item may follow
    for line in lines:
        if match := _ARRAY_ITEM.fullmatch(line):
            if not comma:
                return None
            item, separator = match.groups()
            items.append(item)
            comma = bool(separator)
        elif _ARRAY_END.fullmatch(line):
            return items
        elif not _BLANK.fullmatch(line):
            return None
    return None
