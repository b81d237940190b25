"""Records name themselves in the back office (list rows, menus' labels, choosers) by the
time they happened in the Somme, in words: the database keeps UTC, and a label formatted
from the stored value read an hour early in winter, two in summer."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from mediation.models import PARIS
from mediation.models.planning import SeriesWorkshop
from sessions.activity_models import IndividualHelp
from sessions.privacy_models import PersonalDataRequest
from tablets.models import TabletReset, TabletUse
from tests.factories import make_commune, make_module, make_stop, make_tablet, make_user

pytestmark = pytest.mark.django_db

SUMMER_AFTERNOON = dt.datetime(2026, 7, 7, 15, 30, tzinfo=PARIS)  # 13:30 UTC


def test_an_individual_help_reads_the_hour_it_was_given_in_paris():
    stop = make_stop(date=SUMMER_AFTERNOON.date(), commune=make_commune(name="Bray"))
    help_given = IndividualHelp.objects.create(
        uuid=uuid.uuid4(), stop=stop, minutes_spent=20, recorded_at=SUMMER_AFTERNOON
    )
    help_given.refresh_from_db()  # as the list reads it: in UTC

    assert str(help_given) == "Bray, mardi 7 juillet 2026 (15\xa0h\xa030)"


def test_a_personal_data_request_reads_when_it_was_handled_in_paris():
    request = PersonalDataRequest.objects.create(
        kind=PersonalDataRequest.Kind.ERASURE, handled_by=make_user("claire")
    )
    PersonalDataRequest.objects.filter(pk=request.pk).update(handled_at=SUMMER_AFTERNOON)
    request.refresh_from_db()

    assert timezone.is_aware(request.handled_at)
    assert str(request).endswith("(mardi 7 juillet 2026, 15\xa0h\xa030)")


def test_a_series_workshop_reads_its_start_in_french():
    module = make_module(title="Créer son compte Ameli")
    workshop = SeriesWorkshop(module=module, start_time=dt.time(9, 30), end_time=dt.time(11))

    assert str(workshop) == "Créer son compte Ameli, 9\xa0h\xa030"


def test_a_tablet_s_use_and_reset_read_when_they_happened_in_paris():
    tablet = make_tablet(asset_tag="TAB-007")
    use = TabletUse.objects.create(tablet=tablet, used_at=SUMMER_AFTERNOON, reference="r-1")
    reset = TabletReset.objects.create(tablet=tablet, at=SUMMER_AFTERNOON)
    use.refresh_from_db()
    reset.refresh_from_db()

    assert str(use) == "TAB-007, mardi 7 juillet 2026, 15\xa0h\xa030"
    assert str(reset) == "TAB-007, réinitialisée le mardi 7 juillet 2026, 15\xa0h\xa030"
