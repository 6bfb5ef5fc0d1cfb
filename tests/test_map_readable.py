"""`s3pilot map` as its readers meet it: rendered by two SVG renderers nobody here wrote
(resvg, and CairoSVG, which WeasyPrint uses), its labels checked as geometry with shapely, and
its text read back by an XML parser, whatever the title or the size of the registry."""

import io
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import INTEROP

pytest.importorskip("numpy", reason=f"numpy {INTEROP}")
pytest.importorskip("resvg_py", reason=f"resvg_py {INTEROP}")
pytest.importorskip("shapely", reason=f"shapely {INTEROP}")
pytest.importorskip("PIL", reason=f"PIL (pillow) {INTEROP}")

import numpy as np
import resvg_py
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from tests.conftest import BUNDLED, MINIMAL, Cli, installed_command, interop
from tests.test_map import SVG, drawn, lan_paths, parse

pytestmark = pytest.mark.slow  # see pyproject.toml: the quick loop leaves this file out

TOML = tomllib.loads(BUNDLED.read_text(encoding="utf-8"))
Renderer = Callable[[str, int], "np.ndarray[tuple[int, ...], np.dtype[np.uint8]]"]


def resvg(svg: str, zoom: int) -> "np.ndarray[tuple[int, ...], np.dtype[np.uint8]]":
    png = bytes(resvg_py.svg_to_bytes(svg_string=svg, zoom=zoom))
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def cairo(svg: str, zoom: int) -> "np.ndarray[tuple[int, ...], np.dtype[np.uint8]]":
    try:
        cairosvg = interop("cairosvg")
    except OSError as error:  # cairocffi finds no libcairo
        pytest.skip(f"CairoSVG needs the system's libcairo (apt-get install libcairo2): {error}")
    png = cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=zoom)
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


RENDERERS = pytest.mark.parametrize("render", [resvg, cairo], ids=["resvg", "cairosvg"])
ZOOMS = pytest.mark.parametrize("zoom", [1, 2])


def registry_with(extra_per_region: int, regions: int = 21) -> str:
    """The bundled registry and `extra_per_region` more clusters in each of its first
    `regions` regions."""
    extra = "".join(
        f'\n[[clusters]]\nid = "x{i}-{j}"\nname = "Kluster {i}-{j}"\nregion = "{region["code"]}"\n'
        for i, region in enumerate(TOML["regions"][:regions])
        for j in range(extra_per_region)
    )
    return BUNDLED.read_text(encoding="utf-8") + extra


def labels(root: ET.Element) -> Iterator[ET.Element]:
    """The labels on the map: each län's numbers, or its letter."""
    for group in ("numbers", "letters"):
        found = root.find(f"{SVG}g[@id='{group}']")
        if found is not None:
            yield from found


def ink_box(label: ET.Element, size: float) -> shapely.Polygon:
    """The ink of a label, from DejaVu Sans Bold's advance widths (digits 1425/2048 em, the
    en dash 1024/2048, capitals at most 1685/2048), cap height 0.73 em above the baseline."""
    text = label.text or ""
    width = sum(0.5 if c == "\u2013" else 0.7 if c.isdigit() else 0.83 for c in text) * size
    x, y = float(label.attrib["x"]), float(label.attrib["y"])
    return shapely.box(x - width / 2, y - size * 0.75, x + width / 2, y + size * 0.1)


# --- The numbers read the same in every renderer --------------------------------------------------


@RENDERERS
@ZOOMS
def test_every_number_is_dark_ink_on_a_white_halo(render: Renderer, zoom: int, cli: Cli) -> None:
    """Inside each number's box, dark ink (the digits) and white (the halo around them). In
    CairoSVG, which ignores paint-order, a halo painted as the text's stroke covered the digits:
    no ink at all, a white smudge."""
    svg = cli("map").stdout
    pixels = render(svg, zoom)
    numbers = parse(svg).find(f"{SVG}g[@id='numbers']")
    assert numbers is not None
    assert len(numbers) == 16
    for label in numbers:
        left, top, right, bottom = (round(v * zoom) for v in ink_box(label, 13).bounds)
        box = pixels[top:bottom, left:right].astype(int)
        ink = (box.max(axis=2) < 90).mean()  # INK is #1a1a1a; the darkest blue has 156
        white = (box.min(axis=2) > 235).mean()
        assert ink > 0.12, (label.text, ink)
        assert white > 0.1, (label.text, white)


