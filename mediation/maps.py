"""Maps of the département, drawn on the server as SVG from the shipped GeoJSON (no tiles, no JS).

The commune outlines are projected and simplified once per process: 766 kB of GeoJSON become
well under a hundred kilobytes of SVG paths, which weak mobile connections can still load.
"""

import csv
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from mediation.text import escape_html

GEOJSON = Path(__file__).resolve().parent / "data" / "somme_communes.geojson"
COMMUNES_CSV = Path(__file__).resolve().parent / "data" / "somme_communes.csv"
WIDTH = 800.0
MARGIN = 10.0
# Points closer than this (in SVG units) to the previous kept point are dropped.
MIN_STEP = 3.0
ATTRIBUTION = "Sources\u00a0: INSEE (COG 2026), La Poste, DGCL, IGN Admin Express — Licence Ouverte"


@dataclass(frozen=True)
class BaseMap:
    width: int
    height: int
    paths: dict[str, str]  # INSEE code -> SVG path data
    centres: dict[str, tuple[int, int]]  # INSEE code -> label point (whole pixels: a dot 10 wide)


@cache
def base_map() -> BaseMap:
    features = json.loads(GEOJSON.read_text(encoding="utf-8"))["features"]
    rings_by_code: dict[str, list[list[list[float]]]] = {}
    for feature in features:
        rings = [ring for polygon in feature["geometry"]["coordinates"] for ring in polygon]
        rings_by_code[feature["properties"]["insee_code"]] = rings
    lons = [p[0] for rings in rings_by_code.values() for ring in rings for p in ring]
    lats = [p[1] for rings in rings_by_code.values() for ring in rings for p in ring]
    # An equirectangular projection scaled at the mean latitude: true enough for one département.
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    x_scale = math.cos(math.radians((south + north) / 2))
    span_x = (east - west) * x_scale
    span_y = north - south
    factor = (WIDTH - 2 * MARGIN) / span_x
    height = round(span_y * factor + 2 * MARGIN)

    def project(lon: float, lat: float) -> tuple[float, float]:
        return (
            round(MARGIN + (lon - west) * x_scale * factor),
            round(MARGIN + (north - lat) * factor),
        )

    paths, centres = {}, {}
    for code, rings in rings_by_code.items():
        parts = []
        for ring in rings:
            points = [project(lon, lat) for lon, lat in ring]
            kept = [points[0]]
            for point in points[1:]:
                if math.dist(point, kept[-1]) >= MIN_STEP:
                    kept.append(point)
            if len(kept) < 3:
                continue
            parts.append(_ring_path(kept))
        paths[code] = "".join(parts)
        outer = max(rings, key=len)
        xs, ys = zip(*(project(lon, lat) for lon, lat in outer), strict=True)
        centres[code] = (round(sum(xs) / len(xs)), round(sum(ys) / len(ys)))
    return BaseMap(width=round(WIDTH), height=height, paths=paths, centres=centres)


def _ring_path(points: list[tuple[int, int]]) -> str:
    """A closed ring as short path data: its first point, then each step from the one before
    ("M138 193l-3 2 4 1z": pairs after "l" are relative lines, and a minus sign separates
    numbers). A third fewer bytes than absolute "L" commands, on a map page made mostly of
    them; the point that closes the ring is left to "z"."""
    if len(points) > 3 and points[-1] == points[0]:
        points = points[:-1]
    (x, y), steps = points[0], []
    for next_x, next_y in points[1:]:
        dx, dy = next_x - x, next_y - y
        steps.append(f"{'' if dx < 0 else ' '}{dx}{'' if dy < 0 else ' '}{dy}")
        x, y = next_x, next_y
    return f"M{points[0][0]} {points[0][1]}l{''.join(steps).lstrip()}z"


@dataclass(frozen=True)
class TownLabel:
    name: str
    x: float
    y: float


