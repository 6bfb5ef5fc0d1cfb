"""The places people name: kommuner and landskap in `--region`, from s3pilot_cli/places.json.

Expected values come from SCB as the sources say (scripts/make_places.py names them): the
first two digits of a kommun code are its länskod (https://sv.wikipedia.org/wiki/Kommunkod);
1480 Göteborg, 1280 Malmö, 2580 Luleå, 0305 Håbo, 0643 Habo; SCB's "Folkmängd i landskapen
den 31 december 2020" gives Småland's people by län.
"""

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from s3pilot_cli import registry
from s3pilot_cli.errors import UsageError
from s3pilot_cli.lookup import RegionIndex, find_regions
from s3pilot_cli.model import Registry
from s3pilot_cli.places import packaged_places
from tests.conftest import BUNDLED, Cli, imported_by, in_terminal

BUNDLED_REGISTRY = registry.read(BUNDLED)


@pytest.fixture
def bundled() -> Registry:
    return BUNDLED_REGISTRY


def codes(registry: Registry, *queries: str) -> list[str]:
    return [region.lan_code for region in find_regions(registry, list(queries))]


def test_the_packaged_file_has_sweden_s_290_kommuner_in_every_lan() -> None:
    """Counts per län as SCB numbers them (and two SCB-derived lists agree, per the research
    notes): 290 in all."""
    kommuner = packaged_places().kommuner
    assert len({k.code for k in kommuner}) == len({k.name for k in kommuner}) == 290
    per_lan = Counter(k.lan_code for k in kommuner)
    assert per_lan == {
        "01": 26, "03": 8, "04": 9, "05": 13, "06": 13, "07": 8, "08": 12, "09": 1, "10": 5,
        "12": 33, "13": 6, "14": 49, "17": 16, "18": 12, "19": 10, "20": 15, "21": 10,
        "22": 7, "23": 8, "24": 15, "25": 14,
    }  # fmt: skip


def test_every_kommun_finds_the_lan_of_its_code(bundled: Registry) -> None:
    found = {k.name: codes(bundled, k.name) for k in packaged_places().kommuner}
    assert found == {k.name: [k.code[:2]] for k in packaged_places().kommuner}


@pytest.mark.parametrize(
    ("query", "lan"),
    [
        ("Göteborg", "14"),
        ("Malmö", "12"),
        ("Luleå", "25"),
        ("goteborg", "14"),  # å, ä, ö folded, case ignored
        ("LULEA", "25"),
        ("Väsby", "01"),  # a whole word: 0114 Upplands Väsby
        ("Sälen", "20"),  # 2023 Malung-Sälen
        ("Håbo", "03"),  # 0305; folded it is also 0643 Habo: the spelling decides
        ("Habo", "06"),
    ],
)
def test_a_kommun_means_its_lan(bundled: Registry, query: str, lan: str) -> None:
    assert codes(bundled, query) == [lan]


def test_a_folded_name_of_two_kommuner_in_two_lan_names_both(bundled: Registry) -> None:
    with pytest.raises(UsageError) as raised:
        find_regions(bundled, ["Habö"])
    assert raised.value.message == (
        "region 'Habö' matches 2 kommuner: Håbo in Uppsala, Habo in Jönköping;"
        " give the kommun's name as it is spelt, or the län"
    )


def test_a_start_of_a_kommun_name_is_not_enough(bundled: Registry) -> None:
    with pytest.raises(UsageError, match="unknown region 'Götebo'"):
        find_regions(bundled, ["Götebo"])


@pytest.mark.parametrize(
    "name", ["Gotland", "Jönköping", "Kalmar", "Stockholm", "Uppsala", "Örebro"]
)
def test_a_lan_s_own_name_wins_over_a_kommun(bundled: Registry, name: str) -> None:
    """Six kommuner share a län's short name (regions.csv); each means that län, found as a län."""
    assert [r.name for r in RegionIndex(bundled.regions).matches(name)] == [name]
    assert [r.name for r in find_regions(bundled, [name])] == [name]


def test_smaland_means_the_three_lan_that_hold_most_of_it(bundled: Registry) -> None:
    """SCB 2020: Jönköping 345 036, Kronoberg 202 263, Kalmar 219 687; Östergötland 1 932 and
    Halland 7 359 are under a tenth and left out."""
    assert codes(bundled, "Småland") == ["06", "07", "08"]
    smaland = next(p for p in packaged_places().landskap if p.name == "Småland")
    assert smaland.parts == ("05", "06", "07", "08", "13")


def test_a_landskap_named_like_a_lan_is_the_lan(bundled: Registry) -> None:
    """Dalarna the landskap reaches into four län (its source); Dalarna the län is one."""
    assert codes(bundled, "Dalarna") == ["20"]
    assert codes(bundled, "Södermanland") == ["04"]


def test_places_and_lan_together_without_repeats(bundled: Registry) -> None:
    assert codes(bundled, "Kalmar", "Småland", "Växjö") == ["08", "06", "07"]


def test_every_landskap_finds_some_lan(bundled: Registry) -> None:
    for landskap in packaged_places().landskap:
        assert codes(bundled, landskap.name), landskap.name
    assert len(packaged_places().landskap) == 25


def test_an_unknown_place_gets_a_place_suggested(bundled: Registry) -> None:
    with pytest.raises(UsageError) as raised:
        find_regions(bundled, ["Götebrog"])
    assert raised.value.message == (
        "unknown region 'Götebrog'; did you mean Göteborg? ('s3pilot regions' lists all 21)"
    )


