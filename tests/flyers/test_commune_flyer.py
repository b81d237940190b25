"""A town hall downloads and prints the flyer of its commune."""

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext

from cms.flyers import MAX_STOPS, build_flyers, commune_flyer_pdf, flyer_period
from mediation.models import PARIS, StopStatus
from mediation.templatetags.french_dates import longdate
from tests.factories import make_commune, make_image, make_module, make_stop, make_workshop
from tests.flyers.conftest import is_a4_portrait, page_text, pdf_pages, qr_codes_on_page

TODAY = dt.date(2026, 12, 1)
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("branding"),
]


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=PARIS), tick=False):
        yield


@pytest.fixture
def village():
    return make_commune(
        name="Longpré-les-Corps-Saints",
        slug="longpre-test",
        latitude=Decimal("50.01000"),
        longitude=Decimal("1.99000"),
    )


def day(offset: int) -> dt.date:
    return TODAY + dt.timedelta(days=offset)


def french(value: dt.date) -> str:
    """The date as printed at the start of a line: "Mardi 8 décembre 2026"."""
    with translation.override("fr"):
        return capfirst(longdate(value))


def get_flyer(client, commune, query=""):
    response = client.get(f"/communes/{commune.slug}/affiche.pdf{query}")
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    return response.content


def test_it_is_one_a4_portrait_page_with_the_commune_and_the_phone(client, village):
    make_stop(commune=village, date=day(10))
    pages = pdf_pages(get_flyer(client, village))
    assert len(pages) == 1
    assert is_a4_portrait(pages[0])
    text = page_text(pages[0])
    assert "Longpré-les-Corps-Saints" in text
    assert "03 53 01 00 80" in text
    assert "Somme Numérique" in text


def test_it_lists_the_stops_of_the_period_in_date_order(client, village):
    later = make_stop(commune=village, date=day(40), place_name="Salle des fêtes")
    sooner = make_stop(commune=village, date=day(5), place_name="Place de l'église")
    make_stop(commune=village, date=day(-3), place_name="Hier")
    make_stop(commune=village, date=day(120), place_name="Trop tard")
    text = page_text(pdf_pages(get_flyer(client, village))[0])
    assert text.index(french(sooner.date)) < text.index(french(later.date))
    assert text.index("Place de l'église") < text.index("Salle des fêtes")
    assert "Hier" not in text
    assert "Trop tard" not in text


def test_a_one_month_period_leaves_out_the_stops_after_it(client, village):
    make_stop(commune=village, date=day(20), place_name="Dans le mois")
    make_stop(commune=village, date=day(45), place_name="Le mois suivant")
    text = page_text(pdf_pages(get_flyer(client, village, "?mois=1"))[0])
    assert "Dans le mois" in text
    assert "Le mois suivant" not in text


def test_a_cancelled_stop_is_marked_cancelled_in_words(client, village):
    make_stop(commune=village, date=day(5), place_name="Place de l'église")
    cancelled = make_stop(
        commune=village,
        date=day(12),
        place_name="Salle polyvalente",
        status=StopStatus.CANCELLED,
        cancellation_reason="Véhicule en panne",
    )
    text = page_text(pdf_pages(get_flyer(client, village))[0])
    with translation.override("fr"):
        mark = gettext("Cancelled")
    line_start = text.index(french(cancelled.date)) - len(mark) - 10
    assert mark.upper() in text[line_start:].upper().split("VÉHICULE EN PANNE")[0]
    assert "Véhicule en panne" in text
    # Where the van will not be is not printed as a place to go.
    assert "Salle polyvalente" not in text


def test_the_qr_code_opens_the_commune_page(client, village):
    make_stop(commune=village, date=day(5))
    assert qr_codes_on_page(get_flyer(client, village)) == [
        "http://testserver/communes/longpre-test/"
    ]


