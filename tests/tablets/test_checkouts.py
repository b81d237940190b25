import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from tablets.errors import TabletError
from tablets.models import TabletCheckout, TabletStatus
from tablets.services import tablet_check_out, tablet_return
from tests.factories import make_mediator, make_stop, make_tablet

pytestmark = pytest.mark.django_db


def test_a_tablet_leaves_for_a_stop_and_comes_back(tablet):
    mediator = make_mediator()
    stop = make_stop()

    checkout = tablet_check_out(tablet=tablet, stop=stop, by=mediator)
    returned = tablet_return(tablet=tablet, by=mediator)

    assert returned.pk == checkout.pk
    assert (returned.stop, returned.out_by, returned.returned_by) == (stop, mediator, mediator)
    assert returned.returned_at >= returned.out_at
    assert not TabletCheckout.objects.open().exists()


def test_a_tablet_cannot_be_out_twice(tablet):
    mediator = make_mediator()
    tablet_check_out(tablet=tablet, stop=make_stop(), by=mediator)

    with pytest.raises(TabletError) as excinfo:
        tablet_check_out(tablet=tablet, stop=make_stop(), by=mediator)

    assert excinfo.value.code == "already_out"


def test_the_database_also_refuses_two_open_checkouts(tablet):
    stop = make_stop()
    TabletCheckout.objects.create(tablet=tablet, stop=stop, out_at=stop.starts_at)
    with pytest.raises(IntegrityError), transaction.atomic():
        TabletCheckout.objects.create(tablet=tablet, stop=stop, out_at=stop.starts_at)


def test_returning_a_tablet_that_is_not_out_is_refused(tablet):
    with pytest.raises(TabletError) as excinfo:
        tablet_return(tablet=tablet, by=make_mediator())
    assert excinfo.value.code == "not_out"


@pytest.mark.parametrize(
    "status", [TabletStatus.LOST, TabletStatus.RETIRED, TabletStatus.IN_REPAIR]
)
def test_a_tablet_out_of_the_fleet_cannot_leave(status):
    with pytest.raises(TabletError) as excinfo:
        tablet_check_out(tablet=make_tablet(status=status), stop=make_stop(), by=make_mediator())
    assert excinfo.value.code == "unavailable"


def test_a_checkout_not_returned_after_its_stop_day_is_flagged(tablet):
    today = dt.date(2026, 11, 20)
    stop = make_stop(date=today)
    tablet_check_out(tablet=tablet, stop=stop, by=make_mediator())

    assert not TabletCheckout.objects.not_returned(today=today).exists()
    assert (
        TabletCheckout.objects.not_returned(today=today + dt.timedelta(days=1)).get().tablet
        == tablet
    )


def test_a_mediator_checks_a_tablet_out_and_back_from_its_record(client, tablet):
    mediator = make_mediator()
    stop = make_stop()
    client.force_login(mediator)

    out = client.post(reverse("tablets_admin:check_out", args=[tablet.pk]), {"stop": stop.pk})
    page = client.get(reverse("tablets_admin:detail", args=[tablet.pk]))
    back = client.post(reverse("tablets_admin:return", args=[tablet.pk]))

    assert (out.status_code, back.status_code) == (302, 302)
    assert b'id="return-form"' in page.content
    checkout = TabletCheckout.objects.get()
    assert (checkout.stop, checkout.out_by, checkout.returned_by) == (stop, mediator, mediator)


def test_the_stop_to_check_a_tablet_out_for_reads_a_choice_to_make(client, tablet):
    # Inès opens TAB-003's record to take it to Amiens: the stop list starts "À choisir".
    client.force_login(make_mediator())
    make_stop()

    html = client.get(reverse("tablets_admin:detail", args=[tablet.pk])).content.decode()

    assert '<option value="" selected>À choisir</option>' in html
    assert "---------" not in html
