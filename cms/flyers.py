"""Printed A4 flyers for town halls: the van's next stops in a commune, on one page.

The data for any number of communes is gathered in a constant number of queries plus one
per commune that needs its neighbours' stops (fewer than three of its own), then rendered
by the shared warm WeasyPrint renderer. A batch is one HTML document with a page per
commune: one layout pass and one font subsetting for the whole batch, which measured faster
than rendering each page apart and merging them (see docs/benchmarks.md).
"""

import calendar
import datetime as dt
import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models import Prefetch, prefetch_related_objects
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cms.schedule import now_for_lists
from mediation.errors import DomainError
from mediation.models import Branding, Commune, Epci, Stop, TutorialModule
from mediation.pdf import image_url, render_pdf
from mediation.qr import qr_png_data_uri
from mediation.schedule import NearbyStop, nearest_upcoming_stops
from sessions.models import Workshop

DEFAULT_MONTHS = 3
MIN_MONTHS, MAX_MONTHS = 1, 6
# What fits on one A4 page in large type, whatever the data: the rest is on the website.
# MAX_STOPS counts the rows of the schedule, the commune's own and the nearby ones.
MAX_STOPS = 5
WANTED_STOPS = 3
MAX_MODULES = 5
# The flyer's layout budget in millimetres (see flyer.css): the page's height inside its
# margins; what every flyer prints whatever its dates (masthead, a title of two lines, the
# lead, the sign-up box, the footer) with a safety margin; a heading; a module's line; and
# a date's row at each type size.
PAGE_HEIGHT_MM = 273
FIXED_HEIGHT_MM = 130
HEADING_MM = 11
MODULE_LINE_MM = 6
ROW_HEIGHT_MM = {"normal": 18, "large": 32, "largest": 37}
# A place and its address wider than a line are printed on two lines, the address under the
# place, rather than run past the page's edge: the second line's height, one line of .where
# in flyer.css, at each of its sizes (in points); and the line's width (flyer.css: the page
# inside its margins, 182 mm, less a stop's border and padding, 5.2 mm, and a margin).
WHERE_POINTS = {"normal": 13, "large": 15, "largest": 17}
ADDRESS_LINE_MM = {"normal": 6, "large": 7, "largest": 8}
LINE_MM = 174
FONT_FILES = {
    False: "cms/fonts/atkinson-hyperlegible-latin-400-normal.woff2",
    True: "cms/fonts/atkinson-hyperlegible-latin-700-normal.woff2",
}
MM_PER_POINT = 25.4 / 72
PERIOD_PARAMETERS = ("mois", "periode")
STYLESHEETS = ["cms/flyer.css"]


class FlyerPeriodError(DomainError, ValueError):
    """A period a town hall cannot ask for; the view answers 400."""

    def __init__(self, message: str, *, code: str):
        super().__init__(code, message)


@dataclass(frozen=True)
class FlyerPeriod:
    months: int
    start: dt.date
    end: dt.date

    @classmethod
    def between(cls, start: dt.date, end: dt.date) -> "FlyerPeriod":
        """The period of flyers asked for earlier (kept as its two dates)."""
        return cls(
            months=(end.year - start.year) * 12 + end.month - start.month, start=start, end=end
        )


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def flyer_period(months: int = DEFAULT_MONTHS, *, today: dt.date | None = None) -> FlyerPeriod:
    """From today to the same day `months` later (included)."""
    if not MIN_MONTHS <= months <= MAX_MONTHS:
        raise FlyerPeriodError(
            _("The period must be between %(low)d and %(high)d months.")
            % {"low": MIN_MONTHS, "high": MAX_MONTHS},
            code="out_of_range",
        )
    start = today or timezone.localdate()
    return FlyerPeriod(months=months, start=start, end=add_months(start, months))


def period_choices() -> list[tuple[int, str]]:
    """The periods a flyer may cover, as (months, label), in the current language: the
    commune page's choice and the intercommunality batch's (reports/forms.py)."""
    return [
        (
            months,
            ngettext("the next month", "the next %(count)d months", months) % {"count": months},
        )
        for months in range(MIN_MONTHS, MAX_MONTHS + 1)
    ]


def period_from_query(query: Mapping, *, today: dt.date | None = None) -> FlyerPeriod:
    """The period asked for by `?mois=N` (or `?periode=N`), N months from today; 3 by default."""
    values = []
    for name in PERIOD_PARAMETERS:
        values += query.getlist(name) if hasattr(query, "getlist") else [query.get(name)]
    values = [value for value in values if value is not None]
    if not values:
        return flyer_period(today=today)
    if len(set(values)) > 1:
        raise FlyerPeriodError(_("Give the period only once."), code="ambiguous")
    raw = values[0].strip()
    if not re.fullmatch(r"\d{1,2}", raw):
        raise FlyerPeriodError(
            _("The period is a number of months, such as 1 or 3."), code="not_a_number"
        )
    return flyer_period(int(raw), today=today)


