"""The one validating pass: a parsed registry document becomes a `Registry`, or a
`RegistryError` listing every problem with its place.

`check` goes over the document once, against the field declarations of `schema.py`: it checks
every entry and field, builds the model's dataclasses as it goes, and records every problem
with its place (file, line, entry, field) and what to do. Lines are looked up only for a
problem, so a valid file costs nothing for them.
"""

import bisect
import re
import string
from collections.abc import Callable, Iterator
from functools import cached_property
from pathlib import Path
from typing import Any

from s3pilot_cli import schema
from s3pilot_cli.errors import RegistryError
from s3pilot_cli.i18n import N_, _
from s3pilot_cli.model import Event, Program, Region, Registry, Source, contact_problems
from s3pilot_cli.textrules import describe, find_control, fold, quoted, shortened


def check(document: schema.Document, path: Path, text: str) -> Registry:
    """The registry in `document`, or a `RegistryError` with every problem and its place."""
    return _Check(path, text).registry(document)


# --- One pass: every entry and field, every problem with its place ---------------------------


def _email_pattern_works(pattern: str) -> bool:
    """Only `{first}` and `{last}`, bare: no attribute, index, conversion or format spec."""
    try:
        parts = list(string.Formatter().parse(pattern))
    except ValueError:  # an unmatched brace
        return False
    return all(
        field is None or (field in ("first", "last") and not spec and conversion is None)
        for _text, field, spec, conversion in parts
    )


# What `email_pattern` must make of a name: one address, no white space, a dotted domain.
_ADDRESS = re.compile(r"[^@\s{}]+@[^@\s{}]+\.[^@\s{}.]+")

_DATE_OR_TIME = N_("a date or time")
# The kinds of field whose absent value is None; the others (lists) are empty.
_SINGLE = (schema.Kind.TEXT, schema.Kind.COUNT, schema.Kind.YEAR)

# A table header, `[program]` or `[[clusters]]`, a comment after it or not: the table's name.
_HEADER = re.compile(r"\s*\[\[?\s*([^\[\]#]*?)\s*\]")
# The keys assigned on a line: bare, "quoted" or 'quoted', at its start or in an inline table.
_ASSIGNED = re.compile(r"""(?:^|[{,])\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*=""")
# A line that opens an inline table of an array, and the line that opens the array itself.
_INLINE_ENTRY = re.compile(r"""\s*(?:["']?[\w-]+["']?\s*=\s*\[\s*)?\{""")
_ARRAY_START = re.compile(r"""\s*["']?([\w-]+)["']?\s*=\s*\[""")
# A key inside the n-th table of an array: `sources[2].url`, `events[1].date`.
_ITEM = re.compile(r"[\w-]+\[([0-9]+)\]\.")


def _toml_type(value: object) -> str:
    names = {str: N_("a string"), bool: N_("a boolean"), int: N_("an integer")}
    names |= {float: N_("a float"), list: N_("an array"), dict: N_("a table")}
    return names.get(type(value), _DATE_OR_TIME)  # what else TOML reads: datetime's types


def _type_name(value: object) -> str:
    """`_toml_type` in the user's language, for a message."""
    return _(_toml_type(value))


def _text_problem(value: object, pattern: re.Pattern[str] | None, expected: str) -> str | None:
    """What is wrong with `value` as a string field, or None when nothing is."""
    if not isinstance(value, str):
        return (
            _("missing; add it")
            if value is None
            else _("must be a string, not {type}").format(type=_type_name(value))
        )
    if not value or value.isspace():
        return _("is empty; give a value or remove the key")
    if len(value) > schema.MAX_TEXT:
        return _("is {count} characters long; the limit is {max_text}").format(
            count=len(value), max_text=schema.MAX_TEXT
        )
    if not value.isprintable() and (found := find_control(value)):  # printable text has none
        return _("{value} holds {x}; remove it").format(
            value=quoted(value), x=describe(found.group())
        )
    if pattern is not None and not pattern.fullmatch(value):
        return _("{value} is not {expected}").format(
            value=quoted(value), expected=_(expected) if expected else ""
        )
    return None


