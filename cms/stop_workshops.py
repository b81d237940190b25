"""The stop page's list of workshops, built in one pass in Python.

Rendered by the template, each workshop cost two `{% url %}` reversals, two plural or
interpolated translations and a handful of variable lookups: most of the uncached stop page's
template time. The markup is the template's, item for item.
"""

import datetime as dt

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cms.url_patterns import url_pattern
from mediation.templatetags.french_dates import hours, longdatetime
from mediation.text import escape_html as escape


def workshop_items(workshops, *, now: dt.datetime) -> SafeString:
    """The <li> of each workshop: time, module, seats left or full, sign-up link (while
    sign-ups are open at `now`, else when they open or that they are closed), documents."""
    module_url = url_pattern("cms:module_detail", "slug")
    signup_url = url_pattern("workshops:signup", "workshop_pk")
    # Translated outside the f-strings: xgettext does not look inside them.
    to_bring, nothing = escape(_("To bring:")), escape(_("nothing special."))
    cancelled_text, full = escape(_("Cancelled")), escape(_("Full."))
    closed = escape(_("Sign-ups for this workshop are closed."))
    items = []
    for workshop in workshops:
        module = workshop.module
        title = escape(module.title)
        when = escape(hours(workshop.start_time, workshop.end_time))
        parts = [
            f'<li class="workshop" id="atelier-{workshop.pk}">\n      <h3>'
            f'<span class="workshop-time">{when}'
            f'</span><span aria-hidden="true"> · </span>'
            f'<a href="{escape(module_url(module.slug))}">{title}</a></h3>\n      '
        ]
        seats = workshop.seats_left
        state = workshop.signup_state(now)  # "cancelled" with its stop
        if state == "cancelled":
            parts.append(f"<p>{cancelled_text}</p>")
        elif state == "closed":
            parts.append(f'<p class="signup-state">{closed}</p>')
        elif state == "not_yet_open":
            opens = _("Sign-ups open on %(opens)s.") % {
                "opens": longdatetime(workshop.signup_opens_at)
            }
            parts.append(f'<p class="signup-state">{escape(opens)}</p>')
        elif seats:
            left = ngettext("%(seats)s seat left", "%(seats)s seats left", seats) % {"seats": seats}
            # Its hours too: a stop may hold the same module twice, and a list of the
            # page's links must tell the two apart.
            sign_up = _('Sign up<span class="visually-hidden"> for %(title)s, %(hours)s</span>') % {
                "title": title,
                "hours": when,
            }
            parts.append(
                f'<p class="seats" data-seats-left="{seats}">{left}</p>\n      '
                f'<p><a class="button button-large" href="{escape(signup_url(workshop.pk))}">'
                f"{sign_up}</a></p>"
            )
        else:
            wait = _(
                'Join the waiting list<span class="visually-hidden"> for %(title)s, %(hours)s'
                "</span>"
            ) % {"title": title, "hours": when}
            parts.append(
                f'<p class="seats" data-seats-left="0"><strong>{full}</strong></p>'
                f'\n      <p><a class="button" href="{escape(signup_url(workshop.pk))}">'
                f"{wait}</a></p>"
            )
        parts.append(f"\n      {_documents(module.document_list, to_bring, nothing)}\n    </li>")
        items.append("".join(parts))
    return mark_safe("\n    ".join(items))  # noqa: S308 - every part escaped


def _documents(documents: list[str], to_bring: str, nothing: str) -> str:
    """One document on the line, several as a list: a document often says why in a clause
    of its own ("Votre téléphone portable, si vous en avez un (…)"), so joined by commas two
    of them read as one, the second with a capital in the middle of the sentence."""
    if len(documents) < 2:
        listed = escape(documents[0]) if documents else nothing
        return f'<p class="bring"><strong>{to_bring}</strong> {listed}</p>'
    items = "".join(f"<li>{escape(document)}</li>" for document in documents)
    return f'<p class="bring"><strong>{to_bring}</strong></p><ul class="bring-list">{items}</ul>'
