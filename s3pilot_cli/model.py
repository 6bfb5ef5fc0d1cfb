"""The registry as plain, frozen data: the programme, its contacts, the regions and the clusters.

Nothing here reads a file or checks one (that is `registry.py`); these classes only hold facts
and answer the questions the commands ask.
"""

from dataclasses import dataclass, field

from s3pilot_cli.textrules import ascii_letters


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


@dataclass(frozen=True, slots=True)
class Contact:
    name: str
    phone: str

    @property
    def phone_e164(self) -> str:
        """`08-681 94 51` → `+4686819451`: a Swedish number in international form."""
        digits = "".join(c for c in self.phone if c.isdigit())
        if self.phone.lstrip().startswith("+"):
            return "+" + digits
        return "+46" + digits.removeprefix("0")

    def email(self, pattern: str) -> str:
        """The address `pattern` gives for this name: first word, last word, in ASCII lower case."""
        words = ascii_letters(self.name).split()
        return pattern.format(first=words[0], last=words[-1])


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    lan_code: str
    name: str
    county: str
    nuts3: str
    body: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Cluster:
    id: str
    name: str
    region: str
    city: str | None = None
    website: str | None = None
    focus: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Registry:
    program: Program
    contacts: tuple[Contact, ...]
    regions: tuple[Region, ...]
    clusters: tuple[Cluster, ...]
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
