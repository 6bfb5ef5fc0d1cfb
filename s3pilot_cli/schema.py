"""The registry file's shape: its tables and fields, how they are checked, and the way back out.

Each table's fields are declared once, below, and serve three readers:

- `_valid_columns`, the common case: the whole document checked column by column with
  C-level operations (`map`, `set`, compiled patterns), so a registry of 100 000 clusters
  costs a fraction of what parsing it costs;
- `_Diagnosis`, when that says no: every entry and field checked one by one, every problem
  recorded with its place (file, line, entry, field) and what to do;
- `to_document`, the registry back in the file's own shape, keys in the declared order.

The diagnosis is the authority. The column check may only ever be stricter, never more lenient;
tests/test_schema.py holds the two together.
"""

import bisect
import re
from collections.abc import Callable, Iterator
from enum import Enum
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

from s3pilot_cli.errors import RegistryError
from s3pilot_cli.model import Cluster, Contact, Program, Region, Registry
from s3pilot_cli.text import find_control, fold, quoted

SCHEMA_VERSION = 1
MAX_TEXT = 1000

Document = dict[str, Any]

_CODE = re.compile(r"SE-[A-Z]{1,2}")
_LAN_CODE = re.compile(r"[0-9]{2}")
_NUTS3 = re.compile(r"SE[0-9]{3}")
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_PHONE = re.compile(r"\+?[0-9][0-9 \-]*[0-9]")
_URL = re.compile(r"https?://[^\s/]+\S*")
# A real calendar date, 0001-01-01 to 9999-12-31 (YYYY-MM-DD): 29 February only in leap years.
_DATE = re.compile(
    r"(?:[0-9]{3}[1-9]|[0-9]{2}[1-9]0|[0-9][1-9]00|[1-9]000)-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]"
    r"[0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))"
    r"|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)-02-29"
)
_AN_ADDRESS = "an http:// or https:// address"


class _Kind(Enum):
    TEXT = "a string"
    TEXTS = "an array of strings"
    COUNT = "an integer"


class _Field(NamedTuple):
    name: str
    kind: _Kind = _Kind.TEXT
    required: bool = True
    pattern: re.Pattern[str] | None = None
    expected: str = ""  # what `pattern` asks for, in words
    unique: Callable[[str], str] | None = None  # values must differ under this key


# In the order of the dataclasses' fields (a test holds them together) and of the file.
_PROGRAM = (
    _Field("name"),
    _Field("agency"),
    _Field("summary"),
    _Field("summary_en"),
    _Field("applications", _Kind.COUNT),
    _Field("selected", _Kind.COUNT),
    _Field("offers", _Kind.TEXTS),
    _Field("source_url", pattern=_URL, expected=_AN_ADDRESS),
    _Field("email_pattern"),
    _Field("checked", required=False, pattern=_DATE, expected="a real date like 2026-11-27"),
)
_CONTACT = (
    _Field("name"),
    _Field("phone", pattern=_PHONE, expected="a phone number (digits, spaces, hyphens, + first)"),
)
_REGION = (
    _Field("code", pattern=_CODE, expected="an ISO code like SE-S", unique=str),
    _Field("lan_code", pattern=_LAN_CODE, expected="two digits", unique=str),
    _Field("name", unique=fold),
    _Field("county"),
    _Field("nuts3", pattern=_NUTS3, expected="a code like SE311"),
    _Field("body"),
    _Field("aliases", _Kind.TEXTS, required=False),
)
_CLUSTER = (
    _Field(
        "id",
        pattern=_ID,
        expected="a lower-case ASCII slug like paper-province",
        unique=str,
    ),
    _Field("name", unique=fold),
    _Field("region"),
    _Field("city", required=False),
    _Field("website", required=False, pattern=_URL, expected=_AN_ADDRESS),
    _Field("focus", required=False),
    _Field("aliases", _Kind.TEXTS, required=False),
)
_SECTIONS = {"contacts": _CONTACT, "regions": _REGION, "clusters": _CLUSTER}
_TOP_KEYS = ("schema_version", "program", *_SECTIONS)

Columns = dict[str, list[Any]]


def check(document: Document, path: Path, text: str) -> Registry:
    """The registry in `document`, or a `RegistryError` with every problem and its place."""
    sections = _valid_columns(document)
    if sections is None:
        diagnosis = _Diagnosis(path, text)
        diagnosis.run(document)
        if diagnosis.problems:
            raise RegistryError(diagnosis.problems, str(path))
        sections = {key: _columns(document[key], fields) for key, fields in _SECTIONS.items()}
    return _build(document["program"], sections)


