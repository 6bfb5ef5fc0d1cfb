"""Where the map's labels go: each län's label on its point, or near it inside the län, or off
the land with a leader line back to it; and how wide a label's text is.

The outlines are in the picture's pixels already. Placing a label is a few tests of its box
against the outlines' edges, filed by rows of the picture so that each test reads only the
edges near the box; no geo library is needed.
"""

import math
from collections import defaultdict
from dataclasses import dataclass

LABEL_SIZE = 13  # the numbers on the map, in pixels


def text_width(text: str, size: float) -> float:
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
        elif char == "\u2013":  # an en dash, between the numbers of a range
            width += 0.52
        elif char in "MWmw@%":
            width += 1.12
        elif char.isupper():
            width += 0.86
        else:
            width += 0.74
    return width * size


Box = tuple[float, float, float, float]  # left, top, right, bottom, in pixels
Rings = dict[str, list[list[tuple[float, float]]]]  # each län's rings, in pixels
_Edge = tuple[float, float, float, float, str, int]  # x1, y1, x2, y2, län, first row

ROW = 16  # pixels: each outline's edges are filed under the rows of this height they cross
CLEARANCE = 3  # pixels between a label moved off the land and the nearest coast or border


class _Land:
    """The län as drawn, in pixels: whether a label's box lies wholly inside one län, and where
    a band of the picture crosses no län at all."""

    def __init__(self, rings: Rings) -> None:
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

    def holds(self, box: Box, code: str) -> bool:
        """Whether `box` lies wholly inside län `code`: none of its edges (holes included)
        meets the box, and a corner is inside."""
        mine = (edge for edge in self._edges(box[1], box[3]) if edge[4] == code)
        return not any(_meets(edge, box) for edge in mine) and self.lan_at(box[0], box[1]) == code

    def open_water(
        self, band: Box, width: float, taken: list[tuple[float, float]]
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


def _meets(edge: _Edge, box: Box) -> bool:
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


def _label_box(text: str, x: float, y: float) -> Box:
    """The box a label centred on (x, y) takes, its white halo included."""
    half = (text_width(text, LABEL_SIZE) + 4) / 2
    return x - half, y - LABEL_SIZE * 0.6, x + half, y + LABEL_SIZE * 0.6


def _overlap(a: Box, b: Box) -> bool:
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
class Label:
    code: str  # the län's länskod
    text: str
    point: tuple[float, float]  # the län's label point, in pixels


@dataclass(frozen=True, slots=True)
class Placed:
    label: Label
    at: tuple[float, float]  # the label's centre
    off: bool  # off the land, joined to the point by a leader line


def place_labels(rings: Rings, labels: list[Label], area: Box) -> list[Placed]:
    """Each label, in the order given: on its point, or nearby where it fits inside its län and
    covers no label placed before it; else off the land (sea, or beyond the border), inside
    `area`, as near as it can be, joined by a leader line."""
    land = _Land(rings)
    placed: list[Placed] = []
    boxes: list[Box] = []
    for label in labels:
        text, (x, y) = label.text, label.point
        spot = _inside_spot(land, boxes, label.code, text, x, y)
        if spot is not None:
            at, off = spot, False
        else:
            found = _off_land_spot(area, land, boxes, text, x, y)
            at, off = (found, True) if found is not None else ((x, y), False)
        boxes.append(_label_box(text, *at))
        placed.append(Placed(label, at, off))
    return placed


def _inside_spot(
    land: _Land, boxes: list[Box], code: str, text: str, x: float, y: float
) -> tuple[float, float] | None:
    for dx, dy in _INSIDE:
        box = _label_box(text, x + dx, y + dy)
        if land.holds(box, code) and not any(_overlap(box, other) for other in boxes):
            return x + dx, y + dy
    return None


def _off_land_spot(
    area: Box, land: _Land, boxes: list[Box], text: str, x: float, y: float
) -> tuple[float, float] | None:
    """The nearest centre, in one of the rows about (x, y), for a label clear of every län and
    every label, inside `area`."""
    left, top, right, bottom = _label_box(text, x, y)
    half_width, half_height = (right - left) / 2 + CLEARANCE, (bottom - top) / 2 + CLEARANCE
    best: tuple[float, float, float] | None = None
    for dy in _OFF_ROWS:  # nearest first
        if best is not None and abs(dy) >= best[0]:
            break  # no farther row can hold a nearer spot
        row_top, row_bottom = y + dy - half_height, y + dy + half_height
        if row_top < area[1] or row_bottom > area[3]:
            continue
        band = (area[0], row_top, area[2], row_bottom)
        for low, high in land.open_water(band, 2 * half_width, _taken(boxes, band)):
            centre = min(max(x, low + half_width), high - half_width)
            distance = math.hypot(centre - x, dy)
            if best is None or distance < best[0]:
                best = (distance, centre, y + dy)
    return None if best is None else (best[1], best[2])


def _taken(boxes: list[Box], band: Box) -> list[tuple[float, float]]:
    """The stretches of x that the labels' boxes in the band take, with room for clearance."""
    _, top, _, bottom = band
    return [(b[0] - CLEARANCE, b[2] + CLEARANCE) for b in boxes if b[1] < bottom and top < b[3]]


def leader_end(placed: Placed) -> tuple[float, float]:
    """Where the line from the län's point meets the box of its label, so that the line does
    not run through the label."""
    (x, y), (lx, ly) = placed.label.point, placed.at
    left, top, right, _ = _label_box(placed.label.text, lx, ly)
    dx, dy = x - lx, y - ly
    shares = [half / abs(d) for half, d in (((right - left) / 2, dx), (ly - top, dy)) if d]
    share = min(shares, default=1.0)
    return (lx + dx * share, ly + dy * share) if share < 1 else (lx, ly)
