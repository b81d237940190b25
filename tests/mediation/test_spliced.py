"""render_spliced: parts made as UTF-8 bytes land wherever the template shows them."""

from django.test import RequestFactory

from mediation.spliced import render_spliced


def test_parts_are_joined_where_the_template_shows_them(settings, tmp_path):
    (tmp_path / "page.html").write_text(
        "<p>{{ title }}</p>{% if listed %}<ul>{{ items }}</ul>{% endif %}<svg>{{ map }}</svg>"
        "<svg>{{ map }}</svg>",
        encoding="utf-8",
    )
    settings.TEMPLATES = [
        {"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [tmp_path]}
    ]
    request = RequestFactory().get("/")
    parts = {"map": "<g>Œuvre</g>".encode(), "items": "<li>Éplessier</li>".encode()}

    shown = render_spliced(request, "page.html", {"title": "<Carte>", "listed": True}, parts=parts)
    hidden = render_spliced(request, "page.html", {"title": "Carte", "listed": False}, parts=parts)

    assert shown["Content-Type"] == "text/html; charset=utf-8"
    assert shown.content.decode() == (
        "<p>&lt;Carte&gt;</p><ul><li>Éplessier</li></ul><svg><g>Œuvre</g></svg>"
        "<svg><g>Œuvre</g></svg>"
    )
    assert hidden.content.decode() == "<p>Carte</p><svg><g>Œuvre</g></svg><svg><g>Œuvre</g></svg>"