# --- The common case: whole columns at once --------------------------------------------------


def _email_pattern_works(pattern: str) -> bool:
    try:
        pattern.format(first="a", last="b")
    except (KeyError, IndexError, ValueError):
        return False
    return True


def _columns(entries: list[dict[str, Any]], fields: tuple[_Field, ...]) -> Columns:
    return {field.name: [entry.get(field.name) for entry in entries] for field in fields}


def _valid_columns(document: Document) -> dict[str, Columns] | None:
    """Each section's columns if the whole document is valid; None at the first doubt."""
    program = document.get("program")
    if not (
        type(document.get("schema_version")) is int
        and document["schema_version"] == SCHEMA_VERSION
        and set(_TOP_KEYS).issuperset(document)
        and type(program) is dict
        and _checked_columns([program], _PROGRAM) is not None
        and _email_pattern_works(program["email_pattern"])
    ):
        return None
    sections = {}
    for key, fields in _SECTIONS.items():
        entries = document.get(key)
        columns = _checked_columns(entries, fields) if type(entries) is list else None
        if columns is None:
            return None
        sections[key] = columns
    if not set(sections["clusters"]["region"]) <= set(sections["regions"]["code"]):
        return None
    return sections


def _checked_columns(entries: list[Any], fields: tuple[_Field, ...]) -> Columns | None:
    if not {dict}.issuperset(map(type, entries)):
        return None
    if not all(map(frozenset(field.name for field in fields).issuperset, entries)):
        return None
    columns = _columns(entries, fields)
    if all(_column_is_valid(columns[field.name], field) for field in fields):
        return columns
    return None


def _column_is_valid(column: list[Any], field: _Field) -> bool:
    if field.required and None in column:
        return False
    values = column if field.required else [value for value in column if value is not None]
    if field.kind is _Kind.COUNT:
        return {int}.issuperset(map(type, values)) and min(values, default=0) >= 0
    if field.kind is _Kind.TEXTS:
        if not {list}.issuperset(map(type, values)):
            return False
        values = [item for items in values for item in items]
    return (
        {str}.issuperset(map(type, values))
        and all(map(str.strip, values))  # none empty or blank
        and max(map(len, values), default=0) <= MAX_TEXT
        and not any(map(find_control, values))
        and (field.pattern is None or all(map(field.pattern.fullmatch, values)))
        and (field.unique is None or _distinct(_keys(values, field.unique)))
    )


def _keys(values: list[str], key: Callable[[str], str]) -> list[str]:
    return values if key is str else list(map(key, values))


def _distinct(keys: list[str]) -> bool:
    return len(set(keys)) == len(keys)


def _build(program: dict[str, Any], sections: dict[str, Columns]) -> Registry:
    def arguments(columns: Columns, fields: tuple[_Field, ...]) -> list[list[Any]]:
        """One list of values per dataclass field; arrays become tuples, absent ones ()."""
        return [
            [tuple(value) if value else () for value in columns[field.name]]
            if field.kind is _Kind.TEXTS
            else columns[field.name]
            for field in fields
        ]

    (program_values,) = zip(*arguments(_columns([program], _PROGRAM), _PROGRAM), strict=True)
    return Registry(
        Program(*program_values),
        tuple(map(Contact, *arguments(sections["contacts"], _CONTACT))),
        tuple(map(Region, *arguments(sections["regions"], _REGION))),
        tuple(map(Cluster, *arguments(sections["clusters"], _CLUSTER))),
    )


# --- When something is wrong: every problem, with its place ----------------------------------


def _toml_type(value: object) -> str:
    names = {str: "a string", bool: "a boolean", int: "an integer", float: "a float"}
    names |= {list: "an array", dict: "a table"}
    return names.get(type(value), "a date or time")


class _Where:
    """A place in the document: a table, or the n-th entry of an array of tables."""

    __slots__ = ("index", "label", "table")

    def __init__(self, table: str, index: int | None = None) -> None:
        self.table = table
        self.index = index
        self.label: str | None = None  # the entry's id or code, once known

    def __str__(self) -> str:
        if self.index is None:
            return f"[{self.table}]" if self.table else "top level"
        entry = f"{self.table.removesuffix('s')} #{self.index + 1}"
        return f"{entry} {quoted(self.label)}" if self.label else entry


