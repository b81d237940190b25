"""Personal data is wiped after the retention period; the figures for funders stay."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from sessions.links import personal_link
from sessions.models import Registration
from tests.factories import make_commune, make_registration, make_stop, make_workshop

pytestmark = pytest.mark.django_db


@override_settings(PERSONAL_DATA_RETENTION_DAYS=30)
def test_it_anonymises_registrations_of_workshops_past_the_retention_period(client):
    home = make_commune()
    today = timezone.localdate()
    old = make_workshop(stop=make_stop(date=today - dt.timedelta(days=31)))
    recent = make_workshop(stop=make_stop(date=today - dt.timedelta(days=29)))
    old_registrations = [
        make_registration(
            workshop=old,
            phone=f"+3361234567{n}",
            email=f"r{n}@example.org",
            needs="Mot de passe",
            home_commune=home,
            channel=channel,
        )
        for n, channel in enumerate(["online", "phone"])
    ]
    kept = make_registration(workshop=recent, home_commune=home)
    link = personal_link(old_registrations[0]).path

    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)
    call_command("purge_personal_data", stdout=out)

    assert out.getvalue().splitlines()[0].startswith("2 ")
    assert out.getvalue().splitlines()[1].startswith("0 ")
    for registration in old_registrations:
        registration.refresh_from_db()
        assert registration.first_name == registration.last_name == ""
        assert registration.phone == registration.email == registration.needs == ""
        assert registration.anonymised_at is not None
        assert registration.home_commune == home
        assert registration.status == "confirmed"
    assert sorted(Registration.objects.filter(workshop=old).values_list("channel", flat=True)) == [
        "online",
        "phone",
    ]
    kept.refresh_from_db()
    assert kept.first_name == "Jeanine"
    assert kept.anonymised_at is None
    assert client.get(link).status_code in {404, 410}
