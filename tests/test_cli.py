"""Every command in every format, in-process: what it prints, on which stream, with which code."""

import csv
import io
import json
import os
import subprocess
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from s3pilot_cli import records
from s3pilot_cli.errors import ExitCode
from tests.conftest import (
    BUNDLED,
    CLUSTER_FIELDS,
    MINIMAL,
    PAPER_PROVINCE,
    Cli,
    Server,
    in_terminal,
    installed_command,
)

VARMLAND_CSV = (
    "id,name,region,region_code,lan_code,county,nuts3,region_body,city,website,focus,aliases,"
    "now_called,founded,founded_note,kind,label,sources\r\n"
    "compare,Compare,Värmland,SE-S,17,Värmlands län,SE311,Region Värmland,Karlstad,"
    'https://compare.se,IT and telecom,,,2000,"Stiftelsen Compare Karlstad, January 2000",'
    "foundation,,https://www.compare.se/nyhet/compare-firade-15-ar-med-valbesokt-lunchmote\r\n"
    "paper-province,Paper Province,Värmland,SE-S,17,Värmlands län,SE311,Region Värmland,"
    "Karlstad,https://paperprovince.com,forest bioeconomy,The Paper Province,,1999,"
    '"the cluster organisation, 1 March 1999",economic-association,Gold 2018,'
    + "; ".join(PAPER_PROVINCE["sources"])  # type: ignore[arg-type]
    + "\r\n"
)


# --- list ------------------------------------------------------------------------------------


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
    assert run.stderr.startswith("s3pilot: error: --fields: unknown field colour; choose from id,")


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


def test_format_is_case_insensitive(cli: Cli) -> None:
    assert cli("list", "-r", "SE-S", "--format", "CSV").stdout == VARMLAND_CSV


# A format a command does not write, or no format at all, is answered with that command's own.
OWN_FORMATS = [
    ("list", "vcard", "'table', 'plain', 'tsv', 'csv', 'json', 'jsonl', 'markdown'"),
    ("list", "xml", "'table', 'plain', 'tsv', 'csv', 'json', 'jsonl', 'markdown'"),
    ("contacts", "toml", "'table', 'plain', 'tsv', 'csv', 'json', 'jsonl', 'markdown', 'vcard'"),
    (
        "export",
        "table",
        "'tsv', 'csv', 'json', 'jsonl', 'markdown', 'toml', 'registry-json', 'sqlite', 'xlsx',"
        " 'geojson', 'datapackage', 'html'",
    ),
    ("info", "CSV", "'table', 'plain', 'json'"),
]


@pytest.mark.parametrize(("command", "fmt", "formats"), OWN_FORMATS)
def test_a_format_a_command_does_not_write(cli: Cli, command: str, fmt: str, formats: str) -> None:
    run = cli(command, "--format", fmt, exit_code=ExitCode.USAGE)
    assert run.stdout == ""
    assert run.stderr == (
        f"s3pilot: error: Invalid value for '--format' / '-f': '{fmt}' is not one of {formats}."
        f" (see 's3pilot {command} --help')\n"
    )


@pytest.mark.parametrize(
    ("command", "formats"),
    [
        ("list", "table, plain, tsv, csv, json, jsonl, markdown."),
        ("contacts", "table, plain, tsv, csv, json, jsonl, markdown, vcard."),
        (
            "export",
            "tsv, csv, json, jsonl, markdown, toml, registry-json, sqlite, xlsx, geojson,"
            " datapackage, html.",
        ),
        ("info", "table, plain, json."),
    ],
)
def test_the_help_of_format_lists_the_command_s_own(cli: Cli, command: str, formats: str) -> None:
    help_text = " ".join(cli(command, "--help", env={"COLUMNS": "300"}).stdout.split())
    assert f"Output format: {formats}" in help_text


def test_an_unknown_option(cli: Cli) -> None:
    run = cli("list", "--regoin", "x", exit_code=ExitCode.USAGE)
    assert run.stderr == (
        "s3pilot: error: No such option: --regoin (Possible options: --region, --registry)"
        " (see 's3pilot list --help')\n"
    )


