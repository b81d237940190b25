"""The back office's long lists draw each row's buttons from one drawing per kind of button
(mediation/row_buttons.py): what Claire sees and follows must be exactly what Wagtail would
have drawn for that row, its own addresses and its own name, escaped."""

import datetime as dt

import pytest
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from wagtail.admin.widgets.button import Button, ButtonWithDropdown, ListingButton

from mediation.models import Stop
from mediation.row_buttons import StampedButtons
from tests.factories import make_commune, make_coordinator, make_stop, make_workshop

pytestmark = pytest.mark.django_db

STOPS = reverse("wagtailsnippets_mediation_stop:list")
WORKSHOPS = reverse("wagtailsnippets_workshops_workshop:list")
COMMUNES = reverse("wagtailsnippets_mediation_commune:list")

# A name that HTML must escape, in an address's query, an aria-label and a title.
AWKWARD = "Saint-Quentin <&\"'> l'Abbaye"


@pytest.fixture
def claire(client):
    client.force_login(make_coordinator())
    return client


def make_rows(count: int) -> None:
    """Stops, each with a workshop, in communes of their own, one awkwardly named."""
    today = timezone.localdate()
    for number in range(count):
        name = AWKWARD if number == 0 else f"Commune {number}"
        stop = make_stop(
            date=today + dt.timedelta(days=number + 1),
            commune=make_commune(name=name, insee_code=f"80{number:03d}"),
        )
        make_workshop(stop=stop)


def table_rows(response) -> str:
    """The list's rows: its table's body (the page has another, of keyboard shortcuts)."""
    html = response.content.decode()
    table = html.index('<table class="listing')
    return html[html.index("<tbody>", table) : html.index("</tbody>", table)]


def drawn_by_wagtail(monkeypatch):
    """Stamping turned off: each button drawn by its own template, as Wagtail does."""
    monkeypatch.setattr(StampedButtons, "wrap", lambda self, buttons: list(buttons))


@pytest.mark.parametrize("url", [STOPS, WORKSHOPS, COMMUNES])
def test_each_row_reads_exactly_as_wagtail_draws_it(claire, monkeypatch, url):
    make_rows(4)

    stamped = claire.get(url)
    assert stamped.status_code == 200
    drawn_by_wagtail(monkeypatch)
    plain = claire.get(url)

    assert table_rows(stamped) == table_rows(plain)


def test_each_stop_s_buttons_lead_to_that_stop_and_name_it(claire):
    make_rows(3)

    rows = table_rows(claire.get(STOPS))

    for stop in Stop.objects.all():
        assert reverse("workshops_stop_cancel", args=[stop.pk]) in rows
        assert reverse("wagtailsnippets_mediation_stop:edit", args=[stop.pk]) in rows
    # The awkward name is escaped once in its "more options" label, never raw.
    assert "Saint-Quentin &lt;&amp;&quot;&#x27;&gt; l&#x27;Abbaye" in rows
    assert AWKWARD not in rows


def test_a_button_is_drawn_once_per_kind_however_many_rows(claire):
    make_rows(3)
    few = claire.get(STOPS)
    today = timezone.localdate()
    for number in range(12):
        make_stop(
            date=today + dt.timedelta(days=30 + number),
            commune=make_commune(name=f"Autre {number}", insee_code=f"81{number:03d}"),
        )
    many = claire.get(STOPS)

    def buttons_drawn(response) -> int:
        return sum(t.name == "wagtailadmin/shared/button.html" for t in response.templates)

    assert table_rows(many).count("<tr") == 15
    assert buttons_drawn(many) == buttons_drawn(few) > 0


class RoundButton(Button):
    """Another kind of button: it may draw its address in its own way."""

    template_name = "wagtailadmin/shared/button.html"

    def get_context_data(self, parent_context):
        return {**super().get_context_data(parent_context), "button": self}


def test_a_button_of_another_kind_is_drawn_as_wagtail_draws_it(rf):
    context = {"request": rf.get("/")}
    stamps = StampedButtons()
    own_kind = RoundButton("Voir", url="/escales/1/?a=<b>", attrs={"aria-label": "Voir <1>"})
    menu_with_it = ButtonWithDropdown(
        buttons=[Button("Modifier", url="/escales/1/"), own_kind],
        attrs={"aria-label": "Plus d'options pour « 1 »"},
    )
    # An address not yet a str (reverse_lazy): stamping compares plain strings only.
    lazy_address = ListingButton("Voir", url=reverse_lazy("wagtailsnippets_mediation_stop:list"))

    for button in (own_kind, menu_with_it, lazy_address):
        assert stamps.draw(button, context) == button.render_html(context)
    assert not stamps._drawn  # nothing of theirs was kept to stamp another row


def test_two_rows_of_one_kind_share_a_drawing_but_keep_their_own_values(rf):
    context = {"request": rf.get("/")}
    stamps = StampedButtons()
    first, second = (
        ButtonWithDropdown(
            buttons=[
                Button("Supprimer", url=f"/escales/{pk}/supprimer/", priority=30),
                Button("Modifier", url=f"/escales/{pk}/", priority=10),
            ],
            icon_name="dots-horizontal",
            attrs={"aria-label": f"Plus d'options pour « {name} »"},
        )
        for pk, name in ((1, "Albert"), (2, AWKWARD))
    )

    assert stamps.draw(first, context) == first.render_html(context)
    assert stamps.draw(second, context) == second.render_html(context)
    assert len(stamps._drawn) == 1
    assert "/escales/2/supprimer/" in stamps.draw(second, context)
