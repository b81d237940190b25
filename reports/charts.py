"""Charts drawn on the server as SVG: no JavaScript, the same in the page and in the PDF.

Each chart is an image with a name; the page puts the same figures in a table right after
it, which is the accessible alternative (and what a screen reader user reads).
Colours are SVG attributes rather than inline styles (a strict CSP and WeasyPrint both
render them); bars carry their value as text, so colour is never the only carrier.
"""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mediation.maps import Shade, render_shaded_map
from reports.statistics import Breakdown

BAR_COLOUR = "#00527a"
TEXT_COLOUR = "#1a1a1a"
WIDTH = 640
# Residents per commune, in classes (lower bounds) for the map.
MAP_CLASSES = [1, 5, 20, 50]
MAP_COLOURS = ["#d6e6f2", "#9ecae1", "#4a90c2", "#08519c"]


def bar_chart(breakdown: Breakdown, *, title: str) -> SafeString:
    """Horizontal bars, one per label, the label above its bar and the count after it."""
    items = breakdown.items
    largest = max((count for _label, count in items), default=0) or 1
    row_height, bar_height, left = 44, 16, 4
    usable = WIDTH - left - 70
    height = max(row_height * len(items), row_height)
    bars = format_html_join(
        "",
        '<text x="{}" y="{}" fill="{}" font-size="14">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
        '<text x="{}" y="{}" fill="{}" font-size="14" font-weight="bold">{}</text>',
        (
            (
                left,
                index * row_height + 16,
                TEXT_COLOUR,
                label,
                left,
                index * row_height + 22,
                max(round(usable * count / largest), 1 if count else 0),
                bar_height,
                BAR_COLOUR,
                left + max(round(usable * count / largest), 0) + 6,
                index * row_height + 35,
                TEXT_COLOUR,
                count,
            )
            for index, (label, count) in enumerate(items)
        ),
    )
    return _svg(title, WIDTH, height, bars)


def column_chart(breakdown: Breakdown, *, title: str) -> SafeString:
    """Vertical columns in time order (months); every label shown while they fit."""
    items = breakdown.items
    largest = max((count for _label, count in items), default=0) or 1
    top, bottom, plot_height = 22, 40, 200
    step = (WIDTH - 8) / max(len(items), 1)
    every = max(1, round(len(items) / 12))
    parts = []
    for index, (label, count) in enumerate(items):
        height = round(plot_height * count / largest)
        x = 4 + index * step
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                round(x + step * 0.15, 1),
                top + plot_height - height,
                round(step * 0.7, 1),
                height,
                BAR_COLOUR,
            )
        )
        if count and len(items) <= 24:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" fill="{}" font-size="12" text-anchor="middle">{}</text>',
                    round(x + step / 2, 1),
                    top + plot_height - height - 4,
                    TEXT_COLOUR,
                    count,
                )
            )
        if index % every == 0:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" fill="{}" font-size="12" text-anchor="middle">{}</text>',
                    round(x + step / 2, 1),
                    top + plot_height + 18,
                    TEXT_COLOUR,
                    label.split()[0],
                )
            )
    axis = format_html(
        '<line x1="0" y1="{}" x2="{}" y2="{}" stroke="{}"/>',
        top + plot_height,
        WIDTH,
        top + plot_height,
        TEXT_COLOUR,
    )
    return _svg(title, WIDTH, top + plot_height + bottom, mark_safe("".join(parts)) + axis)


def _svg(title: str, width: int, height: int, body: SafeString) -> SafeString:
    return format_html(
        '<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
        'role="img" aria-label="{}" focusable="false" font-family="sans-serif">{}</svg>',
        width,
        height,
        title,
        body,
    )


def residents_map(home_communes: list[tuple[str, str, int]], *, title: str) -> SafeString:
    """The communes residents came from, shaded by how many came (the tour map's drawing)."""
    classes = {}
    for code, _name, count in home_communes:
        index = sum(1 for bound in MAP_CLASSES if count >= bound) - 1
        if code and index >= 0:
            classes[code] = index
    bounds = [*MAP_CLASSES, None]
    labels = [
        ngettext("%(low)s accompaniment or more", "%(low)s accompaniments or more", low)
        % {"low": low}
        if high is None
        else _("%(low)s to %(high)s accompaniments") % {"low": low, "high": high - 1}
        for low, high in zip(bounds, bounds[1:], strict=False)
    ]
    shades = [Shade(label=lab, colour=col) for lab, col in zip(labels, MAP_COLOURS, strict=True)]
    return render_shaded_map(classes=classes, shades=shades, title=title, no_data_label=_("nobody"))