def test_with_fewer_than_three_stops_it_shows_the_nearest_ones_around(client, village):
    make_stop(commune=village, date=day(5))
    near = make_commune(
        name="Fontaine-sur-Somme", latitude=Decimal("50.02000"), longitude=Decimal("1.94000")
    )
    far = make_commune(name="Péronne", latitude=Decimal("49.93000"), longitude=Decimal("2.93000"))
    make_stop(commune=near, date=day(8))
    make_stop(commune=far, date=day(9))
    make_stop(commune=near, date=day(200), place_name="Hors période")
    text = page_text(pdf_pages(get_flyer(client, village))[0])
    assert text.index("Fontaine-sur-Somme") < text.index("Péronne")
    assert "4 km" in text  # about 3.7 km between the two centroids
    assert "Hors période" not in text


def test_a_commune_without_a_stop_gets_a_flyer_that_says_the_van_passes_nearby(client, village):
    near = make_commune(
        name="Fontaine-sur-Somme", latitude=Decimal("50.02000"), longitude=Decimal("1.94000")
    )
    other = make_commune(
        name="Pont-Remy", latitude=Decimal("50.05000"), longitude=Decimal("1.91000")
    )
    later = make_stop(commune=near, date=day(20))
    sooner = make_stop(commune=other, date=day(6))

    pdf = get_flyer(client, village)

    pages = pdf_pages(pdf)
    assert len(pages) == 1
    text = page_text(pages[0])
    with translation.override("fr"):
        title = gettext("The digital van passes near you")
        own_title = gettext("The digital van comes to %(name)s") % {"name": village.name}
    assert title in text
    assert own_title not in text
    # The nearest stops, soonest first, with their commune.
    assert text.index(french(sooner.date)) < text.index(french(later.date))
    assert "Pont-Remy" in text and "Fontaine-sur-Somme" in text


@pytest.mark.parametrize("own_stop", [None, StopStatus.CANCELLED])
def test_when_no_date_is_planned_anywhere_the_flyer_does_not_promise_a_stop_nearby(
    client, village, own_stop
):
    # Mme Lefèvre prints the flyer in a winter month without any stop in the Somme (or with
    # only her village's cancelled one): it said "the van stops nearby", and listed nothing.
    if own_stop:
        make_stop(commune=village, date=day(6), status=own_stop, cancellation_reason="Panne")

    pages = pdf_pages(get_flyer(client, village))

    assert len(pages) == 1
    text = page_text(pages[0])
    with translation.override("fr"):
        nearby_title = gettext("The digital van passes near you")
        comes_title = gettext("The digital van comes to %(name)s") % {"name": village.name}
        no_date = gettext("No date is planned for now, here or nearby.")
    assert nearby_title not in text and comes_title not in text
    assert "tout près" not in text  # "le bus s'arrête tout près", said of no stop
    assert no_date in text
    assert "03 53 01 00 80" in text  # whom to call to know the next dates


def test_the_last_day_of_the_period_reads_1er_on_the_first_of_a_month(client, village):
    # Printed on 1 December for three months: the heading said "jusqu'au 1 mars 2027".
    make_stop(commune=village, date=day(5))
    text = page_text(pdf_pages(get_flyer(client, village))[0])
    last_day = " ".join(french(flyer_period(3).end).split()[1:])  # "1er mars 2027"
    assert last_day.startswith("1er ")
    assert last_day in text
    assert " 1 mars 2027" not in text


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("0353010080", "03 53 01 00 80"),
        ("03.53.01.00.80", "03 53 01 00 80"),
        ("+33353010080", "+33 3 53 01 00 80"),
        ("3939", "3939"),  # a short number is printed as typed
    ],
)
def test_the_phone_number_is_printed_in_pairs_whoever_typed_it(
    client, village, branding, typed, printed
):
    # The coordinator typed the number in one block: residents who sign up by phone read
    # "0353010080" from across the town hall's entrance and dial it wrong.
    branding.contact_phone = typed
    branding.save()
    make_stop(commune=village, date=day(5))

    text = page_text(pdf_pages(get_flyer(client, village))[0]).replace("\u00a0", " ")

    assert printed in text


