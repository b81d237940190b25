"""A stop's summary (date, hours, place, workshops) as the home and commune pages list it.

Built in Python rather than by including a template per stop: the include, its `{% url %}`
per workshop and its filters were most of the uncached home page's template time. The
markup is that of the former cms/includes/stop_summary.html.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django.template.defaultfilters import floatformat
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cms.schedule import WorkshopLine
from cms.url_patterns import UrlPattern, url_pattern
from mediation.models import Stop
from mediation.templatetags.french_dates import hour, hours, longdate
from mediation.text import escape_html as escape
from mediation.text import with_french_prepositions

_ONE = Decimal(1)


def whole_km(distance: float) -> str:
    """floatformat(distance, 0)'s text ("13" for 12.5: half up), without its localisation
    machinery, which cost more than the rest of a summary: below 1,000 nothing is grouped."""
    if 0 <= distance < 1000:
        return str(Decimal(str(distance)).quantize(_ONE, ROUND_HALF_UP))
    return floatformat(distance, 0)


@lru_cache(maxsize=1024)
def _workshop_item(workshop: WorkshopLine, module_url: UrlPattern) -> str:
    """A workshop's line in a summary: memoised on all it depends on (the row as read on this
    request and the module URL pattern, which carries the URL prefix). A tour has a handful of
    modules and start times, so a few dozen lines make all the lists; escaping each anew was
    a good part of a summary's time."""
    return (
        f'<li><span class="workshop-time">{escape(hour(workshop.start_time))}</span> '
        f'<a href="{escape(module_url(workshop.module_slug))}">'
        f"{escape(workshop.module_title)}</a></li>"
    )


@lru_cache(maxsize=16)
def _texts(language: str | None) -> dict[str, str]:
    """The fixed texts of a summary, escaped, once per language (gettext goes through the
    request's thread-local state on each call)."""
    # Translated outside the f-strings: xgettext does not look inside them.
    return {
        "cancelled": escape(_("Cancelled:")),
        "not_coming": escape(_("the van will not come on this day.")),
        "workshops": escape(_("Workshops")),
        "km_away": _("%(km)s km away"),
    }


@lru_cache(maxsize=4096)
def _day_texts(day: dt.date, language: str | None) -> tuple[str, str]:
    """A stop's day as its title reads it, and its sign-up link's text: memoised on the day
    and the language (a list repeats the same few hundred days)."""
    date = longdate(day)
    more = _('Sign up or find out more<span class="visually-hidden"> about %(date)s</span>') % {
        "date": escape(date)
    }
    return escape(date[:1].upper() + date[1:]), more  # capfirst, without its lazy wrapper


@lru_cache(maxsize=4096)
def _more_in_commune(day: dt.date, commune: str, language: str | None) -> str:
    """The sign-up link's text in a list of several communes' stops: the two vans stop on the
    same day in two communes, and a list of the page's links must tell the two apart."""
    name = escape(commune)
    more = _(
        'Sign up or find out more<span class="visually-hidden"> about %(date)s in %(commune)s'
        "</span>"
    ) % {"date": escape(longdate(day)), "commune": name}
    return with_french_prepositions(more, name)


@lru_cache(maxsize=1024)
def _hours(start: dt.time, end: dt.time, language: str | None) -> str:
    return escape(hours(start, end))


@dataclass(frozen=True, slots=True)
class _Shared:
    """What every summary of a list reads alike: looked up once per list, not once a stop
    (each lookup goes through the request's thread-local state)."""

    module_url: UrlPattern
    stop_url: UrlPattern
    language: str | None
    texts: dict[str, str]


def _shared() -> _Shared:
    language = get_language()
    return _Shared(
        module_url=url_pattern("cms:module_detail", "slug"),
        stop_url=url_pattern("cms:stop", "pk"),
        language=language,
        texts=_texts(language),
    )


