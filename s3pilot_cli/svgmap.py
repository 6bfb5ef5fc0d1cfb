"""A map of Sweden's 21 län as SVG text: each län shaded by its number of clusters.

The outlines are `outlines.py`'s, in SWEREF 99 TM; a registry region is matched to its outline
by `lan_code`. The clusters are numbered north to south, län by län; the map shows each län's
numbers and the list beside it their names, up to what a page holds. A län without clusters
carries a letter that the legend names. A label that does not fit inside its län goes off the
land, with a leader line (`map_labels.py` finds where). Nothing here knows the command line,
and no geo library is needed: the outlines are projected already, so drawing them is a scale
and a flip. `render` draws the title, the map, the legend, the list and the footer in turn.

The text is built by hand, with every value from the registry escaped, so the same registry
always gives the same bytes. The picture's words are in the language `render` is given (a
report's language is not the terminal's); the names and the sources' own lines are the data's.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from s3pilot_cli.i18n import Catalogue, catalogue
from s3pilot_cli.licences import DATA_LICENCE, STATEMENT
from s3pilot_cli.map_labels import (
    LABEL_SIZE,
    Label,
    Placed,
    Rings,
    leader_end,
    place_labels,
    text_width,
)
from s3pilot_cli.model import Cluster, Program, Region, Registry
from s3pilot_cli.outlines import Outline, Outlines, check_outlines
from s3pilot_cli.textrules import year_range

# --- Look ------------------------------------------------------------------------------------

PX_PER_KM = 0.6  # Sweden's 1 536 km north to south: 920 pixels
MARGIN = 24
TITLE_SIZE = 22
TITLE_LINE = 28  # between the lines of a long title
GAP = 36  # between the map and the list
COLUMN_WIDTH = 300
LINE = 17  # the list's line height
LEGEND_LINE = 20
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
        if current and text_width(joined, size) > width:
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
        advance = text_width(char, size)
        if total + advance > width and i > start:
            pieces.append(word[start:i])
            start, total = i, 0.0
        total += advance
    pieces.append(word[start:])
    return pieces


def _num(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


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


# --- Drawing ---------------------------------------------------------------------------------


def _draw_map(canvas: _Canvas, lans: list[_Lan], steps: list[_Class], t: Catalogue) -> None:
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
    _draw_lan_labels(canvas, lans, rings)


def _draw_lan_labels(canvas: _Canvas, lans: list[_Lan], rings: Rings) -> None:
    """Each län's label where `place_labels` puts it, with leader lines to those off the land."""
    labels = [Label(lan.outline.code, lan.label, canvas.point(*lan.outline.label)) for lan in lans]
    # Off the land, a label may go anywhere in the map's part of the picture, a little above
    # and below the map too, but not into the gap before the legend.
    area = (2.0, canvas.top - 8, canvas.right - GAP / 2, canvas.map_bottom + 8)
    placed = place_labels(rings, labels, area)
    _draw_leaders(canvas, placed)
    _draw_labels(canvas, {lan.outline.code for lan in lans if lan.members}, placed)


def _draw_leaders(canvas: _Canvas, placed: list[Placed]) -> None:
    """The lines from the labels moved off the land back to their län."""
    if off := [label for label in placed if label.off]:
        # A label that does not fit on its län sits off the land: a line leads back to it.
        canvas.add(f'<g id="leaders" stroke="{INK}" stroke-width="0.8" fill="{INK}">')
        for label in off:
            (x, y), (ex, ey) = label.label.point, leader_end(label)
            canvas.add(
                f'<line x1="{_num(x)}" y1="{_num(y)}" x2="{_num(ex)}" y2="{_num(ey)}"'
                f' data-lan="{escape(label.label.code)}"/>'
                f'<circle cx="{_num(x)}" cy="{_num(y)}" r="1.8"/>'
            )
        canvas.add("</g>")


