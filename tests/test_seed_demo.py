"""`seed_demo`: a believable demo, and running it twice duplicates nothing."""

import datetime as dt
import io
import json
import os
import re
import subprocess
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.models import Site

from cms import demo
from cms.models import HomePage
from mediation.management.commands.runserver import demo_accounts_text
from mediation.models import PARIS, Stop, StopSeries, StopStatus, TutorialModule, Van
from mediation.module_loader import DEMO_MODULES_FILE
from mediation.planning.rules import public_holiday
from mediation.roles import COORDINATORS, MEDIATORS
from sessions.models import Registration, Workshop
from tablets.models import Tablet

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = [Stop, Workshop, Registration, TutorialModule, Tablet, HomePage, get_user_model()]
    return {model.__name__: model.objects.count() for model in models}


def test_it_refuses_to_run_before_the_communes_are_imported():
    with pytest.raises(CommandError, match="import_communes"):
        seed()


def test_it_builds_a_tour_of_twelve_weeks_with_sign_ups(somme):
    output = seed()
    today = timezone.localdate()
    stops = Stop.objects.all()
    assert 45 <= stops.count() <= 65
    if today.weekday() < 6 and not public_holiday(today):
        assert stops.filter(date=today).exists()
    assert max(stop.date for stop in stops) - today <= timezone.timedelta(weeks=12)
    assert stops.filter(status=StopStatus.CANCELLED).count() == 1
    assert Workshop.objects.filter(capacity=1).exists()
    assert Registration.objects.exists()
    for workshop in Workshop.objects.all():
        assert workshop.seats_taken == workshop.registrations.confirmed().count()
    titles = set(TutorialModule.objects.values_list("title", flat=True))
    assert {
        "Créer son compte CAF en ligne",
        "Facebook et les réseaux sociaux en sécurité",
    } <= titles
    assert any("impots.gouv" in title for title in titles)
    assert Tablet.objects.count() >= 5
    assert "coordination" in output and "demo-bus-2026" in output


def test_it_creates_one_coordinator_and_two_mediators_who_can_log_in(somme, client):
    seed()
    users = get_user_model().objects
    assert users.filter(groups__name=COORDINATORS).count() == 1
    assert users.filter(groups__name=MEDIATORS).count() == 2
    assert client.login(username="mediatrice", password="demo-bus-2026")
    assert client.get("/admin/").status_code == 200


def test_it_makes_the_home_page_the_site_root(somme):
    seed()
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)


def test_running_it_twice_changes_nothing(somme):
    seed()
    first = counts()
    seed()
    assert counts() == first


@pytest.mark.parametrize("today", [dt.date(2026, 12, 14), dt.date(2027, 4, 26)])
def test_the_tour_is_planned_through_series_of_two_vans_never_on_a_holiday_or_sunday(somme, today):
    # Christmas, New Year's Day, Easter Monday, 1 and 8 May fall in these twelve weeks.
    with time_machine.travel(dt.datetime(*today.timetuple()[:3], 8, tzinfo=PARIS), tick=False):
        seed()
    stops = Stop.objects.all()
    assert Van.objects.count() == 2
    assert stops.filter(series__isnull=False).count() >= stops.count() - 1
    assert set(stops.values_list("van__name", flat=True)) == set(
        Van.objects.values_list("name", flat=True)
    )
    assert StopSeries.objects.filter(workshops__isnull=False).exists()
    for stop in stops:
        assert stop.date.weekday() != 6, stop
        assert not public_holiday(stop.date), stop
        assert not (dt.date(2026, 12, 24) <= stop.date <= dt.date(2027, 1, 2)), stop


def test_make_run_ends_with_the_demo_accounts_in_french(db):
    call_command("import_communes", "--verbosity", "0")
    seeded = io.StringIO()
    call_command("seed_demo", stdout=seeded)
    text = demo_accounts_text("http://127.0.0.1:8001")

    assert "coordination" in text and "mediatrice" in text
    assert "http://127.0.0.1:8001/admin/" in text
    assert "http://127.0.0.1:8001/tablette/" in text
    # The commands speak French, like the rest of the back office.
    assert "Tour:" not in seeded.getvalue() and "Demo accounts" not in text


def test_make_run_serves_on_the_port_it_is_given_and_prints_the_accounts_last():
    # A developer whose port 8000 is taken types `make run PORT=8001`.
    root = Path(__file__).resolve().parent.parent
    # Run as a developer would, not as a sub-make of `make test` (which would print
    # "Entering/Leaving directory" lines and pass its own flags down).
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    planned = subprocess.run(
        ["make", "--no-print-directory", "-n", "run", "PORT=8001"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout.splitlines()
    assert planned[-1].endswith("manage.py runserver --demo-accounts 127.0.0.1:8001")
    assert any(line.endswith("manage.py seed_demo") for line in planned[:-1])


def test_the_demo_texts_keep_french_punctuation_on_its_line():
    """A plain space before ? ! : ; » (or after «) lets the mark wrap alone to the next line on
    a phone; the demo's modules and pages are what a newcomer reads first."""

    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from strings(item)
        elif isinstance(value, list):
            for item in value:
                yield from strings(item)

    modules = json.loads(DEMO_MODULES_FILE.read_text(encoding="utf-8"))
    pages = [demo.HOME_INTRODUCTION, *(body for _, _, body in demo.CONTENT_PAGES.values())]
    texts = [*strings(modules), *pages]

    faults = [text for text in texts if re.search(r" [?!:;»]|« ", text)]
    assert texts and faults == []