# --- A label lies inside its län, or off the land with a leader line ------------------------------


@pytest.mark.parametrize(
    ("extra", "regions"),
    [(0, 21), (5, 19), (8, 21)],
    ids=["bundled", "117 clusters", "8 more in every län"],
)
def test_each_label_lies_inside_its_lan_or_off_the_land_with_a_leader(
    cli: Cli, write_registry: Callable[..., Path], extra: int, regions: int
) -> None:
    path = write_registry(registry_with(extra, regions))
    root = parse(cli("--registry", str(path), "map").stdout)
    areas = {code: drawn(path) for code, path in lan_paths(root).items()}
    land = shapely.union_all(list(areas.values()))
    group = root.find(f"{SVG}g[@id='leaders']")
    leaders = (
        {}
        if group is None
        else {line.attrib["data-lan"]: line for line in group.iter(f"{SVG}line")}
    )
    off_land = []
    for label in labels(root):
        code = label.attrib["data-lan"]
        box = ink_box(label, 13)
        if areas[code].contains(box):
            assert code not in leaders, f"{label.text}: a leader to a label on its own län"
            continue
        assert not land.intersects(box), f"{label.text} on län {code} spills over a border"
        line = leaders[code]
        start = shapely.Point(float(line.attrib["x1"]), float(line.attrib["y1"]))
        end = shapely.Point(float(line.attrib["x2"]), float(line.attrib["y2"]))
        assert areas[code].contains(start), f"{label.text}: the leader starts on its län"
        assert end.distance(box) < 6, f"{label.text}: the leader ends at its label"
        off_land.append(label.text)
    assert len(off_land) == len(leaders)
    if extra == 0:
        # The two once crowded: 10 to 11 on Västmanland, and the small Blekinge's "20".
        assert {"10\u201311", "20"} <= set(off_land)


# --- The län without clusters are lettered --------------------------------------------------------


def test_lan_without_clusters_carry_a_letter_that_the_legend_names(cli: Cli) -> None:
    root = parse(cli("map").stdout)
    paths = lan_paths(root)
    empty = {code for code, path in paths.items() if path.attrib["data-clusters"] == "0"}
    assert empty == {"03", "04", "08", "09", "13"}  # Uppsala, Söderm., Kalmar, Gotland, Halland
    letters = root.find(f"{SVG}g[@id='letters']")
    assert letters is not None
    on_map = {label.attrib["data-lan"]: label.text or "" for label in letters}
    assert set(on_map) == empty
    assert sorted(on_map.values()) == ["A", "B", "C", "D", "E"]
    legend = root.find(f"{SVG}g[@id='legend']")
    assert legend is not None
    names = {r["lan_code"]: r["name"] for r in TOML["regions"]}
    keyed = {t.attrib["data-lan"]: t for t in legend.iter(f"{SVG}text") if "data-lan" in t.attrib}
    assert set(keyed) == empty
    for code, entry in keyed.items():
        letter = entry.find(f"{SVG}tspan")
        assert letter is not None
        assert letter.text == on_map[code]
        assert "".join(entry.itertext()) == f"{on_map[code]} {names[code]}"


