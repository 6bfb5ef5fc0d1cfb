"""Sources as data: every fact of the bundled registry names its page, and the sources reach
the places people meet the facts (show, the records, csv, SQLite, xlsx, diff), each read back
with its real reader; a registry's sources are checked with their place."""

import csv
import io
import json
import re
import sqlite3
import tomllib
from collections import Counter
from contextlib import closing
from pathlib import Path

import openpyxl
import pytest

import s3pilot_cli
from s3pilot_cli.errors import ExitCode
from tests.conftest import BUNDLED, MINIMAL, ROOT, Cli

TOML = tomllib.loads(BUNDLED.read_text(encoding="utf-8"))
# What a cluster has without a source: the programme page gives these for all 22.
# (an event names its own page; the kommun and its code are places.json's, as test_keys holds)
UNSOURCED = {"id", "name", "region", "sources", "events", "kommun", "kommun_code"}


def test_every_field_of_every_cluster_names_a_source() -> None:
    for cluster in TOML["clusters"]:
        named = {field for source in cluster.get("sources", []) for field in source["fields"]}
        missing = set(cluster) - UNSOURCED - named
        assert not missing, f"{cluster['id']}: no source for {sorted(missing)}"


def test_a_source_supports_only_fields_the_cluster_has() -> None:
    """A source naming a field the entry does not hold would be a fact left half-written."""
    for cluster in TOML["clusters"]:
        for source in cluster.get("sources", []):
            assert set(source["fields"]) <= set(cluster), (cluster["id"], source["url"])


def test_the_programmes_fields_name_their_sources_too() -> None:
    program = TOML["program"]
    named = {field for source in program["sources"] for field in source["fields"]}
    # `checked` is the registry's own date, not a fact of a page; an event names its own page.
    assert set(program) - {"sources", "checked", "events"} <= named


# The days the pages were read: the first reading, and the second, for the events and keys.
READ_ON = ("2026-11-30", TOML["program"]["checked"], "2026-12-06")


def test_every_source_is_an_http_page_read_on_a_real_day() -> None:
    lists = [TOML["program"]["sources"], TOML["region_sources"]]
    lists += [cluster.get("sources", []) for cluster in TOML["clusters"]]
    for sources in lists:
        for source in sources:
            assert re.fullmatch(r"https?://[^\s/]+/?\S*", source["url"])
            assert source["read"] in READ_ON


def field_counts() -> dict[str, int]:
    counts: Counter[str] = Counter()
    for cluster in TOML["clusters"]:
        counts.update(key for key, value in cluster.items() if value)
    return counts


def test_the_manuals_table_of_field_counts_is_the_registrys() -> None:
    page = (ROOT / "docs" / "registry.md").read_text(encoding="utf-8")
    table = page.split("<!-- field-counts -->\n")[1].split("<!-- /field-counts -->")[0]
    rows = [line.strip("|").split("|") for line in table.splitlines()[2:]]
    shown = {field.strip().strip("`"): int(count) for field, count in rows}
    counts = field_counts()
    expected = {field: counts[field] for field in shown}
    assert shown == expected
    assert set(shown) == set(counts) - {"id", "name", "region"}


def test_renamed_clusters_are_found_under_their_new_names(cli: Cli) -> None:
    # https://opentech.se/?p=189: "Mobile Heights is now OpenTech!"
    shown = json.loads(cli("show", "opentech", "--format", "json").stdout)
    assert (shown["id"], shown["name"], shown["now_called"]) == (
        "mobile-heights",
        "Mobile Heights",
        "OpenTech",
    )
    found = cli("list", "--search", "opentech", "--format", "plain", "--fields", "id").stdout
    assert found == "mobile-heights\n"
    # The rename page: Science Park Mjärdevi AB becomes Linköping Science Park AB.
    assert cli("show", "linköping science", "--format", "plain").stdout.startswith(
        "id\tmjardevi-science-park\n"
    )
    assert "now_called\tLinköping Science Park\n" in cli("show", "mjardevi").stdout


def test_show_lists_the_sources(cli: Cli) -> None:
    lines = cli("show", "georange").stdout.splitlines()
    assert next(line for line in lines if line.startswith("sources\t")) == (
        "sources\thttps://georange.se/om-oss/; https://www.norran.se/affarsliv/"
        "800-000-i-stod-till-forening-i-mala-for-utokat-samarbete-mellan-gruv-och-spelindustrin/"
        "; http://www.georange.se/pages.aspx?r_id=34026"  # its focus_sv
    )


def test_the_records_and_csv_carry_the_urls(cli: Cli) -> None:
    records = {r["id"]: r for r in s3pilot_cli.cluster_records()}
    assert records["compare"]["sources"] == [
        "https://www.compare.se/nyhet/compare-firade-15-ar-med-valbesokt-lunchmote"
    ]
    assert records["entreprenorsdrivet-foretagsnav"]["sources"] == []
    rows = list(csv.DictReader(io.StringIO(cli("export", "--format", "csv").stdout)))
    by_id = {row["id"]: row for row in rows}
    assert by_id["compare"]["sources"] == records["compare"]["sources"][0]
    assert by_id["paper-province"]["sources"].split("; ") == records["paper-province"]["sources"]


