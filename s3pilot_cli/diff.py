"""What differs between two registries, entry by entry and field by field.

Entries are matched by what names them: clusters by id, regions by code, contacts by name, the
programme's fields by key. Each change is one record: `kind` (added, removed, changed, or
moved with `order`), `key` (`program`, `contact:NAME`, `region:CODE`, `cluster:ID`), `field`,
`old` and `new`. An added or removed entry is one record, with its name as `new` or `old`.
An entry's sources are one field, `sources`, each source a line of text (`URL (fields; read
DATE)`); the län table's are the key `region_sources`. Its events are one field, `events`,
each a line of text too (`DATE EVENT — URL`, and what else it says).
Order alone is no change unless `order` asks: entries that moved then get a `moved` record
with their old and new positions (from 1), and lists (aliases, offers) compare in order.
"""

import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from typing import Any

from s3pilot_cli.model import Event, Registry, Source, source_texts
from s3pilot_cli.records import Records, Value

DIFF_FIELDS = ("kind", "key", "field", "old", "new")
# The kinds of change; a Swedish table names them in Swedish (the catalogue's context `change`).
CHANGES = ("added", "removed", "changed", "moved")
# What a key names before its colon (`cluster:techtank`); a Swedish table names it in Swedish
# (the catalogue's context `entry`): `kluster techtank`.
ENTRIES = ("program", "region_sources", "contact", "region", "cluster")

Row = tuple[Value, Value, Value, Value, Value]


def compare(old: Registry, new: Registry, *, order: bool = False) -> Records:
    """Every difference from `old` to `new`: the programme, contacts, regions, clusters."""
    rows = list(_changed("program", old.program, new.program, order))
    rows += _changed(
        "region_sources",
        _Sources(old.region_sources),
        _Sources(new.region_sources),
        order,
    )
    for label, name, old_entries, new_entries in (
        ("contact", "name", old.contacts, new.contacts),
        ("region", "code", old.regions, new.regions),
        ("cluster", "id", old.clusters, new.clusters),
    ):
        rows += _section(label, name, old_entries, new_entries, order)
    return Records(DIFF_FIELDS, tuple(rows))


def in_words(changes: Records, lang: str) -> Records:
    """The changes with each kind, and what each key names, in `lang`'s words: for a table,
    for people (`ändrad`, `kluster techtank`); English keeps the key as the formats write it."""
    from s3pilot_cli.i18n import Language, catalogue

    words = catalogue(lang)

    def key_in_words(key: Value) -> Value:
        entry, colon, name = str(key).partition(":")
        if lang == Language.EN or entry not in ENTRIES:
            return key
        said = words.pgettext("entry", entry)
        return f"{said} {name}" if colon else said

    return changes._replace(
        rows=tuple(
            (words.pgettext("change", str(row[0])), key_in_words(row[1]), *row[2:])
            for row in changes.rows
        )
    )


def _keyed(label: str, name: str, entries: Sequence[Any]) -> dict[str, Any]:
    """The entries by key, in order. Contacts' names need not be unique: a second one with
    the same name is `contact:NAME #2`."""
    keyed: dict[str, Any] = {}
    last_number: dict[str, int] = {}  # per key, the number its latest entry got
    for entry in entries:
        key = f"{label}:{getattr(entry, name)}"
        count = last_number.get(key, 0) + 1
        # A name may be written `X #2` itself: that number is taken, try the next.
        while (numbered := key if count == 1 else f"{key} #{count}") in keyed:
            count += 1
        last_number[key] = count
        keyed[numbered] = entry
    return keyed


def _section(
    label: str, name: str, old_entries: Sequence[Any], new_entries: Sequence[Any], order: bool
) -> list[Row]:
    old, new = _keyed(label, name, old_entries), _keyed(label, name, new_entries)
    rows: list[Row] = [
        ("removed", key, None, entry.name, None) for key, entry in old.items() if key not in new
    ]
    for key, entry in new.items():
        if key in old:
            rows += _changed(key, old[key], entry, order)
        else:
            rows.append(("added", key, None, None, entry.name))
    if order:
        rows += _moved(list(old), list(new))
    return rows


@dataclass(frozen=True, slots=True)
class _Sources:
    """The registry's region sources as an entry with one field, so they diff like one."""

    sources: tuple[Source, ...]


def _changed(key: str, old: Any, new: Any, order: bool) -> Iterator[Row]:
    for field in fields(new):
        before, after = _value(getattr(old, field.name)), _value(getattr(new, field.name))
        if not _same(before, after, order):
            yield ("changed", key, field.name, before, after)


def _value(value: Any) -> Value:
    """A field's value as a diff row holds it: each source as its line of text."""
    if isinstance(value, tuple) and value and isinstance(value[0], Source):
        return source_texts(value)
    if isinstance(value, tuple) and value and isinstance(value[0], Event):
        return tuple(event.text() for event in value)
    return value  # type: ignore[no-any-return]


def _same(before: Value, after: Value, order: bool) -> bool:
    if isinstance(before, tuple) and isinstance(after, tuple) and not order:
        return sorted(before) == sorted(after)
    return before == after


def _moved(old: list[str], new: list[str]) -> Iterator[Row]:
    """Entries in both whose place among the others changed: those outside the longest run of
    entries that kept their order (the longest increasing run of their old positions)."""
    old_position = {key: position for position, key in enumerate(old, 1)}
    common = [key for key in new if key in old_position]
    stayed = _kept_order([old_position[key] for key in common])
    for position, key in enumerate(new, 1):
        if key in old_position and old_position[key] not in stayed:
            yield ("moved", key, None, old_position[key], position)


def _kept_order(positions: list[int]) -> set[int]:
    """The longest increasing subsequence of `positions` (distinct numbers), by patience
    sorting: n log n, where a general sequence matcher is quadratic on pairs swapped."""
    ends: list[int] = []  # ends[k]: the smallest last position of an increasing run of k + 1
    ends_at: list[int] = []  # ... and the index in `positions` where that run ends
    before: list[int] = []  # before[i]: the index of the element before positions[i] in its run
    for i, position in enumerate(positions):
        k = bisect.bisect_left(ends, position)
        before.append(ends_at[k - 1] if k else -1)
        if k == len(ends):
            ends.append(position)
            ends_at.append(i)
        else:
            ends[k] = position
            ends_at[k] = i
    kept: set[int] = set()
    i = ends_at[-1] if ends_at else -1
    while i >= 0:
        kept.add(positions[i])
        i = before[i]
    return kept
