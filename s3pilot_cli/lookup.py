"""Finding regions and clusters the way a user types them.

Case, diacritics, surrounding white space and hyphens versus spaces never matter (see
`text.fold`), so `vastra gotaland` finds Västra Götaland on a keyboard without å, ä, ö.
A region is found by its ISO code, länskod, name, county, regional body or an alias; a cluster
by its id, name or an alias, or by the start of one of them if only one cluster has it.
"""

from collections.abc import Iterable, Sequence
from typing import TypeVar

from s3pilot_cli.errors import NoSuchCluster, UsageError
from s3pilot_cli.model import Cluster, Region, Registry
from s3pilot_cli.text import fold, quoted

T = TypeVar("T", Region, Cluster)


def _index(items: Iterable[tuple[T, Iterable[str]]]) -> dict[str, list[T]]:
    """Every folded name of every item, pointing at the items that carry it."""
    index: dict[str, list[T]] = {}
    for item, names in items:
        for name in names:
            holders = index.setdefault(fold(name), [])
            if item not in holders:
                holders.append(item)
    return index


def _region_names(region: Region) -> tuple[str, ...]:
    return (region.code, region.lan_code, region.name, region.county, region.body, *region.aliases)


def _cluster_names(cluster: Cluster) -> tuple[str, ...]:
    return (cluster.id, cluster.name, *cluster.aliases)


def _did_you_mean(query: str, names: Iterable[str]) -> str:
    """`; did you mean Värmland?` for the names closest to `query`, folded; or nothing."""
    import difflib

    by_fold = {fold(name): name for name in names}
    close = difflib.get_close_matches(fold(query), list(by_fold), n=3, cutoff=0.6)
    return f"; did you mean {' or '.join(by_fold[c] for c in close)}?" if close else ""


def find_region(registry: Registry, query: str) -> Region:
    """The region `query` names; a usage error (with the closest names) if none or several."""
    return find_regions(registry, [query])[0]


def _one_region(registry: Registry, index: dict[str, list[Region]], query: str) -> Region:
    found = index.get(fold(query), [])
    if len(found) == 1:
        return found[0]
    if found:
        names = ", ".join(f"{r.name} ({r.code})" for r in found)
        raise UsageError(f"region {quoted(query)} is ambiguous: {names}; give its ISO code")
    hint = _did_you_mean(query, (region.name for region in registry.regions))
    raise UsageError(
        f"unknown region {quoted(query)}{hint} ('s3pilot regions' lists all"
        f" {len(registry.regions)})"
    )


def find_regions(registry: Registry, queries: Sequence[str]) -> list[Region]:
    """Several regions, each found as `find_region` finds it, without repeats."""
    index = _index((region, _region_names(region)) for region in registry.regions)
    found: dict[str, Region] = {}
    for query in queries:
        region = _one_region(registry, index, query)
        found.setdefault(region.code, region)
    return list(found.values())


def find_cluster(registry: Registry, query: str) -> Cluster:
    """The cluster `query` names, or starts to name; `NoSuchCluster` with candidates if not one."""
    index = _index((cluster, _cluster_names(cluster)) for cluster in registry.clusters)
    key = fold(query)
    found = index.get(key)
    if found is None and key:
        found = []
        for name, holders in index.items():
            if name.startswith(key):
                found.extend(c for c in holders if c not in found)
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
    """Clusters whose name, aliases, city or focus contain `query`, folded."""
    key = fold(query)
    return [
        cluster
        for cluster in clusters
        if any(
            key in fold(text)
            for text in (cluster.name, *cluster.aliases, cluster.city or "", cluster.focus or "")
        )
    ]
