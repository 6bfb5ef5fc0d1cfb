"""A registry's citations checked: the web pages each entry cites for its facts (`sources`,
`region_sources`) and its dated events, each with its page; and `Where`, the place in the
document that every message of `validate.py` names.

`SourceChecks` is part of `validate.py`'s one pass (its `_Check` takes these checks in): it
reports through the pass's `report` and checks a source's fields and an event's values with the
pass's `check_texts` and `check_values`.
"""

from collections.abc import Callable
from typing import Any, TypeGuard

from s3pilot_cli import rules, schema
from s3pilot_cli.i18n import N_, _
from s3pilot_cli.model import Event, Source
from s3pilot_cli.textrules import quoted

# The n-th entry of an array of tables, as a message names it: "cluster #12", "kluster nr 12".
_ENTRIES = {
    "clusters": N_("cluster #{number}"),
    "regions": N_("region #{number}"),
    "contacts": N_("contact #{number}"),
    "region_sources": N_("region_source #{number}"),
}


class Where:
    """A place in the document: a table, or the n-th entry of an array of tables."""

    __slots__ = ("index", "label", "table")

    def __init__(self, table: str, index: int | None = None) -> None:
        self.table = table
        self.index = index
        self.label: str | None = None  # the entry's id or code, once known

    def __str__(self) -> str:
        if self.index is None:
            return f"[{self.table}]" if self.table else _("top level")
        said = _ENTRIES.get(self.table)
        entry = (
            _(said).format(number=self.index + 1)
            if said
            else f"{self.table.removesuffix('s')} #{self.index + 1}"
        )
        return f"{entry} {quoted(self.label)}" if self.label else entry


class SourceChecks:
    """The checks of sources and events, for the validating pass that has the members below."""

    problems: list[str]
    report: Callable[[Where, str | None, str], None]
    check_texts: Callable[[object, str, Where], tuple[str, ...] | None]
    check_values: Callable[[dict[str, Any], tuple[schema.Field, ...], Where, str], list[Any]]

    def is_array(self, values: object, key: str, where: Where) -> TypeGuard[list[Any]]:
        """Whether `values` is an array; a problem for `key` where it is not."""
        if isinstance(values, list):
            return True
        self.report(
            where,
            key,
            _("must be an array of tables, not {type}").format(type=rules.type_name(values)),
        )
        return False

    def report_unknown(
        self, item: dict[str, Any], allowed: tuple[str, ...], where: Where, place: str
    ) -> None:
        """A problem for each key of `item` (`place` before its name) not in `allowed`."""
        for name in item:
            if name not in allowed:
                self.report(
                    where,
                    f"{place}{name}",
                    _("unknown key; use one of: {x}").format(x=", ".join(allowed)),
                )

    def check_sources(
        self, values: object, key: str, where: Where, table: str | None = None
    ) -> tuple[Source, ...] | None:
        """The sources of one entry (`key = [{url = …, fields = […], read = …}, …]`); each
        may name only the fields of its entry's table."""
        if not self.is_array(values, key, where):
            return None
        sourced = schema.SOURCED[table or where.table]
        # what a page may support: not the sources themselves, nor the events (each its own page)
        lists = (schema.FieldKind.SOURCES, schema.FieldKind.EVENTS)
        named = tuple(field.name for field in sourced if field.kind not in lists)
        built: list[Source] = []
        for number, item in enumerate(values, 1):
            at, place = where, f"{key}[{number}]."
            if table is not None:  # [[region_sources]]: each source a table of the file
                at, place = Where(key, number - 1), ""
            if not isinstance(item, dict):
                self.report(
                    at,
                    place.rstrip(".") or None,
                    _("must be a table, not {type}").format(type=rules.type_name(item)),
                )
                continue
            if (source := self.check_source(item, at, place, named)) is not None:
                built.append(source)
        return tuple(built) if len(built) == len(values) else None

    def check_events(self, values: object, key: str, where: Where) -> tuple[Event, ...] | None:
        """The events of one entry (`key = [{date = …, event = …, url = …}, …]`)."""
        if not self.is_array(values, key, where):
            return None
        allowed = tuple(field.name for field in schema.EVENT)
        before = len(self.problems)
        built: list[Event] = []
        for number, item in enumerate(values, 1):
            place = f"{key}[{number}]"
            if not isinstance(item, dict):
                self.report(
                    where,
                    place,
                    _("must be a table, not {type}").format(type=rules.type_name(item)),
                )
                continue
            self.report_unknown(item, allowed, where, f"{place}.")
            built.append(Event(*self.check_values(item, schema.EVENT, where, f"{place}.")))
        return tuple(built) if len(self.problems) == before else None

    def check_source(
        self, item: dict[str, Any], at: Where, place: str, named: tuple[str, ...]
    ) -> Source | None:
        """One source (`place` before each key's name), naming only fields in `named`."""
        allowed = tuple(field.name for field in schema.SOURCE)
        before = len(self.problems)
        self.report_unknown(item, allowed, at, place)
        found: list[Any] = []
        for field in schema.SOURCE:
            value, key = item.get(field.name), f"{place}{field.name}"
            if value is None and not field.required:
                found.append(None)
                continue
            if field.kind is schema.FieldKind.TEXTS:
                found.append(self.check_source_fields(value, key, at, named))
                continue
            problem = rules.text_problem(value, field.pattern, field.expected, field.kind)
            if problem and rules.is_date_or_time(value):
                problem += _('; put it in quotes: "{value}"').format(value=value)
            if problem is not None:
                self.report(at, key, problem)
            found.append(value)
        return Source(*found) if len(self.problems) == before else None

    def check_source_fields(
        self, value: object, key: str, at: Where, named: tuple[str, ...]
    ) -> tuple[str, ...] | None:
        """The fields a source supports: at least one, each a field in `named`."""
        if not value:
            self.report(at, key, _("missing; name the fields this page supports"))
            return None
        fields = self.check_texts(value, key, at)
        for unknown in fields or ():
            if unknown not in named:
                self.report(
                    at,
                    key,
                    _("{unknown} is not a field of this table; name one of: {x}").format(
                        unknown=quoted(unknown), x=", ".join(named)
                    ),
                )
        return fields