@pytest.mark.parametrize(
    ("args", "option", "command"),
    [(["list", "--sort"], "--sort", "list"), (["--debug", "export", "-o"], "-o", "export")],
)
def test_an_option_without_its_value_points_at_its_command_s_help(
    cli: Cli, args: list[str], option: str, command: str
) -> None:
    run = cli(*args, exit_code=ExitCode.USAGE)
    assert run.stderr == (
        f"s3pilot: error: Option '{option}' requires an argument."
        f" (see 's3pilot {command} --help')\n"
    )


# --- every command in every format it writes ------------------------------------------------

RECORD = ["table", "plain", "tsv", "csv", "json", "jsonl", "markdown"]
EXPORT = ["csv", "tsv", "json", "jsonl", "markdown", "toml", "registry-json"]
# command, its formats, how many records it writes, a value its output must show
MATRIX = [
    *((["list", "-r", "Skåne"], f, 2, "IUC Skåne") for f in RECORD),
    *((["regions"], f, 21, "Norrbotten") for f in RECORD),
    *((["show", "mobile-heights"], f, 1, "mobileheights.org") for f in RECORD),
    *((["contacts"], f, 2, "Cecilia Johansson") for f in [*RECORD, "vcard"]),
    *((["export", "-r", "Skåne"], f, 2, "IUC Skåne") for f in EXPORT),
    *((["info"], f, 1, "S3-piloten") for f in ["table", "plain", "json"]),
]  # fmt: skip


def _json_records(text: str) -> int:
    data = json.loads(text)
    if isinstance(data, list):
        return len(data)
    return len(data["clusters"]) if "clusters" in data else 1


# How many records an output holds, read back the way its format is read.
COUNT_RECORDS: dict[str, Callable[[str], int]] = {
    "json": _json_records,
    "registry-json": _json_records,
    "toml": lambda text: len(tomllib.loads(text)["clusters"]),
    "jsonl": lambda text: len([json.loads(line) for line in text.splitlines()]),
    "csv": lambda text: len(list(csv.reader(io.StringIO(text)))) - 1,
    "tsv": lambda text: len(list(csv.reader(io.StringIO(text), delimiter="\t"))) - 1,
    "markdown": lambda text: len(text.splitlines()) - 2,
    "vcard": lambda text: text.count("BEGIN:VCARD\r\n"),
    "plain": lambda text: len(text.splitlines()),
}


@pytest.mark.parametrize(("args", "fmt", "count", "shown"), MATRIX, ids=str)
def test_every_command_in_every_format(
    cli: Cli, args: list[str], fmt: str, count: int, shown: str
) -> None:
    run = cli(*args, "--format", fmt, env={"COLUMNS": "100"})
    assert run.stderr == ""
    assert shown in run.stdout
    assert run.stdout.endswith("\n")
    if fmt == "plain" and args[0] in ("show", "info"):
        # a field a line: the cluster fields, or the 16 fields of info (README)
        count = len(CLUSTER_FIELDS) if args[0] == "show" else 16
    if fmt in COUNT_RECORDS:
        assert COUNT_RECORDS[fmt](run.stdout) == count


# --- regions ---------------------------------------------------------------------------------


def test_regions_counts_every_lan_zeros_included(cli: Cli) -> None:
    lines = cli("regions").stdout.splitlines()
    assert len(lines) == 21
    assert lines[0] == "Stockholm\t1"
    assert "Uppsala\t0" in lines
    assert "Värmland\t2" in lines
    assert sum(int(line.split("\t")[1]) for line in lines) == 22


def test_regions_json(cli: Cli) -> None:
    data = json.loads(cli("regions", "--format", "json").stdout)
    assert list(data[0]) == list(records.REGION_FIELDS)
    blekinge = next(r for r in data if r["code"] == "SE-K")
    assert blekinge == {
        "code": "SE-K",
        "lan_code": "10",
        "name": "Blekinge",
        "county": "Blekinge län",
        "nuts3": "SE221",
        "body": "Region Blekinge",
        "aliases": ["Bleking"],
        "clusters": 1,
    }


# --- show ------------------------------------------------------------------------------------


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
    ]


def test_show_json_is_one_object(cli: Cli) -> None:
    data = json.loads(cli("show", "IUC Syd", "--format", "json").stdout)
    assert (data["id"], data["region"], data["aliases"]) == ("iuc-skane", "Skåne", ["IUC Syd"])


