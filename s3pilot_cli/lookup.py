"""Finding regions and clusters the way a user types them.

Case, diacritics, surrounding white space and hyphens versus spaces never matter (see
`text.fold`), so `vastra gotaland` finds Västra Götaland on a keyboard without å, ä, ö.

A region is looked up in three steps; the first step that finds anything decides:

1. Exactly, by a code or a whole name. Codes: the ISO code (`SE-AB`), its letters (`AB`,
   `O`, `BD`), the länskod with or without its leading zero (`01`, `1`). Names: the short
   name, the county, the regional body and the aliases (`Bleking`). Codes are plain letters
   and digits, so a query with å, ä or ö is never taken for one: `Ö` is not the letter O.
2. By a whole word of a name: `Sörmland` (Region Sörmland), `Härjedalen` (Region Jämtland
   Härjedalen), `Västra` (Västra Götaland).
3. By the start of a name or of a word in one: `Väster`, `Göta`, `Härj`; never of a code, so
   `2` is no länskod at all rather than the start of six.

If the deciding step finds several regions, that is a usage error naming all of them
(`Väster`: Västernorrland and Västerbotten). If no step finds one, the error suggests names:
first the regions that a word of the query finds on its own (`Västra Götlnd`), and only
without those the names that are very close in spelling (`Värmlnd`); `Oslo` gets no
suggestion.

Only when none of the three steps finds a region does a query name a place (`places.py`,
read only then): a kommun, exactly or by a whole word of its name (`Göteborg`, `Väsby`), or
a landskap, exactly (`Småland`). A kommun means the län it lies in; a landskap the län it is
taken to mean (`places.json`'s rule), which may be several: `Småland` is Jönköping, Kronoberg
and Kalmar. So a län's own name always wins: `Gotland`, `Jönköping` and `Örebro` are kommuner
too, and `Dalarna` a landskap, and each means the län. Suggestions for an unknown query draw
on the names of the places too (`Götebrog`: Göteborg).

A cluster is found by its id, name or an alias, or by the start of one of them if only one
cluster has it.
"""

import functools
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import NoReturn

from s3pilot_cli.errors import NoSuchCluster, UsageError
from s3pilot_cli.i18n import _
from s3pilot_cli.model import Cluster, Region, Registry
from s3pilot_cli.textrules import fold, listed, quoted, strip_marks

# How close (difflib's ratio) a name must be to a query to be suggested for spelling alone.
_CLOSE_SPELLING = 0.8


def _index(items: Iterable[tuple[Cluster, Iterable[str]]]) -> dict[str, list[Cluster]]:
    """Every folded name of every cluster, pointing at the clusters that carry it."""
    index: dict[str, list[Cluster]] = {}
    for item, names in items:
        for name in names:
            holders = index.setdefault(fold(name), [])
            # An item's names come one after another: a repeat can only be the last holder.
            if not holders or holders[-1] is not item:
                holders.append(item)
    return index


def _cluster_names(cluster: Cluster) -> tuple[str, ...]:
    """Its id, the programme's name, its other names, and the name it has now."""
    now = (cluster.now_called,) if cluster.now_called else ()
    return (cluster.id, cluster.name, *cluster.aliases, *now)


def _did_you_mean(query: str, names: Iterable[str]) -> str:
    """`; did you mean Värmland?` for the names closest to `query`, folded; or nothing."""
    import difflib

    by_fold = {fold(name): name for name in names}
    close = difflib.get_close_matches(fold(query), list(by_fold), n=3, cutoff=0.6)
    return _suggestion([by_fold[c] for c in close])


def _suggestion(names: Sequence[str]) -> str:
    if not names:
        return ""
    return _("; did you mean {names}?").format(names=_(" or ").join(names))


def _region_codes(region: Region) -> tuple[str, ...]:
    """The ISO code, its letters (`SE-AB` → `AB`) and the länskod, also without a leading 0."""
    return (
        region.code,
        region.code.partition("-")[2],
        region.lan_code,
        region.lan_code.lstrip("0"),
    )


def _region_names(region: Region) -> tuple[str, ...]:
    return (region.name, region.county, region.body, *region.aliases)


