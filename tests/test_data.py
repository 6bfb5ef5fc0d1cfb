"""The bundled registry says what the programme page and the reference facts say.

Every expected value here is typed from the sources (the programme page, Sweden's list of län),
not read back from data/clusters.toml.
"""

import tomllib
from pathlib import Path

import pytest
import tomli_w

from s3pilot_cli import registry, schema
from s3pilot_cli.lookup import RegionIndex, find_regions
from s3pilot_cli.model import Registry
from s3pilot_cli.textrules import fold
from tests.conftest import BUNDLED

# The page's list, in its order: name, region as the page spells it, and that region's ISO code.
PAGE = [
    ("Mobile Heights", "Skåne", "SE-M"),
    ("IUC Skåne", "Skåne", "SE-M"),
    ("TechTank", "Bleking", "SE-K"),
    ("Interior Cluster", "Kronoberg", "SE-G"),
    ("Automation Småland", "Jönköping", "SE-F"),
    ("Smart Textiles", "Västra Götaland", "SE-O"),
    ("Agro Väst", "Västra Götaland", "SE-O"),
    ("Mjärdevi science park", "Östergötland", "SE-E"),
    ("Aerospace Cluster", "Östergötland", "SE-E"),
    ("Urban ICT Arena", "Stockholm", "SE-AB"),
    ("Tillverkningstekniskt centrum", "Örebro", "SE-T"),
    ("Compare", "Värmland", "SE-S"),
    ("Paper Province", "Värmland", "SE-S"),
    ("Automation Region", "Västmanland", "SE-U"),
    ("Järnvägsklustret", "Västmanland", "SE-U"),
    ("Triple Steelix", "Dalarna", "SE-W"),
    ("Visit Dalarna", "Dalarna", "SE-W"),
    ("Fiber Optic Valley", "Gävleborg", "SE-X"),
    ("Entreprenörsdrivet Företagsnav", "Jämtland-Härjedalen", "SE-Z"),
    ("Bron Innovation", "Västernorrland", "SE-Y"),
    ("Georange", "Västerbotten", "SE-AC"),
    ("Datacenter", "Norrbotten", "SE-BD"),
]

# Sweden's 21 län: ISO 3166-2, länskod, short name, county, NUTS 3 (2021), regional body.
LAN = [
    ("SE-AB", "01", "Stockholm", "Stockholms län", "SE110", "Region Stockholm"),
    ("SE-C", "03", "Uppsala", "Uppsala län", "SE121", "Region Uppsala"),
    ("SE-D", "04", "Södermanland", "Södermanlands län", "SE122", "Region Sörmland"),
    ("SE-E", "05", "Östergötland", "Östergötlands län", "SE123", "Region Östergötland"),
    ("SE-F", "06", "Jönköping", "Jönköpings län", "SE211", "Region Jönköpings län"),
    ("SE-G", "07", "Kronoberg", "Kronobergs län", "SE212", "Region Kronoberg"),
    ("SE-H", "08", "Kalmar", "Kalmar län", "SE213", "Region Kalmar län"),
    ("SE-I", "09", "Gotland", "Gotlands län", "SE214", "Region Gotland"),
    ("SE-K", "10", "Blekinge", "Blekinge län", "SE221", "Region Blekinge"),
    ("SE-M", "12", "Skåne", "Skåne län", "SE224", "Region Skåne"),
    ("SE-N", "13", "Halland", "Hallands län", "SE231", "Region Halland"),
    ("SE-O", "14", "Västra Götaland", "Västra Götalands län", "SE232", "Västra Götalandsregionen"),
    ("SE-S", "17", "Värmland", "Värmlands län", "SE311", "Region Värmland"),
    ("SE-T", "18", "Örebro", "Örebro län", "SE124", "Region Örebro län"),
    ("SE-U", "19", "Västmanland", "Västmanlands län", "SE125", "Region Västmanland"),
    ("SE-W", "20", "Dalarna", "Dalarnas län", "SE312", "Region Dalarna"),
    ("SE-X", "21", "Gävleborg", "Gävleborgs län", "SE313", "Region Gävleborg"),
    ("SE-Y", "22", "Västernorrland", "Västernorrlands län", "SE321", "Region Västernorrland"),
    ("SE-Z", "23", "Jämtland", "Jämtlands län", "SE322", "Region Jämtland Härjedalen"),
    ("SE-AC", "24", "Västerbotten", "Västerbottens län", "SE331", "Region Västerbotten"),
    ("SE-BD", "25", "Norrbotten", "Norrbottens län", "SE332", "Region Norrbotten"),
]


@pytest.fixture(scope="module")
def bundled() -> Registry:
    return registry.read(BUNDLED)


