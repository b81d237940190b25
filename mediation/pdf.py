"""PDF rendering with WeasyPrint, kept warm between documents.

WeasyPrint spends most of a small document's time parsing stylesheets and subsetting fonts,
so the parsed CSS and the font configuration are made once per process and reused, images
share one cache, static files are read from disk and media files through the storage API (on
disk or in a bucket): the site never fetches its own URLs over HTTP, nor anything else.
"""

import atexit
import hashlib
import mimetypes
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage

# Imported lazily: WeasyPrint needs the Pango system library, which the rest of the site does not.


class LocalFilesOnlyFetcher:
    """Serve /static/ and /media/ URLs from disk and data: URIs inline; refuse everything else."""

    def __init__(self):
        from weasyprint.urls import URLFetcher

        self._inline = URLFetcher()
        # WeasyPrint (70) asks any fetcher it is given whether an error stops the document:
        # none does here. A refused or missing file (a logo whose rendition is gone) leaves
        # a warning and the document without it, never a 500.
        self._fail_on_errors = False

    def __call__(self, url: str, headers=None):
        return self.fetch(url, headers)

    def fetch(self, url: str, headers=None):
        from weasyprint.urls import URLFetcherResponse

        if url.startswith("data:"):
            return self._inline.fetch(url, headers)
        found = local_file(url)
        if found is None:
            raise ValueError(f"Refusing to fetch {url!r}: only static and media files are read")
        name, body = found
        mime_type, _ = mimetypes.guess_type(name)
        return URLFetcherResponse(
            url, body=body, headers={"Content-Type": mime_type or "application/octet-stream"}
        )


def local_file(url: str) -> tuple[str, bytes] | None:
    """The name and bytes of the static or media file behind `url` (media through the
    storage API: on disk or in an S3 bucket alike), or None when it names neither. A file
    that is not there raises (OSError on disk, the storage's own error for a bucket)."""
    name = media_name_for(url)
    if name is not None:
        with default_storage.open(name, "rb") as file:
            return name, file.read()
    path = local_path_for(url)
    if path is None:
        return None
    return path.name, path.read_bytes()


def media_name_for(url: str) -> str | None:
    """The media storage's name for a URL of one of its files (on this site or the storage's
    own host, such as a bucket's), or None when the URL is not a media file's."""
    parts = urlsplit(url)
    if parts.scheme == "file":
        return None
    path = unquote(parts.path)
    on_site = not parts.netloc or f"{parts.scheme}://{parts.netloc}" == settings.SITE_URL
    if on_site and path.startswith(settings.MEDIA_URL):
        name = path.removeprefix(settings.MEDIA_URL)
    else:
        # A storage with its own address: its URL for a known name gives the prefix.
        probe = urlsplit(default_storage.url("probe"))
        prefix = f"{probe.scheme}://{probe.netloc}{unquote(probe.path).removesuffix('probe')}"
        if not parts.netloc or not f"{parts.scheme}://{parts.netloc}{path}".startswith(prefix):
            return None
        name = f"{parts.scheme}://{parts.netloc}{path}".removeprefix(prefix)
    if not name or name.startswith("/") or ".." in name.split("/"):
        return None
    return name


def local_path_for(url: str) -> Path | None:
    """The file on disk behind a /static/ URL of this site, or None (media: media_name_for)."""
    parts = urlsplit(url)
    if parts.scheme == "file":
        return None
    if parts.netloc and f"{parts.scheme}://{parts.netloc}" != settings.SITE_URL:
        return None
    path = unquote(parts.path)
    if path.startswith(settings.STATIC_URL):
        found = finders.find(path.removeprefix(settings.STATIC_URL))
        if found:
            return Path(found)
        candidate = Path(settings.STATIC_ROOT) / path.removeprefix(settings.STATIC_URL)
        return (
            candidate
            if candidate.resolve().is_relative_to(Path(settings.STATIC_ROOT).resolve())
            else None
        )
    return None


@cache
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    # Dropped before the interpreter tears the C bindings down, which its __del__ needs
    # (else every command that rendered a PDF ends with an ignored TypeError).
    atexit.register(_font_config.cache_clear)
    return FontConfiguration()