def test_lan_whose_shortened_names_are_the_same_are_both_in_the_legend(
    cli: Cli, write_registry: Callable[..., Path]
) -> None:
    """Two län without clusters whose names differ only past the shortening."""
    same = "Region med ett mycket långt namn som inte tar slut"  # longer than any shortening
    text = (
        BUNDLED.read_text(encoding="utf-8")
        .replace('name = "Uppsala"', f'name = "{same} i norr"')
        .replace('name = "Gotland"', f'name = "{same} i söder"')
    )
    assert text.count(same) == 2
    root = parse(cli("--registry", str(write_registry(text)), "map").stdout)
    legend = root.find(f"{SVG}g[@id='legend']")
    assert legend is not None
    keyed = {t.attrib["data-lan"]: t for t in legend.iter(f"{SVG}text") if "data-lan" in t.attrib}
    shown = [
        (e.text or "") + (e.tail or "") for e in legend.iter() if e.tag != f"{SVG}title"
    ]  # the text drawn: a <title> shows only on hover
    assert sum(text.count("Region med") for text in shown) == 2
    assert len(keyed) == 5  # Uppsala, Södermanland, Kalmar, Gotland and Halland
    assert keyed["03"].findtext(f"{SVG}title") == f"{same} i norr"
    assert keyed["09"].findtext(f"{SVG}title") == f"{same} i söder"
    letters = [t.find(f"{SVG}tspan") for t in keyed.values()]
    assert len({t.text for t in letters if t is not None}) == 5


# --- The legend speaks to a reader who never saw the command --------------------------------------


def test_the_legend_says_marked_not_a_command_line_option(cli: Cli) -> None:
    svg = cli("map", "--region", "Värmland").stdout
    legend = parse(svg).find(f"{SVG}g[@id='legend']")
    assert legend is not None
    assert "marked" in [t.text for t in legend.iter(f"{SVG}text")]
    assert "--" not in "".join(legend.itertext())


# --- A long title wraps, never clipped ------------------------------------------------------------


