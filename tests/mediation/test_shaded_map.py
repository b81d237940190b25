"""The shaded map (choropleth) that reports draw on: every commune drawn, filled by its class."""

import xml.etree.ElementTree as ET

from mediation.maps import SEQUENTIAL_PALETTE, Shade, base_map, render_shaded_map

SVG = "{http://www.w3.org/2000/svg}"
ABBEVILLE, AMIENS, RUE = "80001", "80021", "80688"
SHADES = [
    Shade("moins de 10 km", SEQUENTIAL_PALETTE[0]),
    Shade("plus de 10 km", SEQUENTIAL_PALETTE[4]),
]


def svg_of(html: str) -> ET.Element:
    return ET.fromstring(html[html.index("<svg") : html.index("</svg>") + len("</svg>")])


def fill_of_path(svg: ET.Element, d: str) -> str:
    for group in svg.iter(f"{SVG}g"):
        for path in group.findall(f"{SVG}path"):
            if path.get("d") == d:
                return group.get("fill")
    for path in svg.iter(f"{SVG}path"):
        if path.get("d") == d:
            return path.get("fill")
    raise AssertionError("path not drawn")


def test_each_commune_is_filled_with_the_colour_of_its_class():
    paths = base_map().paths
    html = render_shaded_map(classes={ABBEVILLE: 0, AMIENS: 1}, shades=SHADES, title="Distance")
    svg = svg_of(html)

    assert fill_of_path(svg, paths[ABBEVILLE]) == SEQUENTIAL_PALETTE[0]
    assert fill_of_path(svg, paths[AMIENS]) == SEQUENTIAL_PALETTE[4]
    assert fill_of_path(svg, paths[RUE]) == "#ffffff"
    drawn = sum(1 for _ in svg.iter(f"{SVG}path"))
    assert drawn == sum(1 for d in paths.values() if d)


def test_the_legend_names_every_class_and_the_communes_without_data():
    html = render_shaded_map(
        classes={}, shades=SHADES, title="Distance", no_data_label="pas de données"
    )
    legend = html[html.index('<ul class="map-legend">') :]
    for label in ("moins de 10 km", "plus de 10 km", "pas de données"):
        assert label in legend


def test_linked_communes_are_links_with_an_accessible_name_and_text_is_escaped():
    html = render_shaded_map(
        classes={RUE: 1},
        shades=SHADES,
        title="<b>Carte</b>",
        links={RUE: ("/communes/rue/", "Rue : 3 personnes")},
    )
    svg = svg_of(html)
    link = next(svg.iter(f"{SVG}a"))
    assert link.get("href") == "/communes/rue/"
    assert link.get("aria-label") == "Rue : 3 personnes"
    assert link.find(f"{SVG}path").get("fill") == SEQUENTIAL_PALETTE[4]
    assert "<b>Carte</b>" not in html and "&lt;b&gt;Carte&lt;/b&gt;" in html
