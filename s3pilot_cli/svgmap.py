"""A map of Sweden's 21 län as SVG text: each län shaded by its number of clusters.

The outlines come from `outlines.json` beside this file (made once by
`scripts/make_outlines.py`, which names their source and licence): SWEREF 99 TM coordinates,
keyed by länskod. A registry region is matched to its outline by `lan_code`. The clusters are
numbered north to south, län by län; the map shows each län's numbers and the list beside it
their names. Nothing here knows the command line, and no geo library is needed: the outlines
are projected already, so drawing them is a scale and a flip.

The text is built by hand, with every value from the registry escaped, so the same registry
always gives the same bytes.
"""

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from s3pilot_cli.errors import RegistryError
from s3pilot_cli.model import Cluster, Region, Registry

OUTLINES_PATH = Path(__file__).parent / "outlines.json"


@dataclass(frozen=True, slots=True)
class Outline:
    code: str  # länskod, "01" to "25"
    name: str  # the county, as the geometry's source names it
    label: tuple[int, int]  # a point well inside the largest part, for the label
    rings: tuple[tuple[int, ...], ...]  # flat x0, y0, x1, y1, … in SWEREF 99 TM / unit_m


@dataclass(frozen=True, slots=True)
class Outlines:
    unit_m: int
    bounds: tuple[int, int, int, int]  # xmin, ymin, xmax, ymax
    credit: str  # the geometry's source and licence, for the footer
    lan: dict[str, Outline]


def load_outlines(path: Path = OUTLINES_PATH) -> Outlines:
    """The packaged outlines (or another file of the same shape)."""
    document = json.loads(path.read_text(encoding="utf-8"))
    xmin, ymin, xmax, ymax = document["bounds"]
    return Outlines(
        unit_m=document["unit_m"],
        bounds=(xmin, ymin, xmax, ymax),
        credit=document["credit"],
        lan={
            code: Outline(
                code=code,
                name=entry["name"],
                label=(entry["label"][0], entry["label"][1]),
                rings=tuple(tuple(ring) for ring in entry["rings"]),
            )
            for code, entry in sorted(document["lan"].items())
        },
    )


# --- Look ------------------------------------------------------------------------------------

PX_PER_KM = 0.6  # Sweden's 1 536 km north to south: 920 pixels
MARGIN = 24
MAP_TOP = 84
GAP = 36  # between the map and the list
COLUMN_WIDTH = 300
LINE = 17  # the list's line height
LEGEND_LINE = 20
LABEL_SIZE = 13  # the numbers on the map
FOOTER_LINE = 15
MAX_NAME = 38  # characters of a name shown in the list; longer ones end in "…"

FONT = "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif"
INK = "#1a1a1a"
MUTED = "#555555"
NONE_FILL = "#ebe6dc"  # a warm grey: clearly not one of the blues
BORDER = "#4d4d4d"
HIGHLIGHT = "#e6550d"
DASH = "\u2013"  # between the first and last number of a range
# ColorBrewer's sequential Blues, light to dark, without its palest step.
RAMP = ("#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")


@dataclass(frozen=True, slots=True)
class _Class:
    low: int
    high: int
    fill: str

    @property
    def label(self) -> str:
        return str(self.low) if self.low == self.high else f"{self.low}{DASH}{self.high}"


