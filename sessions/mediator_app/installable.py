"""What makes the tablet app installable and its offline cache follow the code.

The service worker's cache is named after a hash of the files it keeps (the app's static
files and the worker itself), computed once when the process starts: a deployment that
changes any of them gives the tablets a new cache name, and the old cache is deleted, with
nobody to remember to bump a number.
"""

import hashlib
from functools import cache
from pathlib import Path

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

APP_DIR = Path(__file__).resolve().parent.parent
SHELL_FILES = (
    APP_DIR / "static" / "sessions" / "mediator_app",
    APP_DIR / "templates" / "sessions" / "mediator_app" / "sw.js",
)
ICON_SIZES = (192, 512)


@cache
def app_version() -> str:
    digest = hashlib.sha256()
    for root in SHELL_FILES:
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        for path in files:
            if path.is_file():
                digest.update(path.name.encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def manifest(*, site_name: str, colour: str) -> dict:
    """The web app manifest: the app opens full screen from the tablet's home screen."""
    home = reverse("mediator_app:home")
    return {
        "name": _("%(site)s – mediators") % {"site": site_name},
        "short_name": _("Mediators"),
        "lang": settings.LANGUAGE_CODE,
        "start_url": home,
        "scope": home,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": colour,
        "icons": [
            {
                "src": static(f"sessions/mediator_app/icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any maskable",
            }
            for size in ICON_SIZES
        ],
    }
