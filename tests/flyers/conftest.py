"""Reading flyers back: their pages, their text, and their QR code as a phone would."""

import re
from io import BytesIO

import pytest
from pypdf import PdfReader

from mediation.models import Branding

A4_POINTS = (595.28, 841.89)


@pytest.fixture(autouse=True)
def _needs_weasyprint():
    pytest.importorskip("weasyprint")


@pytest.fixture
def branding(db):
    branding = Branding.load()
    branding.site_name = "Le Bus numérique"
    branding.contact_phone = "03 53 01 00 80"
    branding.contact_email = "bus@example.org"
    branding.operator_name = "Somme Numérique"
    branding.operator_address = "1 rue de la Fibre\n80000 Amiens"
    branding.save()
    return branding


def pdf_pages(pdf: bytes) -> list:
    return PdfReader(BytesIO(pdf)).pages


def page_text(page) -> str:
    """The page's text with its lines joined (a long name may wrap after one of its hyphens)."""
    return re.sub(r"-\s+", "-", " ".join(page.extract_text().split()))


def is_a4_portrait(page) -> bool:
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    return abs(width - A4_POINTS[0]) <= 1 and abs(height - A4_POINTS[1]) <= 1


def qr_codes_on_page(pdf: bytes, index: int = 0) -> list[str]:
    """Rasterise the page at 150 dpi, as a phone camera would see a print, and decode it."""
    pdfium = pytest.importorskip("pypdfium2")
    zxingcpp = pytest.importorskip("zxingcpp")
    document = pdfium.PdfDocument(pdf)
    try:
        image = document[index].render(scale=150 / 72, grayscale=True).to_pil()
    finally:
        document.close()
    return [
        result.text
        for result in zxingcpp.read_barcodes(image)
        if result.format == zxingcpp.BarcodeFormat.QRCode
    ]