def test_the_22_clusters_in_the_pages_order(bundled: Registry) -> None:
    assert [(c.name, c.region) for c in bundled.clusters] == [(n, code) for n, _, code in PAGE]


def test_every_region_the_page_names_finds_the_clusters_region(bundled: Registry) -> None:
    """The page's own spellings, slips included, still find the right län."""
    for name, page_region, code in PAGE:
        assert [r.code for r in find_regions(bundled, [page_region])] == [code], name


def test_the_21_lan(bundled: Registry) -> None:
    found = [(r.code, r.lan_code, r.name, r.county, r.nuts3, r.body) for r in bundled.regions]
    assert found == LAN


def test_every_name_and_code_of_a_region_finds_it_alone(bundled: Registry) -> None:
    """No county letter, short länskod, name or word of a name is another region's code or
    name: each finds its own region, and only it (LAN above, from Sweden's list of län)."""
    index = RegionIndex(bundled.regions)
    for code, lan_code, name, county, _, body in LAN:
        letters = code.removeprefix("SE-")
        for query in (code, letters, lan_code, str(int(lan_code)), name, county, body):
            assert [r.code for r in index.matches(query)] == [code], query
        for word in {*fold(name).split(), *fold(county).split(), *fold(body).split()}:
            if word not in {"region", "lan"}:  # words shared by many: ambiguous, and so tested
                assert [r.code for r in index.matches(word)] == [code], word


def test_cluster_counts_per_region(bundled: Registry) -> None:
    counts = {r.name: len(bundled.clusters_in(r.code)) for r in bundled.regions}
    assert counts["Värmland"] == 2
    assert counts["Skåne"] == 2
    assert counts["Uppsala"] == 0
    assert sum(counts.values()) == 22
    assert sorted(name for name, count in counts.items() if count) == sorted(
        {page_region for _, page_region, _ in PAGE} - {"Bleking", "Jämtland-Härjedalen"}
        | {"Blekinge", "Jämtland"}
    )


def test_the_programme(bundled: Registry) -> None:
    program = bundled.program
    assert (program.name, program.agency) == ("S3-piloten", "Tillväxtverket")
    assert (program.applications, program.selected) == (40, 22)
    assert program.offers == (
        "utbildningar",
        "nätverksträffar",
        "internationella kontakter",
        "finansiellt stöd för företagsutveckling",
    )
    assert program.source_url == (
        "https://tillvaxtverket.se/amnesomraden/regional-kapacitet/smart-specialisering/"
        "klusterprogram.html"
    )
    assert "stärka klusters kompetens" in program.summary
    # The day the registry was compiled from its sources (git log -- data/clusters.toml).
    assert program.checked == "2026-11-27"


def test_contacts_with_derived_email_and_e164(bundled: Registry) -> None:
    found = [(c.name, c.phone, c.phone_e164, bundled.email(c)) for c in bundled.contacts]
    assert found == [
        ("Ewa Andersson", "08-681 94 51", "+4686819451", "ewa.andersson@tillvaxtverket.se"),
        (
            "Cecilia Johansson",
            "08-681 91 32",
            "+4686819132",
            "cecilia.johansson@tillvaxtverket.se",
        ),
    ]


def test_sourced_facts_from_the_reference(bundled: Registry) -> None:
    by_name = {c.name: c for c in bundled.clusters}
    assert by_name["IUC Skåne"].aliases == ("IUC Syd",)
    assert by_name["TechTank"].city == "Olofström"
    assert by_name["Paper Province"].website == "https://paperprovince.com"
    assert by_name["Georange"].city == "Malå"
    # No source, no field: nothing but the name and region for this one.
    entreprenor = by_name["Entreprenörsdrivet Företagsnav"]
    assert (entreprenor.city, entreprenor.website, entreprenor.focus) == (None, None, None)
    # ECCP's S3 Cluster Pilot page lists it (the cluster's sources say so).
    assert by_name["Aerospace Cluster"].website == "https://aerospaceclustersweden.com"
    assert by_name["Triple Steelix"].city is None  # no page names its seat


def test_ids_are_stable_ascii_slugs(bundled: Registry) -> None:
    ids = [c.id for c in bundled.clusters]
    assert ids[:3] == ["mobile-heights", "iuc-skane", "techtank"]
    assert len(set(ids)) == 22
    assert all(i.isascii() and i == i.lower() for i in ids)


def test_written_back_and_read_again_unchanged(bundled: Registry, tmp_path: Path) -> None:
    document = schema.to_document(bundled)
    assert document == tomllib.loads(BUNDLED.read_text(encoding="utf-8"))
    copy = tmp_path / "copy.toml"
    copy.write_text(tomli_w.dumps(document), encoding="utf-8")
    assert registry.read(copy) == bundled
