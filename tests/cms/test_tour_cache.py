"""Public pages, feeds and flyers are cached until the tour changes, and say so to browsers.

Renders are counted (a spy around the function that builds each answer), never timed.
"""

import datetime as dt

import pytest
from django.test import override_settings

from cms import flyers, views
from mediation import tour_cache
from mediation.models import Branding, StopStatus
from sessions.services import registration_create
from tests.factories import make_coordinator, make_mediator, make_stop, make_workshop

pytestmark = pytest.mark.django_db


class Spy:
    """Wraps a function and counts its calls."""

    def __init__(self, function):
        self.function, self.calls = function, 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return self.function(*args, **kwargs)


@pytest.fixture
def page_renders(monkeypatch):
    spy = Spy(views.render)
    monkeypatch.setattr(views, "render", spy)
    return spy


@pytest.fixture
def feed_renders(monkeypatch):
    spy = Spy(views.feed_response)
    monkeypatch.setattr(views, "feed_response", spy)
    return spy


@pytest.fixture
def workshop(frozen, amiens):
    Branding.load()  # made on first use otherwise, which counts as a change
    stop = make_stop(commune=amiens, date=frozen.date() + dt.timedelta(days=6))
    return make_workshop(stop=stop, capacity=3)


def stop_url(workshop) -> str:
    return f"/escales/{workshop.stop.pk}/"


def test_a_second_visit_to_a_stop_page_is_served_without_rendering_it_again(
    client, workshop, page_renders
):
    first = client.get(stop_url(workshop))
    second = client.get(stop_url(workshop))

    assert first.status_code == second.status_code == 200
    assert page_renders.calls == 1
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_a_second_download_of_the_tour_feed_is_served_without_building_it_again(
    client, workshop, feed_renders
):
    first = client.get("/agenda.ics")
    second = client.get("/agenda.ics")

    assert feed_renders.calls == 1
    assert second.content == first.content
    assert second["Content-Type"].startswith("text/calendar")


def test_a_second_download_of_a_flyer_is_served_without_rendering_the_pdf_again(
    client, workshop, monkeypatch
):
    pytest.importorskip("weasyprint")
    renders = Spy(flyers.render_pdf)
    monkeypatch.setattr(flyers, "render_pdf", renders)
    url = f"/communes/{workshop.stop.commune.slug}/affiche.pdf"

    first, second = client.get(url), client.get(url)

    assert renders.calls == 1
    assert first.content == second.content
    assert second["Content-Type"] == "application/pdf"
    assert second["Content-Disposition"] == first["Content-Disposition"]
    # Another period is another flyer.
    client.get(url + "?mois=6")
    assert renders.calls == 2


def test_a_mediator_signed_in_gets_the_town_halls_copy_of_a_flyer(client, workshop, monkeypatch):
    pytest.importorskip("weasyprint")
    renders = Spy(flyers.render_pdf)
    monkeypatch.setattr(flyers, "render_pdf", renders)
    url = f"/communes/{workshop.stop.commune.slug}/affiche.pdf"
    town_hall = client.get(url)
    client.force_login(make_mediator())

    mediator = client.get(url)

    assert mediator.status_code == 200
    assert mediator.content == town_hall.content
    assert renders.calls == 1


def test_a_browser_that_has_the_page_gets_a_304(client, workshop, page_renders):
    first = client.get(stop_url(workshop))

    by_etag = client.get(stop_url(workshop), headers={"if-none-match": first["ETag"]})
    by_date = client.get(stop_url(workshop), headers={"if-modified-since": first["Last-Modified"]})
    stale = client.get(stop_url(workshop), headers={"if-none-match": '"not-this-one"'})

    assert by_etag.status_code == 304
    assert by_etag.content == b""
    assert by_date.status_code == 304
    assert stale.status_code == 200
    assert page_renders.calls == 1


def test_the_first_answer_already_carries_the_validators(client, workshop):
    response = client.get(stop_url(workshop))

    assert response["ETag"].startswith('"')
    assert response["Last-Modified"]
    assert response["Cache-Control"] == "no-cache"


def test_a_changed_stop_is_shown_at_once(client, workshop, page_renders):
    client.get(stop_url(workshop))
    stop = workshop.stop
    stop.status = StopStatus.CANCELLED
    stop.cancellation_reason = "Véhicule en panne"
    stop.save()

    response = client.get(stop_url(workshop))

    assert page_renders.calls == 2
    assert "Véhicule en panne" in response.content.decode()


def test_a_changed_workshop_is_shown_at_once(client, workshop, page_renders):
    client.get(stop_url(workshop))
    workshop.capacity = 7
    workshop.save()

    client.get(stop_url(workshop))

    assert page_renders.calls == 2


def test_a_sign_up_changes_the_seats_shown(
    client, workshop, page_renders, django_capture_on_commit_callbacks
):
    before = client.get(stop_url(workshop))
    with django_capture_on_commit_callbacks(execute=True):
        registration_create(
            workshop=workshop, first_name="Josiane", phone="0612345678", notify=False
        )

    after = client.get(stop_url(workshop))

    assert page_renders.calls == 2
    assert after.content != before.content


