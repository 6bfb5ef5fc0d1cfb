"""The registry as plain, frozen data: the programme, its contacts, the regions and the clusters.

Nothing here reads a file or checks one (that is `registry.py`); these classes only hold facts
and answer the questions the commands ask. Whether what the model derives from a contact (the
e-mail address, the number in E.164 form) is any good is `contact_rules.py`'s to say.
"""

from dataclasses import dataclass, field

from s3pilot_cli.textrules import ascii_letters


@dataclass(frozen=True, slots=True)
class Source:
    """A public page, the fields of its entry it supports, and the day it was read."""

    url: str
    fields: tuple[str, ...]
    read: str  # YYYY-MM-DD
    caveat: str | None = None  # why the page is weak support for its fields, where it is

    def text(self) -> str:
        """`https://… (city, focus; read 2026-11-30)`: how `show`, `diff` and a sheet's cell
        give one source on one line; a caveat follows the date."""
        caveat = f"; weak: {self.caveat}" if self.caveat else ""
        return f"{self.url} ({', '.join(self.fields)}; read {self.read}{caveat})"


def source_texts(sources: tuple[Source, ...]) -> tuple[str, ...]:
    return tuple(source.text() for source in sources)


# Who an event belongs to, where it is the programme's own: `timeline`'s `cluster` column.
PROGRAM_OWNER = "program"


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened, on a date as precise as its page gives it (YYYY, YYYY-MM or
    YYYY-MM-DD), in a short phrase (and in Swedish, where a Swedish page gives one)."""

    date: str
    event: str
    url: str
    event_sv: str | None = None
    sets: str | None = None  # the field of its owner's entry that this event dates
    caveat: str | None = None  # why the page is weak support for it, where it is

    def line(self, phrase: str | None = None) -> str:
        """`2021-07 became a limited company — https://…`: one event on one line, as `show`
        gives it, the address last and whole; `phrase` in place of the English one."""
        return f"{self.date} {phrase or self.event} — {self.url}"

    def text(self) -> str:
        """The event with everything it says, as `diff` gives it."""
        extra = [f"sv: {self.event_sv}"] if self.event_sv else []
        extra += [f"sets {self.sets}"] if self.sets else []
        extra += [f"weak: {self.caveat}"] if self.caveat else []
        return self.line() + (f" ({'; '.join(extra)})" if extra else "")


def last_date(events: tuple[Event, ...]) -> str | None:
    """The latest date among `events`: a year sorts before any month of it, as it should."""
    if not events:  # most entries of a large registry
        return None
    return max(event.date for event in events)


@dataclass(frozen=True, slots=True)
class Program:
    name: str
    agency: str
    summary: str
    summary_en: str
    applications: int
    selected: int
    offers: tuple[str, ...]
    source_url: str
    email_pattern: str
    checked: str | None = None  # when the facts were last checked against their sources
    call_opened: str | None = None  # YYYY-MM-DD
    kickoff: str | None = None  # YYYY-MM
    first_year: int | None = None
    last_year: int | None = None
    later_url: str | None = None
    later_selected: str | None = None  # as the later page says it ("ett 20-tal")
    later_period: str | None = None
    # What the programme was for, and what a cluster could get in its second step.
    purpose: str | None = None  # the source's Swedish words
    purpose_en: str | None = None
    support_sek: int | None = None  # at most, a cluster, in step two
    support_years: int | None = None  # for at most this many years
    cofinancing_pct: int | None = None  # of the costs, that the cluster itself pays
    members_about: int | None = None  # the clusters' member organisations, all 22 together
    list_order: str | None = None  # the order of the official list, in its own words
    events: tuple[Event, ...] = ()
    sources: tuple[Source, ...] = ()

    @property
    def period(self) -> str | None:
        """`2018-2021`: the years the programme ran, where the registry says."""
        if self.first_year is None or self.last_year is None:
            return None
        return f"{self.first_year}-{self.last_year}"


@dataclass(frozen=True, slots=True)
class Contact:
    name: str
    phone: str

    @property
    def phone_e164(self) -> str:
        """`08-681 94 51` → `+4686819451`: a Swedish number in international form.

        A number written with `+` or with the international prefix `00` (`0046 8 …`) has its
        country code already; any other is Swedish, its trunk `0` dropped."""
        digits = "".join(c for c in self.phone if c.isdigit())
        if self.phone.lstrip().startswith("+"):
            return "+" + digits
        if digits.startswith("00"):
            return "+" + digits[2:]
        return "+46" + digits.removeprefix("0")

    def email(self, pattern: str) -> str:
        """The address `pattern` gives for this name (see `name_parts`), in ASCII lower case.

        Never fails; whether the address is one is `contact_rules.email_problem`'s to say."""
        given, _, family = name_parts(self.name)
        return pattern.format(first=ascii_letters(given), last=ascii_letters(family))