def test_show_csv_is_a_header_and_one_row(cli: Cli) -> None:
    rows = list(csv.reader(io.StringIO(cli("show", "georange", "--format", "csv").stdout)))
    assert rows[0] == CLUSTER_FIELDS
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


# --- contacts --------------------------------------------------------------------------------


def test_contacts_in_a_pipe(cli: Cli) -> None:
    assert cli("contacts").stdout == (
        "Ewa Andersson\t08-681 94 51\tewa.andersson@tillvaxtverket.se\n"
        "Cecilia Johansson\t08-681 91 32\tcecilia.johansson@tillvaxtverket.se\n"
    )


def test_contacts_json(cli: Cli) -> None:
    assert json.loads(cli("contacts", "--format", "json").stdout)[1] == {
        "name": "Cecilia Johansson",
        "organization": "Tillväxtverket",
        "phone": "08-681 91 32",
        "phone_e164": "+4686819132",
        "email": "cecilia.johansson@tillvaxtverket.se",
    }


def _vcard_properties(text: str) -> list[dict[str, str]]:
    """A small RFC 6350 reader: unfold lines, split cards, name → value."""
    assert "\n" not in text.replace("\r\n", "")
    unfolded = text.replace("\r\n ", "")
    cards: list[dict[str, str]] = []
    for line in unfolded.split("\r\n"):
        if not line:
            continue
        name, _, value = line.partition(":")
        if name == "BEGIN":
            cards.append({})
        cards[-1][name] = value
    return cards


def test_contacts_vcard_parses_back_field_by_field(cli: Cli) -> None:
    text = cli("contacts", "--format", "vcard").stdout
    cards = _vcard_properties(text)
    assert cards == [
        {
            "BEGIN": "VCARD",
            "VERSION": "4.0",
            "FN": "Ewa Andersson",
            "N": "Andersson;Ewa;;;",
            "ORG": "Tillväxtverket",
            'TEL;VALUE=uri;TYPE="work,voice"': "tel:+4686819451",
            "EMAIL;TYPE=work": "ewa.andersson@tillvaxtverket.se",
            "END": "VCARD",
        },
        {
            "BEGIN": "VCARD",
            "VERSION": "4.0",
            "FN": "Cecilia Johansson",
            "N": "Johansson;Cecilia;;;",
            "ORG": "Tillväxtverket",
            'TEL;VALUE=uri;TYPE="work,voice"': "tel:+4686819132",
            "EMAIL;TYPE=work": "cecilia.johansson@tillvaxtverket.se",
            "END": "VCARD",
        },
    ]
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


# --- export ----------------------------------------------------------------------------------


def test_export_registry_json_is_the_whole_registry_document(cli: Cli) -> None:
    document = json.loads(cli("export", "--format", "registry-json").stdout)
    assert document == tomllib.loads(BUNDLED.read_text(encoding="utf-8"))
    assert list(document) == [
        "schema_version",
        "program",
        "contacts",
        "regions",
        "clusters",
        "region_sources",
    ]


def test_export_toml_reads_back_unchanged(cli: Cli, tmp_path: Path) -> None:
    first = cli("export", "--format", "toml").stdout
    assert tomllib.loads(first) == tomllib.loads(BUNDLED.read_text(encoding="utf-8"))
    copy = tmp_path / "copy.toml"
    copy.write_text(first, encoding="utf-8")
    assert cli("--registry", str(copy), "export", "--format", "toml").stdout == first


def test_export_registry_json_reads_back_unchanged(cli: Cli, tmp_path: Path) -> None:
    first = cli("export", "--format", "registry-json").stdout
    copy = tmp_path / "copy.json"
    copy.write_text(first, encoding="utf-8")
    assert cli("--registry", str(copy), "export", "--format", "registry-json").stdout == first


def test_export_a_region_keeps_the_document_whole_but_its_clusters(cli: Cli) -> None:
    document = json.loads(cli("export", "-f", "registry-json", "--region", "Dalarna").stdout)
    assert [c["id"] for c in document["clusters"]] == ["triple-steelix", "visit-dalarna"]
    assert len(document["regions"]) == 21


def test_export_csv_is_a_row_a_cluster(cli: Cli) -> None:
    run = cli("export", "--format", "csv", "--region", "Värmland")
    assert run.stdout == VARMLAND_CSV
    rows = list(csv.DictReader(io.StringIO(cli("export", "--format", "csv").stdout)))
    assert len(rows) == 22
    assert rows[1]["aliases"] == "IUC Syd"


