"""The one validating pass: a parsed registry document becomes a `Registry`, or a
`RegistryError` listing every problem with its place.

`check` goes over the document once, against the field declarations of `schema.py`: it checks
every entry and field, builds the model's dataclasses as it goes, and records every problem
with its place (file, line, entry, field) and what to do. Lines are looked up only for a
problem, so a valid file costs nothing for them.
"""

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from s3pilot_cli import rules, schema
from s3pilot_cli.errors import RegistryError
from s3pilot_cli.i18n import _
from s3pilot_cli.model import Cluster, Program, Region, Registry, Source
from s3pilot_cli.textrules import fold, quoted, shortened
from s3pilot_cli.toml_lines import TomlLines
from s3pilot_cli.validate_sources import SourceChecks, Where


def check(document: schema.Document, path: Path, text: str) -> Registry:
    """The registry in `document`, or a `RegistryError` with every problem and its place."""
    return _Check(path, text).check_registry(document)


def _unique_fields(
    fields: tuple[schema.Field, ...],
) -> list[tuple[int, Callable[[str], str], dict[str, Where]]]:
    """Each unique field: its place among the values, its key, and the first entry per key."""
    return [(at, field.unique, {}) for at, field in enumerate(fields) if field.unique]


class _Check(SourceChecks):
    """One document checked entry by entry into a `Registry`; every problem kept with its place."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = TomlLines(text)
        self.problems: list[str] = []
        self.regions: list[Region] = []  # the file's good regions, once read
        # The kinds of field that hold a list, and the check of each: once, not once a value.
        self.list_checks: dict[schema.FieldKind, Callable[[Any, str, Where], Any]] = {
            schema.FieldKind.TEXTS: self.check_texts,
            schema.FieldKind.SOURCES: self.check_sources,
            schema.FieldKind.EVENTS: self.check_events,
        }

    def check_registry(self, document: schema.Document) -> Registry:
        """The registry, or a `RegistryError` listing every problem found."""
        top = Where("")
        version = document.get("schema_version")
        if version is None:
            self.report(
                top,
                "schema_version",
                _("missing; add 'schema_version = {schema_version}'").format(
                    schema_version=schema.SCHEMA_VERSION
                ),
            )
        elif type(version) is not int:
            self.report(
                top,
                "schema_version",
                _("must be an integer, not {type}").format(type=rules.type_name(version)),
            )
        elif version != schema.SCHEMA_VERSION:
            self.report(
                top,
                "schema_version",
                _(
                    "version {version} is not supported; this s3pilot reads version"
                    " {schema_version} (a newer s3pilot may read it)"
                ).format(version=version, schema_version=schema.SCHEMA_VERSION),
            )
            raise RegistryError(self.problems, str(self.path))  # another version's rules
        self.check_keys(document, schema.TOP_KEYS, top)
        program = self.check_program(document)
        self.email_pattern = program.email_pattern if program else None  # for the contacts
        contacts, _codes = self.check_section(document, "contacts")
        regions, codes = self.check_section(document, "regions")
        self.regions = regions
        clusters, _ids = self.check_section(document, "clusters", codes)
        self.check_shadowing(document, clusters)
        region_sources: tuple[Source, ...] | None = ()
        if (listed := document.get(schema.REGION_SOURCES)) is not None:
            region_sources = self.check_sources(
                listed, schema.REGION_SOURCES, Where(""), schema.REGION_SOURCES
            )
        if self.problems or program is None or region_sources is None:
            raise RegistryError(self.problems, str(self.path))
        return Registry(program, tuple(contacts), tuple(regions), tuple(clusters), region_sources)

    # Reporting

    def report(self, where: Where, key: str | None, message: str) -> None:
        line = self.lines.line(where.table, where.index, key)
        place = f"{self.path}:{line}" if line else str(self.path)
        field = f" {shortened(key)}:" if key else ""
        self.problems.append(f"{place}: {where}:{field} {message}")

    # Values

    def check_values(
        self,
        table: dict[str, Any],
        fields: tuple[schema.Field, ...],
        where: Where,
        place: str = "",
    ) -> list[Any]:
        """Each field's checked value as the model holds it; None where a problem was recorded.
        `place` goes before each key's name in a message (`events[2].`)."""
        values: list[Any] = []
        get = table.get
        strings = rules.STRINGS
        lists = self.list_checks
        for name, kind, required, pattern, expected, _unique in fields:
            value = get(name)
            if value is None:
                if not required:
                    values.append(() if kind in lists else None)
                    continue
                problem: str | None = _("missing; add it")
            elif kind in strings:
                problem = rules.text_problem(value, pattern, expected, kind)
            elif (reader := lists.get(kind)) is not None:  # each item checked on its own
                values.append(reader(value, name, where))
                continue
            elif kind is schema.FieldKind.YEAR:
                problem = rules.year_problem(value)
            else:
                problem = rules.count_problem(value)
            if problem is not None:
                if kind in strings and rules.is_date_or_time(value):
                    problem += _('; put it in quotes: {name} = "{x}"').format(
                        name=name, x=self._as_written(where, place + name, value)
                    )
                self.report(where, place + name, problem)
                value = None
            values.append(value)
        return values

    def _as_written(self, where: Where, key: str, value: Any) -> str:
        """A TOML date or time as the file writes it (`T` or a space, `Z`), else as Python does."""
        line = self.lines.line(where.table, where.index, key)
        if line is not None and (written := self.lines.written(line)):
            return written
        return str(value.isoformat())

    def check_texts(self, values: object, key: str, where: Where) -> tuple[str, ...] | None:
        if not isinstance(values, list):
            self.report(
                where,
                key,
                _("must be an array of strings, not {type}").format(type=rules.type_name(values)),
            )
            return None
        good = True
        seen: dict[str, int] = {}
        for number, item in enumerate(values, 1):
            problem = rules.text_problem(item, None, "")
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
                self.report(where, f"{key}[{number}]", problem)
                good = False
        return tuple(values) if good else None

    def check_keys(self, table: dict[str, Any], allowed: tuple[str, ...], where: Where) -> None:
        for key in table:
            if key not in allowed:
                self.report(
                    where,
                    key,
                    _("unknown key; remove it, or use one of: {x}").format(x=", ".join(allowed)),
                )

    # Tables

    def check_program(self, document: schema.Document) -> Program | None:
        table = document.get("program")
        if not isinstance(table, dict):
            message = _("missing; add a [program] table") if table is None else _("must be a table")
            self.report(Where(""), "program", message)
            return None
        where = Where("program")
        before = len(self.problems)
        self.check_keys(table, tuple(field.name for field in schema.PROGRAM), where)
        values = self.check_values(table, schema.PROGRAM, where)
        program = dict(zip((field.name for field in schema.PROGRAM), values, strict=True))
        if program["email_pattern"] and (
            problem := rules.email_pattern_problem(program["email_pattern"])
        ):
            self.report(where, "email_pattern", problem)
        if problem := rules.years_problem(program["first_year"], program["last_year"]):
            self.report(where, "last_year", problem)
        return Program(*values) if len(self.problems) == before else None

    def each_entry(
        self, document: schema.Document, key: str
    ) -> Iterator[tuple[Where, dict[str, Any]]]:
        """Each entry of an array of tables, with its place."""
        entries = document.get(key)
        if entries is None:
            self.report(
                Where(""), key, _("missing; add at least one [[{key}]] table").format(key=key)
            )
            return
        if not isinstance(entries, list):
            self.report(
                Where(""),
                key,
                _("must be an array of tables ([[{key}]]), not {type}").format(
                    key=key, type=rules.type_name(entries)
                ),
            )
            return
        for index, entry in enumerate(entries):
            where = Where(key, index)
            if isinstance(entry, dict):
                yield where, entry
            else:
                self.report(
                    where,
                    None,
                    _("must be a table, not {type}").format(type=rules.type_name(entry)),
                )

    def check_section(
        self, document: schema.Document, key: str, region_codes: set[str] | None = None
    ) -> tuple[list[Any], set[str]]:
        """One array of tables as the model's objects; the set of its good first fields."""
        fields = schema.SECTIONS[key]
        rest = fields[1:]
        model = schema.MODELS[key]
        names = tuple(field.name for field in fields)
        allowed = frozenset(names)
        region_at = names.index("region") if region_codes is not None else -1
        unique = _unique_fields(fields)
        built: list[Any] = []
        labels: set[str] = set()
        for where, table in self.each_entry(document, key):
            before = len(self.problems)
            if (label := self.check_first_field(where, table, fields[0])) is not None:
                labels.add(label)
            if not allowed.issuperset(table):
                self.check_keys(table, names, where)
            values = [label, *self.check_values(table, rest, where)]
            if region_codes is not None:
                self.check_region(where, values[region_at], region_codes)
            for at, unique_key, seen in unique:
                self.check_unique(where, names[at], values[at], unique_key, seen)
            if len(self.problems) == before:  # what the model derives, what a value says
                entry = model(*values)
                self.check_entry(key, where, entry)
                if len(self.problems) == before:
                    built.append(entry)
        return built, labels

    def check_entry(self, key: str, where: Where, entry: Any) -> None:
        """The rules of a whole entry: a contact's derived address and number, a label's year."""
        if key == "contacts":
            for name, problem in rules.contact_problems(entry, self.email_pattern):
                self.report(where, name, problem)
        elif key == "clusters" and entry.label and (told := rules.label_problem(entry.label)):
            self.report(where, "label", told)
        if key == "clusters" and entry.s3_area:
            self.check_area(where, entry.region, entry.s3_area)

    def check_area(self, where: Where, code: str, area: str) -> None:
        """A cluster's `s3_area` must be one of its region's `s3_areas`."""
        region = next((r for r in self.regions if r.code == code), None)
        if region is None or area in region.s3_areas:
            return
        if not region.s3_areas:
            message = _("{region} has no s3_areas; give the region its areas first").format(
                region=region.code
            )
        else:
            message = _("{area} is not one of the s3_areas of {region}; use one of: {x}").format(
                area=quoted(area), region=region.code, x=", ".join(map(quoted, region.s3_areas))
            )
        self.report(where, "s3_area", message)

    def check_first_field(
        self, where: Where, table: dict[str, Any], field: schema.Field
    ) -> str | None:
        """The entry's first field (id, code or name), which labels its messages; None if wrong."""
        label = table.get(field.name)
        if (problem := rules.text_problem(label, field.pattern, field.expected)) is not None:
            self.report(where, field.name, problem)
            label = None
        where.label = label
        return label

    def check_region(self, where: Where, region: str | None, codes: set[str]) -> None:
        if region is not None and region not in codes:
            self.report(
                where,
                "region",
                _(
                    "{region} is not the code of a region in this registry; {x} (see 's3pilot "
                    "regions')"
                ).format(region=quoted(region), x=self.suggest_region(region)),
            )

    def suggest_region(self, region: str) -> str:
        """What to write instead of `region`: the code of the region it names as a user
        would type it (`Skåne` → SE-M, found as `--region` finds it), else an example."""
        from s3pilot_cli.lookup import RegionIndex

        found = RegionIndex(self.regions).matches(region) if self.regions else []
        if len(found) == 1:
            return _("write {code} for {name}").format(code=found[0].code, name=found[0].name)
        if found:
            return _("write one of ") + ", ".join(f"{r.code} ({r.name})" for r in found)
        return _("use one such as {x}").format(x=self.regions[0].code if self.regions else "SE-S")

    def check_shadowing(self, document: schema.Document, clusters: list[Cluster]) -> None:
        """Report each alias or current name that is another cluster's id or name."""
        tables = document.get("clusters")
        at = {
            t["id"]: n
            for n, t in enumerate(tables or [])
            if isinstance(t, dict) and isinstance(t.get("id"), str)
        }
        for cluster, key, problem in rules.shadowing_problems(clusters):
            where = Where("clusters", at[cluster.id])
            where.label = cluster.id
            self.report(where, key, problem)

    def check_unique(
        self,
        where: Where,
        key: str,
        value: Any,
        folded: Callable[[str], str],
        seen: dict[str, Where],
    ) -> None:
        """A problem for `value` if an earlier entry has it (as `folded` compares them)."""
        if value is not None and (earlier := seen.setdefault(folded(value), where)) is not where:
            self.report(
                where,
                key,
                _("{value} is used by {earlier} already; make it unique").format(
                    value=quoted(value), earlier=earlier
                ),
            )
