"""Every command in every format, in-process: what it prints, on which stream, with which code."""

import csv
import io
import json
import tomllib
from pathlib import Path

import pytest

from s3pilot_cli import records
from s3pilot_cli.errors import ExitCode
from tests.conftest import BUNDLED, Cli

VARMLAND_CSV = (
    "id,name,region,region_code,lan_code,county,nuts3,region_body,city,website,focus,aliases\r\n"
    "compare,Compare,Värmland,SE-S,17,Värmlands län,SE311,Region Värmland,Karlstad,"
    "https://compare.se,IT and telecom,\r\n"
    "paper-province,Paper Province,Värmland,SE-S,17,Värmlands län,SE311,Region Värmland,"
    "Karlstad,https://paperprovince.com,forest bioeconomy,The Paper Province\r\n"
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
        "s3pilot: error: unknown region 'Varmlnd'; did you mean Värmland or Västmanland or"
        " Jämtland? ('s3pilot regions' lists all 21)\n"
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
    assert tsv[0] == "\t".join(records.CLUSTER_FIELDS)
    assert tsv[1].split("\t")[:3] == ["compare", "Compare", "Värmland"]
    assert len(tsv) == 3


def test_list_json_records_carry_every_field_in_order(cli: Cli) -> None:
    run = cli("list", "--region", "Värmland", "--format", "json")
    assert "Värmland" in run.stdout  # UTF-8, not \\u escapes
    data = json.loads(run.stdout)
    assert list(data[1]) == list(records.CLUSTER_FIELDS)
    assert data[1] == {
        "id": "paper-province",
        "name": "Paper Province",
        "region": "Värmland",
        "region_code": "SE-S",
        "lan_code": "17",
        "county": "Värmlands län",
        "nuts3": "SE311",
        "region_body": "Region Värmland",
        "city": "Karlstad",
        "website": "https://paperprovince.com",
        "focus": "forest bioeconomy",
        "aliases": ["The Paper Province"],
    }
    assert data[0]["aliases"] == []


def test_list_jsonl_is_one_object_a_line(cli: Cli) -> None:
    lines = cli("list", "--format", "jsonl").stdout.splitlines()
    assert len(lines) == 22
    entreprenor = json.loads(lines[18])
    assert entreprenor["name"] == "Entreprenörsdrivet Företagsnav"
    assert (entreprenor["city"], entreprenor["website"], entreprenor["focus"]) == (None,) * 3


def test_format_is_case_insensitive(cli: Cli) -> None:
    assert cli("list", "-r", "SE-S", "--format", "CSV").stdout == VARMLAND_CSV


def test_a_format_a_command_does_not_write(cli: Cli) -> None:
    run = cli("list", "--format", "vcard", exit_code=ExitCode.USAGE)
    assert run.stdout == ""
    assert run.stderr == (
        "s3pilot: error: 'list' cannot write --format vcard; it writes table, plain, tsv, csv,"
        " json, jsonl, markdown\n"
    )


def test_an_unknown_format(cli: Cli) -> None:
    run = cli("list", "--format", "xml", exit_code=ExitCode.USAGE)
    assert run.stdout == ""
    assert run.stderr.startswith("s3pilot: error: Invalid value for '--format' / '-f': 'xml'")
    assert run.stderr.endswith("(see 's3pilot list --help')\n")
    assert run.stderr.count("\n") == 1


def test_an_unknown_option(cli: Cli) -> None:
    run = cli("list", "--regoin", "x", exit_code=ExitCode.USAGE)
    assert run.stderr == (
        "s3pilot: error: No such option: --regoin (Possible options: --region)"
        " (see 's3pilot list --help')\n"
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
COUNT_RECORDS = {
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
        # a field a line: the cluster fields, or the eight fields of info (README)
        count = len(records.CLUSTER_FIELDS) if args[0] == "show" else 8
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
    ]


def test_show_json_is_one_object(cli: Cli) -> None:
    data = json.loads(cli("show", "IUC Syd", "--format", "json").stdout)
    assert (data["id"], data["region"], data["aliases"]) == ("iuc-skane", "Skåne", ["IUC Syd"])


def test_show_csv_is_a_header_and_one_row(cli: Cli) -> None:
    rows = list(csv.reader(io.StringIO(cli("show", "georange", "--format", "csv").stdout)))
    assert rows[0] == list(records.CLUSTER_FIELDS)
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
    assert list(document) == ["schema_version", "program", "contacts", "regions", "clusters"]


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
    assert lines[0] == "| " + " | ".join(records.CLUSTER_FIELDS) + " |"
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


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--format", "table"],
            "'export' cannot write --format table;"
            " it writes csv, tsv, json, jsonl, markdown, toml, registry-json",
        ),
        (["--format", "json", "--excel"], "--excel goes with --format csv, not --format json"),
    ],
)
def test_export_contradictions(cli: Cli, args: list[str], message: str) -> None:
    run = cli("export", *args, exit_code=ExitCode.USAGE)
    assert (run.stdout, run.stderr) == ("", f"s3pilot: error: {message}\n")


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
    "command", ["list", "regions", "show", "contacts", "export", "info", "validate", "init"]
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