def name_parts(name: str) -> tuple[str, tuple[str, ...], str]:
    """`Anna Maria Svensson` → `("Anna", ("Maria",), "Svensson")`: given, additional, family.

    The one rule for the e-mail address (`{first}` and `{last}`) and the vCard (`N`): the
    first word is the given name, the last the family name, those between additional names.
    A name of one word is a given name alone: `Madonna` → `("Madonna", (), "")`."""
    words = name.split()
    if len(words) < 2:
        return (words[0] if words else "", (), "")
    return (words[0], tuple(words[1:-1]), words[-1])


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    lan_code: str
    name: str
    county: str
    nuts3: str
    body: str
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None  # the län's Wikidata item: Q104231
    # The region's smart specialisation strategy: its name or period, its priority areas in
    # the region's own (Swedish) words, the page that gives them and the licence it states.
    s3_strategy: str | None = None
    s3_areas: tuple[str, ...] = ()
    s3_url: str | None = None
    s3_licence: str | None = None


@dataclass(frozen=True, slots=True)
class Cluster:
    id: str
    name: str
    region: str
    city: str | None = None
    kommun: str | None = None  # the kommun its city is in, as places.json names it
    kommun_code: str | None = None  # SCB's code of it: 0180
    website: str | None = None
    focus: str | None = None
    focus_sv: str | None = None  # the focus in Swedish, where a Swedish source gives it
    aliases: tuple[str, ...] = ()
    now_called: str | None = None  # its current name, where a source says it changed
    founded: int | None = None  # the year the organisation or initiative started
    founded_note: str | None = None  # what `founded` counts from, where a source says
    kind: str | None = None  # one of schema.KINDS
    label: str | None = None  # an ESCA label: "Gold 2018"
    note: str | None = None  # what a reader should know to read the entry right
    note_sv: str | None = None  # the note in Swedish
    s3_area: str | None = None  # one of its region's s3_areas, where a source links them
    eccp_url: str | None = None  # its profile on the European Cluster Collaboration Platform
    events: tuple[Event, ...] = ()
    sources: tuple[Source, ...] = ()

    @property
    def last_seen(self) -> str | None:
        """The latest date on which a dated source shows the cluster: its latest event's."""
        return last_date(self.events)

    def focus_in(self, lang: str) -> str | None:
        """The focus in `lang` (`sv` or `en`): the English one where no Swedish is known."""
        return (self.focus_sv or self.focus) if lang == "sv" else self.focus


@dataclass(frozen=True, slots=True)
class Registry:
    program: Program
    contacts: tuple[Contact, ...]
    regions: tuple[Region, ...]
    clusters: tuple[Cluster, ...]
    region_sources: tuple[Source, ...] = ()
    _region_by_code: dict[str, Region] = field(init=False, repr=False, compare=False)
    _clusters_by_region: dict[str, tuple[Cluster, ...]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        by_region: dict[str, list[Cluster]] = {region.code: [] for region in self.regions}
        for cluster in self.clusters:
            by_region.setdefault(cluster.region, []).append(cluster)
        object.__setattr__(self, "_region_by_code", {r.code: r for r in self.regions})
        object.__setattr__(
            self, "_clusters_by_region", {code: tuple(cs) for code, cs in by_region.items()}
        )

    def region_of(self, cluster: Cluster) -> Region:
        return self._region_by_code[cluster.region]

    def clusters_in(self, code: str) -> tuple[Cluster, ...]:
        """The clusters of one region, in registry order; empty for a region without any."""
        return self._clusters_by_region.get(code, ())

    def email(self, contact: Contact) -> str:
        return contact.email(self.program.email_pattern)