@RENDERERS
@pytest.mark.parametrize(
    "title",
    [
        "Klusterprogrammet för regional kapacitet, Värmland och Dalarna 26",
        "W" * 64,
    ],
    ids=["words", "one word of W"],
)
def test_a_long_title_wraps_inside_the_picture(render: Renderer, title: str, cli: Cli) -> None:
    assert len(title) in (64, 65)
    svg = cli("map", "--title", title).stdout
    root = parse(svg)
    heading = root.find(f"{SVG}text[@id='title']")
    assert heading is not None
    lines = [tspan.text or "" for tspan in heading]
    assert len(lines) > 1
    assert ("" if " " not in title else " ").join(lines) == title
    pixels = render(svg, 1)
    width = int(root.attrib["width"])
    assert pixels.shape[1] == width
    # The title's rows: from the top to the subtitle (the first text below the title).
    subtitle = next(t for t in root if t.tag == f"{SVG}text" and "id" not in t.attrib)
    band = pixels[: int(float(subtitle.attrib["y"])) - 12]
    dark = band.max(axis=2) < 90
    assert dark[:, : width // 2].any(), "the title is drawn"
    assert not dark[:, width - 12 :].any(), "the title reaches the right edge"
    # Each line of the title is drawn in its own band of rows.
    for tspan in heading:
        y = int(float(tspan.attrib["y"]))
        assert dark[y - 16 : y + 2].any(), tspan.text


# --- A registry of any size fits a page -----------------------------------------------------------


def test_a_huge_registry_lists_what_fits_and_says_how_many_more(
    cli: Cli, write_registry: Callable[..., Path]
) -> None:
    """20 000 clusters: four columns of the list at most (the README's limit), then a line
    with the number left out; the map's numbers still count them all."""
    total = 22 + 952 * 21
    assert total == 20_014
    path = write_registry(registry_with(952))
    root = parse(cli("--registry", str(path), "map").stdout)
    assert int(root.attrib["width"]) <= 1_700
    assert int(root.attrib["height"]) <= 1_200
    listed = sorted(
        int(t.attrib["data-cluster"]) for t in root.iter(f"{SVG}text") if "data-cluster" in t.attrib
    )
    assert listed == list(range(1, len(listed) + 1))
    more = root.find(f".//{SVG}text[@id='more']")
    assert more is not None
    assert more.text == f"… and {total - len(listed)} more: s3pilot export lists all"
    xs = {float(t.attrib["x"]) for t in root.iter(f"{SVG}text") if "data-cluster" in t.attrib}
    assert len(xs) == 4, "four columns"
    numbers = root.find(f"{SVG}g[@id='numbers']")
    assert numbers is not None
    last = max(int((t.text or "0").rpartition("\u2013")[2]) for t in numbers)
    assert last == total


def test_a_registry_that_fits_has_no_more_line(
    cli: Cli, write_registry: Callable[..., Path]
) -> None:
    root = parse(cli("--registry", str(write_registry(registry_with(5, 19))), "map").stdout)
    assert root.find(f".//{SVG}text[@id='more']") is None
    listed = [t for t in root.iter(f"{SVG}text") if "data-cluster" in t.attrib]
    assert len(listed) == 22 + 5 * 19


# --- A title that is not UTF-8 still gives UTF-8 XML ----------------------------------------------


def test_a_title_of_bytes_that_are_not_utf8_gives_valid_xml(tmp_path: Path) -> None:
    """`map --title $'Karta \\xff'`: the byte Python cannot decode is drawn as U+FFFD, the
    replacement character, on stdout and in the file alike; an XML parser reads both."""
    command: list[str | bytes] = [installed_command(), "map", "--title", b"Karta \xff"]
    piped = subprocess.run(command, capture_output=True, check=False)
    assert piped.returncode == 0, piped.stderr
    target = tmp_path / "karta.svg"
    written = subprocess.run([*command, "-o", str(target)], capture_output=True, check=False)
    assert written.returncode == 0, written.stderr
    assert written.stderr == b""
    for data in (piped.stdout, target.read_bytes()):
        data.decode("utf-8")  # strict
        root = ET.fromstring(data)  # noqa: S314 (s3pilot's own output, in a test)
        assert root.findtext(f"{SVG}text[@id='title']") == "Karta \ufffd"
        assert root.findtext(f"{SVG}title") == "Karta \ufffd"


def test_a_lone_surrogate_from_python_becomes_the_replacement_character() -> None:
    from s3pilot_cli import registry, svgmap
    from s3pilot_cli.outlines import load_outlines

    svg = svgmap.render(registry.read(MINIMAL), load_outlines(), title="A\ud800B\udcffC")
    svg.encode("utf-8")  # strict: no surrogate left
    assert parse(svg).findtext(f"{SVG}title") == "A\ufffdB\ufffdC"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(  # a list joined, since st.text leaves out lone surrogates
        st.one_of(
            st.characters(),
            st.characters(categories=["Cs"]),  # lone surrogates
            st.sampled_from("\x00\x0b\r\n\t\ufffe&<>\"'"),
        ),
        max_size=80,
    ).map("".join)
)
def test_any_title_gives_utf8_xml_that_keeps_it(title: str) -> None:
    """Any text, lone surrogates and control characters included: the SVG is UTF-8 XML, and
    its <title> reads back as the title, with U+FFFD for what XML 1.0 cannot hold (and a
    parser's line ends)."""
    from s3pilot_cli import registry, svgmap
    from s3pilot_cli.outlines import load_outlines

    svg = svgmap.render(registry.read(MINIMAL), load_outlines(), title=title)
    root = ET.fromstring(svg.encode("utf-8"))  # noqa: S314 (s3pilot's own output, in a test)
    allowed = {0x09, 0x0A, 0x0D}
    expected = "".join(
        "\ufffd"
        if (ord(c) < 0x20 and ord(c) not in allowed)
        or 0xD800 <= ord(c) < 0xE000
        or c in "\ufffe\uffff"
        else c
        for c in title
    )
    assert root.findtext(f"{SVG}title", default="") == expected.replace("\r\n", "\n").replace(
        "\r", "\n"
    )