@cache
def main_towns() -> tuple[TownLabel, ...]:
    """The most populous commune of each intercommunality: its chief town in the Somme.

    Named on the map so that a resident finds their way without knowing the outlines; read
    from the shipped reference data, so it needs no database.
    """
    largest: dict[str, tuple[int, str, str]] = {}
    with COMMUNES_CSV.open(encoding="utf-8", newline="") as source:
        for row in csv.DictReader(source):
            population = int(row["population"] or 0)
            if population > largest.get(row["epci_code"], (-1, "", ""))[0]:
                largest[row["epci_code"]] = (population, row["insee_code"], row["name"])
    centres = base_map().centres
    return tuple(
        TownLabel(name=name, x=centres[code][0], y=centres[code][1])
        for _, code, name in sorted(largest.values(), reverse=True)
        if code in centres
    )


# The labels' font size in SVG units on a wide screen and on a phone (see site.css): their
# boxes are reckoned from it so that no name covers another.
LABEL_FONT = 16
PHONE_LABEL_FONT = 30


def _label_box(town: TownLabel, font: float, east: bool) -> tuple[float, float, float, float]:
    """Right of the dot, or left of it in the east of the map, so that names stay inside."""
    width = len(town.name) * 0.6 * font
    left = town.x - 8 - width if east else town.x + 8
    return left, town.y - font / 2, left + width, town.y + font / 2


def _placed(font: float) -> list[TownLabel]:
    """The main towns, largest first, leaving out any whose name would cover one already placed."""
    east_from = base_map().width * 0.6
    placed: list[tuple[TownLabel, tuple]] = []
    for town in main_towns():
        box = _label_box(town, font, town.x >= east_from)
        if all(
            box[2] < other[0] or other[2] < box[0] or box[3] < other[1] or other[3] < box[1]
            for _, other in placed
        ):
            placed.append((town, box))
    return [town for town, _ in placed]


@cache
def _town_labels() -> SafeString:
    """Town names; those with no room on a phone are marked "minor" and hidden there."""
    east_from = base_map().width * 0.6
    on_phones = set(_placed(PHONE_LABEL_FONT))
    return format_html_join(
        "",
        '<g class="{}"><circle cx="{}" cy="{}" r="4"/>'
        '<text x="{}" y="{}" text-anchor="{}">{}</text></g>',
        (
            (
                "town" if town in on_phones else "town minor",
                town.x,
                town.y,
                town.x - 8 if town.x >= east_from else town.x + 8,
                town.y + 6,
                "end" if town.x >= east_from else "start",
                town.name,
            )
            for town in _placed(LABEL_FONT)
        ),
    )


@dataclass(frozen=True)
class _ShapeMarkup:
    plain: dict[str, bytes]  # INSEE code -> its unmarked shape (communes with an outline only)
    marked: dict[str, str]  # INSEE code -> a marked shape and its dot, after the link's "<a …"
    towns: bytes  # the town labels' group


@cache
def _shape_markup() -> _ShapeMarkup:
    """Each commune's SVG, built once per process: the outlines never change while it lives.

    Path data is only digits and drawing commands we generated: nothing to escape. What goes
    into the page as it is, is kept as UTF-8 (see svg_shapes).
    """
    base = base_map()
    return _ShapeMarkup(
        plain={code: f'<path d="{d}"/>'.encode() for code, d in base.paths.items() if d},
        marked={
            code: f'><path d="{d}"/><circle cx="{base.centres[code][0]}" '
            f'cy="{base.centres[code][1]}" r="5"/></a>'
            for code, d in base.paths.items()
        },
        towns=f'<g class="towns" aria-hidden="true">{_town_labels()}</g>'.encode(),
    )


def marked_shape(code: str, url: str, name: str) -> bytes | None:
    """A commune's shape as a link to `url` named `name`, with its dot (UTF-8); None if the
    commune has no outline. Callers memoise it: hundreds are made for every map."""
    shape = _shape_markup().marked.get(code)
    if shape is None:
        return None
    return f'<a href="{escape_html(url)}" aria-label="{escape_html(name)}"{shape}'.encode()


