"""`{% fixed %}…{% endfixed %}`: a piece of a template that is the same on every request.

Its content is rendered once per process, language and URL prefix, without the page's
variables (a variable inside renders empty, the same every time, so that nothing of a
request can leak into another): only `{% url %}`, `{% static %}`, `{% translate %}` and
markup belong inside. The base layout's menu and links were a good part of every public
page's template time, rendered anew for each request although they never change.
"""

from django import template
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()


class FixedNode(template.Node):
    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist
        self.rendered: dict[tuple, str] = {}

    def render(self, context: template.Context) -> str:
        key = (get_language(), get_script_prefix(), get_urlconf())
        html = self.rendered.get(key)
        if html is None:
            html = self.rendered[key] = mark_safe(self.nodelist.render(context.new()))  # noqa: S308 - rendered by the template engine
        return html


@register.tag
def fixed(parser, token) -> FixedNode:
    nodelist = parser.parse(("endfixed",))
    parser.delete_first_token()
    return FixedNode(nodelist)