def test_a_flyer_follows_the_dates_a_recurring_series_adds_and_removes(client, village):
    # The coordinator plans every Tuesday in the village, then shortens the series: Mme
    # Lefèvre's flyer, downloaded in between, must show the new dates, then the cancelled
    # ones as cancelled (the series writes its stops in bulk, past the models' save()).
    from mediation.models import Van
    from mediation.planning.series import series_generate
    from tests.planning.conftest import make_series

    before = page_text(pdf_pages(get_flyer(client, village, "?mois=1"))[0])
    tuesdays = [day(7), day(14), day(21), day(28)]
    van = Van.objects.create(name="Bus 1", plate="AB-123-CD", home_base=village)
    series = make_series(van, village, weekday=1, start_date=day(1), end_date=day(30))
    series_generate(series=series)

    planned = page_text(pdf_pages(get_flyer(client, village, "?mois=1"))[0])
    series.end_date = day(10)
    series.save()
    series_generate(series=series)
    shortened = page_text(pdf_pages(get_flyer(client, village, "?mois=1"))[0])

    with translation.override("fr"):
        mark = gettext("Cancelled").upper()
    assert french(tuesdays[0]) not in before
    assert all(french(tuesday) in planned for tuesday in tuesdays)
    assert mark not in planned.upper()
    assert shortened.upper().count(mark) == 3  # the 15th, 22nd and 29th


def test_the_commune_page_lets_the_town_hall_choose_the_flyers_period_without_javascript(
    client, village
):
    # Mme Lefèvre wants this month's flyer for the notice board: the page offered only the
    # three months' one, and the period could be changed in the address alone.
    from html.parser import HTMLParser

    make_stop(commune=village, date=day(5))
    make_stop(commune=village, date=day(45), place_name="Salle du mois suivant")

    class Forms(HTMLParser):
        def __init__(self):
            super().__init__()
            self.forms, self.labels = [], {}

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "form":
                self.forms.append({"attrs": attrs, "selects": {}, "submit": False})
            elif tag == "select" and self.forms:
                self.forms[-1]["selects"][attrs["name"]] = {"id": attrs.get("id"), "options": []}
                self.select = self.forms[-1]["selects"][attrs["name"]]
            elif tag == "option":
                self.select["options"].append((attrs["value"], "selected" in attrs))
            elif tag == "button" and self.forms:
                self.forms[-1]["submit"] = True
            elif tag == "label":
                self.labels[attrs.get("for")] = True

    page = Forms()
    page.feed(client.get(f"/communes/{village.slug}/").content.decode())
    flyer_forms = [
        form
        for form in page.forms
        if form["attrs"].get("action", "").endswith(f"/communes/{village.slug}/affiche.pdf")
    ]
    assert len(flyer_forms) == 1
    form = flyer_forms[0]
    assert form["attrs"].get("method", "get").lower() == "get" and form["submit"]
    months = form["selects"]["mois"]
    assert page.labels.get(months["id"])  # a label names the list
    assert [value for value, _ in months["options"]] == ["1", "2", "3", "4", "5", "6"]
    assert [value for value, selected in months["options"] if selected] == ["3"]

    text = page_text(pdf_pages(get_flyer(client, village, "?mois=1"))[0])
    assert "Salle du mois suivant" not in text


def test_it_lists_the_modules_taught_at_the_stops(client, village):
    stop = make_stop(commune=village, date=day(5))
    make_workshop(stop=stop, module=make_module(title="Créer son compte Ameli"))
    make_workshop(
        stop=make_stop(commune=village, date=day(6), status=StopStatus.CANCELLED),
        module=make_module(title="Module d'une escale annulée"),
    )
    text = page_text(pdf_pages(get_flyer(client, village))[0])
    assert "Créer son compte Ameli" in text
    assert "Module d'une escale annulée" not in text