def test_sqlite_has_a_sources_table_joined_to_clusters(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "s3pilot.db"
    cli("export", "--format", "sqlite", "-o", str(target))
    with closing(sqlite3.connect(target)) as db:
        db.execute("PRAGMA foreign_keys = ON")
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        rows = db.execute(
            "SELECT c.name, s.url, s.fields, s.read FROM clusters AS c"
            " JOIN sources AS s ON s.cluster_id = c.id WHERE c.id = 'jarnvagsklustret'"
        ).fetchall()
        total = db.execute("SELECT count(*) FROM sources").fetchone()[0]
        program = db.execute(
            "SELECT call_opened, kickoff, first_year, last_year, later_selected FROM program"
        ).fetchone()
    assert rows == [
        (
            "Järnvägsklustret",
            "http://jarnvagsklustret.se/250-2/",
            "city; website; focus; founded; kind",
            "2026-11-30",
        ),
        (
            "Järnvägsklustret",
            "https://naringsliv.se/legacy/jarnvagsklustret-i-vasteras-2/",
            "focus_sv",
            "2026-11-30",
        ),
    ]
    assert total == sum(len(c.get("sources", [])) for c in TOML["clusters"])
    assert program == ("2018-03-26", "2018-08", 2018, 2021, "ett 20-tal")


def test_the_workbook_has_a_sources_sheet(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "s3pilot.xlsx"
    cli("export", "--format", "xlsx", "-o", str(target))
    sheet = openpyxl.load_workbook(target)["Sources"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("cluster_id", "position", "url", "fields", "read", "caveat")
    first = TOML["clusters"][0]
    assert rows[1] == (
        first["id"],
        1,
        first["sources"][0]["url"],
        "; ".join(first["sources"][0]["fields"]),
        first["sources"][0]["read"],
        first["sources"][0].get("caveat"),
    )
    assert len(rows) - 1 == sum(len(c.get("sources", [])) for c in TOML["clusters"])
    assert sheet["C2"].hyperlink.target == first["sources"][0]["url"]


def test_diff_reports_a_changed_source(cli: Cli, tmp_path: Path) -> None:
    text = BUNDLED.read_text(encoding="utf-8")
    changed = tmp_path / "changed.toml"
    old_url = "http://jarnvagsklustret.se/250-2/"
    changed.write_text(  # the source; the event that cites the page stays
        text.replace(
            f'url = "{old_url}", fields', 'url = "https://jarnvagsklustret.se/om/", fields'
        ),
        "utf-8",
    )
    run = cli("diff", str(BUNDLED), str(changed), "--format", "json", exit_code=1)
    (record,) = json.loads(run.stdout)
    assert (record["kind"], record["key"], record["field"]) == (
        "changed",
        "cluster:jarnvagsklustret",
        "sources",
    )
    fields = "city, website, focus, founded, kind; read 2026-11-30"
    same = "https://naringsliv.se/legacy/jarnvagsklustret-i-vasteras-2/ (focus_sv; read 2026-11-30)"
    assert record["old"] == [f"{old_url} ({fields})", same]
    assert record["new"] == [f"https://jarnvagsklustret.se/om/ ({fields})", same]


def test_diff_reports_a_changed_region_source(cli: Cli, tmp_path: Path) -> None:
    text = BUNDLED.read_text(encoding="utf-8")
    changed = tmp_path / "changed.toml"
    changed.write_text(text.replace('fields = ["nuts3"]', 'fields = ["nuts3", "county"]'), "utf-8")
    run = cli("diff", str(BUNDLED), str(changed), "--format", "json", exit_code=1)
    (record,) = json.loads(run.stdout)
    assert (record["key"], record["field"]) == ("region_sources", "sources")


def test_info_shows_the_programmes_course(cli: Cli) -> None:
    info = dict(
        line.split("\t", 1) for line in cli("info", "--format", "plain").stdout.splitlines()
    )
    # The call page's address: .../2018-03-26-kluster-med-koppling-till-smart-...;
    # ECCP, 19 September 2018: "gathered in Stockholm at the end of August for the kick-off".
    assert (info["call_opened"], info["kickoff"], info["period"]) == (
        "2018-03-26",
        "2018-08",
        "2018-2021",
    )
    assert info["selected"] == "22"
    assert info["later_selected"] == "ett 20-tal"
    assert info["later_url"].endswith("/klusterprogram---s3-piloten.html")


def test_a_registry_without_sources_is_still_version_1(cli: Cli) -> None:
    assert "sources" not in MINIMAL.read_text(encoding="utf-8")
    assert cli("validate", str(MINIMAL)).stdout.startswith("ok\t")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'read = "2026-11-30"',
            'read = "2026-02-30"',
            "{path}:{line}: [program]: sources[2].read: '2026-02-30' is not a real date like"
            " 2026-11-27",
        ),
        (
            '{ url = "https://opentech.se/?p=189"',  # a source's (an event's begins with date)
            '{ url = "ftp://opentech.se/"',
            "{path}:{line}: cluster #1 'mobile-heights': sources[1].url: 'ftp://opentech.se/'"
            " is not an http:// or https:// address (without a user name or password)",
        ),
        (
            '{ url = "https://opentech.se/?p=189"',  # a source's, as above
            '{ url = "http://user:pw@opentech.se/?p=189"',
            "{path}:{line}: cluster #1 'mobile-heights': sources[1].url:"
            " 'http://user:pw@opentech.se/?p=189' is not an http:// or https:// address"
            " (without a user name or password)",
        ),
        (
            '"now_called", "founded", "founded_note"',
            '"now_called", "colour"',
            "{path}:{line}: cluster #1 'mobile-heights': sources[1].fields: 'colour' is not a"
            " field of this table; name one of: id, name, region, city, kommun, kommun_code,"
            " website, focus,"
            " focus_sv, aliases, now_called, founded, founded_note, kind, label, note, note_sv,"
            " s3_area, eccp_url",
        ),
        (
            'label = "Gold 2018"',
            'label = "Gold"',
            "{path}:{line}: cluster #13 'paper-province': label: 'Gold' is not a level (Bronze,"
            " Silver, Gold) and a year from 2009 on, like Bronze 2018",
        ),
    ],
    ids=["no such day", "not http", "a password", "no such field", "label without a year"],
)
def test_validate_places_each_source_problem(
    cli: Cli, tmp_path: Path, old: str, new: str, expected: str
) -> None:
    text = BUNDLED.read_text(encoding="utf-8")
    broken = text.replace(old, new, 1)
    assert broken != text
    line = broken[: broken.index(new)].count("\n") + 1
    path = tmp_path / "clusters.toml"
    path.write_text(broken, encoding="utf-8")
    run = cli("validate", str(path), exit_code=ExitCode.BAD_REGISTRY)
    assert expected.format(path=path, line=line) in run.stderr