def test_a_page_rendered_while_a_sign_up_commits_is_not_served_once_it_has(
    client, workshop, page_renders, django_capture_on_commit_callbacks
):
    """A visitor's page rendered between the sign-up's write and its commit (here: in its
    transaction, before the commit's callbacks) is rendered again after the commit."""
    with django_capture_on_commit_callbacks(execute=True):
        registration_create(
            workshop=workshop, first_name="Josiane", phone="0612345678", notify=False
        )
        client.get(stop_url(workshop))
        client.get(stop_url(workshop))
        assert page_renders.calls == 1  # cached meanwhile, under the version before

    client.get(stop_url(workshop))

    assert page_renders.calls == 2


def test_new_branding_is_shown_at_once(client, workshop, feed_renders):
    client.get("/agenda.ics")
    branding = Branding.load()
    branding.site_name = "Le Car numérique"
    branding.save()

    response = client.get("/agenda.ics")

    assert feed_renders.calls == 2
    assert "Le Car numérique" in response.content.decode()


def test_a_signed_in_coordinator_sees_fresh_pages_and_fills_no_cache(
    client, workshop, page_renders
):
    client.force_login(make_coordinator())
    client.get(stop_url(workshop))
    client.get(stop_url(workshop))
    client.logout()
    client.get(stop_url(workshop))

    assert page_renders.calls == 3


def test_the_home_page_is_cached_too(client, home, workshop):
    hits = tour_cache.stats["hits"]
    first, second = client.get("/"), client.get("/")

    assert first.status_code == second.status_code == 200
    assert tour_cache.stats["hits"] == hits + 1


REDIS_DOWN = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        # Nothing listens there: the connection is refused at once.
        "LOCATION": "redis://127.0.0.1:8189/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


def test_with_redis_down_pages_and_feeds_are_served_uncached_and_a_warning_logged(
    client, workshop, home, page_renders, caplog
):
    # Django's test signals rebuild the cache handler for the overridden settings.
    with override_settings(CACHES=REDIS_DOWN):
        responses = [client.get(stop_url(workshop)), client.get(stop_url(workshop))]
        responses += [client.get("/agenda.ics"), client.get("/")]
        # A change recorded while Redis is down must not fail the write either.
        workshop.capacity = 5
        workshop.save()

    assert [response.status_code for response in responses] == [200, 200, 200, 200]
    assert page_renders.calls == 2
    assert "Tour cache unreachable" in caplog.text


def test_a_sign_up_leaves_the_pages_without_seats_cached(
    client, workshop, feed_renders, django_capture_on_commit_callbacks
):
    client.get("/agenda.ics")
    with django_capture_on_commit_callbacks(execute=True):
        registration_create(
            workshop=workshop, first_name="Josiane", phone="0612345679", notify=False
        )

    client.get("/agenda.ics")

    assert feed_renders.calls == 1


def test_a_cached_page_with_a_form_gives_each_visitor_a_token_that_works(workshop):
    import re

    from django.test import Client

    commune = workshop.stop.commune
    url = f"/communes/{commune.slug}/"
    Client().get(url)  # someone else filled the cache
    visitor = Client(enforce_csrf_checks=True)
    hits = tour_cache.stats["hits"]

    page = visitor.get(url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    answer = visitor.post(f"/communes/{commune.slug}/prevenez-moi/", {"csrfmiddlewaretoken": token})

    assert tour_cache.stats["hits"] == hits + 1
    assert "private" in page["Cache-Control"]
    assert answer.status_code != 403


class CacheReads:
    """Counts the round trips to the shared cache: each get or get_many is one (Redis answers
    a get_many in one MGET; the test cache makes it of gets, which are not counted again)."""

    def __init__(self, monkeypatch):
        from django.core.cache import cache

        self.calls, self.keys, self.inside = 0, [], False
        for name in ("get", "get_many"):
            original = getattr(cache, name)

            def counted(*args, _original=original, **kwargs):
                if self.inside:
                    return _original(*args, **kwargs)
                self.calls += 1
                self.keys.append(args[0])
                self.inside = True
                try:
                    return _original(*args, **kwargs)
                finally:
                    self.inside = False

            monkeypatch.setattr(cache, name, counted)


def test_a_cached_page_costs_one_read_of_the_shared_cache(client, workshop, monkeypatch):
    url = f"/communes/{workshop.stop.commune.slug}/"
    client.get(url)
    tour_cache._memo.clear()  # as a worker that has not served this page yet
    reads = CacheReads(monkeypatch)

    assert client.get(url).status_code == 200
    assert reads.calls == 1, reads.keys  # the tour's version and the page together

    assert client.get(url).status_code == 200
    assert reads.calls == 2  # the version alone: this worker holds the page already


def test_a_change_recorded_by_another_worker_is_shown_at_once_here(client, workshop, page_renders):
    """The page a worker holds is checked against the shared version on every request."""
    from django.core.cache import cache

    client.get(stop_url(workshop))
    # Another worker saved a stop: only the shared counter tells this process.
    cache.incr(tour_cache.VERSION_KEY)
    client.get(stop_url(workshop))
    cache.incr(tour_cache.SEATS_KEY)
    client.get(stop_url(workshop))

    assert page_renders.calls == 3


def test_a_cache_that_lost_its_counter_never_serves_a_page_held_from_before(
    client, workshop, page_renders
):
    from django.core.cache import cache

    client.get(stop_url(workshop))
    cache.clear()  # Redis restarted empty; this worker still holds the page
    client.get(stop_url(workshop))

    assert page_renders.calls == 2
