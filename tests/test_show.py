"""`s3pilot show`: one cluster, found by id, name, alias or a start of one."""

import csv
import io
import json

from s3pilot_cli.cli import fastpath
from s3pilot_cli.errors import ExitCode
from tests.conftest import (
    CLUSTER_FIELDS,
    Cli,
)


def test_show_in_a_pipe_prints_a_field_a_line(cli: Cli) -> None:
    run = cli("show", "compare")
    assert run.stdout.splitlines() == [
        "id\tcompare",
        "name\tCompare",
        "region\tVärmland",
        "region_code\tSE-S",
        "lan_code\t17",
        "county\tVärmlands län",
        "nuts3\tSE311",
        "region_body\tRegion Värmland",
        "city\tKarlstad",
        "website\thttps://compare.se",
        "focus\tIT and telecom",
        "aliases\t",
        "now_called\t",
        "founded\t2000",
        "founded_note\tStiftelsen Compare Karlstad, January 2000",
        "kind\tfoundation",
        "label\t",
        "sources\thttps://www.compare.se/nyhet/compare-firade-15-ar-med-valbesokt-lunchmote",
        "focus_sv\tIT och telekom",
        "note\t",
        "kommun\tKarlstad",
        "kommun_code\t1780",
        "s3_area\t",
        "eccp_url\t",
        "last_seen\t2018",  # the programme-wide Bronze label, its latest event
        "note_sv\t",
        "events\t2000-01 Stiftelsen Compare Karlstad, a foundation, is formed — "
        "https://www.compare.se/nyhet/compare-firade-15-ar-med-valbesokt-lunchmote; "
        "2014-06 its collaboration project Compare Business Innovation Centre (2007-2014) ends — "
        "http://www.mynewsdesk.com/se/news/compare-projekt-summeras-c-bic-har-gjort-skillnad-86845"
        "; "
        "2015-02-05 turns 15, with 105 member companies — "
        "https://nwt.se/karlstad/2015/02/05/compare-klarade-krisen; "
        "2018 Bronze label of the European Cluster Excellence Initiative, as the programme's"
        " page says of every cluster in it (a programme-wide source) — "
        "https://tillvaxtverket.se/amnesomraden/regional-kapacitet/smart-specialisering/"
        "klusterprogram---s3-piloten.html",
    ]


def test_show_json_is_one_object(cli: Cli) -> None:
    data = json.loads(cli("show", "IUC Syd", "--format", "json").stdout)
    assert (data["id"], data["region"], data["aliases"]) == ("iuc-skane", "Skåne", ["IUC Syd"])


def test_show_csv_is_a_header_and_one_row(cli: Cli) -> None:
    rows = list(csv.reader(io.StringIO(cli("show", "georange", "--format", "csv").stdout)))
    assert rows[0] == [*CLUSTER_FIELDS, "events"]
    assert rows[1][:3] == ["georange", "Georange", "Västerbotten"]
    assert len(rows) == 2


def test_show_unknown_cluster(cli: Cli) -> None:
    run = cli("show", "Papr Province", exit_code=ExitCode.NO_SUCH_CLUSTER)
    assert run.stdout == ""
    assert run.stderr == (
        "s3pilot: error: no cluster matches 'Papr Province'; did you mean Paper Province?"
        " ('s3pilot list' lists them)\n"
    )


def test_show_ambiguous_cluster(cli: Cli) -> None:
    run = cli("show", "automation", exit_code=ExitCode.NO_SUCH_CLUSTER)
    assert "automation-smaland (Automation Småland)" in run.stderr
    assert "automation-region (Automation Region)" in run.stderr


def test_show_takes_several_words_as_one_name(cli: Cli) -> None:
    quoted = cli("show", "Paper Province", "--format", "json").stdout
    assert json.loads(quoted)["id"] == "paper-province"
    assert cli("show", "Paper", "Province", "--format", "json").stdout == quoted
    # `-fjson` is a spelling the fast path leaves to Typer: both parsers take the words.
    assert fastpath.parse(["show", "-fjson", "Paper", "Province"]) is None
    assert cli("show", "-fjson", "Paper", "Province").stdout == quoted
    taken = fastpath.parse(["show", "Paper", "Province"])
    assert taken is not None
    assert taken.arguments["cluster"] == ["Paper", "Province"]


def test_show_without_a_name_is_still_a_usage_error(cli: Cli) -> None:
    assert "Missing argument 'CLUSTER...'" in cli("show", exit_code=ExitCode.USAGE).stderr
