"""Look-up, diff and validate grow linearly with the registry.

Not timed: each case counts the Python lines executed (`sys.settrace`) for a registry of N
entries and for one of 10 N, and the larger may take at most 12 times as many. A quadratic
path takes about 100 times as many; the count stops at the limit, so such a path fails fast.
The wall-clock figures are in benchmarks/scale.py.
"""

import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from s3pilot_cli import load
from s3pilot_cli.diff import compare
from s3pilot_cli.errors import NoSuchCluster
from s3pilot_cli.lookup import find_cluster
from s3pilot_cli.model import Cluster, Contact, Registry

SMALL = 300
RATIO = 12  # for 10 times the entries, as benchmarks/scale.py's target


class _TooMany(Exception):
    pass


def _steps(work: Callable[[], object], limit: int | None = None) -> int:
    """The Python lines `work` executes; `_TooMany` as soon as they pass `limit`."""
    count = 0

    def trace(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        count += 1
        if limit is not None and count > limit:
            raise _TooMany
        return trace

    sys.settrace(trace)
    try:
        work()
    finally:
        sys.settrace(None)
    return count


def _grows_linearly(work: Callable[[int], Callable[[], object]]) -> None:
    """`work(n)` prepares a case of n entries (untraced) and returns the step to count."""
    small = _steps(work(SMALL))
    large = work(10 * SMALL)
    try:
        steps = _steps(large, limit=RATIO * small)
    except _TooMany:
        pytest.fail(f"{10 * SMALL} entries: more than {RATIO} times the {small} steps of {SMALL}")
    assert steps > small, "the larger case was not counted"


BASE = load()


def _clusters(count: int, aliases: tuple[str, ...] = ()) -> Registry:
    region = BASE.regions[0].code
    clusters = tuple(
        Cluster(f"cluster-{n}", f"Kluster {n}", region, aliases=aliases) for n in range(count)
    )
    return replace(BASE, clusters=clusters)


def _show(registry: Registry, query: str) -> Callable[[], object]:
    def show() -> object:
        try:
            return find_cluster(registry, query)
        except NoSuchCluster as error:  # several match: the message names five of them
            return error

    return show


def test_show_by_a_start_many_clusters_share() -> None:
    """`show clust` where every cluster's id starts so."""

    def case(count: int) -> Callable[[], object]:
        registry = _clusters(count)
        assert "matches" in str(_show(registry, "clust")())
        return _show(registry, "clust")

    _grows_linearly(case)


def test_show_when_many_clusters_share_an_alias() -> None:
    """Any `show`, when every cluster has the alias `Gemensam`."""

    def case(count: int) -> Callable[[], object]:
        registry = _clusters(count, aliases=("Gemensam",))
        assert find_cluster(registry, f"cluster-{count - 1}").id == f"cluster-{count - 1}"
        return _show(registry, f"cluster-{count - 1}")

    _grows_linearly(case)


def test_diff_with_many_contacts_of_one_name() -> None:
    """Every contact named alike, each numbered `#n` by the diff."""

    def case(count: int) -> Callable[[], object]:
        old = replace(BASE, contacts=(Contact("Anna Berg", "08-681 94 51"),) * count)
        new = replace(old, contacts=(*old.contacts[:-1], Contact("Anna Berg", "08-681 94 52")))
        rows = compare(old, new).rows
        assert rows == (
            ("changed", f"contact:Anna Berg #{count}", "phone", "08-681 94 51", "08-681 94 52"),
        )
        return lambda: compare(old, new)

    _grows_linearly(case)


def test_diff_order_with_neighbours_swapped_in_pairs() -> None:
    """`diff --order` where clusters 1 and 2, 3 and 4, ... changed places."""

    def case(count: int) -> Callable[[], object]:
        old = _clusters(count)
        pairs = zip(old.clusters[1::2], old.clusters[::2], strict=True)
        swapped = [cluster for pair in pairs for cluster in pair]
        new = replace(old, clusters=tuple(swapped))
        moved = [row for row in compare(old, new, order=True).rows if row[0] == "moved"]
        # One of each pair stays; the other moved by one place.
        assert len(moved) == count // 2
        assert all(abs(int(str(row[3])) - int(str(row[4]))) == 1 for row in moved)
        return lambda: compare(old, new, order=True)

    _grows_linearly(case)


def test_validate_with_many_problems_in_one_table() -> None:
    """As many unknown keys in [program] as entries, a located problem each."""
    import tomli

    from s3pilot_cli.errors import RegistryError
    from s3pilot_cli.validate import check

    text = (Path(__file__).parent / "registries" / "minimal.toml").read_text(encoding="utf-8")

    def case(count: int) -> Callable[[], object]:
        unknown = "".join(f"unknown_{n} = 1\n" for n in range(count))
        source = text.replace("[program]\n", "[program]\n" + unknown, 1)
        document = tomli.loads(source)

        def validate() -> object:
            try:
                return check(document, Path("r.toml"), source)
            except RegistryError as error:
                return error

        problems = validate()
        assert isinstance(problems, RegistryError)
        assert problems.problems[-1].startswith(f"r.toml:{count + 4}: [program]: unknown_")
        return validate

    _grows_linearly(case)
