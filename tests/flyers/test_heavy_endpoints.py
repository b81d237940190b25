"""A burst of anonymous PDF or calendar requests is refused early, never left to pile up."""

import datetime as dt

import pytest
from django.test import Client

from cms import throttle
from mediation.render_slots import RenderBusy, _slots_dir, render_slot
from tests.factories import make_commune, make_module, make_stop

# Each limit is reached within one window (tests/conftest.py).
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("branding", "within_one_rate_limit_window"),
]


@pytest.fixture
def commune():
    commune = make_commune(name="Woincourt", slug="woincourt")
    make_stop(commune=commune, date=dt.date.today() + dt.timedelta(days=3))
    return commune


@pytest.fixture(autouse=True)
def fresh_counts():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def get(url: str, address: str = "203.0.113.5"):
    return Client().get(url, REMOTE_ADDR=address)


@pytest.mark.parametrize(
    ("url", "limit"),
    [
        ("/communes/woincourt/affiche.pdf", throttle.FLYER_LIMIT),
        ("/communes/woincourt/agenda.ics", throttle.FEED_LIMIT),
        ("/agenda.ics", throttle.FEED_LIMIT),
    ],
)
def test_one_client_past_the_limit_gets_a_429_with_retry_after(commune, url, limit, monkeypatch):
    from cms import flyer_views

    # What is counted is the requests, not the PDFs: rendering is replaced by a stub.
    monkeypatch.setattr(flyer_views, "render_flyers", lambda *a, **k: b"%PDF-stub")
    statuses = [get(url).status_code for _ in range(limit + 1)]

    assert statuses[:limit] == [200] * limit
    assert statuses[limit] == 429
    assert get(url).has_header("Retry-After")
    assert get(url, address="198.51.100.9").status_code == 200


def test_when_every_rendering_slot_is_taken_a_flyer_request_gets_a_503_at_once(
    commune, settings, monkeypatch
):
    from cms import flyer_views

    settings.RENDER_CONCURRENCY = 2
    settings.RENDER_SLOT_WAIT_SECONDS = 0
    renders = []
    monkeypatch.setattr(flyer_views, "render_flyers", lambda *a, **k: renders.append(1) or b"%PDF")
    # Two renderings in progress in other workers (each slot is a lock file).
    with render_slot(), render_slot():
        busy = get("/communes/woincourt/affiche.pdf")
        # Pages residents read are not held back by the printing.
        page = get("/communes/woincourt/")

    assert busy.status_code == 503
    assert busy["Retry-After"]
    assert renders == []
    assert page.status_code == 200
    assert get("/communes/woincourt/affiche.pdf").status_code == 200
    assert renders == [1]


def test_the_handout_also_takes_a_slot(settings):
    module = make_module(slug="compte-caf")
    settings.RENDER_CONCURRENCY = 1
    settings.RENDER_SLOT_WAIT_SECONDS = 0
    with render_slot():
        assert get(f"/modules/{module.slug}/fiche.pdf").status_code == 503


def test_a_slot_is_given_back_even_when_the_rendering_fails(settings):
    settings.RENDER_CONCURRENCY = 1
    settings.RENDER_SLOT_WAIT_SECONDS = 0
    with pytest.raises(ZeroDivisionError), render_slot():
        raise ZeroDivisionError
    with render_slot(), pytest.raises(RenderBusy), render_slot():
        pass
    assert list(_slots_dir().glob("slot-*.lock"))


def test_by_default_pdfs_leave_a_web_worker_for_the_pages():
    """The shipped unit runs gunicorn with a few workers; the rendering slots must be fewer,
    or a burst of flyer requests holds every worker while residents wait for a page."""
    import re
    from pathlib import Path

    from mediation import settings as project_settings

    unit = Path(__file__).resolve().parents[2] / "deploy" / "mediation-web.service"
    workers = int(re.search(r"--workers (\d+)", unit.read_text()).group(1))
    assert workers > project_settings.RENDER_CONCURRENCY


def test_anything_added_to_a_flyers_address_leads_to_the_flyer_already_printed(
    commune, monkeypatch
):
    """A tracker's tag, a number written another way, the period's former name: each made a
    new address, rendered again in the slot that town halls' flyers wait for (a way to keep
    it busy). They now lead to the flyer's own address, rendered once, then cached."""
    from cms import flyer_views

    renders = []
    monkeypatch.setattr(flyer_views, "render_flyers", lambda *a, **k: renders.append(1) or b"%PDF")
    assert get("/communes/woincourt/affiche.pdf?mois=2").status_code == 200
    for added in [
        "?mois=2&fbclid=IwAR0",
        "?mois=02",
        "?periode=2",
        "?mois=%EF%BC%92",
        "?mois=2&mois=2",
    ]:
        response = get(f"/communes/woincourt/affiche.pdf{added}")
        assert response.status_code == 302, added
        assert response["Location"] == "/communes/woincourt/affiche.pdf?mois=2"

    assert renders == [1]
    assert get("/communes/woincourt/affiche.pdf").status_code == 200  # three months
    assert get("/communes/woincourt/affiche.pdf?mois=9&x=1").status_code == 400


def test_anything_added_to_a_handouts_address_leads_to_the_handout_already_printed(
    monkeypatch,
):
    """As for the commune flyer: "?x=1", "?x=2"… each made a new cache entry, rendered again
    in the slot that flyers and handouts wait for. The handout reads nothing from its query
    string: any leads to its own address, rendered once, then cached."""
    from cms import module_views

    make_module(slug="compte-caf")
    renders = []
    real_render = module_views.render_pdf
    monkeypatch.setattr(
        module_views, "render_pdf", lambda *a, **k: renders.append(1) or real_render(*a, **k)
    )

    assert get("/modules/compte-caf/fiche.pdf").status_code == 200
    for added in ["?x=1", "?fbclid=IwAR0", "?utm_source=mairie&x=2"]:
        response = get(f"/modules/compte-caf/fiche.pdf{added}")
        assert response.status_code == 302, added
        assert response["Location"] == "/modules/compte-caf/fiche.pdf"

    assert get("/modules/compte-caf/fiche.pdf").status_code == 200
    assert renders == [1]