@dataclass(slots=True)
class _Key:
    """The regions one folded key names, and how it names them."""

    exact: bool  # a whole code or name; otherwise a word of a name
    code_only: bool  # a code of every holder, a name of none: never a prefix or with å, ä, ö
    holders: list[Region]


@dataclass(frozen=True, slots=True)
class _Place:
    """A kommun or landskap as the index holds it: its name, what it is, the län it means."""

    name: str
    kind: str  # "kommun" or "landskap"
    lan_codes: tuple[str, ...]
    code: str | None = None  # a kommun's, SCB's four digits


class RegionIndex:
    """Every code, name and word of a name of every region, folded: built once per command."""

    def __init__(self, regions: Sequence[Region]) -> None:
        self.regions = regions
        self._keys: dict[str, _Key] = {}
        for region in regions:
            for code in _region_codes(region):
                self._add(fold(code), region, exact=True, code=True)
            for name in _region_names(region):
                key = fold(name)
                self._add(key, region, exact=True, code=False)
                for word in key.split(" ") if " " in key else ():
                    self._add(word, region, exact=False, code=False)

    def _add(self, key: str, region: Region, *, exact: bool, code: bool) -> None:
        if not key:
            return
        entry = self._keys.get(key)
        if entry is None or (exact and not entry.exact):
            self._keys[key] = _Key(exact, code, [region])
        elif entry.exact == exact:
            entry.code_only = entry.code_only and code
            if region not in entry.holders:
                entry.holders.append(region)

    def matches(self, query: str) -> list[Region]:
        """The regions found by the first of the three steps (above) that finds any."""
        key = fold(query)
        if not key:
            return []
        entry = self._keys.get(key)
        if entry is not None and not (entry.code_only and strip_marks(query) != query):
            return list(entry.holders)
        found = {
            region.code
            for name, entry in self._keys.items()
            if not entry.code_only and name.startswith(key)
            for region in entry.holders
        }
        return [region for region in self.regions if region.code in found]

    @functools.cached_property
    def _places(self) -> tuple[dict[str, list[_Place]], dict[str, list[_Place]]]:
        """Every kommun and landskap by its folded name, and every kommun by each word of it."""
        from s3pilot_cli.places import packaged_places

        loaded = packaged_places()
        named: dict[str, list[_Place]] = {}
        words: dict[str, list[_Place]] = {}
        for place in (
            *(_Place(k.name, "kommun", (k.lan_code,), k.code) for k in loaded.kommuner),
            *(_Place(p.name, "landskap", p.lan_codes) for p in loaded.landskap),
        ):
            key = fold(place.name)
            named.setdefault(key, []).append(place)
            for word in key.split(" ") if place.kind == "kommun" and " " in key else ():
                words.setdefault(word, []).append(place)
        return named, words

    def places(self, query: str) -> tuple[list[_Place], list[Region]]:
        """The kommuner or landskap `query` names (exactly, else by a whole word of a
        kommun's name), and the län of this registry that they mean, in its order."""
        key = fold(query)
        named, words = self._places
        found = named.get(key) or words.get(key) or []
        # Folding å, ä, ö may join two names: Håbo (Uppsala) and Habo (Jönköping).
        spelt = [place for place in found if place.name.casefold() == query.strip().casefold()]
        found = spelt or found
        codes = {code for place in found for code in place.lan_codes}
        return found, [region for region in self.regions if region.lan_code in codes]

    def _the_one(self, query: str, found: list[Region]) -> Region:
        """The region found, if it is one; the usage error naming the candidates otherwise."""
        return found[0] if len(found) == 1 else self._not_one(query, found)

    def find_all(self, query: str, tell: Callable[[str], None] | None = None) -> list[Region]:
        """The regions `query` names: one län, or the län of a kommun or landskap (a
        landskap may mean several; `tell`, if given, hears which). A usage error otherwise."""
        query = typed(query)
        if found := self.matches(query):
            return [self._the_one(query, found)]
        places, regions = self.places(query)
        if not places:
            self._not_one(query, [])
        names, kinds = _names_and_kinds(places)
        if not regions:
            raise UsageError(
                _(
                    "{query} is the {kinds} {names}, in län {codes}, which this registry does not"
                    " have ('s3pilot regions' lists its {count})"
                ).format(
                    query=quoted(query),
                    kinds=kinds,
                    names=names,
                    codes=", ".join(places[0].lan_codes),
                    count=len(self.regions),
                )
            )
        if _kommuner_in_several_lan(places, regions):
            by_code = {region.lan_code: region for region in regions}
            where = ", ".join(
                _("{kommun} in {lan}").format(
                    kommun=place.name, lan=by_code[place.lan_codes[0]].name
                )
                for place in places
                if place.lan_codes[0] in by_code
            )
            raise UsageError(
                _(
                    "region {query} matches {count} kommuner: {where}; give the kommun's name"
                    " as it is spelt, or the län"
                ).format(query=quoted(query), count=len(places), where=where)
            )
        if tell is not None and places[0].kind == "landskap":
            taken = listed([region.name for region in regions])
            if len(regions) > 1:
                said = _("{names} is a landskap (province), wider than any one län: taking {taken}")
            else:
                said = _("{names} is a landskap (province), not a län: taking {taken}")
            tell(said.format(names=names, taken=taken))
        return regions

    def _not_one(self, query: str, found: list[Region]) -> NoReturn:
        """Raise the usage error for a query that finds several regions, or none."""
        if found:
            names = ", ".join(f"{r.name} ({r.code})" for r in found)
            raise UsageError(
                _(
                    "region {query} matches {count} regions: {names}; give more of the name,"
                    " or the ISO code"
                ).format(query=quoted(query), count=len(found), names=names)
            )
        raise UsageError(
            _("unknown region {query}{hint} ('s3pilot regions' lists all {count})").format(
                query=quoted(query), hint=self._hint(query), count=len(self.regions)
            )
        )

    def _hint(self, query: str) -> str:
        """Regions, or else places, a word of the query finds alone; failing those, names
        spelt very alike."""
        words = [word for word in fold(query).split(" ") if len(word) >= 3]  # no letter nor länskod
        finders: tuple[Callable[[str], Sequence[Region | _Place]], ...]
        finders = (self.matches, lambda word: self.places(word)[0])
        for find in finders:
            if found := [hit[0].name for word in words if len(hit := find(word)) == 1]:
                return _suggestion(list(dict.fromkeys(found))[:3])
        return _suggestion(self._spelt_alike(query)[:3])

    def _spelt_alike(self, query: str) -> list[str]:
        """The regions and places whose names are spelt very like the query."""
        import difflib

        names = [name for name, entry in self._keys.items() if not entry.code_only]
        named = self._places[0]
        names += [name for name in named if name not in self._keys]
        close = difflib.get_close_matches(fold(query), names, n=6, cutoff=_CLOSE_SPELLING)
        holders = (
            self._keys[name].holders if name in self._keys else named[name] for name in close
        )
        return list(dict.fromkeys(holder.name for found in holders for holder in found))


