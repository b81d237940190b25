"""A page given a publication date shows nowhere before it, and goes live at that date through
the timer that `deploy/` installs (Wagtail's `publish_scheduled`), at once on every cached page."""

import datetime as dt
import shlex
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command

from cms.models import ContentPage

pytestmark = pytest.mark.django_db

DEPLOY = Path(settings.BASE_DIR) / "deploy"


def commands_run_by_the_timers() -> list[str]:
    """The manage.py command of each service that a timer of deploy/ starts."""
    commands = []
    for timer in sorted(DEPLOY.glob("*.timer")):
        service = timer.with_suffix(".service").read_text()
        exec_start = next(line for line in service.splitlines() if line.startswith("ExecStart="))
        words = shlex.split(exec_start.removeprefix("ExecStart="))
        commands.append(words[words.index("manage.py") + 1])
    return commands


@pytest.fixture
def scheduled_page(home, frozen):
    """Claire, the coordinator, writes the summer hours and sets them to go live at noon."""
    page = home.add_child(
        instance=ContentPage(title="Horaires d’été", slug="horaires-ete", live=False)
    )
    page.go_live_at = frozen + dt.timedelta(hours=2)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def test_a_scheduled_page_shows_nowhere_before_its_date(client, scheduled_page):
    assert not scheduled_page.live
    assert client.get("/horaires-ete/").status_code == 404
    assert b"horaires-ete" not in client.get("/sitemap.xml").content


def test_a_timer_publishes_the_scheduled_pages_and_the_cached_sitemap_follows(
    client, scheduled_page, frozen
):
    assert b"horaires-ete" not in client.get("/sitemap.xml").content  # now in the cache
    assert "publish_scheduled" in commands_run_by_the_timers()

    with time_machine.travel(frozen + dt.timedelta(hours=2, minutes=5), tick=False):
        call_command("publish_scheduled")
        assert client.get("/horaires-ete/").status_code == 200
        assert b"/horaires-ete/" in client.get("/sitemap.xml").content
