"""The back office speaks French as its staff do: "Ajouter une escale", not Wagtail's
"Ajouter un(e) escale"; its tabs are named after the service, not after Wagtail."""

import re
from html import escape

import pytest
from django.urls import reverse

from tests.factories import make_coordinator

pytestmark = pytest.mark.django_db

LISTS = {
    "/admin/snippets/mediation/stop/": "Ajouter une escale",
    "/admin/snippets/workshops/workshop/": "Ajouter un atelier",
    "/admin/snippets/mediation/stopseries/": "Ajouter une série d’escales",
    "/admin/snippets/mediation/van/": "Ajouter un bus",
    "/admin/snippets/mediation/closureperiod/": "Ajouter une période de fermeture",
    "/admin/snippets/mediation/tutorialmodule/": "Ajouter un module",
    "/admin/snippets/reports/funder/": "Ajouter un financeur",
    "/admin/snippets/cms/communelocalcontent/": "Ajouter un contenu local d’une commune",
    "/admin/tablet_inventory/": "Ajouter une tablette",
    "/admin/tablet_maintenance/": "Ajouter une intervention de maintenance",
    "/admin/tablet_os_minimums/": "Ajouter une version minimale du système",
    "/admin/registrations/": "Ajouter une inscription",
}


@pytest.fixture
def claire(client):
    client.force_login(make_coordinator("claire"))
    return client


@pytest.mark.parametrize(("url", "button"), LISTS.items())
def test_each_list_offers_to_add_with_the_right_article(claire, url, button):
    page = claire.get(url).content.decode()

    assert button in page
    assert "un(e)" not in page


def test_a_staff_tab_is_named_after_the_service_and_says_no_utilise_e(claire, settings):
    page = claire.get("/admin/snippets/mediation/stop/add/").content.decode()

    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip()
    assert title.endswith(" - Le Bus numérique") and "Wagtail" not in title
    assert "Utilisé(e)" not in page


@pytest.mark.parametrize(("url", "button"), LISTS.items())
def test_each_new_item_screen_is_titled_by_the_button_that_led_there(claire, url, button):
    # Not Wagtail's "Nouveau: Escale" in the tab and "Nouvel(le) : Escale" above the form.
    page = claire.get(f"{url}add/" if "snippets" in url else f"{url}new/").content.decode()

    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip()
    assert title == f"{button} - Le Bus numérique"
    heading = re.search(r'id="header-title">(.*?)</h', page, re.S).group(1)
    assert button in heading
    assert "Nouvel(le)" not in page and "Nouveau:" not in page


def test_a_stop_form_with_a_mistake_says_so_without_le_la(claire):
    page = claire.post("/admin/snippets/mediation/stop/add/", {}).content.decode()

    assert "Le(la)" not in page and "créé(e)" not in page
    assert "Escale\u00a0: rien n’est encore enregistré" in page


def test_a_new_funder_is_announced_without_cree_e(claire):
    response = claire.post(
        "/admin/snippets/reports/funder/add/", {"name": "Département de la Somme"}, follow=True
    )

    [message] = [str(message) for message in response.context["messages"]]
    assert "Département de la Somme" in message
    assert "créé(e)" not in message


@pytest.mark.parametrize(
    ("url", "button_id", "label"),
    [
        ("/admin/snippets/mediation/tutorialmodule/add/", "id_outcomes-ADD", "Ajouter un acquis"),
        ("/admin/snippets/mediation/stopseries/add/", "id_workshops-ADD", "Ajouter un atelier"),
    ],
)
def test_an_inline_list_adds_its_items_with_the_right_article(claire, url, button_id, label):
    # Wagtail's inline panels said "Ajouter un(e) Acquis".
    page = claire.get(url).content.decode()

    button = re.search(rf'id="{button_id}">(.*?)</button>', page, re.S).group(1)
    assert button.strip().endswith(label)
    assert "un(e)" not in page


def test_a_stops_and_a_workshops_forms_are_named_by_a_level_one_heading(claire):
    # Wagtail titles its snippet forms with a level-2 heading only: Claire's screen reader,
    # asked for the page's main heading, found none on the form she edits most.
    from tests.factories import make_workshop

    workshop = make_workshop()
    for url, title in [
        (f"/admin/snippets/mediation/stop/edit/{workshop.stop.pk}/", str(workshop.stop)),
        ("/admin/snippets/mediation/stop/add/", "Ajouter une escale"),
        (f"/admin/snippets/workshops/workshop/edit/{workshop.pk}/", str(workshop)),
    ]:
        html = claire.get(url).content.decode()
        headings = re.findall(r"<h1[^>]*>\s*(.*?)\s*</h1>", html, flags=re.S)
        assert headings == [escape(title)], url


def title_of(page: str) -> str:
    return re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip()


def test_an_edit_or_delete_tab_puts_a_french_space_before_its_colon(claire):
    """Not Wagtail's "Modification: Créer son compte CAF" in the tab Claire picks among ten."""
    from tests.factories import make_module, make_tablet

    module = make_module(title="Créer son compte CAF")
    tablet = make_tablet(asset_tag="TAB-042")
    for url, tab in (
        (f"/admin/snippets/mediation/tutorialmodule/edit/{module.pk}/", "Créer son compte CAF"),
        (f"/admin/snippets/mediation/tutorialmodule/delete/{module.pk}/", "Créer son compte CAF"),
        (f"/admin/tablet_inventory/edit/{tablet.pk}/", "TAB-042"),
    ):
        title = title_of(claire.get(url).content.decode())
        assert re.match(rf"\w+\u00a0: {tab}", title), title


