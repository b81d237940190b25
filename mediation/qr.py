"""QR codes for print (flyers, handouts, asset labels)."""

import segno


def qr_svg_data_uri(url: str, *, scale: int = 4) -> str:
    """An SVG QR code as a data: URI, embeddable in HTML for WeasyPrint without any fetch.

    Error correction "M" survives a crease or a smudge on a pinned-up flyer.
    """
    return segno.make(url, error="m", micro=False).svg_data_uri(scale=scale, border=2)
