"""Whatever a visitor types into a public form or a query string: no 500, nothing echoed raw.

Property-based (hypothesis): arbitrary Unicode, with an HTML payload slipped in, goes to
every public form and query string; the answer is never a server error, and the payload
never comes back unescaped in an HTML page.
"""

import pytest
from django.core.cache import cache
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_module, make_stop, make_workshop

pytestmark = pytest.mark.django_db

PAYLOAD = '"><script id=hyp>alert(1)</script><b id=hyp'
# Any character a browser can send (lone surrogates cannot be encoded at all).
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
INPUT = st.one_of(TEXT, st.builds(lambda a, b: a + PAYLOAD + b, TEXT, TEXT))
EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def check(response) -> None:
    assert response.status_code < 500
    if response.get("Content-Type", "").startswith("text/html"):
        html = response.content.decode()
        assert "<script id=hyp>" not in html
        assert "<b id=hyp" not in html


@pytest.fixture
def site(home, amiens, monkeypatch):
    from cms import flyer_views

    # The flyer's answer to a bad period is what is tested, not WeasyPrint.
    monkeypatch.setattr(flyer_views, "render_flyers", lambda *a, **k: b"%PDF-stub")
    module = make_module(slug="compte-caf")
    workshop = make_workshop(stop=make_stop(commune=amiens), module=module)
    return {"commune": amiens, "workshop": workshop, "module": module}


@EXAMPLES
@given(value=INPUT, name=st.sampled_from(["q", "mois", "periode", "p", "page", "du"]))
def test_query_strings_of_public_pages(client, site, value, name):
    cache.clear()  # the rate limits are tested elsewhere
    commune, workshop = site["commune"], site["workshop"]
    for url in [
        "/",
        reverse("cms:commune_search"),
        reverse("cms:commune", args=[commune.slug]),
        reverse("cms:commune_flyer", args=[commune.slug]),
        reverse("cms:stop", args=[workshop.stop.pk]),
        reverse("cms:map"),
        reverse("cms:module_list"),
        reverse("cms:module_detail", args=[site["module"].slug]),
        reverse("workshops:signup", args=[workshop.pk]),
    ]:
        check(client.get(url, {name: value}))


@EXAMPLES
@given(
    field=st.sampled_from(
        ["first_name", "last_name", "phone", "email", "home_commune", "needs", "website"]
    ),
    value=INPUT,
)
def test_the_sign_up_form_with_any_value_in_any_field(client, site, field, value):
    cache.clear()
    data = {
        "first_name": "Jeanine",
        "last_name": "Dupont",
        "phone": "06 12 34 56 78",
        "home_commune": site["commune"].name,
        "consent": "on",
        "waiting_list_ok": "on",
    } | {field: value}
    check(client.post(reverse("workshops:signup", args=[site["workshop"].pk]), data))


@EXAMPLES
@given(token=TEXT.filter(lambda t: "/" not in t and t.strip()))
def test_personal_links_with_any_token(client, site, token):
    for name in ["registration_detail", "registration_cancel", "registration_confirmation"]:
        check(client.get(reverse(f"workshops:{name}", args=[token])))
