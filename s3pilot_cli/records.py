"""The records the commands print: one flat row per cluster, region or contact.

The field names here are a contract that scripts rely on (docs/contract.md); add
fields at the end, never rename one.
"""

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from s3pilot_cli.model import PROGRAM_OWNER, Cluster, Event, Registry, source_texts

if TYPE_CHECKING:
    from s3pilot_cli.i18n import Catalogue

Value = str | int | tuple[str, ...] | None
# A value as JSON (and the Python API) gives it: a list where the row holds a tuple.
ObjectValue = str | int | list[str] | None

CLUSTER_FIELDS = (
    "id",
    "name",
    "region",
    "region_code",
    "lan_code",
    "county",
    "nuts3",
    "region_body",
    "city",
    "website",
    "focus",
    "aliases",
    "now_called",
    "founded",
    "founded_note",
    "kind",
    "label",
    "sources",
    "focus_sv",
    "note",
    "kommun",
    "kommun_code",
    "s3_area",
    "eccp_url",
    "last_seen",
    "note_sv",
)
# What `show` gives of one cluster: its record, then its events, each a line of text.
SHOW_FIELDS = (*CLUSTER_FIELDS, "events")
# The clusters' sources, one row a source: the SQLite table, the workbook's sheet, the
# data package's resource.
SOURCE_FIELDS = ("cluster_id", "position", "url", "fields", "read", "caveat")
# Every event of the registry in date order: `timeline`'s records.
TIMELINE_FIELDS = ("date", "cluster", "event", "url")
# Every event a row, in the registry's order (the programme's first), with all it says: the
# SQLite table, the workbook's sheet, the data package's resource. `cluster_id` is empty for
# the programme's own.
EVENT_FIELDS = ("position", "cluster_id", "date", "event", "event_sv", "url", "sets", "caveat")
# How one record is shown as rows: a `field` and its `value` a row (`show`, `info`, a sheet).
PAIR_FIELDS = ("field", "value")
REGION_FIELDS: tuple[str, ...] = ("code", "lan_code", "name", "county", "nuts3", "body")
REGION_FIELDS += ("aliases", "clusters")
REGION_FIELDS += ("wikidata", "s3_strategy", "s3_areas", "s3_url", "s3_licence")
CONTACT_FIELDS = ("name", "organization", "phone", "phone_e164", "email")


class Records(NamedTuple):
    """Rows of one kind, each with a value (or None) for every field, in field order.

    `single` marks the one record `show` prints: JSON writes it as an object, not an array.
    """

    fields: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...]
    single: bool = False

    def only(self, fields: Sequence[str]) -> "Records":
        """The same rows with just these fields, in this order."""
        positions = [self.fields.index(field) for field in fields]
        rows = tuple(tuple(row[p] for p in positions) for row in self.rows)
        return Records(tuple(fields), rows, self.single)

    def transposed(self) -> "Records":
        """One row per field, `field` and `value`: how a table shows a single record."""
        rows = tuple(
            (field, value)
            for row in self.rows
            for field, value in zip(self.fields, row, strict=True)
        )
        return Records(PAIR_FIELDS, rows)

    def objects(self) -> list[dict[str, ObjectValue]]:
        """One dict per row, keys in field order, lists as lists: the objects of the JSON
        formats and of the Python API's `*_records`."""
        fields = self.fields
        return [
            {
                field: list(value) if isinstance(value, tuple) else value
                for field, value in zip(fields, row, strict=True)
            }
            for row in self.rows
        ]


def clusters(
    registry: Registry, selected: Iterable[Cluster], *, lang: str = "en", people: bool = False
) -> Records:
    """The clusters' records; for a table in `lang` (for people) `focus`, `kind` and the
    label's level in that language, and a note the registry has only in English marked as
    such; in English (every data format) the registry's values as they are, but for `people`
    (an English table) `kind` as a reader calls it."""
    from s3pilot_cli.i18n import catalogue

    words = catalogue(lang)
    rows = []
    for cluster in selected:
        region = registry.region_of(cluster)
        rows.append(
            (
                cluster.id,
                cluster.name,
                region.name,
                region.code,
                region.lan_code,
                region.county,
                region.nuts3,
                region.body,
                cluster.city,
                cluster.website,
                cluster.focus_in(lang),
                cluster.aliases,
                cluster.now_called,
                cluster.founded,
                _in_language(cluster.founded_note, words, lang),
                kind_in(cluster.kind, words) if people or lang != "en" else cluster.kind,
                label_in(cluster.label, words),
                tuple(source.url for source in cluster.sources),
                cluster.focus_sv,
                _in_language(cluster.note, words, lang, cluster.note_sv),
                cluster.kommun,
                cluster.kommun_code,
                cluster.s3_area,
                cluster.eccp_url,
                cluster.last_seen,
                cluster.note_sv,
            )
        )
    return Records(CLUSTER_FIELDS, tuple(rows))


def with_events(data: Records, cluster: Cluster, *, lang: str = "en") -> Records:
    """One cluster's record and its events after its facts, each a line of text (`show`), its
    phrase in `lang` as `timeline` gives it."""
    from s3pilot_cli.i18n import catalogue

    words = catalogue(lang)
    lines = tuple(event.line(_phrase(event, words, lang)) for event in cluster.events)
    rows = tuple((*row, lines) for row in data.rows)
    return Records(SHOW_FIELDS, rows, data.single)


