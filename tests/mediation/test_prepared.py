"""A query compiled once per process still reads the database, with the parameters of each call."""

import datetime as dt

import django
import pytest

from mediation.models import Stop
from mediation.prepared import PreparedQuery
from tests.factories import make_stop

pytestmark = pytest.mark.django_db

stops_from = PreparedQuery(
    lambda since, pk: (
        Stop.objects.select_related("commune")
        .filter(date__gte=since)
        .exclude(pk=pk)
        .order_by("date", "pk")
    ),
    since=dt.date(1901, 2, 3),
    pk=-987654321,
)


def test_each_call_reads_the_rows_of_its_own_parameters():
    first = make_stop(date=dt.date(2031, 5, 4), place_name="Salle des fêtes")
    second = make_stop(date=dt.date(2031, 6, 8), commune=first.commune)

    assert stops_from.objects(since=dt.date(2031, 1, 1), pk=0) == [first, second]
    assert stops_from.objects(since=dt.date(2031, 6, 1), pk=0) == [second]
    assert stops_from.objects(since=dt.date(2031, 1, 1), pk=first.pk) == [second]


def test_a_change_in_the_database_shows_on_the_next_call():
    stop = make_stop(date=dt.date(2031, 5, 4), place_name="Salle des fêtes")
    stops_from.objects(since=dt.date(2031, 1, 1), pk=0)
    Stop.objects.filter(pk=stop.pk).update(place_name="Mairie", date=dt.date(2031, 5, 5))

    (found,) = stops_from.objects(since=dt.date(2031, 1, 1), pk=0)

    # Converted as the ORM converts them (SQLite returns dates as text), the relation joined.
    assert (found.place_name, found.date) == ("Mairie", dt.date(2031, 5, 5))
    assert found.commune.name == stop.commune.name


def test_a_marker_that_is_not_a_parameter_is_refused():
    query = PreparedQuery(lambda pk: Stop.objects.filter(pk=1), pk=-987654321)

    with pytest.raises(ValueError, match="marker"):
        query.objects(pk=1)


def test_the_branding_is_read_anew_for_each_request(rf):
    from mediation.models import Branding

    Branding.load()  # created on first use
    Branding.objects.update(site_name="Le Bus")
    assert Branding.load(rf.get("/")).site_name == "Le Bus"
    Branding.objects.update(site_name="Le Car numérique")

    assert Branding.load(rf.get("/")).site_name == "Le Car numérique"


def test_wagtail_still_loads_the_branding_through_the_prepared_query(rf, monkeypatch):
    """Branding overrides Wagtail's _get_or_create: if Wagtail stopped calling it, the page
    would silently go back to compiling the query on every request."""
    from mediation.models import Branding
    from mediation.models import branding as module

    calls = []
    original = module._first_branding.objects
    monkeypatch.setattr(
        module._first_branding, "objects", lambda **kw: calls.append(1) or original(**kw)
    )

    Branding.load(rf.get("/"))

    assert calls


stops_among = PreparedQuery(
    lambda ids, place: Stop.objects.filter(pk__in=ids, place_name=place).order_by("pk"),
    ids=[],
    place="place-marker",
)


def test_a_list_parameter_of_any_length_and_a_text_parameter():
    stops = [make_stop(place_name="Mairie") for _ in range(3)]
    other = make_stop(place_name="Salle des fêtes")
    keys = [stop.pk for stop in stops]

    assert stops_among.objects(ids=keys, place="Mairie") == stops
    assert stops_among.objects(ids=keys[:1], place="Mairie") == stops[:1]
    assert stops_among.objects(ids=[*keys, other.pk], place="Salle des fêtes") == [other]
    assert stops_among.objects(ids=[], place="Mairie") == []


@pytest.mark.skipif(django.VERSION < (6, 1), reason="QuerySets have a fetch mode from Django 6.1")
def test_its_instances_fetch_what_was_not_loaded_as_the_querysets_do(django_assert_num_queries):
    from django.db.models import FETCH_PEERS

    stops_of_a_day = PreparedQuery(
        lambda since: Stop.objects.fetch_mode(FETCH_PEERS).filter(date=since).order_by("pk"),
        since=dt.date(1901, 2, 3),
    )
    day = dt.date(2031, 5, 4)
    stops = [make_stop(date=day, place_name=name) for name in ("Mairie", "Église", "Halle")]

    found = stops_of_a_day.objects(since=day)

    # The communes, not selected, come in one query for the three stops, as from the QuerySet.
    with django_assert_num_queries(1):
        assert [stop.commune for stop in found] == [stop.commune for stop in stops]