def _names_and_kinds(places: list[_Place]) -> tuple[str, str]:
    """The places' names and what they are (`kommun or landskap`), each once, sorted."""
    return (
        ", ".join(sorted({place.name for place in places})),
        _(" or ").join(sorted({place.kind for place in places})),
    )


def _kommuner_in_several_lan(places: list[_Place], regions: list[Region]) -> bool:
    """Whether the places are kommuner (one at least) that lie in more than one län."""
    return len(regions) > 1 and any(place.kind == "kommun" for place in places)


def find_regions(
    registry: Registry, queries: Sequence[str], tell: Callable[[str], None] | None = None
) -> list[Region]:
    """The regions `queries` name, each found as the module's docstring says, without repeats;
    `tell` hears which län a landskap was taken to mean."""
    index = RegionIndex(registry.regions)
    found: dict[str, Region] = {}
    for query in queries:
        for region in index.find_all(query, tell):
            found.setdefault(region.code, region)
    return list(found.values())


def listed_elsewhere(
    registry: Registry, queries: Sequence[str], found: Sequence[Region]
) -> list[tuple[Cluster, Region]]:
    """The clusters in a kommun that a query names, or in a län a query names by the län's
    own name, which the programme lists under a län other than those `found`, each with that
    län: Interior Cluster, whose Vaggeryd is in Jönköpings län, listed under Kronoberg."""
    codes = {region.code for region in found}
    lan_codes = {region.lan_code for region in found}
    # A kommun or län query finds the län the kommun lies in: only a cluster listed elsewhere
    # whose kommun lies in a län found may be one (none, for most queries: no index built).
    candidates = [
        cluster
        for cluster in registry.clusters
        if cluster.kommun_code
        and cluster.kommun_code[:2] in lan_codes
        and cluster.region not in codes
    ]
    if not candidates:
        return []
    lan, kommuner = _named_places(RegionIndex(registry.regions), queries)
    return [
        (c, registry.region_of(c))
        for c in candidates
        if c.kommun_code in kommuner or (c.kommun_code or "")[:2] in lan
    ]


