"""Finding regions and clusters as users type them: with or without å, ä, ö, by code or alias."""

import subprocess
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from s3pilot_cli import lookup, registry
from s3pilot_cli.errors import NoSuchCluster, S3PilotError, UsageError
from s3pilot_cli.lookup import RegionIndex, find_cluster, find_regions, search
from s3pilot_cli.model import Registry
from tests.conftest import BUNDLED, Cli
from tests.strategies import registries

BUNDLED_REGISTRY = registry.read(BUNDLED)


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
    assert [r.code for r in find_regions(bundled, [query])] == [code]


# Each expected code is the row of Sweden's list of län (the reference facts: lan_code,
# iso_code, ..., regional_body) that holds the name, body, ISO code or länskod of the query.
@pytest.mark.parametrize(
    ("query", "code"),
    [
        # A whole word of the regional body: "04,SE-D,…,Region Sörmland".
        ("Sörmland", "SE-D"),
        ("sormland", "SE-D"),
        # A whole word of "23,SE-Z,…,Region Jämtland Härjedalen" (the page: Jämtland-Härjedalen).
        ("Härjedalen", "SE-Z"),
        ("harjedalen", "SE-Z"),
        # The letters of the ISO code: "01,SE-AB", "14,SE-O", "25,SE-BD", "03,SE-C", "17,SE-S".
        ("AB", "SE-AB"),
        ("ab", "SE-AB"),
        ("O", "SE-O"),
        ("BD", "SE-BD"),
        ("AC", "SE-AC"),
        ("C", "SE-C"),
        ("S", "SE-S"),
        ("I", "SE-I"),
        # The länskod without its leading zero: "01,SE-AB", "04,SE-D", "09,SE-I".
        ("1", "SE-AB"),
        ("4", "SE-D"),
        ("9", "SE-I"),
        # A two-digit länskod is still itself: "10,SE-K", "25,SE-BD".
        ("10", "SE-K"),
        ("25", "SE-BD"),
        # The start of one region's names only: "14,SE-O,Västra Götalands län,Västra Götaland".
        ("Västra", "SE-O"),
        ("Västra Göta", "SE-O"),
        ("Göta", "SE-O"),
        ("Gävle", "SE-X"),
        ("Norr", "SE-BD"),
        ("Härj", "SE-Z"),
        ("Sörm", "SE-D"),
    ],
)
def test_region_by_word_letters_lan_code_or_prefix(
    bundled: Registry, query: str, code: str
) -> None:
    """The names people use: expected codes from Sweden's list of län."""
    assert [r.code for r in find_regions(bundled, [query])] == [code]


@pytest.mark.parametrize(
    ("query", "candidates"),
    [
        ("Väster", "Västernorrland (SE-Y), Västerbotten (SE-AC)"),
        (
            "Väst",
            "Västra Götaland (SE-O), Västmanland (SE-U), Västernorrland (SE-Y),"
            " Västerbotten (SE-AC)",
        ),
        # Ö is a letter of its own, never the county letter O (Västra Götaland).
        ("Ö", "Östergötland (SE-E), Örebro (SE-T)"),
    ],
)
def test_a_prefix_of_several_regions_names_them_all(
    bundled: Registry, query: str, candidates: str
) -> None:
    """Candidates in the registry's order, names and codes as Sweden's list of
    län has them (22,SE-Y,Västernorrlands län; 24,SE-AC,Västerbottens län; …)."""
    with pytest.raises(UsageError) as raised:
        find_regions(bundled, [query])
    count = candidates.count("(")
    assert raised.value.message == (
        f"region '{query}' matches {count} regions: {candidates};"
        " give more of the name, or the ISO code"
    )
    assert raised.value.exit_code == 2


def test_a_word_of_every_body_names_every_region_that_has_it(bundled: Registry) -> None:
    """'Region' begins 20 of the 21 bodies in regions.csv; Västra Götalandsregionen is one word."""
    with pytest.raises(UsageError) as raised:
        find_regions(bundled, ["Region"])
    assert raised.value.message.startswith("region 'Region' matches 20 regions: Stockholm (SE-AB),")
    assert "SE-O" not in raised.value.message


def test_a_code_never_starts_a_match(bundled: Registry) -> None:
    """There is no länskod 2 (regions.csv: 20 to 25 are two digits), so '2' is unknown."""
    with pytest.raises(UsageError) as raised:
        find_regions(bundled, ["2"])
    assert raised.value.message == "unknown region '2' ('s3pilot regions' lists all 21)"


def test_unknown_region_suggests_the_closest(bundled: Registry) -> None:
    with pytest.raises(UsageError) as raised:
        find_regions(bundled, ["Värmlnd"])
    assert raised.value.message == (
        "unknown region 'Värmlnd'; did you mean Värmland? ('s3pilot regions' lists all 21)"
    )


def test_suggestions_prefer_a_word_to_spelling(bundled: Registry) -> None:
    """'Västra' alone finds Västra Götaland, so a typo after it suggests that region."""
    with pytest.raises(UsageError) as raised:
        find_regions(bundled, ["Västra Götlnd"])
    assert raised.value.message == (
        "unknown region 'Västra Götlnd'; did you mean Västra Götaland?"
        " ('s3pilot regions' lists all 21)"
    )


