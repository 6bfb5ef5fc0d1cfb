"""`s3pilot regions`: every län with its number of clusters."""

import json

from s3pilot_cli import records
from tests.conftest import (
    Cli,
)


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
        # Wikidata's item as protomaps' list gives it; the areas as Tillväxtverket's list does
        "wikidata": "Q102377",
        "s3_strategy": None,
        "s3_areas": ["ICT", "Digitalisering", "Materialbearbetning"],
        "s3_url": "https://tillvaxtverket.se/amnesomraden/regional-kapacitet/smart-specialisering/"
        "smart-specialisering---region-for-region.html",
        "s3_licence": "none stated on the page",
    }
