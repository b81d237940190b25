"""The handout a resident takes home: the steps, the documents, the van's phone number."""

import io

import pytest
from django.conf import settings
from pypdf import PdfReader

from mediation.models import TutorialModule
from tests.factories import make_module

pytestmark = pytest.mark.django_db
weasyprint = pytest.importorskip("weasyprint")

A4_POINTS = (595, 842)


def handout(client, slug: str) -> PdfReader:
    response = client.get(f"/modules/{slug}/fiche.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def text_of(reader: PdfReader) -> str:
    # PDF text breaks lines where the layout did: compare words, not line breaks.
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def squeeze(text: str) -> str:
    return " ".join(text.split())


def test_the_handout_has_the_steps_the_documents_and_the_phone_number(
    client, seeded_modules, van_phone
):
    for module in TutorialModule.objects.all():
        reader = handout(client, module.slug)
        text = text_of(reader)
        for document in module.document_list:
            assert squeeze(document) in text, (module.slug, document)
        for block in module.steps:
            if block.block_type == "step":
                assert squeeze(block.value["title"]) in text, (module.slug, block.value["title"])
        assert van_phone in text
        assert settings.SITE_URL + f"/modules/{module.slug}/" in text.replace(" ", "")


def test_the_handout_is_printed_on_a4(client, seeded_modules):
    reader = handout(client, "compte-ameli")
    for page in reader.pages:
        width, height = (round(float(side)) for side in page.mediabox.upper_right)
        assert (width, height) == A4_POINTS


def test_the_handout_text_is_at_least_fourteen_points(client, seeded_modules):
    reader = handout(client, "arnaques-en-ligne")
    sizes = []

    def visitor(text, cm, tm, font_dict, font_size):
        if text.strip():
            # The size on paper, in points: the font size scaled by the text matrix and by
            # the page's transformation (WeasyPrint draws in CSS pixels, 0.75 pt each).
            sizes.append((text.strip(), abs(font_size * tm[3] * cm[3])))

    reader.pages[0].extract_text(visitor_text=visitor)
    step_title = next(
        b.value["title"]
        for b in TutorialModule.objects.get(slug="arnaques-en-ligne").steps
        if b.block_type == "step"
    )
    body = [size for text, size in sizes if text and text in squeeze(step_title)] + [
        size for text, size in sizes if "escrocs" in text
    ]
    assert body and min(body) >= 14 - 0.1


def test_a_step_screenshot_is_embedded_in_the_handout(client, screenshot):
    module = make_module(slug="avec-capture")
    module.steps = [
        {
            "type": "step",
            "value": {
                "title": "Ouvrez le site",
                "text": "<p>Tapez l'adresse.</p>",
                "image": screenshot.pk,
                "image_description": "La page d'accueil",
            },
        }
    ]
    module.save()
    reader = handout(client, "avec-capture")
    assert sum(len(page.images) for page in reader.pages) >= 1