def test_a_word_that_names_a_place_is_suggested(bundled: Registry) -> None:
    """'Malmö stad' is no name in the table, but its word 'Malmö' is a kommun's."""
    with pytest.raises(UsageError) as raised:
        find_regions(bundled, ["Malmö stad"])
    assert raised.value.message == (
        "unknown region 'Malmö stad'; did you mean Malmö? ('s3pilot regions' lists all 21)"
    )


def test_a_place_whose_lan_the_registry_lacks(
    cli: Cli, write_registry: Callable[[str], Path], registry_text: str
) -> None:
    """The minimal registry has Värmland and Uppsala alone; Malmö lies in Skåne."""
    path = write_registry(registry_text)
    run = cli("--registry", str(path), "list", "--region", "Malmö", exit_code=2)
    assert run.stderr == (
        "s3pilot: error: 'Malmö' is the kommun Malmö, in län 12, which this registry does not"
        " have ('s3pilot regions' lists its 2)\n"
    )


def test_the_cli_finds_clusters_by_kommun(cli: Cli) -> None:
    by_kommun = cli("list", "--region", "Göteborg", "--format", "plain").stdout
    assert by_kommun == cli("list", "--region", "Västra Götaland", "--format", "plain").stdout
    assert by_kommun


@pytest.mark.slow
def test_a_terminal_hears_what_a_landskap_was_taken_to_mean() -> None:
    shown = in_terminal(["s3pilot", "list", "--region", "Småland"])
    assert (
        "s3pilot: Småland is a landskap (province), wider than any one län: taking Jönköping,"
        " Kronoberg and Kalmar" in shown
    )


def test_a_list_of_places_ends_with_and_in_the_reader_s_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from s3pilot_cli.textrules import listed

    names = ["Jönköping", "Kronoberg", "Kalmar"]
    monkeypatch.setenv("S3PILOT_LANG", "en")
    assert listed(names) == "Jönköping, Kronoberg and Kalmar"
    assert listed(names[:1]) == "Jönköping"
    monkeypatch.setenv("S3PILOT_LANG", "sv")
    assert listed(names) == "Jönköping, Kronoberg och Kalmar"
    assert listed(names[1:]) == "Kronoberg och Kalmar"


def test_a_pipe_gets_no_note(cli: Cli) -> None:
    run = cli("list", "--region", "Småland", "--format", "plain")
    assert run.stderr == ""
    assert run.stdout


def test_the_place_table_is_read_only_when_a_query_needs_it() -> None:
    assert "s3pilot_cli.places" not in imported_by(
        "list", "--region", "Värmland", "--format", "csv"
    )
    assert "s3pilot_cli.places" in imported_by("list", "--region", "Göteborg", "--format", "csv")


# Interior Cluster's city, Vaggeryd, is kommun 0665 in Jönköpings län (SCB); the programme's
# list puts the cluster under Kronoberg (its note says so).
VAGGERYD_NOTE = (
    "s3pilot: Interior Cluster (Vaggeryd) is listed under Kronoberg by the programme;"
    " 's3pilot {command} --region Kronoberg' shows it\n"
)


def test_a_kommun_whose_cluster_is_listed_under_another_lan_says_so(cli: Cli) -> None:
    """`--region Vaggeryd` means Jönköpings län, whose list leaves Interior Cluster out: one
    line on stderr says where it is, in the fast path (`list`) and in Typer (`-rVaggeryd`,
    `timeline`) alike; stdout is Jönköpings län's, unchanged."""
    jonkoping = cli("list", "--region", "Jönköping", "--format", "plain").stdout
    assert "Interior Cluster" not in jonkoping
    fast = cli("list", "--region", "Vaggeryd", "--format", "plain")
    assert (fast.stdout, fast.stderr) == (jonkoping, VAGGERYD_NOTE.format(command="list"))
    typer = cli("list", "-rVaggeryd", "--format", "plain")
    assert (typer.stdout, typer.stderr) == (fast.stdout, fast.stderr)
    events = cli("timeline", "--region", "Vaggeryd", "--format", "json")
    assert events.stderr == VAGGERYD_NOTE.format(command="timeline")
    assert "interior-cluster" not in events.stdout
    swedish = cli("list", "--region", "Vaggeryd", "--format", "plain", env={"S3PILOT_LANG": "sv"})
    assert swedish.stderr == (
        "s3pilot: Interior Cluster (Vaggeryd) står under Kronoberg i programmets lista;"
        " 's3pilot list --region Kronoberg' visar klustret\n"
    )


def test_a_lan_whose_kommuns_cluster_is_listed_under_another_lan_says_so(cli: Cli) -> None:
    """`--region Jönköping` (the län, by its own name) leaves Interior Cluster out too: the
    same one line on stderr, in the fast path and in Typer alike; stdout unchanged."""
    fast = cli("list", "--region", "Jönköping", "--format", "plain")
    assert "Interior Cluster" not in fast.stdout
    assert fast.stderr == VAGGERYD_NOTE.format(command="list")
    typer = cli("list", "-rJönköping", "--format", "plain")
    assert (typer.stdout, typer.stderr) == (fast.stdout, fast.stderr)
    both = cli("list", "--region", "Jönköping,Vaggeryd", "--format", "plain")
    assert (both.stdout, both.stderr) == (fast.stdout, fast.stderr)  # one line, not two
    events = cli("timeline", "--region", "Jönköping", "--format", "json")
    assert events.stderr == VAGGERYD_NOTE.format(command="timeline")


def test_the_cluster_s_own_lan_or_a_landskap_gets_no_such_line(cli: Cli) -> None:
    """Kronoberg itself is no surprise, and a landskap is no län of the programme's."""
    kronoberg = cli("list", "--region", "Kronoberg,Vaggeryd", "--format", "plain")
    assert kronoberg.stderr == ""
    assert "Interior Cluster" in kronoberg.stdout
