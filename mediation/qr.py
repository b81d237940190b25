"""QR codes for print (flyers, handouts, asset labels)."""

from functools import lru_cache

import segno


def qr_svg_data_uri(url: str, *, scale: int = 4) -> str:
    """An SVG QR code as a data: URI, embeddable in HTML for WeasyPrint without any fetch.

    Error correction "M" survives a crease or a smudge on a pinned-up flyer.
    """
    return segno.make(url, error="m", micro=False).svg_data_uri(scale=scale, border=2)


@lru_cache(maxsize=1024)
def qr_png_data_uri(url: str) -> str:
    """A QR code as a PNG data: URI with one pixel per module, for PDFs.

    Drawn without interpolation (CSS `image-rendering: pixelated`) it prints as sharp as
    the SVG, and WeasyPrint embeds it in about a millisecond, where it spends some 20 ms
    drawing the SVG's path of hundreds of squares (measured by bench/flyers.py).

    Memoised: a code depends on its URL only, and segno takes some 10 ms to choose its mask;
    a flyer's URL is its commune's page, so a batch of an intercommunality's 119 flyers paid
    1.2 s for codes it had made before. A thousand codes of about a kilobyte each are kept:
    the Somme's 771 communes.
    """
    return segno.make(url, error="m", micro=False).png_data_uri(scale=1, border=2)