@pytest.mark.parametrize("query", ["Oslo", "SE"])
def test_unknown_region_far_from_every_name(bundled: Registry, query: str) -> None:
    """Oslo is no Swedish län, kommun or landskap (Göteborg, a kommun, now finds its län:
    tests/test_places.py), and no name is close enough to suggest."""
    with pytest.raises(UsageError) as raised:
        find_regions(bundled, [query])
    assert raised.value.message == f"unknown region '{query}' ('s3pilot regions' lists all 21)"


def test_one_index_answers_many_queries(bundled: Registry) -> None:
    index = RegionIndex(bundled.regions)
    queries = ("AB", "Sörmland", "Härjedalen", "1")
    assert [region.code for q in queries for region in index.matches(q)] == [
        "SE-AB",
        "SE-D",
        "SE-Z",
        "SE-AB",
    ]


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
    error = _error_of(lambda registry, q: find_regions(registry, [q]), query)
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


def test_the_installed_command_takes_the_names_people_use(
    sh: Callable[..., subprocess.CompletedProcess[str]],
) -> None:
    """As a shell user types them; clusters and regions as the programme page pairs them
    (Urban ICT Arena, Stockholm; Entreprenörsdrivet Företagsnav, Jämtland-Härjedalen)."""
    done = sh("list", "--region", "AB", "--region", "Härjedalen", "--region", "Sörmland")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "Urban ICT Arena\nEntreprenörsdrivet Företagsnav\n"
    ambiguous = sh("list", "--region", "Väster")
    assert ambiguous.returncode == 2
    assert ambiguous.stdout == ""
    assert ambiguous.stderr == (
        "s3pilot: error: region 'Väster' matches 2 regions: Västernorrland (SE-Y),"
        " Västerbotten (SE-AC); give more of the name, or the ISO code\n"
    )


# --- A name that shadows an id or a name ----------------------------------------------------------


def _renamed(bundled: Registry, cluster_id: str, **changes: object) -> Registry:
    """The bundled registry with one cluster changed, as a registry that skipped `validate`
    (a Python caller's own) would hold it."""
    from dataclasses import replace

    clusters = tuple(
        replace(cluster, **changes) if cluster.id == cluster_id else cluster  # type: ignore[arg-type]
        for cluster in bundled.clusters
    )
    return replace(bundled, clusters=clusters)


@pytest.mark.parametrize(
    ("changes", "query", "found"),
    [
        ({"now_called": "iuc-skane"}, "iuc-skane", "iuc-skane"),  # an exact id wins
        ({"aliases": ("IUC Skåne",)}, "IUC Skåne", "iuc-skane"),  # then an exact name
        ({"aliases": ("IUC Skåne",)}, "iuc skane", "iuc-skane"),  # folded alike
        ({"now_called": "IUC Skåne"}, "IUC Skåne", "iuc-skane"),
    ],
)
def test_an_id_then_a_name_wins_over_another_cluster_s_alias(
    bundled: Registry, changes: dict[str, object], query: str, found: str
) -> None:
    shadowed = _renamed(bundled, "mobile-heights", **changes)
    assert find_cluster(shadowed, query).id == found


def test_an_alias_that_is_no_other_cluster_s_name_still_finds_its_own(bundled: Registry) -> None:
    shadowed = _renamed(bundled, "mobile-heights", aliases=("IUC Skåne",))
    assert find_cluster(shadowed, "mobile heights").id == "mobile-heights"


# --- Decomposed input -----------------------------------------------------------------------------

NFD_HABO = "Ha\u030abo"  # Håbo as macOS file names and some keyboards give it


def test_a_decomposed_query_is_the_composed_one(bundled: Registry) -> None:
    """Håbo lies in Uppsala län, Habo (without the ring) in Jönköping."""
    assert [region.name for region in find_regions(bundled, [NFD_HABO])] == ["Uppsala"]


@pytest.mark.parametrize(
    "args",
    [
        ["list", "--region", NFD_HABO, "--format", "json"],
        ["export", "--region", NFD_HABO, "--format", "json"],
        ["map", "--region", NFD_HABO],
    ],
)
def test_every_command_composes_its_query(cli: Cli, args: list[str]) -> None:
    """Before any comparison: a decomposed Håbo is not also Habo (which would be exit 2)."""
    cli(*args)


def test_show_and_search_compose_their_queries(bundled: Registry) -> None:
    skane = "IUC Ska\u030ane"
    assert find_cluster(bundled, skane).id == "iuc-skane"
    assert [cluster.id for cluster in search(bundled.clusters, skane)] == ["iuc-skane"]


@given(registries(), st.text(), st.text())
def test_lookup_and_filtering_raise_only_documented_errors(
    generated: Registry, region_query: str, cluster_query: str
) -> None:
    for attempt in (
        lambda: lookup.find_regions(generated, [region_query]),
        lambda: lookup.find_cluster(generated, cluster_query),
        lambda: lookup.search(generated.clusters, cluster_query),
    ):
        try:
            attempt()
        except S3PilotError as error:
            assert error.exit_code in (2, 3)  # noqa: PT017
