"""`{% fixed %}…{% endfixed %}`: a piece of a template that is the same on every request.

Its content is rendered once per process, language and URL prefix, without the page's
variables (a variable inside renders empty, the same every time, so that nothing of a
request can leak into another): only `{% url %}`, `{% static %}`, `{% translate %}` and
markup belong inside. The base layout's menu and links were a good part of every public
page's template time, rendered anew for each request although they never change.

`{% fixed mark_current %}` (the main menu) adds one thing to the rendered copy: the link to the
page being read gets `aria-current="page"`.
"""

from django import template
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()


class FixedNode(template.Node):
    def __init__(self, nodelist: template.NodeList, *, mark_current: bool = False) -> None:
        self.nodelist = nodelist
        self.mark_current = mark_current
        self.rendered: dict[tuple, str] = {}

    def render(self, context: template.Context) -> str:
        key = (get_language(), get_script_prefix(), get_urlconf())
        html = self.rendered.get(key)
        if html is None:
            html = self.rendered[key] = mark_safe(self.nodelist.render(context.new()))  # noqa: S308 - rendered by the template engine
        if self.mark_current:
            return self._with_current_page(html, self._current_path(context))
        return html

    @staticmethod
    def _current_path(context: template.Context) -> str | None:
        # A page rendered once for every request (mediation.spliced) has no request to read:
        # it names its menu entry instead, as `menu_page` (a URL name) in its context.
        if menu_page := context.get("menu_page"):
            return reverse(menu_page)
        request = context.get("request")
        return request.path if isinstance(request, HttpRequest) else None

    @staticmethod
    def _with_current_page(html: str, path: str | None) -> str:
        # A menu's link to the page being read says so to screen readers (and, through CSS,
        # to the eye): the one page-dependent attribute, set on the rendered copy.
        link = f'href="{path}"'
        if path is None or link not in html:
            return html
        return mark_safe(html.replace(link, f'{link} aria-current="page"', 1))  # noqa: S308 - a path already in the markup


@register.tag
def fixed(parser, token) -> FixedNode:
    """`{% fixed %}`, or `{% fixed mark_current %}` for a menu whose link to the page being
    read gets `aria-current="page"`."""
    options = token.split_contents()[1:]
    if options not in ([], ["mark_current"]):
        raise template.TemplateSyntaxError("{% fixed %} takes no option but mark_current")
    nodelist = parser.parse(("endfixed",))
    parser.delete_first_token()
    return FixedNode(nodelist, mark_current=bool(options))