@dataclass
class Flyer:
    """Everything printed on one commune's flyer."""

    commune: Commune
    period: FlyerPeriod
    stops: list[Stop]
    more_stops: int
    nearby: list[NearbyStop]
    modules: list[TutorialModule]
    page_url: str
    qr_code: str = field(repr=False)

    @property
    def first_end(self) -> dt.datetime | None:
        """When the first stop printed ends, and so leaves the flyer (tour_cache.stale_at)."""
        return min(
            (stop.ends_at for stop in [*self.stops, *(item.stop for item in self.nearby)]),
            default=None,
        )

    @property
    def upcoming_count(self) -> int:
        return sum(1 for stop in self.stops if not stop.is_cancelled) + self.more_stops

    @cached_property
    def type_size(self) -> str:
        """How large the dates are printed: as large as the page leaves room for.

        A flyer with two dates and no module would otherwise leave the bottom half of the
        page empty while passers-by squint at 20 pt. The rows are one line each (clipped), so
        their height is known; the estimate below is in millimetres of the A4 page. A size
        at which a place or an address would run past the page's edge, even on a line of its
        own, is not chosen.
        """
        rows = len(self.stops) + len(self.nearby) + (1 if self.more_stops else 0)
        headings = 1 + (1 if self.stops and self.nearby else 0) + (1 if self.modules else 0)
        fixed = FIXED_HEIGHT_MM + headings * HEADING_MM + len(self.modules) * MODULE_LINE_MM
        room = PAGE_HEIGHT_MM - fixed
        for size in ("largest", "large"):
            split, overflows = self._place_lines(size)
            if overflows:
                continue
            if rows * ROW_HEIGHT_MM[size] + len(split) * ADDRESS_LINE_MM[size] <= room:
                return size
        return "normal"

    def _place_lines(self, size: str) -> tuple[set[int], bool]:
        """The stops whose place line, printed at `size`, takes two lines (a place and its
        address, or a nearby commune's name and distance, "(à 11 km)", and its place), and
        whether a line would still run past the page's edge. Measured in the flyer's font:
        a line in capitals is a third wider than its letters' count says."""
        points = WHERE_POINTS[size]
        split, overflows = set(), False
        for stop in self.stops:
            if stop.is_cancelled:
                continue
            place = _truncated(stop.place_name, 60)
            if not stop.address:
                overflows |= printed_mm(place, points=points) > LINE_MM
                continue
            address = _truncated(stop.address, 60)
            if printed_mm(f"{place} – {address}", points=points) > LINE_MM:
                split.add(stop.pk)
                overflows |= (
                    max(printed_mm(place, points=points), printed_mm(address, points=points))
                    > LINE_MM
                )
        for item in self.nearby:
            name = printed_mm(item.stop.commune.name, points=points, bold=True)
            # The distance as printed in French ("(à 11 km)"), with room for three digits.
            distance = printed_mm(" (à 999 km)", points=points)
            place = printed_mm(_truncated(item.stop.place_name, 50), points=points)
            if name + distance + printed_mm(" – ", points=points) + place > LINE_MM:
                split.add(item.stop.pk)
                overflows |= max(name + distance, place) > LINE_MM
        return split, overflows

    @cached_property
    def split_places(self) -> set[int]:
        """The stops printed with their address on a line of its own (flyer.html)."""
        return self._place_lines(self.type_size)[0]

    @cached_property
    def printed_modules(self) -> list[TutorialModule]:
        """The modules printed: at the smallest size, where the page is full, each address
        on a line of its own takes a module's line (where to go matters more to a resident
        than what else she could learn there; the commune's page lists every module)."""
        if self.type_size != "normal":
            return self.modules
        return self.modules[: max(MAX_MODULES - len(self.split_places), 0)]

    @property
    def passes_nearby(self) -> bool:
        """No stop of its own in the period: the flyer says the van passes near, not here."""
        return self.upcoming_count == 0 and bool(self.nearby)

    @property
    def has_no_date(self) -> bool:
        """No stop here nor nearby in the period (a winter break): the flyer promises none,
        and sends to the phone for the next dates."""
        return self.upcoming_count == 0 and not self.nearby


@functools.cache
def _advances(bold: bool) -> tuple[dict[int, float], float]:
    """Each character's width in the flyer's font, in ems, and the widest's (for a character
    the font lacks, printed in another), read once per process from the font file."""
    from fontTools.ttLib import TTFont  # WeasyPrint's own dependency

    font = TTFont(finders.find(FONT_FILES[bold]))
    units, metrics = font["head"].unitsPerEm, font["hmtx"].metrics
    widths = {code: metrics[glyph][0] / units for code, glyph in font.getBestCmap().items()}
    return widths, max(widths.values())


def _truncated(text: str, length: int) -> str:
    """`text` as the template's truncatechars:length prints it (Truncator, which asks for
    its ellipsis's translation each time, took half of an intercommunality's layout)."""
    return text if len(text) <= length else text[: length - 1] + "…"


def printed_mm(text: str, *, points: float, bold: bool = False) -> float:
    """How wide `text` is printed in the flyer's font at `points`, in millimetres."""
    widths, widest = _advances(bold)
    ems = sum(widths.get(ord(character), widest) for character in text)
    return ems * points * MM_PER_POINT