def test_a_busy_commune_still_fits_on_one_page(client, village, branding):
    village.name = "Saint-Quentin-la-Motte-Croix-au-Bailly"
    village.save()
    branding.operator_address = "Maison du Département\n43 rue de la République\n80000 Amiens"
    branding.operator_name = "Syndicat mixte Somme Numérique, service de médiation"
    branding.save()
    long_place = "Parking de la salle des fêtes municipale Jean-Baptiste Delambre, derrière"
    for offset in range(1, 25):
        stop = make_stop(
            commune=village,
            date=day(offset * 3),
            place_name=long_place,
            address="12 rue du Général de Gaulle prolongée, lieu-dit Le Grand Marais",
            status=StopStatus.CANCELLED if offset % 5 == 0 else StopStatus.CONFIRMED,
            cancellation_reason="Route barrée par les travaux de la départementale",
        )
        make_workshop(
            stop=stop,
            module=make_module(title=f"Déclarer ses revenus en ligne, atelier numéro {offset}"),
        )
    pdf = get_flyer(client, village)
    pages = pdf_pages(pdf)
    assert len(pages) == 1
    text = page_text(pages[0])
    assert french(day(3)) in text
    assert french(day((MAX_STOPS + 1) * 3)) not in text
    # The sign-up box at the foot of the page never covers the last module (PDF y goes up).
    pieces = printed_sizes(pages[0])
    sign_up_heading = max(y for text, _, y in pieces if text.startswith("Gratuit"))
    lowest_module = min(y for text, _, y in pieces if "revenus en ligne" in text)
    assert lowest_module > sign_up_heading + 20


def test_cancellations_give_way_to_the_stops_nearby_and_still_fit_on_one_page(client, village):
    for offset in range(1, 9):
        make_stop(
            commune=village,
            date=day(offset),
            status=StopStatus.CANCELLED,
            cancellation_reason="Route barrée par les travaux de la départementale",
        )
    for number in range(3):
        make_stop(
            commune=make_commune(name=f"Voisine {number}", latitude=Decimal("50.05000")),
            date=day(20 + number),
        )
    pages = pdf_pages(get_flyer(client, village))
    assert len(pages) == 1
    text = page_text(pages[0])
    assert all(f"Voisine {number}" in text for number in range(3))
    assert french(day(1)) in text


def test_the_flyer_costs_the_same_queries_whatever_the_number_of_stops(
    village, django_assert_max_num_queries
):
    period = flyer_period(3)
    make_workshop(stop=make_stop(commune=village, date=day(3)))
    with django_assert_max_num_queries(30) as few:
        commune_flyer_pdf(village, period=period)
    for offset in range(4, 12):
        stop = make_stop(commune=village, date=day(offset))
        make_workshop(stop=stop)
        make_workshop(stop=stop)
    with django_assert_max_num_queries(len(few.captured_queries)):
        commune_flyer_pdf(village, period=period)
    assert len(build_flyers([village], period=period)[0].stops) == MAX_STOPS


BAD_PERIODS = ["?mois=0", "?mois=7", "?mois=abc", "?mois=", "?mois=-1", "?mois=1e3"]
BAD_PERIODS += ["?mois=1&mois=3", "?mois=1&periode=3", "?periode=99999999999"]


@pytest.mark.parametrize("query", BAD_PERIODS)
def test_a_bad_period_gets_a_400(client, village, query):
    response = client.get(f"/communes/{village.slug}/affiche.pdf{query}")
    assert response.status_code == 400
    # A page of the site that says what is wrong and offers good periods, not bare text.
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "<h1>Cette affiche ne peut pas être imprimée</h1>" in html
    assert f'href="/communes/{village.slug}/affiche.pdf?mois=1"' in html


def test_an_unknown_commune_gets_a_404(client):
    assert client.get("/communes/nulle-part/affiche.pdf").status_code == 404