def test_a_search_that_finds_nothing_says_so_without_aucun_e(claire):
    for url in ("/admin/snippets/mediation/tutorialmodule/", "/admin/tablet_inventory/"):
        page = claire.get(url, {"q": "zzzz"}).content.decode()
        assert "Aucun(e)" not in page and "requête" not in page, url


def test_an_empty_list_invites_to_add_without_a_wrong_article(claire):
    # Wagtail's "Pourquoi ne pas en ajouter un ?" said of "versions minimales".
    page = claire.get("/admin/tablet_os_minimums/").content.decode()

    assert 'href="/admin/tablet_os_minimums/new/"' in page
    assert "en ajouter un" not in page and "Il n'y a pas" not in page


def test_deleting_a_module_asks_and_explains_in_plain_french(claire):
    """No "Êtes-vous sûr(e)", no "Ce(tte) module est référencé(e)": Claire reads whether it
    can go, and why not when workshops use it."""
    from tests.factories import make_module, make_workshop

    unused, used = make_module(), make_module()
    make_workshop(module=used)
    pages = [
        claire.get(f"/admin/snippets/mediation/tutorialmodule/delete/{module.pk}/")
        for module in (unused, used)
    ]

    for page in (page.content.decode() for page in pages):
        for wording in ("sûr(e)", "ce(tte)", "Ce(tte)", "référencé(e)", "supprimé(e)", "ce/cette"):
            assert wording not in page, wording
    assert 'action="/admin/snippets/mediation/tutorialmodule/delete/' in pages[0].content.decode()


def test_a_chooser_button_does_not_drop_its_article():
    # Wagtail's chooser read "Choisir module" and "Choisir escale" on the workshop's form.
    from django.utils import translation
    from wagtail.snippets.widgets import AdminSnippetChooser

    from mediation.models import Stop, TutorialModule

    with translation.override("fr"):
        module, stop = AdminSnippetChooser(TutorialModule), AdminSnippetChooser(Stop)

    assert module.choose_one_text == "Choisir\u00a0: module"
    assert stop.choose_another_text == "Changer\u00a0: escale"


@pytest.mark.parametrize(
    "url", ["/admin/snippets/mediation/van/", "/admin/snippets/reports/funder/"]
)
def test_a_list_says_whether_an_item_is_in_use_with_oui_or_non(claire, url):
    from mediation.models import Van
    from reports.models import Funder
    from tests.factories import make_commune

    Van.objects.create(name="Bus numérique 1", home_base=make_commune(), is_active=True)
    Van.objects.create(name="Ancien bus", home_base=make_commune(), is_active=False)
    Funder.objects.create(name="Conseil départemental", is_active=True)
    Funder.objects.create(name="Ancien financeur", is_active=False)

    page = claire.get(url).content.decode()
    table = page[page.index('<table class="listing') :]
    cells = re.findall(r"<td[^>]*>\s*([^<]*?)\s*</td>", table[: table.index("</table>")])

    assert "Oui" in cells and "Non" in cells
    assert "True" not in table and "False" not in table


def _content_block(template_source: str) -> str:
    return re.search(r"{% block content %}.*?\n{% endblock %}", template_source, re.DOTALL)[0]


def _after_our_comment(template_source: str) -> str:
    return template_source.split("{% endcomment %}", 1)[1]


def test_the_dashboard_s_hidden_search_button_is_read_in_french(claire):
    html = claire.get("/admin/").content.decode()
    assert 'value="Rechercher"' in html
    assert 'value="Search"' not in html


def test_the_page_chooser_s_hidden_search_button_is_read_in_french(claire):
    chooser = claire.get(reverse("wagtailadmin_choose_page")).json()["html"]
    assert 'value="Rechercher"' in chooser
    assert 'value="Search"' not in chooser


@pytest.mark.parametrize(
    ("template", "part"),
    [("home.html", _content_block), ("shared/header.html", _after_our_comment)],
)
def test_our_copies_of_wagtail_s_templates_follow_its_own_but_for_that_button(template, part):
    # Each override copies Wagtail's template (or its content block): a Wagtail whose
    # template changed needs the copy made again, and the one word translated again.
    from pathlib import Path

    import wagtail
    from django.conf import settings

    wagtails = Path(wagtail.__file__).parent / "admin/templates/wagtailadmin" / template
    ours = Path(settings.BASE_DIR) / "templates/wagtailadmin" / template
    theirs = wagtails.read_text()
    if part is _content_block:
        theirs = _content_block(theirs)
    expected = theirs.replace('value="Search"', 'value="{% trans "Search" %}"')
    assert part(ours.read_text()) == expected


def test_a_page_s_status_is_read_as_statut_not_status(claire):
    from wagtail.models import Page

    home = Page.objects.get(depth=2)
    explorer = claire.get(reverse("wagtailadmin_explore", args=[home.get_parent().pk]))
    editor = claire.get(reverse("wagtailadmin_pages:edit", args=[home.pk]))

    assert "Statut actuel de la page\u00a0:" in explorer.content.decode()
    assert "Statut\u00a0:" in editor.content.decode()
    for response in (explorer, editor):
        assert "Status" not in re.sub(r"<[^>]*>", " ", response.content.decode())