def classes(most: int) -> list[_Class]:
    """The shading steps for counts 1…`most`: one per count up to five, else five ranges."""
    if most <= 0:
        return []
    steps = min(most, len(RAMP))
    edges = [0, *(-(-most * i // steps) for i in range(1, steps + 1))]  # ceilings
    last = len(RAMP) - 1
    picks = [last - 1] if steps == 1 else [round(i * last / (steps - 1)) for i in range(steps)]
    return [_Class(edges[i] + 1, edges[i + 1], RAMP[pick]) for i, pick in enumerate(picks)]


def _fill(count: int, steps: list[_Class]) -> str:
    for step in steps:
        if step.low <= count <= step.high:
            return step.fill
    return NONE_FILL


# --- Text ------------------------------------------------------------------------------------

# & < > and quotes as entities; characters XML 1.0 forbids (registries refuse them anyway)
# as U+FFFD, so that nothing from a registry can end the text or the attribute it is in.
_ESCAPES: dict[int, str] = {
    ord("&"): "&amp;",
    ord("<"): "&lt;",
    ord(">"): "&gt;",
    ord('"'): "&quot;",
    **dict.fromkeys((*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF), "\ufffd"),
}


def escape(text: str) -> str:
    """`text` as XML character data or a double-quoted attribute value."""
    return text.translate(_ESCAPES)


def _short(text: str, limit: int = MAX_NAME) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _wrap(words: list[str], width: int) -> list[list[str]]:
    """`words` in lines of at most `width` characters joined with ", " (or one word a line)."""
    lines: list[list[str]] = []
    length = 0
    for word in words:
        if lines and length + 2 + len(word) <= width:
            lines[-1].append(word)
            length += 2 + len(word)
        else:
            lines.append([word])
            length = len(word)
    return lines


def _num(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


# --- The map ---------------------------------------------------------------------------------


def _check_outlines(registry: Registry, outlines: Outlines, origin: str) -> None:
    """Every region must have an outline: one error naming all that have none."""
    missing = [r for r in registry.regions if r.lan_code not in outlines.lan]
    if missing:
        regions = ", ".join(f"{r.name} ({r.code}, lan_code {r.lan_code!r})" for r in missing)
        problem = (
            f"{origin}: the map has no outline for {regions}; a region's lan_code must be one"
            f" of Sweden's länskoder {', '.join(outlines.lan)}"
        )
        raise RegistryError([problem], origin)


@dataclass(frozen=True, slots=True)
class _Lan:
    """One län as drawn: its outline, the registry's region for it, its numbered clusters."""

    outline: Outline
    region: Region | None  # None for a län the registry does not list
    members: tuple[tuple[int, Cluster], ...]
    chosen: bool  # named with --region

    @property
    def name(self) -> str:
        return self.region.name if self.region else self.outline.name


def _numbered(registry: Registry, outlines: Outlines, chosen: set[str]) -> list[_Lan]:
    """Every län north to south (by its label point), with its clusters numbered."""
    by_lan = {region.lan_code: region for region in registry.regions}
    ordered = sorted(outlines.lan.values(), key=lambda o: (-o.label[1], o.label[0], o.code))
    out = []
    number = 0
    for outline in ordered:
        region = by_lan.get(outline.code)
        members = []
        for cluster in registry.clusters_in(region.code) if region else ():
            number += 1
            members.append((number, cluster))
        picked = region is not None and region.code in chosen
        out.append(_Lan(outline, region, tuple(members), picked))
    return out


class _Canvas:
    """Where things go: the map at the left, legend and list at the right, sources below."""

    def __init__(self, outlines: Outlines) -> None:
        self.xmin, _, _, self.ymax = outlines.bounds
        xmin, ymin, xmax, ymax = outlines.bounds
        self.scale = PX_PER_KM * outlines.unit_m / 1000  # pixels per stored unit
        self.map_bottom = MAP_TOP + (ymax - ymin) * self.scale
        self.right = MARGIN + (xmax - xmin) * self.scale + GAP  # the legend's and list's left
        self.parts: list[str] = []

    def add(self, text: str) -> None:
        self.parts.append(text)

    def path(self, rings: tuple[tuple[int, ...], ...]) -> str:
        """SVG path data for the rings: scaled, y flipped (north is up)."""
        return "".join(
            "M"
            + " ".join(
                f"{_num(MARGIN + (ring[i] - self.xmin) * self.scale)},"
                f"{_num(MAP_TOP + (self.ymax - ring[i + 1]) * self.scale)}"
                for i in range(0, len(ring), 2)
            )
            + "Z"
            for ring in rings
        )

    def point(self, x: int, y: int) -> tuple[float, float]:
        return MARGIN + (x - self.xmin) * self.scale, MAP_TOP + (self.ymax - y) * self.scale


def _draw_lan(canvas: _Canvas, lans: list[_Lan], steps: list[_Class]) -> None:
    """The län shaded, the chosen ones outlined on top, and each län's numbers on it."""
    paths = {lan.outline.code: canvas.path(lan.outline.rings) for lan in lans}
    canvas.add(f'<g id="lan" stroke="{BORDER}" stroke-width="0.5" stroke-linejoin="round">')
    for lan in lans:
        code = escape(lan.outline.code)
        count = len(lan.members)
        region = f' data-region="{escape(lan.region.code)}"' if lan.region else ""
        canvas.add(
            f'<path id="lan-{code}" data-lan="{code}"{region} data-clusters="{count}"'
            f' data-highlight="{"true" if lan.chosen else "false"}"'
            f' fill="{_fill(count, steps)}" fill-rule="evenodd" d="{paths[lan.outline.code]}">'
            f"<title>{escape(lan.name)}: {_plural(count, 'cluster')}</title></path>"
        )
    canvas.add("</g>")
    if any(lan.chosen for lan in lans):
        canvas.add(f'<g id="highlight" fill="none" stroke="{HIGHLIGHT}" stroke-width="2.5">')
        for lan in lans:
            if lan.chosen:
                code = escape(lan.outline.code)
                canvas.add(f'<path data-lan="{code}" d="{paths[lan.outline.code]}"/>')
        canvas.add("</g>")
    placed = _place_labels(canvas, lans)
    moved = [(lan, x, y, lx, ly) for lan, _, x, y, lx, ly in placed if (x, y) != (lx, ly)]
    if moved:
        # A label moved off its län to stay clear of another: a line leads back to it.
        canvas.add(f'<g id="leaders" stroke="{INK}" stroke-width="0.8" fill="{INK}">')
        for lan, x, y, lx, ly in moved:
            canvas.add(
                f'<line x1="{_num(x)}" y1="{_num(y)}" x2="{_num(lx)}" y2="{_num(ly)}"'
                f' data-lan="{escape(lan.outline.code)}"/>'
                f'<circle cx="{_num(x)}" cy="{_num(y)}" r="1.8"/>'
            )
        canvas.add("</g>")
    canvas.add(
        f'<g id="numbers" font-size="{LABEL_SIZE}" font-weight="bold" text-anchor="middle"'
        f' fill="{INK}" stroke="#ffffff" stroke-width="3" stroke-linejoin="round"'
        ' paint-order="stroke">'
    )
    for lan, text, _, _, lx, ly in placed:
        canvas.add(
            f'<text x="{_num(lx)}" y="{_num(ly + LABEL_SIZE * 0.35)}"'
            f' data-lan="{escape(lan.outline.code)}">{text}</text>'
        )
    canvas.add("</g>")


# Where a label may go when it would cover another: up, down, then to the sides (pixels).
_NUDGES = (
    (0, 0),
    *((0, dy) for step in (1, 2, 3) for dy in (-16 * step, 16 * step)),
    *((dx, dy) for dx in (-52, 52) for dy in (0, -16, 16, -32, 32)),
)


def _label_box(text: str, x: float, y: float) -> tuple[float, float, float, float]:
    """The box a label centred on (x, y) takes: DejaVu Sans Bold digits are 0.7 em wide."""
    half = (len(text) * 0.7 * LABEL_SIZE + 4) / 2
    return x - half, y - LABEL_SIZE * 0.6, x + half, y + LABEL_SIZE * 0.6


def _place_labels(
    canvas: _Canvas, lans: list[_Lan]
) -> list[tuple[_Lan, str, float, float, float, float]]:
    """Each län's numbers, as text with its län's point and where the label goes: on the
    point, or the nearest nudge from it that covers no label placed before it."""
    placed = []
    boxes: list[tuple[float, float, float, float]] = []
    for lan in lans:
        if not lan.members:
            continue
        first, last = lan.members[0][0], lan.members[-1][0]
        text = str(first) if first == last else f"{first}{DASH}{last}"
        x, y = canvas.point(*lan.outline.label)
        for dx, dy in _NUDGES:
            box = _label_box(text, x + dx, y + dy)
            if not any(_overlap(box, other) for other in boxes):
                break
        else:
            dx, dy = 0, 0
            box = _label_box(text, x, y)
        boxes.append(box)
        placed.append((lan, text, x, y, x + dx, y + dy))
    return placed


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _draw_legend(canvas: _Canvas, lans: list[_Lan], steps: list[_Class]) -> float:
    """The shading's key, with the län that have no clusters named; returns its bottom."""
    left = canvas.right
    y = MAP_TOP + 12
    canvas.add(f'<g id="legend" font-size="13" fill="{INK}">')
    canvas.add(
        f'<text x="{_num(left)}" y="{_num(y)}" font-weight="bold">Clusters in the län</text>'
    )
    swatches = [(NONE_FILL, "none"), *((step.fill, step.label) for step in steps)]
    for fill, label in swatches:
        y += LEGEND_LINE
        canvas.add(
            f'<rect x="{_num(left)}" y="{_num(y - 12)}" width="22" height="14" fill="{fill}"'
            f' stroke="{BORDER}" stroke-width="0.5"/>'
            f'<text x="{_num(left + 30)}" y="{_num(y)}">{label}</text>'
        )
        if fill == NONE_FILL:
            # The län without clusters carry no number on the map: name them here, the
            # chosen ones in the highlight's colour.
            empty = {_short(lan.name): lan.chosen for lan in lans if not lan.members}
            lines = _wrap(list(empty), 36)
            for i, names in enumerate(lines):
                y += LINE - 2
                shown = ", ".join(
                    f'<tspan fill="{HIGHLIGHT}" font-weight="bold">{escape(name)}</tspan>'
                    if empty[name]
                    else escape(name)
                    for name in names
                )
                comma = "," if i < len(lines) - 1 else ""
                canvas.add(
                    f'<text x="{_num(left + 30)}" y="{_num(y)}" font-size="12"'
                    f' fill="{MUTED}">{shown}{comma}</text>'
                )
    if any(lan.chosen for lan in lans):
        y += LEGEND_LINE
        canvas.add(
            f'<rect x="{_num(left)}" y="{_num(y - 12)}" width="22" height="14" fill="none"'
            f' stroke="{HIGHLIGHT}" stroke-width="2.5"/>'
            f'<text x="{_num(left + 30)}" y="{_num(y)}">chosen with --region</text>'
        )
    canvas.add("</g>")
    return y


def _draw_list(canvas: _Canvas, lans: list[_Lan], top: float) -> tuple[int, float]:
    """The clusters by number under their län, in as many columns as the map's height needs;
    returns the number of columns and the bottom."""
    lines: list[tuple[_Lan, int, str]] = []  # a län heading (number 0) or a numbered cluster
    for lan in lans:
        if lan.members:
            lines.append((lan, 0, lan.name))
            lines.extend((lan, n, cluster.name) for n, cluster in lan.members)
    rows = max(int((canvas.map_bottom - top) // LINE), 1)
    # The numbers right-aligned in a column as wide as the widest (bold digits: 0.7 em).
    digits = len(str(max((n for _, n, _ in lines), default=0)))
    number_right = max(24.0, digits * 0.7 * 13 + 2)
    canvas.add(f'<g id="clusters" font-size="13" fill="{INK}">')
    canvas.add(
        f'<text x="{_num(canvas.right)}" y="{_num(top)}" font-weight="bold">'
        "The clusters, north to south</text>"
    )
    for index, (lan, number, text) in enumerate(lines):
        column, row = divmod(index, rows)
        x = canvas.right + column * COLUMN_WIDTH
        y = top + (row + 1) * LINE + 4
        shown = escape(_short(text))
        full = f"<title>{escape(text)}</title>" if len(text) > MAX_NAME else ""
        if number == 0:
            canvas.add(
                f'<text x="{_num(x)}" y="{_num(y)}" font-weight="bold"'
                f' fill="{HIGHLIGHT if lan.chosen else MUTED}"'
                f' data-lan="{escape(lan.outline.code)}">{shown}{full}</text>'
            )
        else:
            canvas.add(
                f'<text x="{_num(x + number_right)}" y="{_num(y)}" text-anchor="end"'
                f' font-weight="bold">{number}</text>'
                f'<text x="{_num(x + number_right + 6)}" y="{_num(y)}" data-cluster="{number}">'
                f"{shown}{full}</text>"
            )
    canvas.add("</g>")
    columns = max(-(-len(lines) // rows), 1)
    return columns, top + (min(len(lines), rows) + 1) * LINE


def render(
    registry: Registry,
    outlines: Outlines,
    *,
    title: str | None = None,
    highlight: Sequence[Region] = (),
    origin: str = "the registry",
) -> str:
    """The SVG document: the map, its legend, the numbered list of clusters and the sources.

    `highlight` regions are outlined; `origin` names the registry in an error message.
    """
    _check_outlines(registry, outlines, origin)
    lans = _numbered(registry, outlines, {region.code for region in highlight})
    steps = classes(max(len(lan.members) for lan in lans))
    if title is None:
        with_clusters = sum(1 for lan in lans if lan.members)
        title = (
            f"{registry.program.name}: {_plural(len(registry.clusters), 'cluster')} in"
            f" {with_clusters} of {len(lans)} län"
        )

    canvas = _Canvas(outlines)
    _draw_lan(canvas, lans, steps)
    legend_bottom = _draw_legend(canvas, lans, steps)
    columns, list_bottom = _draw_list(canvas, lans, legend_bottom + LEGEND_LINE + 16)

    program = registry.program
    checked = f", checked {program.checked}" if program.checked else ""
    sources = (
        f"Clusters: {program.name}, {program.agency}{checked}",
        program.source_url,
        outlines.credit,
    )
    top = max(canvas.map_bottom, list_bottom) + 28
    canvas.add(f'<g id="sources" font-size="11" fill="{MUTED}">')
    for i, text in enumerate(sources):
        canvas.add(f'<text x="{MARGIN}" y="{_num(top + i * FOOTER_LINE)}">{escape(text)}</text>')
    canvas.add("</g>")

    width = math.ceil(canvas.right + columns * COLUMN_WIDTH + MARGIN)
    height = math.ceil(top + (len(sources) - 1) * FOOTER_LINE + MARGIN)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" font-family="{FONT}" role="img">\n'
        f"<title>{escape(title)}</title>\n"
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>\n'
        f'<text id="title" x="{MARGIN}" y="44" font-size="22" font-weight="bold"'
        f' fill="{INK}">{escape(title)}</text>\n'
        f'<text x="{MARGIN}" y="66" font-size="13" fill="{MUTED}">Each län shaded by its number'
        " of clusters; the numbers on the map are those of the list.</text>\n"
    )
    return head + "\n".join(canvas.parts) + "\n</svg>\n"