def owned_events(
    registry: Registry, selected: Iterable[Cluster] | None = None
) -> list[tuple[str, Event]]:
    """Each event with its owner (`program` or a cluster's id), the programme's first, then
    the `selected` clusters' (every cluster's without), in registry order."""
    owned = [] if selected is not None else [(PROGRAM_OWNER, e) for e in registry.program.events]
    chosen = registry.clusters if selected is None else selected
    return owned + [(cluster.id, event) for cluster in chosen for event in cluster.events]


def timeline(owned: Iterable[tuple[str, Event]], *, lang: str = "en") -> Records:
    """The events in date order (a year before any month of it; the registry's order among
    equal dates): `date`, `cluster` (an id, or `program`), `event` in `lang` (`_in_language`),
    `url`."""
    from s3pilot_cli.i18n import catalogue

    words = catalogue(lang)
    rows = sorted(
        ((event.date, owner, _phrase(event, words, lang), event.url) for owner, event in owned),
        key=lambda row: row[0],
    )
    return Records(TIMELINE_FIELDS, tuple(rows))


def events(registry: Registry) -> Records:
    """Every event with all it says, in the registry's order: the tables of the exports."""
    rows = tuple(
        (
            position,
            None if owner == PROGRAM_OWNER else owner,
            event.date,
            event.event,
            event.event_sv,
            event.url,
            event.sets,
            event.caveat,
        )
        for position, (owner, event) in enumerate(owned_events(registry), start=1)
    )
    return Records(EVENT_FIELDS, rows)


def label_in(label: str | None, words: "Catalogue") -> str | None:
    """`Gold 2018` with its level in the catalogue's language: `Guld 2018`."""
    if not label:
        return label
    level, _, year = label.partition(" ")
    return f"{words.pgettext('label', level)} {year}"


def in_language(text: str | None, lang: str, swedish: str | None = None) -> tuple[str | None, bool]:
    """The registry's words for people reading `lang`, and whether they are English in another
    language's view: its Swedish form where it has one and they read Swedish, else its English
    (a note, a founding note, an event without a Swedish page). In English, as they are."""
    if not text or lang == "en":
        return text, False
    if swedish and lang == "sv":
        return swedish, False
    return text, True


def english_mark(words: "Catalogue") -> str:
    """How a view marks words the registry has only in English: `{text} (in English)`."""
    return words.gettext("{text} (in English)")


def _in_language(
    text: str | None, words: "Catalogue", lang: str, swedish: str | None = None
) -> str | None:
    """The registry's words for people reading `lang` (`in_language`), marked where English
    in another language's view."""
    said, english = in_language(text, lang, swedish)
    return english_mark(words).format(text=said) if english else said


def kind_in(kind: str | None, words: "Catalogue") -> str | None:
    """A cluster's kind of organisation as a reader calls it, in the catalogue's language
    (context `kind`): `economic association`, `ekonomisk förening`."""
    from s3pilot_cli.schema import KINDS

    return kind and words.pgettext("kind", KINDS.get(kind, kind))


def _phrase(event: Event, words: "Catalogue", lang: str) -> str:
    """An event's phrase for people reading `lang` (`_in_language`)."""
    return _in_language(event.event, words, lang, event.event_sv) or event.event


def sources(selected: Iterable[Cluster]) -> Records:
    """Each source of each cluster: its page, the fields it supports, the day it was read."""
    rows = tuple(
        (cluster.id, position, source.url, source.fields, source.read, source.caveat)
        for cluster in selected
        for position, source in enumerate(cluster.sources, start=1)
    )
    return Records(SOURCE_FIELDS, rows)


def aliases(owner: str, owners: Iterable[tuple[str, tuple[str, ...]]]) -> Records:
    """Every alias a row, `owner` (the region's code or the cluster's id), `position` (from 1
    within its owner) and `name`: the alias tables of SQLite and the data package."""
    rows = tuple(
        (key, position, alias)
        for key, names in owners
        for position, alias in enumerate(names, start=1)
    )
    return Records((owner, "position", "name"), rows)


def regions(registry: Registry) -> Records:
    rows = tuple(
        (
            region.code,
            region.lan_code,
            region.name,
            region.county,
            region.nuts3,
            region.body,
            region.aliases,
            len(registry.clusters_in(region.code)),
            region.wikidata,
            region.s3_strategy,
            region.s3_areas,
            region.s3_url,
            region.s3_licence,
        )
        for region in registry.regions
    )
    return Records(REGION_FIELDS, rows)


def contacts(registry: Registry) -> Records:
    agency = registry.program.agency
    rows = tuple(
        (contact.name, agency, contact.phone, contact.phone_e164, registry.email(contact))
        for contact in registry.contacts
    )
    return Records(CONTACT_FIELDS, rows)


def program(registry: Registry) -> Records:
    """The programme as `field`, `value` rows, in the registry's order; each source a line of
    text (`URL (fields; read DATE)`), and the years it ran as `period` after them. Its events
    are `events`' rows."""
    from dataclasses import fields

    item = registry.program
    rows: list[tuple[Value, Value]] = [
        (f.name, getattr(item, f.name))
        for f in fields(item)
        if f.name not in ("sources", "events")  # each their own table: `sources`, `events`
    ]
    rows += [("sources", source_texts(item.sources)), ("period", item.period)]
    return Records(PAIR_FIELDS, tuple(rows))
