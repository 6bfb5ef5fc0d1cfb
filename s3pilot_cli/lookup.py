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
without those the names that are very close in spelling (`Värmlnd`); `Göteborg`, which no
source gives as the name of a region, finds no region and gets no suggestion.

A cluster is found by its id, name or an alias, or by the start of one of them if only one
cluster has it.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from s3pilot_cli.errors import NoSuchCluster, UsageError
from s3pilot_cli.model import Cluster, Region, Registry
from s3pilot_cli.textrules import fold, quoted, strip_marks

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
    return (cluster.id, cluster.name, *cluster.aliases)


def _did_you_mean(query: str, names: Iterable[str]) -> str:
    """`; did you mean Värmland?` for the names closest to `query`, folded; or nothing."""
    import difflib

    by_fold = {fold(name): name for name in names}
    close = difflib.get_close_matches(fold(query), list(by_fold), n=3, cutoff=0.6)
    return _suggestion([by_fold[c] for c in close])


def _suggestion(names: Sequence[str]) -> str:
    return f"; did you mean {' or '.join(names)}?" if names else ""


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

    def find(self, query: str) -> Region:
        """The one region `query` names; a usage error naming the candidates otherwise."""
        found = self.matches(query)
        if len(found) == 1:
            return found[0]
        if found:
            names = ", ".join(f"{r.name} ({r.code})" for r in found)
            raise UsageError(
                f"region {quoted(query)} matches {len(found)} regions: {names};"
                " give more of the name, or the ISO code"
            )
        raise UsageError(
            f"unknown region {quoted(query)}{self._hint(query)} ('s3pilot regions' lists all"
            f" {len(self.regions)})"
        )

    def _hint(self, query: str) -> str:
        """Regions a word of the query finds alone; failing those, names spelt very alike."""
        by_word: list[str] = []
        for word in fold(query).split(" "):
            found = self.matches(word) if len(word) >= 3 else []  # no letter nor länskod
            if len(found) == 1 and found[0].name not in by_word:
                by_word.append(found[0].name)
        if by_word:
            return _suggestion(by_word[:3])
        import difflib

        names = [name for name, entry in self._keys.items() if not entry.code_only]
        close = difflib.get_close_matches(fold(query), names, n=6, cutoff=_CLOSE_SPELLING)
        suggested: list[str] = []
        for name in close:
            for region in self._keys[name].holders:
                if region.name not in suggested:
                    suggested.append(region.name)
        return _suggestion(suggested[:3])


def find_regions(registry: Registry, queries: Sequence[str]) -> list[Region]:
    """The regions `queries` name, each found as the module's docstring says, without repeats."""
    index = RegionIndex(registry.regions)
    found: dict[str, Region] = {}
    for query in queries:
        region = index.find(query)
        found.setdefault(region.code, region)
    return list(found.values())


def find_cluster(registry: Registry, query: str) -> Cluster:
    """The cluster `query` names, or starts to name; `NoSuchCluster` with candidates if not one."""
    index = _index((cluster, _cluster_names(cluster)) for cluster in registry.clusters)
    key = fold(query)
    found = index.get(key)
    if found is None and key:
        starting = (holders for name, holders in index.items() if name.startswith(key))
        found = list(dict.fromkeys(c for holders in starting for c in holders))
    if found and len(found) == 1:
        return found[0]
    if found:
        names = ", ".join(f"{c.id} ({c.name})" for c in found[:5])
        more = f" and {len(found) - 5} more" if len(found) > 5 else ""
        raise NoSuchCluster(
            f"{quoted(query)} matches {len(found)} clusters: {names}{more};"
            " give more of the name, or the id"
        )
    hint = _did_you_mean(query, (cluster.name for cluster in registry.clusters))
    raise NoSuchCluster(f"no cluster matches {quoted(query)}{hint} ('s3pilot list' lists them)")


def search(clusters: Iterable[Cluster], query: str) -> list[Cluster]:
    """Clusters whose name, aliases, city or focus (in English or Swedish) contain `query`,
    folded."""
    key = fold(query)
    return [
        cluster
        for cluster in clusters
        if any(
            key in fold(text or "")
            for text in (
                cluster.name,
                *cluster.aliases,
                cluster.city,
                cluster.focus,
                cluster.focus_sv,
            )
        )
    ]
