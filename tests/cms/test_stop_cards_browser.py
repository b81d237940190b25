"""Every stop card of the commune page reads alike: its date at the top, whatever the list.

The nearby stops' titles are one heading level down (h4 under a distance band's h3); with
the browser's default margin above an h4, their cards opened on an empty line at every width.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import make_commune, make_stop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE_OFFSET = """(card) => card.querySelector('.stop-title').getBoundingClientRect().top
                     - card.getBoundingClientRect().top"""


def test_a_nearby_stops_card_starts_with_its_date_like_the_communes_own(live_server, page, home):
    home_commune = make_commune(name="Presville", slug="presville")
    near = make_commune(name="Centreville", slug="centreville", latitude=Decimal("49.95000"))
    day = timezone.localdate() + dt.timedelta(days=3)
    make_stop(commune=home_commune, date=day)
    make_stop(commune=near, date=day + dt.timedelta(days=1))

    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(f"{live_server.url}/communes/presville/")
    own = page.locator(".stop:not(.nearby .stop)").first.evaluate(TITLE_OFFSET)
    nearby = page.locator(".nearby .stop").first.evaluate(TITLE_OFFSET)

    assert nearby == pytest.approx(own, abs=1)