def test_export_markdown_and_jsonl(cli: Cli) -> None:
    lines = cli("export", "--format", "markdown", "-r", "Norrbotten").stdout.splitlines()
    assert lines[0] == "| " + " | ".join(CLUSTER_FIELDS) + " |"
    assert lines[2].startswith("| datacenter | Datacenter | Norrbotten | SE-BD | 25 |")
    jsonl = cli("export", "--format", "jsonl", "-r", "Norrbotten").stdout
    assert json.loads(jsonl)["focus"] == "data centres"


def test_export_excel_csv(cli: Cli) -> None:
    text = cli("export", "--format", "csv", "--excel", "-r", "Värmland").stdout
    assert text.startswith("\ufeffid;name;region;")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert rows[1][:2] == ["compare", "Compare"]


def test_export_to_a_file(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "clusters.csv"
    run = cli("export", "--format", "csv", "-r", "Värmland", "-o", str(target))
    assert (run.stdout, run.stderr) == ("", "")
    assert target.read_bytes().decode("utf-8") == VARMLAND_CSV
    assert [p.name for p in tmp_path.iterdir()] == ["clusters.csv"]


def test_export_dash_means_stdout(cli: Cli) -> None:
    assert cli("export", "-f", "csv", "-r", "SE-S", "-o", "-").stdout == VARMLAND_CSV


def test_export_contradictions(cli: Cli) -> None:
    run = cli("export", "--format", "json", "--excel", exit_code=ExitCode.USAGE)
    assert (run.stdout, run.stderr) == (
        "",
        "s3pilot: error: --excel goes with --format csv, not --format json\n",
    )


# --- info, version, help ---------------------------------------------------------------------


def test_info_says_which_registry_and_why(cli: Cli) -> None:
    lines = dict(line.split("\t", 1) for line in cli("info").stdout.splitlines())
    assert lines["name"] == "S3-piloten"
    assert lines["agency"] == "Tillväxtverket"
    assert (lines["applications"], lines["selected"]) == ("40", "22")
    assert Path(lines["registry"]).samefile(BUNDLED)
    assert lines["registry_reason"] == "bundled with s3pilot"


def test_info_json(cli: Cli, tmp_path: Path) -> None:
    copy = tmp_path / "mine.toml"
    copy.write_bytes(BUNDLED.read_bytes())
    data = json.loads(cli("--registry", str(copy), "info", "--format", "json").stdout)
    assert (data["registry"], data["registry_reason"]) == (str(copy), "given with --registry")
    assert data["offers"][0] == "utbildningar"


def test_version(cli: Cli) -> None:
    from s3pilot_cli import __version__

    assert cli("--version").stdout == f"s3pilot {__version__}\n"


@pytest.mark.parametrize(
    "command",
    ["list", "regions", "show", "contacts", "export", "info", "validate", "init", "diff", "schema"],
)
def test_every_command_has_help_with_an_example(cli: Cli, command: str) -> None:
    run = cli(command, "--help", env={"COLUMNS": "200"})
    assert f"Usage: s3pilot {command}" in run.stdout
    assert "Example: s3pilot" in run.stdout


def test_top_level_help_lists_the_exit_codes(cli: Cli) -> None:
    text = cli("--help", env={"COLUMNS": "200"}).stdout
    for line in [
        "0  success, an empty result too",
        "1  unexpected error, or a file that could not be read or written",
        "2  usage: a bad option or value, an unknown region or format",
        "3  no such cluster (or the name matches several)",
        "4  the registry file is missing or invalid",
    ]:
        assert line in text


def test_no_command_shows_the_help(cli: Cli) -> None:
    run = cli(env={"COLUMNS": "200"})
    assert run.stdout.rstrip() == cli("--help", env={"COLUMNS": "200"}).stdout.rstrip()
    assert "Usage: s3pilot" in run.stdout


# --- Unexpected errors -----------------------------------------------------------------------


def _broken(*_: object) -> None:
    raise RuntimeError("a bug")


def test_an_unexpected_error_is_one_line_with_a_hint(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(records, "regions", _broken)
    run = cli("regions", exit_code=ExitCode.FAILURE)
    assert run.stdout == ""
    assert run.stderr == (
        "s3pilot: error: unexpected RuntimeError: a bug; rerun with --debug to see where,"
        " and report it\n"
    )


def test_debug_shows_the_traceback(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(records, "regions", _broken)
    run = cli("--debug", "regions", exit_code=ExitCode.FAILURE)
    assert run.stdout == ""
    assert run.stderr.startswith("Traceback (most recent call last):")
    assert run.stderr.endswith("RuntimeError: a bug\n")


# --- Options where people put them -----------------------------------------------------------


def test_registry_and_debug_after_the_command(cli: Cli, tmp_path: Path) -> None:
    # MINIMAL holds two clusters, both in Värmland; the bundled registry 22.
    assert cli("list", "--registry", str(MINIMAL)).stdout == "Compare\nPaper Province\n"
    run = cli("export", "--format", "csv", "--registry", str(MINIMAL), "--debug")
    assert [row[0] for row in csv.reader(io.StringIO(run.stdout))] == [
        "id",
        "compare",
        "paper-province",
    ]
    assert cli("show", "paper", "--debug", "--registry", str(MINIMAL), "-f", "json").stdout


def test_registry_after_the_command_wins_over_one_before(cli: Cli) -> None:
    run = cli("--registry", "no/such/file.toml", "regions", "--registry", str(MINIMAL))
    assert run.stdout == "Värmland\t2\nUppsala\t0\n"


def test_init_takes_debug_after_the_command(cli: Cli, home: Path) -> None:
    cli("init", "--debug")
    assert (home / ".local" / "share" / "s3pilot" / "clusters.toml").is_file()


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
    assert run.stderr.startswith("s3pilot: error: --fields: unknown field colour; choose from id,")


@pytest.mark.parametrize("spelling", ["NAME", "Name", "name"])
def test_sort_ignores_case(cli: Cli, spelling: str) -> None:
    names = cli("list", "--sort", spelling).stdout.splitlines()
    assert names[:3] == ["Aerospace Cluster", "Agro Väst", "Automation Region"]


# --- Errors that say where and what to do ----------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["--registry", "", "list"], ["list", "--registry", ""], ["info", "--registry="]],
)
def test_an_empty_registry_path_is_a_usage_error(cli: Cli, args: list[str]) -> None:
    run = cli(*args, exit_code=ExitCode.USAGE)
    assert run.stdout == ""
    assert run.stderr.startswith(
        "s3pilot: error: Invalid value for '--registry': is empty; give the path of a registry"
    )
    assert run.stderr.count("\n") == 1


BROKEN = 'schema_version = 1\n[program\nname = "x"\n'


@pytest.mark.parametrize("how", ["option", "variable"])
def test_info_on_a_broken_registry_says_which_and_why(
    cli: Cli, write_registry: Callable[[str], Path], how: str
) -> None:
    broken = write_registry(BROKEN)
    if how == "option":
        run = cli("info", "--registry", str(broken), exit_code=ExitCode.BAD_REGISTRY)
        reason = "given with --registry"
    else:
        env = {"S3PILOT_REGISTRY": str(broken)}
        run = cli("info", env=env, exit_code=ExitCode.BAD_REGISTRY)
        reason = "named by $S3PILOT_REGISTRY"
    assert run.stdout == f"registry\t{broken}\nregistry_reason\t{reason}\n"
    assert run.stderr.startswith(
        f"s3pilot: error: the registry in use is invalid: {broken}:2:9: TOML syntax error"
    )
    assert run.stderr.count("\n") == 1


def test_info_json_on_a_broken_registry(cli: Cli, write_registry: Callable[[str], Path]) -> None:
    broken = write_registry(BROKEN)
    run = cli("--registry", str(broken), "info", "-f", "json", exit_code=ExitCode.BAD_REGISTRY)
    assert json.loads(run.stdout) == {
        "registry": str(broken),
        "registry_reason": "given with --registry",
    }


def test_init_where_the_data_folder_cannot_be(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A folder below a regular file cannot be made, not even by root.
    (tmp_path / "afile").write_text("a file, not a folder\n", encoding="utf-8")
    data = tmp_path / "afile" / "x"
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    run = cli("init", exit_code=ExitCode.FAILURE)
    assert run.stderr == (
        f"s3pilot: error: cannot create {data / 's3pilot'} (Not a directory); set XDG_DATA_HOME"
        " to a folder you can write to, or keep a copy anywhere and name it with --registry or"
        " $S3PILOT_REGISTRY ('s3pilot export --format toml -o FILE')\n"
    )
    assert (tmp_path / "afile").read_text(encoding="utf-8") == "a file, not a folder\n"


def test_init_without_a_home_folder(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gone = tmp_path / "nonexistent"
    monkeypatch.setenv("HOME", str(gone))
    monkeypatch.delenv("XDG_DATA_HOME")
    run = cli("init", exit_code=ExitCode.FAILURE)
    assert run.stderr == (
        f"s3pilot: error: cannot create {gone / '.local' / 'share' / 's3pilot'}: your home"
        f" folder {gone} does not exist; set HOME to your home folder, or XDG_DATA_HOME to a"
        " folder where s3pilot may keep its data\n"
    )
    assert not gone.exists()


# --- Help keeps the contract -----------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["--help"], ["list", "--help"], ["list"], ["list", "--format", "table"], ["export"]],
    ids=" ".join,
)
def test_a_reader_gone_before_the_first_line_is_no_error(args: list[str]) -> None:
    """`s3pilot --help | head -1`, made certain: the pipe is closed before s3pilot writes."""
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run(
            [installed_command(), *args],
            stdout=write,
            stderr=subprocess.PIPE,
            env={**os.environ, "COLUMNS": "100"},
            check=False,
            timeout=60,
        )
    finally:
        os.close(write)
    assert (done.returncode, done.stderr) == (0, b"")


def test_no_color_leaves_no_escape_sequence_in_help(tmp_path: Path, home: Path) -> None:
    assert "\x1b[" in in_terminal("s3pilot --help", cwd=tmp_path)  # what NO_COLOR guards against
    for command in ("s3pilot --help", "s3pilot list --help", "s3pilot list --bogus"):
        shown = in_terminal(command, env={"NO_COLOR": "1"}, cwd=tmp_path)
        assert "Usage: s3pilot" in shown or "No such option" in shown
        assert "\x1b" not in shown, command


@pytest.mark.parametrize("asked", [{"NO_COLOR": "1"}, {"TERM": "dumb"}])
def test_no_color_and_a_dumb_terminal_hold_for_every_command(
    tmp_path: Path, home: Path, server: Server, registry_text: str, asked: dict[str, str]
) -> None:
    """No escape sequence reaches the terminal from any command: no colour, no bold, no
    progress bar, not even Click's green line of --install-completion (it was coloured)."""
    registry = tmp_path / "local.toml"
    text = registry_text.replace("https://tillvaxtverket.se/klusterprogram.html", server.url("/ok"))
    registry.write_text(text.replace("https://compare.se", server.url("/ok")), encoding="utf-8")
    assert "https://" not in registry.read_text(encoding="utf-8")  # nothing leaves 127.0.0.1
    lines = [
        "--help", "list", "list --region Uppsala", "show paper", "contacts", "info", "regions",
        "validate", "diff", "list --bogus", "--install-completion bash", "list --help",
        f"check-links --registry {registry} --timeout 2",
    ]  # fmt: skip
    assert "\x1b[" in in_terminal("s3pilot --install-completion bash", cwd=tmp_path)
    for line in lines:
        shown = in_terminal(f"s3pilot {line}", env={"HOME": str(home), **asked}, cwd=tmp_path)
        assert "\x1b" not in shown, line
    assert (home / ".bash_completions" / "s3pilot.sh").is_file()  # installed in the test's home


def test_the_exit_codes_in_help_are_a_line_each(cli: Cli) -> None:
    lines = [line.strip() for line in cli("--help", env={"COLUMNS": "200"}).stdout.splitlines()]
    start = lines.index("Exit codes:")
    assert lines[start + 1 : start + 8] == [
        "0  success, an empty result too",
        "1  unexpected error, or a file that could not be read or written",
        "2  usage: a bad option or value, an unknown region or format",
        "3  no such cluster (or the name matches several)",
        "4  the registry file is missing or invalid",
        "130  interrupted (Ctrl-C); a file being written is left as it was",
        "143  terminated (SIGTERM); a file being written is left as it was",
    ]
