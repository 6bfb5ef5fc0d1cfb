"""`s3pilot list`: regions, search, sort, fields, and every format it writes."""

import csv
import io
import json
import subprocess
from collections.abc import Callable

import pytest

from s3pilot_cli.errors import ExitCode
from tests.conftest import (
    CLUSTER_FIELDS,
    PAPER_PROVINCE,
    VARMLAND_CSV,
    Cli,
    in_pty,
    installed_command,
)


def test_list_in_a_pipe_prints_one_name_a_line(cli: Cli) -> None:
    run = cli("list", "--region", "Värmland")
    assert run.stdout == "Compare\nPaper Province\n"
    assert run.stderr == ""


def test_list_without_a_filter_prints_all_22(cli: Cli) -> None:
    lines = cli("list").stdout.splitlines()
    assert len(lines) == 22
    assert (lines[0], lines[-1]) == ("Mobile Heights", "Datacenter")


def test_list_regions_repeat_as_a_union_in_registry_order(cli: Cli) -> None:
    run = cli("list", "--region", "Dalarna", "-r", "SE-S")
    assert run.stdout == "Compare\nPaper Province\nTriple Steelix\nVisit Dalarna\n"


def test_list_a_region_without_clusters_is_empty_and_ok(cli: Cli) -> None:
    run = cli("list", "--region", "Uppsala")
    assert (run.stdout, run.stderr) == ("", "")
    assert cli("list", "--region", "Uppsala", "--format", "json").stdout == "[]\n"


def test_list_unknown_region_is_a_usage_error(cli: Cli) -> None:
    run = cli("list", "--region", "Varmlnd", exit_code=ExitCode.USAGE)
    assert run.stdout == ""
    assert run.stderr == (
        "s3pilot: error: unknown region 'Varmlnd'; did you mean Värmland?"
        " ('s3pilot regions' lists all 21)\n"
    )


def test_list_search(cli: Cli) -> None:
    assert cli("list", "--search", "karlstad").stdout == "Compare\nPaper Province\n"
    assert cli("list", "-s", "IUC SYD").stdout == "IUC Skåne\n"
    assert cli("list", "--search", "rail", "--region", "Västmanland").stdout == (
        "Järnvägsklustret\n"
    )


def test_list_sorted_by_name_in_swedish_order(cli: Cli) -> None:
    assert cli("list", "--sort", "name").stdout.splitlines() == [
        "Aerospace Cluster",
        "Agro Väst",
        "Automation Region",
        "Automation Småland",
        "Bron Innovation",
        "Compare",
        "Datacenter",
        "Entreprenörsdrivet Företagsnav",
        "Fiber Optic Valley",
        "Georange",
        "Interior Cluster",
        "IUC Skåne",
        "Järnvägsklustret",
        "Mjärdevi science park",
        "Mobile Heights",
        "Paper Province",
        "Smart Textiles",
        "TechTank",
        "Tillverkningstekniskt centrum",
        "Triple Steelix",
        "Urban ICT Arena",
        "Visit Dalarna",
    ]


def test_list_sorted_by_region_keeps_registry_order_within_one(cli: Cli) -> None:
    run = cli("list", "--sort", "region", "--fields", "region,name")
    assert run.stdout.splitlines() == [
        "Blekinge\tTechTank",
        "Dalarna\tTriple Steelix",
        "Dalarna\tVisit Dalarna",
        "Gävleborg\tFiber Optic Valley",
        "Jämtland\tEntreprenörsdrivet Företagsnav",
        "Jönköping\tAutomation Småland",
        "Kronoberg\tInterior Cluster",
        "Norrbotten\tDatacenter",
        "Skåne\tMobile Heights",
        "Skåne\tIUC Skåne",
        "Stockholm\tUrban ICT Arena",
        "Värmland\tCompare",
        "Värmland\tPaper Province",
        "Västerbotten\tGeorange",
        "Västernorrland\tBron Innovation",
        "Västmanland\tAutomation Region",
        "Västmanland\tJärnvägsklustret",
        "Västra Götaland\tSmart Textiles",
        "Västra Götaland\tAgro Väst",
        "Örebro\tTillverkningstekniskt centrum",
        "Östergötland\tMjärdevi science park",
        "Östergötland\tAerospace Cluster",
    ]


def test_list_fields_choose_columns_in_every_format(cli: Cli) -> None:
    run = cli("list", "-r", "Värmland", "--fields", "id, region_code")
    assert run.stdout == "compare\tSE-S\npaper-province\tSE-S\n"
    run = cli("list", "-r", "Värmland", "--fields", "id,city", "--format", "json")
    assert json.loads(run.stdout) == [
        {"id": "compare", "city": "Karlstad"},
        {"id": "paper-province", "city": "Karlstad"},
    ]


