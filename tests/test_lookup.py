"""Finding regions and clusters as users type them: with or without å, ä, ö, by code or alias."""

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from s3pilot_cli import registry
from s3pilot_cli.errors import NoSuchCluster, S3PilotError, UsageError
from s3pilot_cli.lookup import find_cluster, find_region, find_regions, search
from s3pilot_cli.model import Registry
from tests.conftest import BUNDLED

BUNDLED_REGISTRY = registry.load(BUNDLED)


@pytest.fixture
def bundled() -> Registry:
    return BUNDLED_REGISTRY


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("Värmland", "SE-S"),
        ("varmland", "SE-S"),
        ("  VÄRMLAND ", "SE-S"),
        ("SE-S", "SE-S"),
        ("se-s", "SE-S"),
        ("17", "SE-S"),
        ("Värmlands län", "SE-S"),
        ("Region Värmland", "SE-S"),
        ("Vastra Gotaland", "SE-O"),
        ("västra-götaland", "SE-O"),
        ("Västra Götalandsregionen", "SE-O"),
        ("Orebro", "SE-T"),
        ("Bleking", "SE-K"),
        ("Blekinge", "SE-K"),
        ("Jämtland-Härjedalen", "SE-Z"),
        ("Jamtland Harjedalen", "SE-Z"),
        ("Region Jämtland Härjedalen", "SE-Z"),
        ("SE-AB", "SE-AB"),
        ("01", "SE-AB"),
    ],
)
def test_region_by_any_of_its_names(bundled: Registry, query: str, code: str) -> None:
    assert find_region(bundled, query).code == code


def test_unknown_region_suggests_the_closest(bundled: Registry) -> None:
    with pytest.raises(UsageError) as raised:
        find_region(bundled, "Värmlnd")
    assert raised.value.message == (
        "unknown region 'Värmlnd'; did you mean Värmland or Västmanland or Jämtland?"
        " ('s3pilot regions' lists all 21)"
    )


def test_unknown_region_far_from_every_name(bundled: Registry) -> None:
    with pytest.raises(UsageError) as raised:
        find_region(bundled, "Oslo")
    assert raised.value.message == "unknown region 'Oslo' ('s3pilot regions' lists all 21)"


def test_several_regions_without_repeats(bundled: Registry) -> None:
    found = find_regions(bundled, ["Värmland", "SE-S", "Dalarna"])
    assert [r.code for r in found] == ["SE-S", "SE-W"]


@pytest.mark.parametrize(
    ("query", "cluster_id"),
    [
        ("paper-province", "paper-province"),
        ("Paper Province", "paper-province"),
        ("paper province", "paper-province"),
        ("The Paper Province", "paper-province"),
        ("IUC Syd", "iuc-skane"),
        ("iuc skane", "iuc-skane"),
        ("Mjardevi", "mjardevi-science-park"),
        ("Linköping Science Park", "mjardevi-science-park"),
        ("TTC", "tillverkningstekniskt-centrum"),
        ("jarnvagsklustret", "jarnvagsklustret"),
        ("Entreprenorsdrivet", "entreprenorsdrivet-foretagsnav"),
        ("geo", "georange"),
    ],
)
def test_cluster_by_id_name_alias_or_prefix(bundled: Registry, query: str, cluster_id: str) -> None:
    assert find_cluster(bundled, query).id == cluster_id


def test_ambiguous_prefix_names_the_candidates(bundled: Registry) -> None:
    with pytest.raises(NoSuchCluster) as raised:
        find_cluster(bundled, "automation")
    assert raised.value.message == (
        "'automation' matches 2 clusters: automation-smaland (Automation Småland),"
        " automation-region (Automation Region); give more of the name, or the id"
    )


def test_unknown_cluster_suggests_the_closest(bundled: Registry) -> None:
    with pytest.raises(NoSuchCluster) as raised:
        find_cluster(bundled, "Papr Provnce")
    assert raised.value.message == (
        "no cluster matches 'Papr Provnce'; did you mean Paper Province? ('s3pilot list' lists"
        " them)"
    )


def test_search_folds_case_and_diacritics(bundled: Registry) -> None:
    assert [c.id for c in search(bundled.clusters, "KARLSTAD")] == ["compare", "paper-province"]
    assert [c.id for c in search(bundled.clusters, "linkoping")] == [
        "mjardevi-science-park",
        "aerospace-cluster",
    ]
    assert [c.id for c in search(bundled.clusters, "automation")] == [
        "automation-smaland",
        "automation-region",
    ]
    assert search(bundled.clusters, "nowhere at all") == []


def _error_of(find: Callable[[Registry, str], object], query: str) -> S3PilotError | None:
    """The documented error a look-up raised, if any; anything else fails the test."""
    try:
        find(BUNDLED_REGISTRY, query)
    except S3PilotError as error:
        return error
    return None


@given(st.text())
def test_region_lookup_raises_only_the_documented_error(query: str) -> None:
    error = _error_of(find_region, query)
    if error is not None:
        assert error.exit_code == 2
        assert not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in error.message)


@given(st.text())
def test_cluster_lookup_raises_only_the_documented_error(query: str) -> None:
    error = _error_of(find_cluster, query)
    if error is not None:
        assert error.exit_code == 3
        assert not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in error.message)


@given(st.text())
def test_search_never_raises(query: str) -> None:
    found = search(BUNDLED_REGISTRY.clusters, query)
    assert set(found) <= set(BUNDLED_REGISTRY.clusters)