def _named_places(index: RegionIndex, queries: Sequence[str]) -> tuple[set[str], set[str | None]]:
    """The codes of the län that `queries` name by their own names, and of the kommuner they
    name (a landskap is neither)."""
    lan: set[str] = set()
    kommuner: set[str | None] = set()
    for query in map(typed, queries):
        if regions := index.matches(query):
            lan.update(region.lan_code for region in regions)
        else:
            kommuner.update(p.code for p in index.places(query)[0] if p.kind == "kommun")
    return lan, kommuner


def _named_or_started(index: dict[str, list[Cluster]], key: str) -> list[Cluster]:
    """The clusters that `key` names, or else those with a name it starts, each once."""
    if key in index or not key:
        return index.get(key, [])
    starting = (holders for name, holders in index.items() if name.startswith(key))
    return list(dict.fromkeys(c for holders in starting for c in holders))


def typed(query: str) -> str:
    """A query as one text whatever produced it: NFC, so that `Ha\u030abo` (decomposed, as
    macOS file names and some keyboards give it) is Håbo, never Habo, before any comparison."""
    return unicodedata.normalize("NFC", query)


def find_cluster(registry: Registry, query: str) -> Cluster:
    """The cluster `query` names, or starts to name; `NoSuchCluster` with candidates if not one.

    An exact id always wins, then an exact name: another cluster's alias or current name
    (which `validate` refuses, but a registry built in Python may hold) never hides them."""
    query = typed(query)
    key = fold(query)
    for exact in ("id", "name"):
        named = [c for c in registry.clusters if fold(getattr(c, exact)) == key]
        if len(named) == 1:
            return named[0]
    index = _index((cluster, _cluster_names(cluster)) for cluster in registry.clusters)
    found = _named_or_started(index, key)
    if len(found) == 1:
        return found[0]
    if found:
        names = ", ".join(f"{c.id} ({c.name})" for c in found[:5])
        more = _(" and {count} more").format(count=len(found) - 5) if len(found) > 5 else ""
        raise NoSuchCluster(
            _(
                "{query} matches {count} clusters: {names}{more}; give more of the name, or the id"
            ).format(query=quoted(query), count=len(found), names=names, more=more)
        )
    hint = _did_you_mean(query, (cluster.name for cluster in registry.clusters))
    raise NoSuchCluster(
        _("no cluster matches {query}{hint} ('s3pilot list' lists them)").format(
            query=quoted(query), hint=hint
        )
    )


def searched(cluster: Cluster) -> tuple[str, ...]:
    """What `search` looks in, folded: the names (as `show` finds them, the id aside), the city
    and the focus in English and Swedish. The web page's search box looks in the same."""
    texts = (*_cluster_names(cluster)[1:], cluster.city, cluster.focus, cluster.focus_sv)
    return tuple(fold(text) for text in texts if text)


def search(clusters: Iterable[Cluster], query: str) -> list[Cluster]:
    """Clusters whose names, city or focus (`searched`) contain `query`, folded."""
    key = fold(typed(query))
    return [cluster for cluster in clusters if any(key in text for text in searched(cluster))]