def _year_problem(value: object) -> str | None:
    if type(value) is not int:
        return _("must be a year (an integer), not {type}").format(type=_type_name(value))
    first, last = schema.YEARS
    if not first <= value <= last:
        return _("{value} is not a year; give four digits, like 2018").format(value=value)
    return None


def _count_problem(value: object) -> str | None:
    if type(value) is not int:
        return _("must be an integer, not {type}").format(type=_type_name(value))
    if value < 0:
        return _("{value} is negative; give a count").format(value=value)
    if value > schema.MAX_COUNT:  # not shown: a huge one may be too long for str()
        return _("is larger than {max_count}, the most a count may be; give a count").format(
            max_count=schema.MAX_COUNT
        )
    return None


def _is_date_or_time(value: object) -> bool:
    """Whether TOML read `value` as a date or time: a string written without its quotes."""
    return value is not None and _toml_type(value) == _DATE_OR_TIME


class _Where:
    """A place in the document: a table, or the n-th entry of an array of tables."""

    __slots__ = ("index", "label", "table")

    def __init__(self, table: str, index: int | None = None) -> None:
        self.table = table
        self.index = index
        self.label: str | None = None  # the entry's id or code, once known

    def __str__(self) -> str:
        if self.index is None:
            return f"[{self.table}]" if self.table else _("top level")
        entry = f"{self.table.removesuffix('s')} #{self.index + 1}"
        return f"{entry} {quoted(self.label)}" if self.label else entry


def _unique_fields(
    fields: tuple[schema.Field, ...],
) -> list[tuple[int, Callable[[str], str], dict[str, _Where]]]:
    """Each unique field: its place among the values, its key, and the first entry per key."""
    return [(at, field.unique, {}) for at, field in enumerate(fields) if field.unique]