class _Diagnosis:
    """Checks one document entry by entry and records every problem with its place."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.source = text
        self.problems: list[str] = []

    def run(self, document: Document) -> None:
        top = _Where("")
        version = document.get("schema_version")
        if version is None:
            self.problem(top, "schema_version", f"missing; add 'schema_version = {SCHEMA_VERSION}'")
        elif type(version) is not int:
            self.problem(top, "schema_version", f"must be an integer, not {_toml_type(version)}")
        elif version != SCHEMA_VERSION:
            self.problem(
                top,
                "schema_version",
                f"version {version} is not supported; this s3pilot reads version"
                f" {SCHEMA_VERSION} (a newer s3pilot may read it)",
            )
            return  # another version's rules are not these
        self.keys(document, _TOP_KEYS, top)
        self.program(document)
        self.section(document, "contacts")
        codes = self.section(document, "regions")
        self.section(document, "clusters", codes)

    # Reporting

    def problem(self, where: _Where, key: str | None, message: str) -> None:
        line = self._line_of(where, key)
        place = f"{self.path}:{line}" if line else str(self.path)
        field = f" {key}:" if key else ""
        self.problems.append(f"{place}: {where}:{field} {message}")

    @cached_property
    def _layout(self) -> tuple[list[str], list[int], dict[str, list[int]]]:
        """The lines, the line numbers of all table headers, and those of each table by name.

        Worked out once, on the first problem: a file with thousands of problems must not be
        read again for each one."""
        lines = self.source.split("\n")  # TOML's lines, as tomllib counts them
        headers = [number for number, line in enumerate(lines) if line.lstrip().startswith("[")]
        tables: dict[str, list[int]] = {}
        for number in headers:
            tables.setdefault(lines[number].strip().strip("[]").strip(), []).append(number)
        return lines, headers, tables

    def _line_of(self, where: _Where, key: str | None) -> int | None:
        """The line of a table's header, or of a key inside it (TOML only)."""
        lines, headers, tables = self._layout
        start = 0
        if where.table:
            starts = tables.get(where.table, [])
            if len(starts) <= (where.index or 0):
                return None
            start = starts[where.index or 0]
        following = bisect.bisect_right(headers, start)
        end = headers[following] if following < len(headers) else len(lines)
        if key is not None:
            name = key.split("[")[0]  # aliases[2] is on the aliases line
            assignment = re.compile(rf"\s*[\"']?{re.escape(name)}[\"']?\s*=")
            for number in range(start, end):
                if assignment.match(lines[number]):
                    return number + 1
        return start + 1 if where.table else None

    # Values

    def value(self, table: dict[str, Any], field: _Field, where: _Where) -> Any:
        """The checked value of `field`, or None with a problem recorded."""
        value = table.get(field.name)
        if value is None and not field.required:
            return () if field.kind is _Kind.TEXTS else None
        if field.kind is _Kind.COUNT:
            return self.count(value, field.name, where)
        if field.kind is _Kind.TEXTS:
            return self.texts(value, field.name, where)
        return self.string(value, field.name, where, field.pattern, field.expected)

    def string(
        self,
        value: object,
        key: str,
        where: _Where,
        pattern: re.Pattern[str] | None = None,
        expected: str = "",
    ) -> Any:
        if value is None:
            self.problem(where, key, "missing; add it")
        elif not isinstance(value, str):
            self.problem(where, key, f"must be a string, not {_toml_type(value)}")
        elif not value.strip():
            self.problem(where, key, "is empty; give a value or remove the key")
        elif len(value) > MAX_TEXT:
            self.problem(where, key, f"is {len(value)} characters long; the limit is {MAX_TEXT}")
        elif find_control(value):
            self.problem(where, key, f"{quoted(value)} holds a control character; remove it")
        elif pattern is not None and not pattern.fullmatch(value):
            self.problem(where, key, f"{quoted(value)} is not {expected}")
        else:
            return value
        return None

    def texts(self, values: object, key: str, where: _Where) -> tuple[str, ...] | None:
        if values is None:
            self.problem(where, key, "missing; add it")
            return None
        if not isinstance(values, list):
            self.problem(where, key, f"must be an array of strings, not {_toml_type(values)}")
            return None
        checked = [self.string(v, f"{key}[{n + 1}]", where) for n, v in enumerate(values)]
        return tuple(checked) if None not in checked else None

    def count(self, value: object, key: str, where: _Where) -> int | None:
        if value is None:
            self.problem(where, key, "missing; add it")
        elif type(value) is not int:
            self.problem(where, key, f"must be an integer, not {_toml_type(value)}")
        elif value < 0:
            self.problem(where, key, f"{value} is negative; give a count")
        else:
            return value
        return None

    def keys(self, table: dict[str, Any], allowed: tuple[str, ...], where: _Where) -> None:
        for key in table:
            if key not in allowed:
                self.problem(
                    where, key, f"unknown key; remove it, or use one of: {', '.join(allowed)}"
                )

    def unique(self, seen: dict[str, _Where], value: str, where: _Where, field: _Field) -> None:
        assert field.unique is not None
        first = seen.setdefault(field.unique(value), where)
        if first is not where:
            self.problem(
                where, field.name, f"{quoted(value)} is used by {first} already; make it unique"
            )

    # Tables

    def program(self, document: Document) -> None:
        table = document.get("program")
        if not isinstance(table, dict):
            message = "missing; add a [program] table" if table is None else "must be a table"
            self.problem(_Where(""), "program", message)
            return
        where = _Where("program")
        self.keys(table, tuple(field.name for field in _PROGRAM), where)
        for field in _PROGRAM:
            value = self.value(table, field, where)
            if field.name == "email_pattern" and value and not _email_pattern_works(value):
                self.problem(
                    where, field.name, f"{quoted(value)} may use only {{first}} and {{last}}"
                )

    def entries(self, document: Document, key: str) -> Iterator[tuple[_Where, dict[str, Any]]]:
        """Each entry of an array of tables, with its place."""
        entries = document.get(key)
        if entries is None:
            self.problem(_Where(""), key, f"missing; add at least one [[{key}]] table")
            return
        if not isinstance(entries, list):
            self.problem(
                _Where(""),
                key,
                f"must be an array of tables ([[{key}]]), not {_toml_type(entries)}",
            )
            return
        for index, entry in enumerate(entries):
            where = _Where(key, index)
            if isinstance(entry, dict):
                yield where, entry
            else:
                self.problem(where, None, f"must be a table, not {_toml_type(entry)}")

    def section(
        self, document: Document, key: str, region_codes: set[str] | None = None
    ) -> set[str]:
        """Check one array of tables; the set of its well-formed first fields (region codes)."""
        fields = _SECTIONS[key]
        names = tuple(field.name for field in fields)
        seen: dict[str, dict[str, _Where]] = {field.name: {} for field in fields if field.unique}
        labels: set[str] = set()
        for where, table in self.entries(document, key):
            label = self.value(table, fields[0], where)
            where.label = label
            if label is not None:
                labels.add(label)
            self.keys(table, names, where)
            values = {fields[0].name: label}
            values |= {field.name: self.value(table, field, where) for field in fields[1:]}
            region = values.get("region")
            if region_codes is not None and region is not None and region not in region_codes:
                self.problem(
                    where,
                    "region",
                    f"{quoted(region)} is not the code of a region in this registry;"
                    " use one such as SE-S (see 's3pilot regions')",
                )
            for field in fields:
                if field.unique is not None and values[field.name] is not None:
                    self.unique(seen[field.name], values[field.name], where, field)
        return labels


# --- The way back ----------------------------------------------------------------------------


def to_document(registry: Registry) -> Document:
    """The registry in the file's own shape: what `export --format json|toml` writes."""
    return {
        "schema_version": SCHEMA_VERSION,
        "program": _entry(registry.program, _PROGRAM),
        "contacts": [_entry(contact, _CONTACT) for contact in registry.contacts],
        "regions": [_entry(region, _REGION) for region in registry.regions],
        "clusters": [_entry(cluster, _CLUSTER) for cluster in registry.clusters],
    }


def _entry(item: object, fields: tuple[_Field, ...]) -> dict[str, Any]:
    """The fields with a value, in the declared order; tuples become arrays."""
    entry = {}
    for field in fields:
        value = getattr(item, field.name)
        if field.kind is _Kind.TEXTS:
            if value or field.required:
                entry[field.name] = list(value)
        elif value is not None:
            entry[field.name] = value
    return entry
