import datetime as dt

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from sessions import sms
from sessions.demand_models import BusRequest
from tests.factories import make_commune, make_coordinator, make_mediator, make_stop, make_workshop


@pytest.fixture(autouse=True)
def empty_outboxes():
    """Each test starts with no message sent and no rate-limit count."""
    sms.outbox.clear()
    mail.outbox = []
    cache.clear()
    yield
    sms.outbox.clear()
    cache.clear()


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run what a test does as if committed, so messages leave (they are sent on commit).

    Usage: `with sent(): registration_create(...)`.
    """

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def mediator(db):
    return make_mediator("ines")


@pytest.fixture
def coordinator(db):
    return make_coordinator("claire")


@pytest.fixture
def workshop(db):
    """A workshop in a week, sign-ups open, 3 seats."""
    stop = make_stop(date=timezone.localdate() + dt.timedelta(days=7))
    return make_workshop(stop=stop, capacity=3)


def resident(number: int, **overrides) -> dict:
    """Sign-up details of the n-th resident: a distinct phone and e-mail each."""
    return {
        "first_name": "Jeanine",
        "last_name": f"Dupont{chr(65 + number % 26)}",
        "phone": f"+336{number:08d}",
        "email": f"jeanine{number}@example.org",
    } | overrides


# A town hall asking for the van: the request that coordinators triage (bus requests).
@pytest.fixture
def village():
    return make_commune(name="Presville", slug="presville")


@pytest.fixture
def town_hall_request(village):
    return BusRequest.objects.create(
        commune=village,
        requester_kind="mairie",
        organisation="Mairie de Presville",
        contact_name="Martine Leroy",
        email="mairie@presville.example",
        phone="+33612345678",
        needs="Déclaration de revenus en mai",
        consent_at=timezone.now(),
    )
