"""Where a TOML file says something: the line of a table, of an entry, of a key or of an item.

tomli gives values without their places, so `validate`'s messages find the line here, from the
text, only once there is a problem to place: a valid file is never split into lines. What is
found is the line a person would look at; a line that cannot be told is None, never a wrong one.
"""

import bisect
import re
from functools import cached_property

# A table header, `[program]` or `[[clusters]]`, a comment after it or not: the table's name.
_HEADER = re.compile(r"\s*\[\[?\s*([^\[\]#]*?)\s*\]")
# The keys assigned on a line: bare, "quoted" or 'quoted', at its start or in an inline table.
_ASSIGNED = re.compile(r"""(?:^|[{,])\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*=""")
# `aliases[2]` or `sources[1].url`: a key and the number (from 1) of an item of its array.
_ITEM = re.compile(r"([^\[]*)\[([0-9]+)\]")
_QUOTES = ('"""', "'''", '"', "'")


class TomlLines:
    """The lines of one TOML text, worked out on the first question and kept."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._keys: dict[int, dict[str, int]] = {}

    def line(self, table: str, index: int | None = None, key: str | None = None) -> int | None:
        """The line (from 1) of `key` in `table` (`""`: the top level), in its `index`-th entry
        for an array of tables; of the table itself without `key`; None where it cannot be told.

        `key` may name an item, `aliases[2]`: that is the key's line; a key of a table that is an
        item, `events[2].date`, is that item's line (the key's where the items share one). An
        entry of an array of tables written as an inline array (`contacts = [{…}, …]`) is the
        line of its item, its keys not told apart."""
        start = 0
        if table:
            starts = self._layout[2].get(table, [])
            if len(starts) <= (index or 0):
                return self.item(table, (index or 0) + 1)
            start = starts[index or 0]
        if key is not None:
            name = key.split("[")[0]
            if (found := self._keys_of(start).get(name)) is not None:
                return self._table_item(found, key) + 1
        return start + 1 if table else None

    def _table_item(self, line: int, key: str) -> int:
        """The line (from 0) of the item `key` is in, for a key of an item that is a table
        (`events[2].date`); else `line`, the array's own."""
        item = _ITEM.match(key)
        if item is None or not key[item.end() :].startswith("."):
            return line
        items = self._items(line)
        number = int(item.group(2))
        return items[number - 1] if number <= len(items) else line

    def item(self, key: str, number: int) -> int | None:
        """The line of item `number` (from 1) of the top-level array `key = [ … ]`."""
        found = self._keys_of(0).get(key)
        if found is None:
            return None
        items = self._items(found)
        return items[number - 1] + 1 if number <= len(items) else None

    def written(self, line: int) -> str:
        """What line `line` (from 1) assigns, as the file writes it: after `=`, before `#`."""
        return self._layout[0][line - 1].partition("=")[2].partition("#")[0].strip()

    @cached_property
    def _layout(self) -> tuple[list[str], list[int], dict[str, list[int]]]:
        """The lines, the line numbers of all table headers, and those of each table by name.

        Worked out once, on the first problem: a valid file never needs it, and a file with
        thousands of problems must not be read again for each one."""
        lines = self.text.split("\n")  # TOML's lines, as the parser counts them
        headers: list[int] = []
        tables: dict[str, list[int]] = {}
        for number, line in enumerate(lines):
            if header := _HEADER.match(line):
                headers.append(number)
                tables.setdefault(header.group(1), []).append(number)
        return lines, headers, tables

    @cached_property
    def _starts(self) -> list[int]:
        """The offset in the text where each line starts."""
        starts = [0]
        for line in self._layout[0][:-1]:
            starts.append(starts[-1] + len(line) + 1)
        return starts

    def _keys_of(self, start: int) -> dict[str, int]:
        """The line (from 0) of each key assigned in the table whose header is on `start` (or
        in the top level): the first line of each, found in one pass over the table."""
        if (found := self._keys.get(start)) is not None:
            return found
        lines, headers, _ = self._layout
        following = bisect.bisect_right(headers, start)
        end = headers[following] if following < len(headers) else len(lines)
        found = {}
        for number in range(start, end):
            # `key =`, and each key of an inline table on the line (`{ name = "…", phone = … }`)
            for key in _ASSIGNED.findall(lines[number]):
                found.setdefault(next(part for part in key if part), number)
        self._keys[start] = found
        return found

    def _items(self, line: int) -> list[int]:
        """The line (from 0) where each item of the array assigned on `line` starts: the
        array read as TOML reads it, strings and comments skipped, nested arrays and tables
        one item each."""
        text = self.text
        at = text.find("=", self._starts[line]) + 1
        at += len(text[at:]) - len(text[at:].lstrip(" \t"))
        if text[at : at + 1] != "[":  # not an array: a table, a string, …
            return []
        return [bisect.bisect_right(self._starts, start) - 1 for start in _item_starts(text, at)]


def _item_starts(text: str, at: int) -> list[int]:
    """The offset of each item of the array that opens at `at`."""
    starts: list[int] = []
    depth, expecting = 0, True
    while 0 <= at < len(text):
        char = text[at]
        if depth == 1 and expecting and not char.isspace() and char not in ",]#":
            starts.append(at)
            expecting = False
        if char == "#" or char in "\"'":  # a comment, a string: nothing in it counts
            at = text.find("\n", at) if char == "#" else _after_string(text, at)
            continue
        depth += (char in "[{") - (char in "]}")
        if depth == 0:
            break
        expecting = expecting or (char == "," and depth == 1)
        at += 1
    return starts


def _after_string(text: str, at: int) -> int:
    """The offset just after the TOML string that opens at `at`."""
    quote = next(q for q in _QUOTES if text.startswith(q, at))
    at += len(quote)
    while at < len(text):
        if text.startswith(quote, at):
            return at + len(quote)
        at += 2 if text[at] == "\\" and quote[0] == '"' else 1
    return at
