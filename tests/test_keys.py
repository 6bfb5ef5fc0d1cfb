"""The keys that join the registry to other data: each cluster's kommun and its SCB code, each
län's Wikidata item, the regions' smart specialisation areas; and what the registry says to a
person where it must explain itself (`note`), and the programme's own facts (`info`)."""

import json
import re
import sqlite3
import tomllib
from contextlib import closing
from pathlib import Path

from tests.conftest import BUNDLED, ROOT, Cli

TOML = tomllib.loads(BUNDLED.read_text(encoding="utf-8"))
# SCB's codes, read from the packaged file itself, not through s3pilot.
PLACES = json.loads((ROOT / "s3pilot_cli" / "places.json").read_text(encoding="utf-8"))
KOMMUNER = {name: code for code, name in PLACES["kommuner"].items()}


def records(cli: Cli, command: str = "list") -> dict[str, dict[str, object]]:
    rows = json.loads(cli(command, "--format", "json").stdout)
    return {str(row.get("id") or row["code"]): row for row in rows}


def test_every_cluster_with_a_city_has_its_kommuns_code_from_places_json(cli: Cli) -> None:
    clusters = records(cli)
    with_city = [c for c in TOML["clusters"] if "city" in c]
    assert len(with_city) >= 15
    for cluster in with_city:
        record = clusters[cluster["id"]]
        assert re.fullmatch(r"[0-9]{4}", str(record["kommun_code"])), cluster["id"]
        assert KOMMUNER[str(record["kommun"])] == record["kommun_code"]
        assert str(record["kommun"]) in cluster["city"]
    assert (clusters["urban-ict-arena"]["kommun"], clusters["urban-ict-arena"]["kommun_code"]) == (
        "Stockholm",
        "0180",
    )
    for cluster in TOML["clusters"]:
        if "city" not in cluster:
            assert clusters[cluster["id"]]["kommun_code"] is None


def test_interior_clusters_vaggeryd_is_in_jonkopings_lan(cli: Cli) -> None:
    record = records(cli)["interior-cluster"]
    assert (record["kommun"], record["kommun_code"], record["region_code"]) == (
        "Vaggeryd",
        "0665",
        "SE-G",  # the programme lists it under Kronoberg
    )
    jonkoping = next(r for r in TOML["regions"] if r["code"] == "SE-F")
    assert str(record["kommun_code"]).startswith(jonkoping["lan_code"])
    shown = cli("show", "interior-cluster", "--format", "plain").stdout
    (note,) = [line for line in shown.splitlines() if line.startswith("note\t")]
    assert "Vaggeryd, is in Jönköpings län" in note
    assert "Kronoberg" in note


def test_every_lan_has_its_wikidata_item_with_a_source(cli: Cli) -> None:
    regions = records(cli, "regions")
    assert len(regions) == 21
    assert all(re.fullmatch(r"Q[1-9][0-9]*", str(r["wikidata"])) for r in regions.values())
    assert regions["SE-AB"]["wikidata"] == "Q104231"
    assert len({r["wikidata"] for r in regions.values()}) == 21
    sourced = [s for s in TOML["region_sources"] if "wikidata" in s["fields"]]
    assert sourced
    assert all(s["url"].startswith("https://") for s in sourced)


def test_the_lan_with_clusters_carry_their_strategys_areas(cli: Cli) -> None:
    regions = records(cli, "regions")
    with_areas = [r for r in regions.values() if r["clusters"] and r["s3_areas"] and r["s3_url"]]
    assert len(with_areas) >= 12
    assert all(str(r["s3_url"]).startswith(("http://", "https://")) for r in with_areas)
    assert "Materialbearbetning" in regions["SE-K"]["s3_areas"]  # type: ignore[operator]


def test_every_strategy_fact_names_its_page() -> None:
    """A region's areas and strategy come with the page that gives them (`s3_url`), read from
    the registry file itself."""
    for region in TOML["regions"]:
        if region.get("s3_areas") or region.get("s3_strategy") or region.get("s3_licence"):
            assert str(region.get("s3_url", "")).startswith(("http://", "https://")), region["code"]


def test_a_cluster_is_linked_to_an_area_only_with_a_source(cli: Cli) -> None:
    clusters = records(cli)
    regions = records(cli, "regions")
    linked = {i: c for i, c in clusters.items() if c["s3_area"]}
    assert {"techtank", "paper-province"} <= set(linked)
    for ident, cluster in linked.items():
        assert cluster["s3_area"] in regions[str(cluster["region_code"])]["s3_areas"]  # type: ignore[operator]
        (entry,) = [c for c in TOML["clusters"] if c["id"] == ident]
        assert any("s3_area" in s["fields"] for s in entry["sources"])
    shown = cli("show", "techtank", "--format", "plain").stdout
    assert "s3_area\tMaterialbearbetning\n" in shown


def test_the_areas_reach_sqlite_as_rows(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "s3pilot.db"
    cli("export", "-o", str(target))
    with closing(sqlite3.connect(target)) as db:
        db.execute("PRAGMA foreign_keys = ON")
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        areas = db.execute(
            "SELECT a.name FROM region_s3_areas AS a JOIN regions AS r ON r.code = a.region_code"
            " WHERE r.name = 'Västmanland' ORDER BY a.position"
        ).fetchall()
        assert areas == [("automation",), ("energi",), ("järnväg",), ("välfärd och hälsa",)]
        assert db.execute("SELECT wikidata FROM regions WHERE code = 'SE-BD'").fetchone() == (
            "Q103686",
        )


def test_info_shows_the_support_and_the_members(cli: Cli) -> None:
    info = json.loads(cli("info", "--format", "json").stdout)
    # Step two's call (Tillväxtverket, 2018-09-07): "Högsta belopp att söka är 1 miljon kronor för
    # två år (till och med december 2020). Ett krav är medfinansiering på 50 procent."
    assert (info["support_sek"], info["support_years"], info["cofinancing_pct"]) == (
        1000000,
        2,
        50,
    )
    assert info["members_about"] == 2400
    assert info["list_order"] == "från söder till norr"
    assert "professionalisera klusterledarrollen" in info["purpose"]
    table = cli("info", "--format", "table", env={"COLUMNS": "200"}).stdout
    assert "1,000,000" in table  # grouped for a person to read; the JSON above keeps the number
    assert "2,400" in table
    assert "to help professionalise the role of the cluster leader" in table


def test_the_programmes_facts_name_their_pages() -> None:
    program = TOML["program"]
    named = {field for source in program["sources"] for field in source["fields"]}
    new = ("purpose", "purpose_en", "support_sek", "support_years", "cofinancing_pct")
    assert {*new, "members_about", "list_order"} <= named
