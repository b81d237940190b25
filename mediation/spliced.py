"""A page whose big parts are UTF-8 bytes made in Python, spliced into its rendered template.

    return render_spliced(request, "cms/map_page.html", context, parts={"svg_shapes": svg})

The template shows each part as a variable (`{{ svg_shapes }}`, as often as it likes); it
renders around a marker in its place, is encoded, and the parts are joined in at their markers
in one pass. The map's shapes and list are two hundred kilobytes of memoised pieces: passed as
strings, they were copied into the page at every level of the template and the whole page
encoded to UTF-8 on each request (a few characters beyond Latin-1 made all of it two bytes a
character, and the encoding alone cost more than rendering the template around it).
"""

import re
import secrets

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

# Unguessable: no text of a page can contain it, by chance or by design.
_TOKEN = secrets.token_hex(12)
_MARKER = re.compile(rb"<!--spliced-" + _TOKEN.encode() + rb"-(\w+)-->")


def render_spliced(
    request: HttpRequest, template_name: str, context: dict, *, parts: dict[str, bytes]
) -> HttpResponse:
    """`render()`'s response, with each of `parts` (HTML already escaped, as UTF-8 bytes)
    wherever the template shows the variable of that name."""
    markers = {name: mark_safe(f"<!--spliced-{_TOKEN}-{name}-->") for name in parts}  # noqa: S308 - our own comment
    html = render_to_string(template_name, {**context, **markers}, request).encode()
    pieces = _MARKER.split(html)  # the page's text, a part's name, text, a name…
    pieces[1::2] = [parts[name.decode()] for name in pieces[1::2]]
    return HttpResponse(b"".join(pieces))