def _draw_labels(canvas: _Canvas, numbered: set[str], placed: list[Placed]) -> None:
    """Each län's label on a white halo: its clusters' numbers (the `numbered` län), else its
    letter."""
    # The halo is text of its own under each label, not a stroke painted first by
    # paint-order: CairoSVG (and so WeasyPrint) ignores paint-order and would paint it over.
    style = f'font-size="{LABEL_SIZE}" font-weight="bold" text-anchor="middle"'
    groups = (
        ("halos", f' fill="{HALO}" stroke="{HALO}" stroke-width="3" stroke-linejoin="round"', ""),
        ("numbers", f' fill="{INK}"', "n"),
        ("letters", f' fill="{MUTED}" font-style="italic"', "l"),
    )
    for name, paint, kind in groups:
        shown = [p for p in placed if kind == "" or (kind == "n") == (p.label.code in numbered)]
        if not shown:
            continue
        hidden = ' aria-hidden="true"' if name == "halos" else ""
        canvas.add(f'<g id="{name}" {style}{paint}{hidden}>')
        for label in shown:
            x, y = label.at
            canvas.add(
                f'<text x="{_num(x)}" y="{_num(y + LABEL_SIZE * 0.35)}"'
                f' data-lan="{escape(label.label.code)}">{escape(label.label.text)}</text>'
            )
        canvas.add("</g>")


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


def _default_title(registry: Registry, lans: list[_Lan], t: Catalogue) -> str:
    count = len(registry.clusters)
    return t.ngettext(
        "{program}: {count} cluster in {with_clusters} of {lan} län",
        "{program}: {count} clusters in {with_clusters} of {lan} län",
        count,
    ).format(
        program=registry.program.name,
        count=count,
        with_clusters=sum(1 for lan in lans if lan.members),
        lan=len(lans),
    )


def _title_lines(title: str, outlines: Outlines) -> list[str]:
    """The title in lines no wider than the map and one column of the list."""
    xmin, _, xmax, _ = outlines.bounds
    narrowest = (xmax - xmin) * PX_PER_KM * outlines.unit_m / 1000 + GAP + COLUMN_WIDTH
    return _lines(title, TITLE_SIZE, narrowest)


def _draw_footer(canvas: _Canvas, program: Program, credit: str, top: float, t: Catalogue) -> float:
    """The sources: the clusters', the outlines' (`credit`) and the data's licence, from `top`
    down; returns the baseline of the last line."""
    if program.checked:
        said = t.gettext("Clusters: {program}{period}, {agency}, checked {date}")
    else:
        said = t.gettext("Clusters: {program}{period}, {agency}")
    period = ""
    if program.period:  # a range of years takes an en dash, in English as in Swedish
        period = f" ({year_range(program.period)})"
    sources = (
        said.format(
            program=program.name, period=period, agency=program.agency, date=program.checked
        ),
        program.source_url,
        t.gettext(credit),  # outlines.CREDIT, in the map's language
        t.gettext(STATEMENT).format(licence=DATA_LICENCE.name, address=DATA_LICENCE.path),
    )
    canvas.add(f'<g id="sources" font-size="11" fill="{MUTED}">')
    for i, text in enumerate(sources):
        canvas.add(f'<text x="{MARGIN}" y="{_num(top + i * FOOTER_LINE)}">{escape(text)}</text>')
    canvas.add("</g>")
    return top + (len(sources) - 1) * FOOTER_LINE


def _head(size: tuple[int, int], title: str, title_lines: list[str], t: Catalogue) -> str:
    """The document's start, `size` wide and high: its title, and the title and subtitle drawn
    at the top, the title on as many lines as `title_lines`."""
    width, height = size
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
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" font-family="{FONT}" role="img">\n'
        f"<title>{escape(title)}</title>\n"
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>\n'
        f'<text id="title" x="{MARGIN}" y="44" font-size="{TITLE_SIZE}" font-weight="bold"'
        f' fill="{INK}">{heading}</text>\n'
        f'<text x="{MARGIN}" y="{66 + (len(title_lines) - 1) * TITLE_LINE}" font-size="13"'
        f' fill="{MUTED}">{subtitle}</text>\n'
    )


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
        title = _default_title(registry, lans, t)
    title_lines = _title_lines(title, outlines)
    canvas = _Canvas(outlines, top=84 + (len(title_lines) - 1) * TITLE_LINE)
    _draw_map(canvas, lans, steps, t)
    legend_bottom = _draw_legend(canvas, lans, steps, t)
    columns, list_bottom = _draw_list(canvas, lans, legend_bottom + LEGEND_LINE + 16, t)
    footer_top = max(canvas.map_bottom, list_bottom) + 28
    bottom = _draw_footer(canvas, registry.program, outlines.credit, footer_top, t)
    width = math.ceil(canvas.right + columns * COLUMN_WIDTH + MARGIN)
    height = math.ceil(bottom + MARGIN)
    head = _head((width, height), title, title_lines, t)
    return head + "\n".join(canvas.parts) + "\n</svg>\n"