@cache
def _image_cache() -> dict:
    return {}


@cache
def _fetcher() -> LocalFilesOnlyFetcher:
    return LocalFilesOnlyFetcher()


def _static_file(static_path: str) -> str:
    found = finders.find(static_path)
    if not found:
        raise FileNotFoundError(f"No static file {static_path!r}")
    return found


@cache
def stylesheet(static_path: str):
    """A parsed stylesheet from the static files, parsed once per process."""
    from weasyprint import CSS

    found = _static_file(static_path)
    # Its URL on the site as base, so that url(fonts/x.woff2) resolves to a static file that
    # the fetcher reads from disk (a file:// base would be refused).
    return CSS(
        filename=found,
        base_url=settings.SITE_URL + settings.STATIC_URL + static_path,
        url_fetcher=_fetcher(),
        font_config=_font_config(),
    )


def render_pdf(html: str, *, stylesheets: list[str] = (), tagged: bool = False) -> bytes:
    """Render an HTML string to PDF bytes; stylesheets are static paths such as "cms/flyer.css".

    `tagged` writes the document's structure (headings, tables and their headers, reading
    order) into the PDF, as a screen reader needs it to read a document meant to be read
    rather than printed (the activity report)."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=settings.SITE_URL + "/", url_fetcher=_fetcher())
    return document.write_pdf(
        stylesheets=[stylesheet(path) for path in stylesheets],
        font_config=_font_config(),
        cache=_image_cache(),
        pdf_tags=tagged,
    )


# What a document or a stylesheet names to fetch: <img src>, <link href>, CSS url().
_LINKED_URL = re.compile(r"""\b(?:src|href)=(?:"([^"]+)"|'([^']+)')|url\(\s*['"]?([^'")\s]+)""")


def _linked_urls(text: str) -> list[str]:
    return sorted({url for found in _LINKED_URL.findall(text) for url in found if url})


def _file_digest(url: str) -> bytes:
    """The digest of a static or media file a document names (what the fetcher would read),
    or of its absence; other URLs (data: URIs, inline in the text) count by their text."""
    if url.startswith("data:"):
        return b""
    try:
        found = local_file(url)
    except Exception:  # a bucket out of reach: the rendering goes on without the file too
        return b"missing"
    return hashlib.sha256(found[1]).digest() if found else b""


@cache
def _stylesheet_digest(static_path: str) -> bytes:
    """A stylesheet's text and the files it names (fonts), once per process: they change
    only with a deploy, which starts new processes."""
    text = Path(_static_file(static_path)).read_bytes()
    digest = hashlib.sha256(text)
    base = settings.SITE_URL + settings.STATIC_URL + static_path
    for url in _linked_urls(text.decode()):
        digest.update(url.encode() + _file_digest(urljoin(base, url)))
    return digest.digest()


def document_digest(html: str, *, stylesheets: Iterable[str] = (), tagged: bool = False) -> str:
    """What render_pdf(html, stylesheets=…, tagged=…) is made from, summed up: WeasyPrint's
    version, whether the PDF is tagged, the stylesheets with their fonts, the HTML and every
    file it names (a logo replaced under the same name counts). WeasyPrint writes no date,
    so one digest is one file, byte for byte: a file rendered from the same digest may be
    copied instead of rendered again (reports/services.py)."""
    import weasyprint

    digest = hashlib.sha256(weasyprint.__version__.encode())
    # The same document untagged is another file: no structure for a screen reader.
    digest.update(b"tagged" if tagged else b"untagged")
    for path in stylesheets:
        digest.update(_stylesheet_digest(path))
    digest.update(html.encode())
    for url in _linked_urls(html):
        digest.update(url.encode() + _file_digest(urljoin(settings.SITE_URL + "/", url)))
    return digest.hexdigest()


def image_url(image, spec: str = "max-600x240|format-png") -> str:
    """A small rendition of a Wagtail image for a PDF ("" without one): a full-size upload
    would slow every document down, and a missing file must not cost the document."""
    if image is None:
        return ""
    try:
        return image.get_rendition(spec).url
    except (OSError, ValueError):
        return ""
