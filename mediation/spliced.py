"""A page whose big parts are UTF-8 bytes made in Python, spliced into its rendered template.

    return render_spliced(request, "cms/map_page.html", context, parts={"svg_shapes": svg})

The template shows each part as a variable (`{{ svg_shapes }}`); it renders around a marker
in its place, is encoded, and each part is joined in at its marker, once. The map's shapes and
list are two hundred kilobytes of memoised pieces: passed as strings, they were copied into
the page at every level of the template and the whole page encoded to UTF-8 on each request
(a few characters beyond Latin-1 made all of it two bytes a character, and the encoding alone
cost more than rendering the template around it).
"""

import secrets

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

# Unguessable: no text of a page can contain it, by chance or by design.
_MARKER = "<!--spliced-" + secrets.token_hex(12) + "-{}-->"


def render_spliced(
    request: HttpRequest, template_name: str, context: dict, *, parts: dict[str, bytes]
) -> HttpResponse:
    """`render()`'s response, with each of `parts` (HTML already escaped, as UTF-8 bytes) where
    the template shows the variable of that name. A part the template does not show is left out.
    """
    markers = {name: _MARKER.format(name) for name in parts}
    html = render_to_string(
        template_name,
        {**context, **{name: mark_safe(marker) for name, marker in markers.items()}},  # noqa: S308 - our own comment
        request,
    ).encode()
    placed = sorted(
        (html.find(marker.encode()), len(marker), parts[name]) for name, marker in markers.items()
    )
    pieces, start = [], 0
    for at, length, part in placed:
        if at >= 0:
            pieces += (html[start:at], part)
            start = at + length
    pieces.append(html[start:])
    return HttpResponse(b"".join(pieces))