class _Check:
    """One document checked entry by entry into a `Registry`; every problem kept with its place."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.source = text
        self.problems: list[str] = []
        self._keys: dict[int, dict[str, int]] = {}
        self.regions: list[Region] = []  # the file's good regions, once read

    def registry(self, document: schema.Document) -> Registry:
        """The registry, or a `RegistryError` listing every problem found."""
        top = _Where("")
        version = document.get("schema_version")
        if version is None:
            self.problem(
                top,
                "schema_version",
                _("missing; add 'schema_version = {schema_version}'").format(
                    schema_version=schema.SCHEMA_VERSION
                ),
            )
        elif type(version) is not int:
            self.problem(
                top,
                "schema_version",
                _("must be an integer, not {type}").format(type=_type_name(version)),
            )
        elif version != schema.SCHEMA_VERSION:
            self.problem(
                top,
                "schema_version",
                _(
                    "version {version} is not supported; this s3pilot reads version"
                    " {schema_version} (a newer s3pilot may read it)"
                ).format(version=version, schema_version=schema.SCHEMA_VERSION),
            )
            raise RegistryError(self.problems, str(self.path))  # another version's rules
        self.keys(document, schema.TOP_KEYS, top)
        program = self.program(document)
        self.email_pattern = program.email_pattern if program else None  # for the contacts
        contacts, _codes = self.section(document, "contacts")
        regions, codes = self.section(document, "regions")
        self.regions = regions
        clusters, _ids = self.section(document, "clusters", codes)
        region_sources: tuple[Source, ...] | None = ()
        if (listed := document.get(schema.REGION_SOURCES)) is not None:
            region_sources = self.sources(
                listed, schema.REGION_SOURCES, _Where(""), schema.REGION_SOURCES
            )
        if self.problems or program is None or region_sources is None:
            raise RegistryError(self.problems, str(self.path))
        return Registry(program, tuple(contacts), tuple(regions), tuple(clusters), region_sources)

    # Reporting

    def problem(self, where: _Where, key: str | None, message: str) -> None:
        line = self._line_of(where, key)
        place = f"{self.path}:{line}" if line else str(self.path)
        field = f" {shortened(key)}:" if key else ""
        self.problems.append(f"{place}: {where}:{field} {message}")

    @cached_property
    def _layout(self) -> tuple[list[str], list[int], dict[str, list[int]]]:
        """The lines, the line numbers of all table headers, and those of each table by name.

        Worked out once, on the first problem: a valid file never needs it, and a file with
        thousands of problems must not be read again for each one."""
        lines = self.source.split("\n")  # TOML's lines, as the parser counts them
        headers: list[int] = []
        tables: dict[str, list[int]] = {}
        for number, line in enumerate(lines):
            if header := _HEADER.match(line):
                headers.append(number)
                tables.setdefault(header.group(1), []).append(number)
        return lines, headers, tables

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

    def _line_of(self, where: _Where, key: str | None) -> int | None:
        """The line of a table's header, or of a key inside it (TOML only)."""
        _lines, _headers, tables = self._layout
        start = 0
        if where.table:
            starts = tables.get(where.table, [])
            if len(starts) <= (where.index or 0):
                return self._inline_line(where)
            start = starts[where.index or 0]
        if key is not None:
            name = key.split("[")[0]  # aliases[2] is on the aliases line
            line = self._keys_of(start).get(name)
            if line is not None:
                return self._item_line(line, key) + 1
        return start + 1 if where.table else None

    def _item_line(self, line: int, key: str) -> int:
        """The line of the table `key` is in (`events[2].date`: the second) in the array that
        opens on `line`, where each of its tables has a line of its own, as the bundled file
        writes them (`events = [`, then `{ date = … },`); else `line`, the array's."""
        found = _ITEM.match(key)
        if found is None:
            return line
        wanted, seen = int(found.group(1)), 0
        lines = self._layout[0]
        for number in range(line, len(lines)):
            text = lines[number]
            if number > line and (text.lstrip().startswith("]") or _HEADER.match(text)):
                break
            if _INLINE_ENTRY.match(text):
                seen += 1
                if seen == wanted:
                    return number
        return line

    @cached_property
    def _inline_entries(self) -> dict[str, list[int]]:
        """The lines of the inline tables of each array, one a line (`contacts = [` then
        `{ name = "…", phone = "…" },`), as `export --format toml` writes them."""
        entries: dict[str, list[int]] = {}
        array = ""
        for number, line in enumerate(self._layout[0]):
            if opened := _ARRAY_START.match(line):
                array = opened.group(1)
            if _INLINE_ENTRY.match(line):
                entries.setdefault(array, []).append(number)
            elif _HEADER.match(line):
                array = ""
        return entries

    def _inline_line(self, where: _Where) -> int | None:
        """The line of an entry written as an inline table: its keys' lines are not told apart."""
        entries = self._inline_entries.get(where.table, [])
        index = where.index or 0
        return entries[index] + 1 if index < len(entries) else None

    # Values

    def values(
        self,
        table: dict[str, Any],
        fields: tuple[schema.Field, ...],
        where: _Where,
        place: str = "",
    ) -> list[Any]:
        """Each field's checked value as the model holds it; None where a problem was recorded.
        `place` goes before each key's name in a message (`events[2].`)."""
        values: list[Any] = []
        get = table.get
        text = schema.Kind.TEXT
        lists: dict[schema.Kind, Callable[[Any, str, _Where], Any]] = {
            schema.Kind.TEXTS: self.texts,
            schema.Kind.SOURCES: self.sources,
            schema.Kind.EVENTS: self.events,
        }
        for name, kind, required, pattern, expected, _unique in fields:
            value = get(name)
            if value is None:
                if not required:
                    values.append(None if kind in _SINGLE else ())
                    continue
                problem: str | None = _("missing; add it")
            elif kind is text:
                problem = _text_problem(value, pattern, expected)
            elif (reader := lists.get(kind)) is not None:  # each item checked on its own
                values.append(reader(value, name, where))
                continue
            elif kind is schema.Kind.YEAR:
                problem = _year_problem(value)
            else:
                problem = _count_problem(value)
            if problem is not None:
                if kind is text and _is_date_or_time(value):
                    problem += _('; put it in quotes: {name} = "{x}"').format(
                        name=name, x=self._as_written(where, place + name, value)
                    )
                self.problem(where, place + name, problem)
                value = None
            values.append(value)
        return values

    def _as_written(self, where: _Where, key: str, value: Any) -> str:
        """A TOML date or time as the file writes it (`T` or a space, `Z`), else as Python does."""
        line = self._line_of(where, key)
        if line is not None:
            written = self._layout[0][line - 1].partition("=")[2].partition("#")[0].strip()
            if written:
                return written
        return str(value.isoformat())

    def texts(self, values: object, key: str, where: _Where) -> tuple[str, ...] | None:
        if not isinstance(values, list):
            self.problem(
                where,
                key,
                _("must be an array of strings, not {type}").format(type=_type_name(values)),
            )
            return None
        good = True
        seen: dict[str, int] = {}
        for number, item in enumerate(values, 1):
            problem = _text_problem(item, None, "")
            if problem is None and schema.SEPARATOR in item:
                problem = _(
                    "{item} holds '{separator}', which the text formats use between items; split "
                    "it into two items"
                ).format(item=quoted(item), separator=schema.SEPARATOR)
            elif problem is None and (first := seen.setdefault(fold(item), number)) != number:
                problem = _("{item} is item {first} already; remove one of them").format(
                    item=quoted(item), first=first
                )
            if problem is not None:
                self.problem(where, f"{key}[{number}]", problem)
                good = False
        return tuple(values) if good else None

    def sources(
        self, values: object, key: str, where: _Where, table: str | None = None
    ) -> tuple[Source, ...] | None:
        """The sources of one entry (`key = [{url = …, fields = […], read = …}, …]`); each
        may name only the fields of its entry's table."""
        if not isinstance(values, list):
            self.problem(
                where,
                key,
                _("must be an array of tables, not {type}").format(type=_type_name(values)),
            )
            return None
        sourced = schema.SOURCED[table or where.table]
        # what a page may support: not the sources themselves, nor the events (each its own page)
        lists = (schema.Kind.SOURCES, schema.Kind.EVENTS)
        named = tuple(field.name for field in sourced if field.kind not in lists)
        built: list[Source] = []
        for number, item in enumerate(values, 1):
            at, place = where, f"{key}[{number}]."
            if table is not None:  # [[region_sources]]: each source a table of the file
                at, place = _Where(key, number - 1), ""
            if not isinstance(item, dict):
                self.problem(
                    at,
                    place.rstrip(".") or None,
                    _("must be a table, not {type}").format(type=_type_name(item)),
                )
                continue
            if (source := self.one_source(item, at, place, named)) is not None:
                built.append(source)
        return tuple(built) if len(built) == len(values) else None

    def events(self, values: object, key: str, where: _Where) -> tuple[Event, ...] | None:
        """The events of one entry (`key = [{date = …, event = …, url = …}, …]`)."""
        if not isinstance(values, list):
            self.problem(
                where,
                key,
                _("must be an array of tables, not {type}").format(type=_type_name(values)),
            )
            return None
        allowed = tuple(field.name for field in schema.EVENT)
        before = len(self.problems)
        built: list[Event] = []
        for number, item in enumerate(values, 1):
            place = f"{key}[{number}]"
            if not isinstance(item, dict):
                self.problem(
                    where, place, _("must be a table, not {type}").format(type=_type_name(item))
                )
                continue
            for name in item:
                if name not in allowed:
                    self.problem(
                        where,
                        f"{place}.{name}",
                        _("unknown key; use one of: {x}").format(x=", ".join(allowed)),
                    )
            built.append(Event(*self.values(item, schema.EVENT, where, f"{place}.")))
        return tuple(built) if len(self.problems) == before else None

    def one_source(
        self, item: dict[str, Any], at: _Where, place: str, named: tuple[str, ...]
    ) -> Source | None:
        """One source (`place` before each key's name), naming only fields in `named`."""
        allowed = tuple(field.name for field in schema.SOURCE)
        before = len(self.problems)
        for name in item:
            if name not in allowed:
                self.problem(
                    at,
                    f"{place}{name}",
                    _("unknown key; use one of: {x}").format(x=", ".join(allowed)),
                )
        found: list[Any] = []
        for field in schema.SOURCE:
            value, key = item.get(field.name), f"{place}{field.name}"
            if value is None and not field.required:
                found.append(None)
                continue
            if field.kind is schema.Kind.TEXTS:
                found.append(self.source_fields(value, key, at, named))
                continue
            problem = _text_problem(value, field.pattern, field.expected)
            if problem and _is_date_or_time(value):
                problem += _('; put it in quotes: "{value}"').format(value=value)
            if problem is not None:
                self.problem(at, key, problem)
            found.append(value)
        return Source(*found) if len(self.problems) == before else None

    def source_fields(
        self, value: object, key: str, at: _Where, named: tuple[str, ...]
    ) -> tuple[str, ...] | None:
        """The fields a source supports: at least one, each a field in `named`."""
        if not value:
            self.problem(at, key, _("missing; name the fields this page supports"))
            return None
        fields = self.texts(value, key, at)
        for unknown in fields or ():
            if unknown not in named:
                self.problem(
                    at,
                    key,
                    _("{unknown} is not a field of this table; name one of: {x}").format(
                        unknown=quoted(unknown), x=", ".join(named)
                    ),
                )
        return fields

    def keys(self, table: dict[str, Any], allowed: tuple[str, ...], where: _Where) -> None:
        for key in table:
            if key not in allowed:
                self.problem(
                    where,
                    key,
                    _("unknown key; remove it, or use one of: {x}").format(x=", ".join(allowed)),
                )

    # Tables

    def program(self, document: schema.Document) -> Program | None:
        table = document.get("program")
        if not isinstance(table, dict):
            message = _("missing; add a [program] table") if table is None else _("must be a table")
            self.problem(_Where(""), "program", message)
            return None
        where = _Where("program")
        before = len(self.problems)
        self.keys(table, tuple(field.name for field in schema.PROGRAM), where)
        values = []
        for field in schema.PROGRAM:
            (value,) = self.values(table, (field,), where)
            if field.name == "email_pattern" and value:
                if not _email_pattern_works(value):
                    self.problem(
                        where,
                        field.name,
                        _("{value} may use only {{first}} and {{last}}").format(
                            value=quoted(value)
                        ),
                    )
                elif not _ADDRESS.fullmatch(value.format(first="first", last="last")):
                    self.problem(
                        where,
                        field.name,
                        _(
                            "{value} does not make an e-mail address (name@domain.se); write"
                            " one such as {{first}}.{{last}}@tillvaxtverket.se"
                        ).format(value=quoted(value)),
                    )
            values.append(value)
        return Program(*values) if len(self.problems) == before else None

    def entries(
        self, document: schema.Document, key: str
    ) -> Iterator[tuple[_Where, dict[str, Any]]]:
        """Each entry of an array of tables, with its place."""
        entries = document.get(key)
        if entries is None:
            self.problem(
                _Where(""), key, _("missing; add at least one [[{key}]] table").format(key=key)
            )
            return
        if not isinstance(entries, list):
            self.problem(
                _Where(""),
                key,
                _("must be an array of tables ([[{key}]]), not {type}").format(
                    key=key, type=_type_name(entries)
                ),
            )
            return
        for index, entry in enumerate(entries):
            where = _Where(key, index)
            if isinstance(entry, dict):
                yield where, entry
            else:
                self.problem(
                    where, None, _("must be a table, not {type}").format(type=_type_name(entry))
                )

    def section(
        self, document: schema.Document, key: str, region_codes: set[str] | None = None
    ) -> tuple[list[Any], set[str]]:
        """One array of tables as the model's objects; the set of its good first fields."""
        fields = schema.SECTIONS[key]
        rest = fields[1:]
        model = schema.MODELS[key]
        names = tuple(field.name for field in fields)
        allowed = frozenset(names)
        # where a cluster's region and area are among its values, and the regions they must be in
        placed = None
        if region_codes is not None:
            placed = (names.index("region"), names.index("s3_area"), region_codes)
        unique = _unique_fields(fields)
        built: list[Any] = []
        labels: set[str] = set()
        for where, table in self.entries(document, key):
            before = len(self.problems)
            if (label := self.label(where, table, fields[0])) is not None:
                labels.add(label)
            if not allowed.issuperset(table):
                self.keys(table, names, where)
            values = [label, *self.values(table, rest, where)]
            if placed is not None:
                region_at, area_at, codes = placed
                self.known_region(where, values[region_at], codes)
                self.known_area(where, values[region_at], values[area_at])
            for at, unique_key, seen in unique:
                self.unique(where, names[at], values[at], unique_key, seen)
            if key == "contacts" and len(self.problems) == before:  # what the model derives
                for name, problem in contact_problems(model(*values), self.email_pattern):
                    self.problem(where, name, problem)
            if len(self.problems) == before:
                built.append(model(*values))
        return built, labels

    def label(self, where: _Where, table: dict[str, Any], field: schema.Field) -> str | None:
        """The entry's first field (id, code or name), which labels its messages; None if wrong."""
        label = table.get(field.name)
        if (problem := _text_problem(label, field.pattern, field.expected)) is not None:
            self.problem(where, field.name, problem)
            label = None
        where.label = label
        return label

    def known_region(self, where: _Where, region: str | None, codes: set[str]) -> None:
        if region is not None and region not in codes:
            self.problem(
                where,
                "region",
                _(
                    "{region} is not the code of a region in this registry; {x} (see 's3pilot "
                    "regions')"
                ).format(region=quoted(region), x=self.region_meant(region)),
            )

    def known_area(self, where: _Where, code: str | None, area: str | None) -> None:
        """A cluster's `s3_area` must be one of its region's `s3_areas`."""
        region = next((r for r in self.regions if r.code == code), None)
        if area is None or region is None or area in region.s3_areas:
            return
        if not region.s3_areas:
            message = _("{region} has no s3_areas; give the region its areas first").format(
                region=region.code
            )
        else:
            message = _("{area} is not one of the s3_areas of {region}; use one of: {x}").format(
                area=quoted(area), region=region.code, x=", ".join(map(quoted, region.s3_areas))
            )
        self.problem(where, "s3_area", message)

    def region_meant(self, region: str) -> str:
        """What to write instead of `region`: the code of the region it names as a user
        would type it (`Skåne` → SE-M, found as `--region` finds it), else an example."""
        from s3pilot_cli.lookup import RegionIndex

        found = RegionIndex(self.regions).matches(region) if self.regions else []
        if len(found) == 1:
            return _("write {code} for {name}").format(code=found[0].code, name=found[0].name)
        if found:
            return _("write one of ") + ", ".join(f"{r.code} ({r.name})" for r in found)
        return _("use one such as {x}").format(x=self.regions[0].code if self.regions else "SE-S")

    def unique(
        self,
        where: _Where,
        key: str,
        value: Any,
        folded: Callable[[str], str],
        seen: dict[str, _Where],
    ) -> None:
        """A problem for `value` if an earlier entry has it (as `folded` compares them)."""
        if value is not None and (earlier := seen.setdefault(folded(value), where)) is not where:
            self.problem(
                where,
                key,
                _("{value} is used by {earlier} already; make it unique").format(
                    value=quoted(value), earlier=earlier
                ),
            )


# --- The way back ----------------------------------------------------------------------------
