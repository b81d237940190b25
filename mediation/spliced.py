"""A page whose big parts are UTF-8 bytes made in Python, spliced into its rendered template.

    return render_spliced(request, "cms/map_page.html", context, parts={"svg_shapes": svg})

The template shows each part as a variable (`{{ svg_shapes }}`, as often as it likes); it
renders around a marker in its place, is encoded, and the parts are joined in at their markers
in one pass. The map's shapes and list are two hundred kilobytes of memoised pieces: passed as
strings, they were copied into the page at every level of the template and the whole page
encoded to UTF-8 on each request (a few characters beyond Latin-1 made all of it two bytes a
character, and the encoding alone cost more than rendering the template around it).

The rest of the page is rendered once per process for each language and URL prefix,
`context` (its values are part of the memo's key, so they must be hashable) and branding
(Branding.layout_key, read on each request): rendering the base layout around a page (its
inheritance, blocks and context processors) cost as much as all the rest of an uncached map.
A template rendered here shows nothing of the request but its parts, its context and the
branding: any other variable of the context processors (`request`, `user`, `csrf_token`…)
would be frozen into the memo, so the memoised render raises on it.
"""

import re
import secrets
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.template import Context
from django.template.backends.django import Template as BackendTemplate
from django.template.base import Template
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from mediation.models import Branding

# Unguessable: no text of a page can contain it, by chance or by design.
_TOKEN = secrets.token_hex(12)
_MARKER = re.compile(rb"<!--spliced-" + _TOKEN.encode() + rb"-(\w+)-->")
# What the context processors give that a memoised page may show: Wagtail's settings (the
# branding, in the key) and the link to the source code (a setting of the process).
_SAME_FOR_EVERY_REQUEST = frozenset({"settings", "SOURCE_CODE_URL"})
_MEMO_SIZE = 64  # templates × contexts × languages × brandings; the map has two contexts


class SplicingError(RuntimeError):
    """A template rendered by render_spliced used a variable that changes with the request."""


class _RequestOnly:
    """Stands for a variable of the request in the memoised render: any use of it raises."""

    def __init__(self, name: str) -> None:
        self._name = name

    def _refuse(self, *args, **kwargs):
        raise SplicingError(
            f"« {self._name} » changes with each request: a template rendered by "
            "render_spliced may not show it (make it a part, or render the page as usual)."
        )

    __getattr__ = __getitem__ = __str__ = __bool__ = __iter__ = __len__ = _refuse


@dataclass(frozen=True)
class _Memo:
    template: Template  # the compiled template it was made of: a reloaded one is a new memo
    pieces: list[bytes | str]  # text (bytes) at even places, a part's name at odd ones


_memos: dict[tuple, _Memo] = {}


def render_spliced(
    request: HttpRequest, template_name: str, context: dict, *, parts: dict[str, bytes]
) -> HttpResponse:
    """`render()`'s response, with each of `parts` (HTML already escaped, as UTF-8 bytes)
    wherever the template shows the variable of that name; the rest memoised (see above)."""
    template: BackendTemplate = get_template(template_name)
    key = (
        template_name,
        get_language(),
        get_script_prefix(),  # the links the layout reverses, as {% fixed %} keys them
        get_urlconf(),
        frozenset(parts),
        tuple(sorted(context.items())),
        Branding.load(request).layout_key(),
    )
    memo = _memos.get(key)
    if memo is None or memo.template is not template.template:
        memo = _memoise(request, template, context, parts)
        if len(_memos) >= _MEMO_SIZE:
            _memos.clear()
        _memos[key] = memo
    pieces = list(memo.pieces)
    pieces[1::2] = [parts[name] for name in pieces[1::2]]
    return HttpResponse(b"".join(pieces))


def _memoise(
    request: HttpRequest, template: BackendTemplate, context: dict, parts: dict[str, bytes]
) -> _Memo:
    from_processors = {"csrf_token": _RequestOnly("csrf_token")}
    for processor in template.template.engine.template_context_processors:
        for name, value in processor(request).items():
            from_processors[name] = value if name in _SAME_FOR_EVERY_REQUEST else _RequestOnly(name)
    markers = {
        name: mark_safe(f"<!--spliced-{_TOKEN}-{name}-->")  # noqa: S308 - our own comment
        for name in parts
    }
    html = template.template.render(Context({**from_processors, **context, **markers}))
    pieces: list = _MARKER.split(html.encode())
    pieces[1::2] = [name.decode() for name in pieces[1::2]]
    return _Memo(template=template.template, pieces=pieces)