def commune_page_url(commune: Commune) -> str:
    return settings.SITE_URL + reverse("cms:commune", args=[commune.slug])


def _workshops_with_modules() -> Prefetch:
    return Prefetch(
        "workshops",
        queryset=Workshop.objects.select_related("module").order_by("start_time"),
    )


def _modules_of(stops: Iterable[Stop]) -> list[TutorialModule]:
    modules = {}
    for stop in stops:
        if stop.is_cancelled:
            continue
        for workshop in stop.workshops.all():
            modules.setdefault(workshop.module_id, workshop.module)
    return sorted(modules.values(), key=lambda module: module.title)[:MAX_MODULES]


def _make_room(stops: list[Stop], *, rows: int) -> list[Stop]:
    """Every stop that will happen, and as many cancelled ones as there is room left for.

    Where few stops will happen, the nearby ones matter more to a resident than a long
    list of cancellations.
    """
    room_for_cancelled = max(rows - sum(1 for stop in stops if not stop.is_cancelled), 0)
    kept = []
    for stop in stops:
        if stop.is_cancelled:
            if not room_for_cancelled:
                continue
            room_for_cancelled -= 1
        kept.append(stop)
    return kept


def build_flyers(communes: Iterable[Commune], *, period: FlyerPeriod) -> list[Flyer]:
    """The flyers of these communes, in the given order.

    Two queries for all the communes' own stops and their workshops; one for the nearest
    stops around each commune with fewer than three stops of its own; then two for all those
    nearest stops' workshops (per commune, they were two thirds of an intercommunality's
    batch of 119 flyers' queries).
    """
    communes = list(communes)
    stops_by_commune: dict[int, list[Stop]] = defaultdict(list)
    now = now_for_lists()
    # A stop that ended this morning has no place on a flyer printed this afternoon.
    after = now["time_of_day"] if period.start == now["today"] else None
    own_stops = (
        Stop.objects.filter(commune__in=[commune.pk for commune in communes])
        .not_over(period.start, after)
        .filter(date__lte=period.end)
        .order_by("date", "start_time", "pk")
        .prefetch_related(_workshops_with_modules())
    )
    for stop in own_stops:
        stops_by_commune[stop.commune_id].append(stop)

    drafts = []
    for commune in communes:
        stops = stops_by_commune[commune.pk]
        for stop in stops:
            stop.commune = commune  # already in hand: no query per stop for its name
        running = [stop for stop in stops if not stop.is_cancelled]
        shown, nearby = stops[:MAX_STOPS], []
        if len(running) < WANTED_STOPS:
            nearby = nearest_upcoming_stops(
                commune,
                limit=(WANTED_STOPS - len(running)) if running else MAX_STOPS - 1,
                today=period.start,
                after=after,
                until=period.end,
            )
            # The nearest few, soonest first: "when can I go?" is what a resident reads for.
            nearby.sort(key=lambda item: (item.stop.date, item.stop.start_time, item.distance_km))
            shown = _make_room(stops, rows=MAX_STOPS - 1 - len(nearby))
        drafts.append((commune, running, shown, nearby))
    prefetch_related_objects(
        [item.stop for *_, nearby in drafts for item in nearby], _workshops_with_modules()
    )

    flyers = []
    for commune, running, shown, nearby in drafts:
        url = commune_page_url(commune)
        flyers.append(
            Flyer(
                commune=commune,
                period=period,
                stops=shown,
                more_stops=sum(1 for stop in running if stop not in shown),
                nearby=nearby,
                modules=_modules_of([*running, *(item.stop for item in nearby)]),
                page_url=url,
                qr_code=qr_png_data_uri(url),
            )
        )
    return flyers


def _logo_url(branding: Branding) -> str:
    return image_url(branding.logo) if branding.logo_id else ""


def flyers_html(flyers: list[Flyer], *, branding: Branding | None = None) -> str:
    branding = branding or Branding.load()
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            "cms/flyers/document.html",
            {
                "flyers": flyers,
                "branding": branding,
                "logo_url": _logo_url(branding),
                "operator_address": ", ".join(
                    line.strip() for line in branding.operator_address.splitlines() if line.strip()
                ),
            },
        )


def render_flyers(flyers: list[Flyer], *, branding: Branding | None = None) -> bytes:
    """One PDF with one A4 page per flyer."""
    return render_pdf(flyers_html(flyers, branding=branding), stylesheets=STYLESHEETS)


def commune_flyer_pdf(commune: Commune, *, period: FlyerPeriod) -> bytes:
    return render_flyers(build_flyers([commune], period=period))


def epci_communes(epci: Epci) -> list[Commune]:
    return list(epci.communes.order_by("name", "insee_code"))


def epci_flyers_html(epci: Epci, *, period: FlyerPeriod) -> str:
    """The batch's document, to render with STYLESHEETS."""
    return flyers_html(build_flyers(epci_communes(epci), period=period))


def epci_flyers_pdf(epci: Epci, *, period: FlyerPeriod) -> bytes:
    return render_pdf(epci_flyers_html(epci, period=period), stylesheets=STYLESHEETS)


def flyer_filename(commune: Commune) -> str:
    return f"affiche-{commune.slug}.pdf"