def test_the_operators_logo_is_printed_at_the_top(client, village, branding, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    branding.logo = make_image(size=(2400, 900))
    branding.save()
    make_stop(commune=village, date=day(5))
    pages = pdf_pages(get_flyer(client, village))
    assert len(pages) == 1
    # The logo (a small rendition, not the 2400-pixel upload) and the QR code.
    sizes = sorted(image.image.size for image in pages[0].images)
    assert len(sizes) == 2
    assert max(sizes)[0] <= 600


def test_a_logo_whose_file_is_gone_leaves_the_flyer_without_it(
    client, village, branding, settings, tmp_path
):
    """A rendition whose file was lost (a media folder restored from an older backup, a
    shared cache naming a file of another server): the town hall still gets its flyer."""
    from django.core.cache import cache

    cache.clear()  # Wagtail keeps renditions there by image id, which another test reused
    settings.MEDIA_ROOT = str(tmp_path)
    branding.logo = make_image("logo-perdu.png", size=(600, 200))
    branding.save()
    rendition = branding.logo.get_rendition("max-600x240|format-png")
    rendition.file.storage.delete(rendition.file.name)
    make_stop(commune=village, date=day(5))

    pages = pdf_pages(get_flyer(client, village))

    assert len(pages) == 1
    assert village.name in page_text(pages[0])
    assert len(pages[0].images) == 1  # the QR code alone


def test_a_period_ending_in_a_shorter_month_ends_on_its_last_day():
    period = flyer_period(1, today=dt.date(2027, 1, 31))
    assert period.end == dt.date(2027, 2, 28)
    assert flyer_period(6, today=dt.date(2026, 8, 31)).end == dt.date(2027, 2, 28)


def printed_sizes(page) -> list[tuple[str, float, float]]:
    """(text, size in points, vertical position) of each piece of text."""
    pieces = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            scale = abs(tm[3] * cm[3]) or 1
            pieces.append((text.strip(), font_size * scale, tm[5] * cm[3] + cm[5]))

    page.extract_text(visitor_text=visit)
    return pieces


def test_the_dates_can_be_read_at_two_metres(client, village):
    # Odile pins the flyer on the town hall's board: passers-by read the dates from the path.
    for offset in (5, 19, 33):
        make_stop(commune=village, date=day(offset))
    pieces = printed_sizes(pdf_pages(get_flyer(client, village))[0])

    weekday = french(day(5)).split()[0]
    date_sizes = [size for text, size, _ in pieces if text.startswith(weekday)]
    assert len(date_sizes) == 3
    assert min(date_sizes) >= 18  # points: capitals about 7 mm high, larger than the rest
    assert max(size for text, size, _ in pieces if "Place de la mairie" in text) < 18


def _page_image(pdf: bytes, name: str):
    """The first page rasterised, and saved under FLYER_IMAGES_DIR when set (to look at it)."""
    pdfium = pytest.importorskip("pypdfium2")
    image = pdfium.PdfDocument(pdf)[0].render(scale=100 / 72).to_pil()
    if folder := os.environ.get("FLYER_IMAGES_DIR"):
        image.save(Path(folder) / name)
    return image


@pytest.mark.parametrize("dates", [2, 4])
def test_few_dates_are_printed_larger_and_the_sign_up_sits_at_the_foot_of_the_page(
    client, village, dates
):
    # A village with two dates: no empty bottom half, the dates as large as the page allows.
    for offset in range(dates):
        make_stop(commune=village, date=day(5 + 14 * offset))
    pdf = get_flyer(client, village)
    page = pdf_pages(pdf)[0]
    height = float(page.mediabox.height)
    pieces = printed_sizes(page)
    weekday = french(day(5)).split()[0]
    date_rows = [(size, y) for text, size, y in pieces if text.startswith(weekday)]
    phone = [y for text, _, y in pieces if text.replace("\u00a0", " ").startswith("03 53")]

    assert len(date_rows) >= 1 and phone
    assert min(size for size, _ in date_rows) >= (27.5 if dates == 2 else 23.5)
    # PDF y grows upwards: the phone is in the lowest fifth, below the last date.
    assert phone[0] < height / 5
    assert phone[0] < min(y for _, y in date_rows)
    image = _page_image(pdf, f"flyer-{dates}-dates.png")
    # Ink in the lower fifth (the sign-up box), not a blank band.
    lower = image.convert("L").crop((0, image.height * 4 // 5, image.width, image.height))
    assert lower.getextrema()[0] < 100


def test_the_flyer_of_a_town_starting_with_a_vowel_or_le_reads_d_abbeville_and_du_crotoy(client):
    # The town halls of Abbeville and Le Crotoy print their flyer: the van stops only nearby.
    neighbour = make_commune(latitude=Decimal("50.1"), longitude=Decimal("1.8"))
    make_stop(commune=neighbour, date=day(5))
    for name, slug, written in [
        ("Abbeville", "abbeville-test", "d’Abbeville"),
        ("Le Crotoy", "le-crotoy-test", "du Crotoy"),
    ]:
        town = make_commune(
            name=name, slug=slug, latitude=Decimal("50.12"), longitude=Decimal("1.82")
        )
        text = page_text(pdf_pages(get_flyer(client, town))[0])
        assert f"de {name}" not in text
        assert "à Le Crotoy" not in text
        assert written in text


def clipped_lines(commune) -> list[str]:
    """The printed lines wider than their box (cut off, with an ellipsis, on the paper)."""
    from weasyprint import HTML

    from cms.flyers import STYLESHEETS, flyers_html
    from mediation.pdf import _fetcher, _font_config, stylesheet

    document = HTML(
        string=flyers_html(build_flyers([commune], period=flyer_period(3))),
        base_url="http://testserver/",
        url_fetcher=_fetcher(),
    ).render(stylesheets=[stylesheet(path) for path in STYLESHEETS], font_config=_font_config())
    clipped = []

    def visit(box, parent=None):
        for child in getattr(box, "children", []):
            visit(child, box)
        if type(box).__name__ == "LineBox":
            texts = [piece for piece in box.descendants() if type(piece).__name__ == "TextBox"]
            right = max((piece.position_x + piece.width for piece in texts), default=0)
            if right > parent.content_box_x() + parent.width + 0.5:
                clipped.append("".join(piece.text for piece in texts))

    for page in document.pages:
        visit(page._page_box)
    return clipped


def test_a_cancelled_date_among_many_is_printed_whole_not_cut_off(village):
    # Odile prints the flyer of a busy village whose van broke down one Wednesday: the line
    # "ANNULÉ : Mercredi 30 décembre 2026, de 10 h 30 à 12 h 30" ran off the page's edge and
    # was printed "de 10 h…", half an hour missing, in the one size that keeps rows on a line.
    for offset in range(29, 37):
        stop = make_stop(
            commune=village,
            date=day(offset),
            start_time=dt.time(10, 30),
            end_time=dt.time(12, 30),
            status=StopStatus.CANCELLED if offset == 29 else StopStatus.CONFIRMED,
            cancellation_reason="Véhicule en panne",
        )
        make_workshop(stop=stop, module=make_module(title=f"Atelier numéro {offset}"))
    flyer = build_flyers([village], period=flyer_period(3))[0]
    assert flyer.type_size == "normal" and any(stop.is_cancelled for stop in flyer.stops)

    assert clipped_lines(village) == []
    text = page_text(pdf_pages(commune_flyer_pdf(village, period=flyer_period(3)))[0])
    assert french(day(29)) in text


def test_a_village_with_two_dates_prints_the_whole_address_in_large_type(village):
    # Two dates: the largest type, one line for the place and the address together, and
    # "… rue de l'Abbé Pierre, derrière l'ég…" was all a resident could read of where to go.
    for offset in (5, 19):
        make_stop(
            commune=village,
            date=day(offset),
            place_name="Parking de la salle polyvalente",
            address="rue de l'Abbé Pierre, derrière l'église",
        )
    flyer = build_flyers([village], period=flyer_period(3))[0]
    assert flyer.type_size == "largest"

    assert clipped_lines(village) == []
    pages = pdf_pages(commune_flyer_pdf(village, period=flyer_period(3)))
    assert len(pages) == 1
    assert page_text(pages[0]).count("derrière l'église") == 2


def test_the_nearby_stop_of_a_long_named_commune_prints_its_place_whole(village):
    # Mme Lefèvre's village has no date: the flyer points to the next commune's, whose long
    # name left "Saint-Quentin-la-Motte-Croix-au-Bailly (à 11 km) – Parking de la sa…".
    neighbour = make_commune(
        name="Saint-Quentin-la-Motte-Croix-au-Bailly",
        latitude=Decimal("50.11000"),
        longitude=Decimal("1.99000"),
    )
    for offset in (5, 19):
        make_stop(commune=neighbour, date=day(offset), place_name="Parking de la salle des fêtes")
    assert build_flyers([village], period=flyer_period(3))[0].type_size == "largest"

    assert clipped_lines(village) == []
    text = page_text(pdf_pages(commune_flyer_pdf(village, period=flyer_period(3)))[0])
    assert text.count("Parking de la salle des fêtes") == 2


def test_a_flyer_printed_this_afternoon_leaves_out_this_mornings_stop(client, village):
    # The town hall's secretary prints at 13 h: the van left the square at 12 h 30, so the
    # flyer starts with its next visit. The flyer downloaded at 9 h, cached, is not served
    # past 12 h 30.
    make_stop(commune=village, date=TODAY, place_name="Place du matin")
    make_stop(commune=village, date=day(7), place_name="Salle des fêtes")
    morning = page_text(pdf_pages(get_flyer(client, village))[0])
    with time_machine.travel(dt.datetime(2026, 12, 1, 13, 0, tzinfo=PARIS), tick=False):
        afternoon = page_text(pdf_pages(get_flyer(client, village))[0])

    assert "Place du matin" in morning
    assert "Place du matin" not in afternoon
    assert "Salle des fêtes" in afternoon


@pytest.mark.parametrize(
    ("place", "address"),
    [
        # Typed in capitals, as a town hall's letterhead writes it: wider than its letters'
        # count says, the line ran past the page's edge at the largest size.
        ("Mairie", "ZONE ARTISANALE DU MOULIN, 12 RUE DU GÉNÉRAL LECLERC, BAT. C"),
        ("SALLE POLYVALENTE JEAN-BAPTISTE DUMONT, ANNEXE DE LA MAIRIE", "RUE DE LA GARE"),
    ],
)
def test_a_place_and_address_in_capitals_are_printed_whole(village, place, address):
    for offset in (5, 19):
        make_stop(commune=village, date=day(offset), place_name=place, address=address)

    assert clipped_lines(village) == []
    text = page_text(pdf_pages(commune_flyer_pdf(village, period=flyer_period(3)))[0])
    assert text.count(address) == 2
    assert text.count(place) == 2


def test_a_busy_flyer_with_long_addresses_in_capitals_stays_on_one_page(village):
    # Every date of a busy month at the same long address typed in capitals, and five
    # modules: the smallest size, each address under its place, still one A4 page, the
    # sign-up box clear (the modules give way: the commune's page lists them).
    for offset in range(3, 24, 3):
        stop = make_stop(
            commune=village,
            date=day(offset),
            place_name="SALLE POLYVALENTE JEAN-BAPTISTE DUMONT",
            address="ZONE ARTISANALE DU MOULIN, 12 RUE DU GÉNÉRAL LECLERC",
        )
        make_workshop(stop=stop, module=make_module(title=f"Démarches en ligne, partie {offset}"))
    flyer = build_flyers([village], period=flyer_period(3))[0]
    assert flyer.type_size == "normal"

    pages = pdf_pages(commune_flyer_pdf(village, period=flyer_period(3)))
    assert len(pages) == 1
    assert clipped_lines(village) == []
    assert page_text(pages[0]).count("12 RUE DU GÉNÉRAL LECLERC") == MAX_STOPS
    # PDF y grows upwards: the last line above the box's heading, its padding and border.
    pieces = printed_sizes(pages[0])
    heading = next(y for text, _size, y in pieces if text.startswith("Gratuit, inscription"))
    above = [y for text, _size, y in pieces if "LECLERC" in text or "Démarches" in text]
    assert min(above) > heading + 16 + 12
