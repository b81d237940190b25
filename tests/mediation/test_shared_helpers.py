"""Shared building blocks: French dates, distances, nearest stops, calendars, PDFs, QR codes."""

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from icalendar import Calendar

from mediation.ical import event_lines, feed_ics, make_event, new_calendar, stop_uid, to_ics
from mediation.models import PARIS, Branding, StopStatus, contrast_ratio
from mediation.schedule import nearest_upcoming_stops
from mediation.templatetags.french_dates import hour, hours, longdate, longdatetime
from tests.factories import make_commune, make_stop


def test_dates_read_the_french_way():
    with translation.override("fr"):
        moment = dt.datetime(2026, 12, 8, 9, 30, tzinfo=PARIS)
        assert longdatetime(moment) == "mardi 8 décembre 2026, 9\u00a0h\u00a030"
        assert longdate(dt.date(2026, 12, 1)) == "mardi 1er décembre 2026"
        assert hour(dt.time(14, 0)) == "14\u00a0h"
        assert hours(dt.time(9, 30), dt.time(12, 0)) == "de 9\u00a0h\u00a030 à 12\u00a0h"


def test_an_aware_utc_time_is_shown_in_paris_time():
    with translation.override("fr"):
        assert hour(dt.datetime(2026, 7, 1, 7, 0, tzinfo=dt.UTC)) == "9\u00a0h"


@pytest.mark.django_db
def test_distance_between_amiens_and_abbeville_is_about_42_km():
    amiens = make_commune(latitude=Decimal("49.90046"), longitude=Decimal("2.29077"))
    abbeville = make_commune(latitude=Decimal("50.10841"), longitude=Decimal("1.83216"))
    assert 38 < amiens.distance_km(abbeville) < 42


@pytest.mark.django_db
def test_nearest_stops_are_sorted_by_distance_and_skip_cancelled_ones():
    here = make_commune(latitude=Decimal("50.0"), longitude=Decimal("2.0"))
    far = make_stop(commune=make_commune(latitude=Decimal("50.3"), longitude=Decimal("2.0")))
    near = make_stop(commune=make_commune(latitude=Decimal("50.05"), longitude=Decimal("2.0")))
    make_stop(
        commune=make_commune(latitude=Decimal("50.01"), longitude=Decimal("2.0")),
        status=StopStatus.CANCELLED,
    )
    make_stop(commune=here)
    make_stop(
        commune=make_commune(latitude=Decimal("50.02"), longitude=Decimal("2.0")),
        date=dt.date(2020, 1, 1),
    )
    found = nearest_upcoming_stops(here)
    assert [item.stop for item in found] == [near, far]
    assert 5 < found[0].distance_km < 6


def test_a_calendar_parses_back_with_its_time_zone_and_status():
    calendar = new_calendar("Tournée")
    calendar.add_component(
        make_event(
            uid=stop_uid(7),
            summary="Bus numérique à Rue",
            starts_at=dt.datetime(2026, 12, 8, 9, 30, tzinfo=PARIS),
            ends_at=dt.datetime(2026, 12, 8, 12, 30, tzinfo=PARIS),
            sequence=2,
            cancelled=True,
        )
    )
    parsed = Calendar.from_ical(to_ics(calendar))
    event = parsed.walk("VEVENT")[0]
    assert str(event["UID"]).startswith("escale-7@")
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 2
    assert str(event.decoded("DTSTART").tzinfo) == "Europe/Paris"
    assert parsed.walk("VTIMEZONE")[0]["TZID"] == "Europe/Paris"


def test_low_contrast_colours_are_refused_for_the_branding():
    assert round(contrast_ratio("#000000", "#ffffff")) == 21
    branding = Branding(site_name="Bus", contact_phone="03", primary_colour="#ffcc00")
    with pytest.raises(ValidationError) as excinfo:
        branding.clean()
    assert "primary_colour" in excinfo.value.message_dict
    Branding(site_name="Bus", contact_phone="03", primary_colour="#00527a").clean()


def test_a_pdf_renders_with_a_readable_qr_code(settings):
    pytest.importorskip("weasyprint")
    from pypdf import PdfReader

    from mediation.pdf import render_pdf
    from mediation.qr import qr_svg_data_uri

    html = f"<h1>Affiche de Rue</h1><img src='{qr_svg_data_uri('http://testserver/')}'>"
    pdf = render_pdf(html)
    reader = PdfReader(BytesIO(pdf))
    assert "Affiche de Rue" in reader.pages[0].extract_text()


def test_the_pdf_renderer_never_fetches_remote_urls():
    pytest.importorskip("weasyprint")
    from mediation.pdf import local_path_for, media_name_for

    assert local_path_for("https://evil.example/x.png") is None
    assert local_path_for("file:///etc/passwd") is None
    assert local_path_for("http://testserver/static/css/site.css").name == "site.css"
    assert media_name_for("https://evil.example/media/x.png") is None
    assert media_name_for("file:///media/x.png") is None
    assert media_name_for("http://testserver/media/../../etc/passwd") is None
    assert media_name_for("http://testserver/media/images/logo.png") == "images/logo.png"


def test_an_event_written_directly_reads_back_like_one_built_by_icalendar():
    fields = {
        "uid": stop_uid(7),
        "summary": "Le Bus numérique à Saint-Valery-sur-Somme, « Créer son compte »; 9 h 30",
        "starts_at": dt.datetime(2026, 12, 8, 9, 30, tzinfo=PARIS),
        "ends_at": dt.datetime(2026, 12, 8, 12, 30, tzinfo=PARIS),
        "location": "Place de la mairie, 80230 Saint-Valery-sur-Somme",
        "description": "Ateliers :\n- Créer son compte CAF (9 h 30 – 10 h 30)\n" * 3,
        "url": "https://bus.example.org/escales/7/",
        "sequence": 3,
        "cancelled": True,
        "last_modified": dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC),
    }
    calendar = new_calendar("Tournée")
    calendar.add_component(make_event(**fields))
    expected = Calendar.from_ical(to_ics(calendar)).walk("VEVENT")[0]

    written = Calendar.from_ical(feed_ics("Tournée", [event_lines(**fields)]))
    event = written.walk("VEVENT")[0]

    for name in ("UID", "SUMMARY", "LOCATION", "DESCRIPTION", "URL", "STATUS", "SEQUENCE"):
        assert str(event[name]) == str(expected[name]), name
    for name in ("DTSTART", "DTEND", "DTSTAMP", "LAST-MODIFIED"):
        assert event.decoded(name) == expected.decoded(name), name
    assert len(written.walk("VTIMEZONE")) == 1


def test_a_document_digest_follows_its_text_its_stylesheets_and_the_files_it_names(
    settings, tmp_path
):
    """Prepared flyers and reports are copied from a file rendered from the same digest: a
    logo replaced under the same name must count, as the words do."""
    pytest.importorskip("weasyprint")
    from mediation.pdf import document_digest

    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "images").mkdir()
    logo = tmp_path / "images" / "logo.png"
    logo.write_bytes(b"first logo")
    html = """<h1>Affiche de Rue</h1><img src="/media/images/logo.png"><img src='/x.png'>"""

    def digest(text=html, stylesheets=("cms/flyer.css",)):
        return document_digest(text, stylesheets=stylesheets)

    first = digest()
    assert digest() == first
    assert digest(html.replace("Rue", "Ault")) != first
    assert digest(stylesheets=()) != first
    assert digest(stylesheets=("reports/report.css",)) != first
    logo.write_bytes(b"second logo")  # replaced under the same name
    replaced = digest()
    assert replaced != first
    logo.unlink()
    assert digest() not in (first, replaced)
