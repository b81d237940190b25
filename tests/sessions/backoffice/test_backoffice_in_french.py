"""Claire, the coordinator, reads the back office in French and tells its menus apart."""

import re
from html import unescape

import pytest
from django.test import RequestFactory
from wagtail.admin.menu import admin_menu

from tests.factories import make_coordinator
from tests.sessions.backoffice.test_backoffice_at_volume import add_activity, back_office_pages
from tests.test_commands_french import ENGLISH_WORDS, words

pytestmark = pytest.mark.django_db

# Labels of Wagtail's own chrome that its French catalogue leaves as they are.
WAGTAIL_WORDS = {"snippets"}


def column_headers(html: str) -> list[str]:
    cells = re.findall(r"<th\b[^>]*>(.*?)</th>", html, flags=re.DOTALL)
    texts = (unescape(re.sub(r"<[^>]+>", " ", cell)) for cell in cells)
    return [" ".join(text.split()) for text in texts if text.strip()]


def test_every_back_office_list_has_french_column_headers(client):
    add_activity(2)
    claire = make_coordinator()
    client.force_login(claire)
    english = {}
    checked = 0
    for path in back_office_pages(claire):
        response = client.get(path)
        if response.status_code != 200:
            continue  # a list reserved to another role
        for header in column_headers(response.content.decode()):
            checked += 1
            found = (words(header) - WAGTAIL_WORDS) & (ENGLISH_WORDS | {"created", "updated"})
            if found:
                english.setdefault(path, []).append(header)
    assert checked > 20
    assert english == {}


def test_the_check_would_find_an_english_column():
    headers = column_headers('<table><tr><th class="x"><a href="?o=1">Created at</a></th></tr>')
    assert headers == ["Created at"]
    assert words(headers[0]) & (ENGLISH_WORDS | {"created"})


def test_each_menu_of_the_back_office_wears_its_own_icon():
    request = RequestFactory().get("/admin/")
    request.user = make_coordinator()
    items = admin_menu.menu_items_for_request(request)
    icons = {item.name: item.icon_name for item in items}

    assert {"tour", "reports", "figures"} <= set(icons)
    assert icons["tour"] != icons["reports"]
    duplicates = {
        name: icon for name, icon in icons.items() if list(icons.values()).count(icon) > 1
    }
    assert duplicates == {}