def test_list_unknown_field_is_a_usage_error(cli: Cli) -> None:
    run = cli("list", "--fields", "id,colour", exit_code=ExitCode.USAGE)
    assert run.stdout == ""
    assert run.stderr.startswith(
        "s3pilot: error: --fields: unknown field 'colour'; choose from id,"
    )


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "error: --fields: unknown field 'foo'; choose"),
        ("sv", "fel: --fields: okänt fält ”foo”; välj"),
    ],
)
def test_an_unknown_field_is_quoted_as_the_language_quotes(cli: Cli, lang: str, said: str) -> None:
    run = cli("list", "--fields", "foo", env={"S3PILOT_LANG": lang}, exit_code=ExitCode.USAGE)
    assert run.stderr.startswith(
        f"s3pilot: {said} bland id," if lang == "sv" else f"s3pilot: {said} from id,"
    )


def test_list_csv(cli: Cli) -> None:
    assert cli("list", "--region", "Värmland", "--format", "csv").stdout == VARMLAND_CSV


def test_list_tsv_has_a_header_plain_does_not(cli: Cli) -> None:
    tsv = cli("list", "--region", "Värmland", "--format", "tsv").stdout.splitlines()
    assert tsv[0] == "\t".join(CLUSTER_FIELDS)
    assert tsv[1].split("\t")[:3] == ["compare", "Compare", "Värmland"]
    assert len(tsv) == 3


def test_list_json_records_carry_every_field_in_order(cli: Cli) -> None:
    run = cli("list", "--region", "Värmland", "--format", "json")
    assert "Värmland" in run.stdout  # UTF-8, not \\u escapes
    data = json.loads(run.stdout)
    assert list(data[1]) == CLUSTER_FIELDS
    assert data[1] == PAPER_PROVINCE
    assert data[0]["aliases"] == []


def test_list_jsonl_is_one_object_a_line(cli: Cli) -> None:
    lines = cli("list", "--format", "jsonl").stdout.splitlines()
    assert len(lines) == 22
    entreprenor = json.loads(lines[18])
    assert entreprenor["name"] == "Entreprenörsdrivet Företagsnav"
    assert (entreprenor["city"], entreprenor["website"], entreprenor["focus"]) == (None,) * 3


def test_list_takes_regions_as_arguments(cli: Cli) -> None:
    four = "Compare\nPaper Province\nTriple Steelix\nVisit Dalarna\n"
    assert cli("list", "Värmland", "Dalarna").stdout == four
    assert cli("list", "Dalarna", "--region", "SE-S").stdout == four
    run = cli("list", "Dalarna", "Värmlnd", exit_code=ExitCode.USAGE)
    assert run.stderr.startswith("s3pilot: error: unknown region 'Värmlnd'; did you mean Värmland")


@pytest.mark.parametrize("command", ["list", "export"])
def test_region_takes_several_separated_by_commas(cli: Cli, command: str) -> None:
    run = cli(command, "--region", "Värmland, Dalarna", "--format", "csv")
    ids = [row[0] for row in csv.reader(io.StringIO(run.stdout))][1:]
    assert ids == ["compare", "paper-province", "triple-steelix", "visit-dalarna"]


def test_fields_repeat_and_take_commas(cli: Cli) -> None:
    run = cli("list", "-r", "Värmland", "--fields", "id", "--fields", "name,city")
    assert run.stdout == "compare\tCompare\tKarlstad\npaper-province\tPaper Province\tKarlstad\n"
    run = cli("list", "--fields", "id", "--fields", "colour", exit_code=ExitCode.USAGE)
    assert run.stderr.startswith(
        "s3pilot: error: --fields: unknown field 'colour'; choose from id,"
    )


@pytest.mark.parametrize("spelling", ["NAME", "Name", "name"])
def test_sort_ignores_case(cli: Cli, spelling: str) -> None:
    names = cli("list", "--sort", spelling).stdout.splitlines()
    assert names[:3] == ["Aerospace Cluster", "Agro Väst", "Automation Region"]


@pytest.mark.slow
def test_empty_result_in_a_terminal_prints_only_the_message() -> None:
    # Uppsala län has no cluster in the programme (the reference list of the clusters).
    screen = in_pty([installed_command(), "list", "--region", "Uppsala"], env={"NO_COLOR": "1"})
    assert screen.shown == (
        "s3pilot: no cluster in Uppsala; 's3pilot regions' shows how many each län has\n"
    )  # no table header above it
    assert screen.returncode == 0


def test_empty_result_in_a_pipe_stays_empty(
    sh: Callable[..., subprocess.CompletedProcess[str]],
) -> None:
    done = sh("list", "--region", "Uppsala")
    assert (done.stdout, done.stderr, done.returncode) == ("", "", 0)


@pytest.mark.slow
def test_search_without_match_gives_a_hint_about_the_search() -> None:
    screen = in_pty([installed_command(), "list", "--search", "zzzz"])
    assert screen.shown == (
        "s3pilot: no cluster's name, other names, city or focus contains 'zzzz'; try a"
        " shorter part of a word, or 's3pilot list' for them all\n"
    )
    assert "regions" not in screen.shown  # it was "'s3pilot regions' shows where they are"


@pytest.mark.slow
def test_search_in_a_region_without_match_suggests_all_regions() -> None:
    screen = in_pty([installed_command(), "list", "-r", "Värmland", "-s", "steel"])
    assert screen.shown == (
        "s3pilot: no cluster in Värmland has 'steel' in its name, other names, city or focus;"
        " try without --region to search them all\n"
    )