def svg_shapes(*, marked: dict[str, bytes | None]) -> bytes:
    """The communes' shapes, as UTF-8 (mediation.spliced puts them in the page); those in
    `marked` (INSEE code -> marked_shape()) are links.

    Marked communes get a dot as well as a fill, so the map does not rely on colour alone.
    The shapes are made once per process: a request only joins them.
    """
    shapes = _shape_markup()
    return b"".join(
        [
            b'<g class="communes" aria-hidden="true">',
            *[markup for code, markup in shapes.plain.items() if code not in marked],
            b'</g><g class="stops">',
            *[link for link in marked.values() if link is not None],
            b"</g>",
            shapes.towns,
        ]
    )


# Light to dark, distinguishable in grey scale too (ColorBrewer "YlGnBu", 5 classes).
SEQUENTIAL_PALETTE = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
NO_DATA_FILL = "#ffffff"


@dataclass(frozen=True)
class Shade:
    """One class of a shaded map: its legend text and its fill colour (#rrggbb)."""

    label: str
    colour: str


def render_shaded_map(
    *,
    classes: dict[str, int],
    shades: Sequence[Shade],
    title: str,
    no_data_label: str = "",
    links: dict[str, tuple[str, str]] | None = None,
) -> SafeString:
    """A figure with the communes filled by class and its legend (a choropleth).

    `classes` maps an INSEE code to an index in `shades`; communes not in it are drawn white
    (and listed in the legend as `no_data_label` when given). Communes in `links` (INSEE code
    -> (url, accessible name)) are links, as on the tour map. Colours are SVG presentation
    attributes, not inline styles, so a strict Content-Security-Policy and WeasyPrint both
    render them. Colour is never the only carrier: callers show the same figures in a table.
    """
    base = base_map()
    links = links or {}
    by_class: dict[int, list[str]] = {index: [] for index in range(len(shades))}
    plain: list[str] = []
    for code, d in base.paths.items():
        if not d or code in links:
            continue
        index = classes.get(code)
        (by_class[index] if index is not None and index in by_class else plain).append(d)

    def group(fill: str, paths: list[str]) -> str:
        # Path data is only digits and drawing commands we generated: nothing to escape.
        return f'<g fill="{fill}">' + "".join(f'<path d="{d}"/>' for d in paths) + "</g>"

    groups = [group(NO_DATA_FILL, plain)]
    groups += [group(shades[index].colour, paths) for index, paths in by_class.items() if paths]
    linked = format_html_join(
        "",
        '<a href="{}" aria-label="{}"><path fill="{}" d="{}"/></a>',
        (
            (url, name, _fill_for(code, classes, shades), base.paths[code])
            for code, (url, name) in links.items()
            if base.paths.get(code)
        ),
    )
    legend_items = [(shade.colour, shade.label) for shade in shades]
    if no_data_label:
        legend_items.append((NO_DATA_FILL, no_data_label))
    legend = format_html_join(
        "",
        '<li><svg width="18" height="18" aria-hidden="true" focusable="false">'
        '<rect x="0.5" y="0.5" width="17" height="17" fill="{}" stroke="#505050"/></svg> {}</li>',
        legend_items,
    )
    return format_html(
        '<figure class="shaded-map">'
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" role="img" '
        'aria-label="{}" focusable="false">'
        '<g class="communes" stroke="#767676" stroke-width=".4">{}</g>'
        '<g class="linked" stroke="#1a1a1a" stroke-width="1">{}</g></svg>'
        '<figcaption>{}<ul class="map-legend">{}</ul><p class="attribution">{}</p></figcaption>'
        "</figure>",
        base.width,
        base.height,
        title,
        mark_safe("".join(groups)),
        linked or mark_safe(""),
        title,
        legend,
        ATTRIBUTION,
    )


def _fill_for(code: str, classes: dict[str, int], shades: Sequence[Shade]) -> str:
    index = classes.get(code)
    return shades[index].colour if index is not None and 0 <= index < len(shades) else NO_DATA_FILL
