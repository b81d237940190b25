"""`{% french_prepositions commune.name %}…{% endfrench_prepositions %}`: "de" and "à" before
the commune's name in the text inside, written as French does (d’Amiens, au Crotoy).

The translations put a plain "de %(name)s" or "à %(name)s" around any commune's name; the
tag mends what it renders, for that name only (mediation.text.with_french_prepositions).
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from mediation.text import with_french_prepositions

register = template.Library()


class FrenchPrepositionsNode(template.Node):
    def __init__(self, nodelist, names):
        self.nodelist = nodelist
        self.names = names

    def render(self, context) -> str:
        text = self.nodelist.render(context)
        for name in self.names:
            value = name.resolve(context)
            if value:
                # In HTML the name appears escaped ("L&#x27;Étoile"); a plain-text message
                # ({% autoescape off %}) has it as it is.
                name = conditional_escape(value) if context.autoescape else value
                text = with_french_prepositions(text, str(name))
        return mark_safe(text)  # noqa: S308 - the nodelist's own output, already escaped


@register.tag
def french_prepositions(parser, token):
    names = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    if not names:
        raise template.TemplateSyntaxError("french_prepositions takes a commune's name")
    nodelist = parser.parse(("endfrench_prepositions",))
    parser.delete_first_token()
    return FrenchPrepositionsNode(nodelist, names)
