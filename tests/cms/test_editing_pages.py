"""Who edits the public site's pages, and the addresses pages get.

Claire, a coordinator, writes and publishes the site's pages; Inès, a mediator, runs stops and
edits no public page (docs/permissions.md).
"""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import Page

from cms.models import CommuneLocalContent, ContentPage
from tests.factories import make_coordinator, make_mediator

pytestmark = pytest.mark.django_db


@pytest.fixture
def legal_notice(home):
    return home.add_child(instance=ContentPage(title="Mentions légales", slug="mentions-legales"))


def test_a_coordinator_may_edit_publish_unpublish_and_delete_a_page(client, legal_notice):
    client.force_login(make_coordinator("claire"))

    for action in ("edit", "unpublish", "delete"):
        url = reverse(f"wagtailadmin_pages:{action}", args=[legal_notice.pk])
        assert client.get(url).status_code == 200, action
    add = reverse("wagtailadmin_pages:add", args=["cms", "contentpage", legal_notice.pk])
    assert client.get(add).status_code == 200


def _messages(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


def test_the_home_page_cannot_be_unpublished_or_deleted_and_editors_read_why(
    client, home, legal_notice
):
    # Every public page hangs from the home page: unpublished or deleted, the address on
    # every flyer answers "page not found". Wagtail offers both, one by one and in bulk, to
    # coordinators (unpublish) and to administrators (delete too).
    claire = make_coordinator("claire")
    administrator = get_user_model().objects.create_superuser("admin", password="pass")
    bulk = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "unpublish"])
    bulk_delete = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
    attempts = [
        (claire, reverse("wagtailadmin_pages:unpublish", args=[home.pk])),
        (claire, f"{bulk}?id={home.pk}"),
        (administrator, reverse("wagtailadmin_pages:delete", args=[home.pk])),
        (administrator, f"{bulk_delete}?id={home.pk}"),
    ]

    for editor, url in attempts:
        client.force_login(editor)
        response = client.post(url, {"include_descendants": "on"}, follow=True)
        assert "ne peut être ni dépubliée ni supprimée" in _messages(response), url
        home.refresh_from_db()
        assert home.live, url

    legal_notice.refresh_from_db()
    assert legal_notice.live
    assert client.get("/").status_code == 200
    # Any other page is Claire's to unpublish, as before.
    client.force_login(claire)
    client.post(reverse("wagtailadmin_pages:unpublish", args=[legal_notice.pk]))
    legal_notice.refresh_from_db()
    assert not legal_notice.live


def test_a_mediator_may_not_edit_add_or_delete_a_public_page(client, home, legal_notice):
    client.force_login(make_mediator("ines"))

    refused = [
        reverse("wagtailadmin_pages:edit", args=[legal_notice.pk]),
        reverse("wagtailadmin_pages:delete", args=[legal_notice.pk]),
        reverse("wagtailadmin_pages:add", args=["cms", "contentpage", home.pk]),
    ]
    for url in refused:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert not response.headers.get("Location", "").startswith(url), url

    published = client.post(
        reverse("wagtailadmin_pages:edit", args=[legal_notice.pk]),
        {"title": "Piraté", "slug": "mentions-legales", "action-publish": "1"},
    )
    assert published.status_code in (302, 403)
    legal_notice.refresh_from_db()
    assert legal_notice.title == "Mentions légales"


def test_a_page_titled_with_accents_gets_an_address_without_them(home):
    """An address a resident can type, or be read over the phone, and print on a flyer."""
    page = home.add_child(instance=ContentPage(title="Horaires d’été à Abbéville"))

    assert page.slug == "horaires-dete-a-abbeville"


def test_the_admin_makes_the_slug_as_typed_without_accents(client, home):
    client.force_login(make_coordinator("claire"))

    form = client.get(reverse("wagtailadmin_pages:add", args=["cms", "contentpage", home.pk]))

    # The slug widget (Wagtail's w-slug controller) keeps accents only when told to.
    assert b'data-controller="w-slug"' in form.content
    assert b"data-w-slug-allow-unicode-value" not in form.content


def draftail(*headings: tuple[str, str]) -> str:
    """The editor's value (Draftail's content state) for these (block type, text) headings."""
    blocks = [
        {
            "key": f"k{number}",
            "type": kind,
            "text": text,
            "depth": 0,
            "inlineStyleRanges": [],
            "entityRanges": [],
            "data": {},
        }
        for number, (kind, text) in enumerate(headings)
    ]
    return json.dumps({"blocks": blocks, "entityMap": {}})


def test_a_heading_that_skips_a_level_is_refused_next_to_the_text(client, legal_notice):
    """Claire puts a level 4 heading straight under a level 2 one: a screen reader would
    announce a section missing. She is told so, next to the text, and loses nothing."""
    client.force_login(make_coordinator("claire"))
    url = reverse("wagtailadmin_pages:edit", args=[legal_notice.pk])
    body = draftail(("header-two", "Éditeur"), ("header-four", "Hébergeur"))

    response = client.post(
        url, {"title": "Mentions légales", "slug": "mentions-legales", "body": body}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["body"][0].startswith("Un titre de niveau 4")
    assert "Hébergeur" in response.context["form"]["body"].value()  # shown again, not lost
    legal_notice.refresh_from_db()
    assert "Hébergeur" not in legal_notice.body
    assert legal_notice.latest_revision is None or "Hébergeur" not in str(
        legal_notice.latest_revision.content
    )


def test_headings_that_go_down_one_level_at_a_time_are_saved(client, legal_notice):
    client.force_login(make_coordinator("claire"))
    url = reverse("wagtailadmin_pages:edit", args=[legal_notice.pk])
    body = draftail(
        ("header-two", "Éditeur"), ("header-three", "Hébergeur"), ("header-two", "Contact")
    )

    response = client.post(
        url, {"title": "Mentions légales", "slug": "mentions-legales", "body": body}
    )

    assert response.status_code == 302
    legal_notice.refresh_from_db()
    assert "Hébergeur" in legal_notice.get_latest_revision_as_object().body


def test_the_promote_tab_offers_no_menu_box_that_would_do_nothing(client, home, legal_notice):
    """The site's menu is fixed: a "show in menus" box would be ticked in vain."""
    client.force_login(make_coordinator("claire"))

    for page in (home, legal_notice):
        form = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).context["form"]
        assert "search_description" in form.fields
        assert "show_in_menus" not in form.fields


def test_a_content_page_can_only_be_added_inside_the_site(home, legal_notice):
    """At the tree's root, outside the site's home page, a page would have no address."""
    assert not ContentPage.can_create_at(Page.get_first_root_node())
    assert ContentPage.can_create_at(home)
    assert ContentPage.can_create_at(legal_notice)


def test_a_town_halls_note_starts_its_headings_under_the_section_that_holds_it(amiens):
    """The note shows under the commune page's "From the town hall" heading (level 2)."""
    note = CommuneLocalContent(commune=amiens, note="<h2>Horaires</h2><p>Mardi</p>")
    with pytest.raises(ValidationError) as refused:
        note.full_clean()
    assert refused.value.error_dict["note"][0].code == "heading_above_its_section"

    note.note = "<h3>Horaires</h3><h4>Le matin</h4><p>Mardi</p>"
    note.full_clean()