def test_the_maps_footer_carries_the_period(cli: Cli, tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    target = tmp_path / "map.svg"
    cli("map", "-o", str(target))
    svg = "{http://www.w3.org/2000/svg}"
    root = ET.parse(target).getroot()  # noqa: S314 (s3pilot's own output, in a test)
    footer = root.find(f".//{svg}g[@id='sources']")
    assert footer is not None
    lines = [text.text for text in footer.iter(f"{svg}text")]
    # The registry's period, 2018-2021, with the en dash a range of years takes in print.
    assert lines[0] == "Clusters: S3-piloten (2018\u20132021), Tillväxtverket, checked 2026-11-27"


def test_the_data_packages_programme_carries_the_period(tmp_path: Path) -> None:
    import zipfile

    from s3pilot_cli.formats.datapackage import write_datapackage

    target = tmp_path / "s3pilot.zip"
    write_datapackage(target, s3pilot_cli.load())
    with zipfile.ZipFile(target) as archive:
        (programme,) = csv.DictReader(io.StringIO(archive.read("programme.csv").decode()))
        sources = list(csv.DictReader(io.StringIO(archive.read("sources.csv").decode())))
    assert (programme["first_year"], programme["last_year"], programme["period"]) == (
        "2018",
        "2021",
        "2018-2021",
    )
    assert len(sources) == sum(len(c.get("sources", [])) for c in TOML["clusters"])


def test_a_region_source_problem_is_placed_at_its_table(cli: Cli, tmp_path: Path) -> None:
    text = BUNDLED.read_text(encoding="utf-8")
    old = 'url = "https://sv.wikipedia.org/wiki/Kommunkod"'
    broken = text.replace(old, 'url = "sv.wikipedia.org/wiki/Kommunkod"')
    line = broken[: broken.index('url = "sv.wikipedia')].count("\n") + 1
    path = tmp_path / "clusters.toml"
    path.write_text(broken, encoding="utf-8")
    run = cli("validate", str(path), exit_code=ExitCode.BAD_REGISTRY)
    assert (
        f"{path}:{line}: region_source #2: url: 'sv.wikipedia.org/wiki/Kommunkod' is not an"
        " http:// or https:// address (without a user name or password)"
    ) in run.stderr


def test_an_unquoted_date_is_told_to_take_quotes(cli: Cli, tmp_path: Path) -> None:
    text = BUNDLED.read_text(encoding="utf-8")
    broken = text.replace('read = "2026-11-30" },', "read = 2026-11-30 },", 1)
    path = tmp_path / "clusters.toml"
    path.write_text(broken, encoding="utf-8")
    run = cli("validate", str(path), exit_code=ExitCode.BAD_REGISTRY)
    assert "read: must be a string, not a date or time; put it in quotes:" in run.stderr