def stop_summary(
    stop: Stop,
    workshops: list[WorkshopLine],
    *,
    level: int = 3,
    show_commune: bool = False,
    distance: float | None = None,
    shared: _Shared | None = None,
) -> SafeString:
    shared = shared or _shared()
    module_url, language, texts = shared.module_url, shared.language, shared.texts
    stop_url = escape(shared.stop_url(stop.pk))
    cancelled = stop.is_cancelled
    title, more = _day_texts(stop.date, language)
    if show_commune:
        title += f" – {escape(stop.commune.name)}"
        more = _more_in_commune(stop.date, stop.commune.name, language)
    parts = [
        f'\n<article class="stop{" stop-cancelled" if cancelled else ""}" '
        f'aria-labelledby="stop-{stop.pk}-title">\n'
        f'  <h{level} id="stop-{stop.pk}-title" class="stop-title">\n'
        f'    <a href="{stop_url}">{title}</a>\n  </h{level}>\n'
    ]
    if cancelled:
        reason = f" {escape(stop.cancellation_reason)}" if stop.cancellation_reason else ""
        parts.append(
            f'  <p class="status-cancelled"><strong>{texts["cancelled"]}</strong> '
            f"{texts['not_coming']}{reason}</p>\n"
        )
    when = _hours(stop.start_time, stop.end_time, language)
    if distance is not None:
        when += " · " + texts["km_away"] % {"km": escape(whole_km(distance))}
    where = escape(stop.place_name) + (f", {escape(stop.address)}" if stop.address else "")
    parts.append(f'  <p class="stop-when">{when}</p>\n  <p class="stop-where">{where}</p>\n')
    if workshops:
        items = "".join(_workshop_item(workshop, module_url) for workshop in workshops)
        label = texts["workshops"]
        parts.append(f'  <ul class="stop-modules" aria-label="{label}">\n    {items}\n  </ul>\n')
        if not cancelled:
            parts.append(f'  <p><a href="{stop_url}">{more}</a></p>\n')
    parts.append("</article>\n")
    return mark_safe("".join(parts))  # noqa: S308 - every part escaped


def _band_title(band) -> str:
    # The msgids of the former {% blocktranslate %} headings: the same French text.
    if band.up_to_km is None:
        return _("More than %(km)s km away") % {"km": escape(band.from_km)}
    if band.from_km:
        return _("From %(low)s to %(high)s km away") % {
            "low": escape(band.from_km),
            "high": escape(band.up_to_km),
        }
    return _("Less than %(km)s km away") % {"km": escape(band.up_to_km)}


def distance_bands(bands) -> SafeString:
    """The commune page's nearest stops, band by band (cms.schedule.DistanceBand), with the
    markup of the former template loop: a loop and a tag per stop were a good part of the
    uncached commune page's template time."""
    parts, shared = [], _shared()
    for band in bands:
        items = "".join(
            "\n      <li>"
            + stop_summary(
                item.stop,
                item.workshops,
                level=4,
                show_commune=True,
                distance=item.distance_km,
                shared=shared,
            )
            + "</li>\n      "
            for item in band.stops
        )
        parts.append(
            f'\n  <div class="distance-band">\n    <h3>{_band_title(band)}</h3>\n'
            f'    <ol class="nearby" role="list">\n      {items}\n    </ol>\n  </div>\n  '
        )
    return mark_safe("".join(parts))  # noqa: S308 - every part escaped


def stop_summaries(listed, *, level: int = 3, show_commune: bool = False) -> SafeString:
    """Summaries of a list of stops (cms.schedule.ListedStop), with the whitespace of the
    former template loop, one tag instead of one per stop."""
    shared = _shared()
    return mark_safe(  # noqa: S308 - every summary escaped
        "".join(
            "\n    "
            + stop_summary(
                item.stop,
                item.workshops,
                level=level,
                show_commune=show_commune,
                distance=item.distance_km,
                shared=shared,
            )
            + "\n  "
            for item in listed
        )
    )
