"""Caching that follows the tour: public pages, feeds, the map and flyers, shared by every worker.

Every cached response is stored with the **tour version** it was rendered under, keyed by
today's date, the language and the full path. The version is one counter in the shared cache
(Redis in production), bumped whenever anything a public page shows changes: a stop, a
workshop, its seats, a module, a commune, the branding, a page or a town hall's local content.
Nothing is ever deleted: an entry of an older version is never served (it is rendered again
and replaced), and entries expire on their own. A hit is one round trip to the cache: the
version and the entry are read together.

    from mediation.tour_cache import tour_cached

    @require_GET
    @tour_cached
    def commune_page(request, slug): ...

For a view that is not a plain function (a Wagtail page's `serve`), call
`cached_response(request, render)` with a function that renders the response.

Models are followed with `follow(Model)` (from an AppConfig's `ready`): any save or delete
bumps the version, at once and again when the transaction commits (the second bump is the
one that makes the pages rendered before the commit stale, see `tour_changed`). Writes that
bypass `save()` (a conditional UPDATE of the seats) call `tour_changed()` themselves.

A page that shows what the clock changes (a workshop's sign-ups open, close, or it starts)
says when with `stale_at(response, *moments)`: its entry is not served from then on.

Responses carry an ETag and Last-Modified, and a conditional GET is answered 304.
Only anonymous GET/HEAD answers of 200 that set no cookie are stored; a signed-in user or a
pending message is served fresh. A page with a form is stored without its CSRF token, and each
visitor gets their own put back (and the CSRF cookie that goes with it). When the cache is
unreachable, everything is rendered uncached and a warning is logged: never a 500.
`TOUR_CACHE_ENABLED = False` turns caching off (the benchmark measures both).
"""

import datetime as dt
import functools
import hashlib
import logging
import math
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from mediation.cache import cache_count

logger = logging.getLogger(__name__)

VERSION_KEY = "tour:version"
# Seats change with every sign-up: only the pages that show them follow this second counter.
SEATS_KEY = "tour:seats"
SCOPES = {"tour": VERSION_KEY, "seats": SEATS_KEY}
# Old versions are unreachable anyway; a day bounds what a quiet site keeps.
ENTRY_TIMEOUT = 24 * 60 * 60
KEPT_HEADERS = ("Content-Type", "Content-Disposition")
# Browsers may keep a copy but must ask again each time; the answer is then a cheap 304.
CACHE_CONTROL = "no-cache"

# A page with a form (the commune page's alerts) is cached with its CSRF token taken out, and
# every visitor gets their own token put back: a cached token would be someone else's.
CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
CSRF_MARKER = b"@@tour-cache-csrf-token@@"

# Entries this process served lately: while the shared version still matches, a hit reads
# the version alone (a few bytes) instead of the entry again (the whole-tour feed is a
# megabyte). Bounded in bytes, least recently used first out.
MEMO_BYTES = 16 * 1024 * 1024
_memo: OrderedDict[str, dict] = OrderedDict()
_memo_bytes = [0]
_memo_lock = threading.Lock()

# What the last lookups did, per process: tests and the benchmark count renders with it.
stats = {"hits": 0, "misses": 0, "bypassed": 0, "errors": 0}


def _enabled() -> bool:
    return getattr(settings, "TOUR_CACHE_ENABLED", True)


def _fresh_version() -> int:
    return secrets.randbits(60)


def _versions(found: dict, keys: list[str]) -> str | None:
    """The version made of `keys` as read in `found`, a counter started where one is missing.

    None when the shared cache cannot be reached.
    """
    for key in keys:
        if found.get(key) is None:
            # Start anywhere at random, not from 1: a cache that lost the counter (a restart,
            # an eviction) must never meet entries stored, or held by a worker, under an old
            # version again (a start from the clock repeats under a frozen test clock).
            cache.add(key, _fresh_version(), timeout=None)
            found[key] = cache.get(key)
            if found[key] is None:  # the cache answers as an empty one: it is down
                return None
    return ".".join(str(found[key]) for key in keys)


def tour_version(*, seats: bool = False) -> str | None:
    """The current version of the tour (and of the seats), or None when the shared cache
    cannot be reached."""
    keys = [VERSION_KEY, SEATS_KEY] if seats else [VERSION_KEY]
    try:
        return _versions(cache.get_many(keys), keys)
    except Exception:  # noqa: BLE001 - any cache failure: render uncached
        stats["errors"] += 1
        logger.warning("Tour cache unreachable: pages are rendered uncached", exc_info=True)
        return None


def _bump(key: str = VERSION_KEY) -> None:
    try:
        # One round trip on Redis; a counter that was lost starts again somewhere new.
        cache_count(cache, key, start=_fresh_version(), timeout=None)
    except Exception:  # noqa: BLE001 - a write must never fail because of the cache
        logger.warning("Tour cache unreachable: could not record a change", exc_info=True)


def tour_changed(scope: str = "tour", *, at_once: bool = True) -> None:
    """Something public changed: every cached page, feed and flyer is stale from now on.

    `scope="seats"` when only seats changed (a sign-up, a cancellation): only the pages that
    show seats (cached with `seats=True`) are stale then.

    The bump that counts is the one after the commit: a page reads the version before the
    data it shows, so a page rendered before the commit was stored under a version older
    than that bump, and is never served after it. The bump at once only narrows what a lost
    second bump (a worker killed between the commit and it, a Redis blip) leaves stale, to
    the pages rendered between the write and the commit. `at_once=False` spares that round
    trip where a lost bump costs little: a sign-up's seats, shown stale until the next
    sign-up or cancellation anywhere on the tour bumps the same counter (or for a day).
    """
    key = SCOPES[scope]
    if at_once:
        _bump(key)
    transaction.on_commit(lambda: _bump(key), robust=True)


def follow(model, *, scope: str = "tour") -> None:
    """Bump the tour version (or the seats') whenever an instance of `model` is saved or deleted."""

    def changed(sender, **kwargs) -> None:
        if not kwargs.get("raw"):  # loaddata
            tour_changed(scope)

    uid = f"tour_cache:{model._meta.label}"
    post_save.connect(changed, sender=model, dispatch_uid=uid + ":save", weak=False)
    post_delete.connect(changed, sender=model, dispatch_uid=uid + ":delete", weak=False)


# Where Wagtail keeps the password-protected pages a visitor has been let in to
# (PageViewRestriction.passed_view_restrictions_session_key; tests/cms/test_view_restrictions.py).
PASSED_PAGE_RESTRICTIONS = "passed_page_view_restrictions"


def _cacheable_request(request: HttpRequest, *, any_user: bool = False) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if not any_user and settings.SESSION_COOKIE_NAME in request.COOKIES:
        # Looked at only when there is a session: anonymous residents cost no query.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False
        # A visitor who typed a private page's password sees what the others may not: their
        # page is neither served from the cache (the password form) nor stored for everyone.
        session = getattr(request, "session", None)
        if session is not None and session.get(PASSED_PAGE_RESTRICTIONS):
            return False
    return "messages" not in request.COOKIES


def _cache_key(request: HttpRequest) -> str:
    path = hashlib.md5(request.get_full_path().encode(), usedforsecurity=False).hexdigest()
    language = translation.get_language() or settings.LANGUAGE_CODE
    return f"tour:page:{timezone.localdate().isoformat()}:{language}:{path}"


def _remember(key: str, entry: dict) -> None:
    size = len(entry["content"])
    with _memo_lock:
        old = _memo.pop(key, None)
        if old is not None:
            _memo_bytes[0] -= len(old["content"])
        if size > MEMO_BYTES // 4:
            return
        _memo[key] = entry
        _memo_bytes[0] += size
        while _memo_bytes[0] > MEMO_BYTES:
            _, dropped = _memo.popitem(last=False)
            _memo_bytes[0] -= len(dropped["content"])


def _remembered(key: str) -> dict | None:
    with _memo_lock:
        entry = _memo.get(key)
        if entry is not None:
            _memo.move_to_end(key)
        return entry


def _lookup(request: HttpRequest, *, seats: bool) -> tuple[str, str | None, dict | None]:
    """The entry's key, the tour's version and the entry stored for this request if it was
    rendered under that version: one round trip to the cache for a hit.

    The entry is stored under a key without the version and carries the version it was
    rendered under: a stale entry is never served, and a hit costs one read (version and
    entry together) instead of two (the version, then the entry it names). When this
    process holds the entry already, only the version is read.
    Raises whatever the cache raises; the version is None when the cache cannot be reached.
    """
    keys = [VERSION_KEY, SEATS_KEY] if seats else [VERSION_KEY]
    key = _cache_key(request)
    remembered = _remembered(key)
    found = cache.get_many(keys if remembered is not None else [*keys, key])
    version = _versions(found, keys)
    if version is None:
        return key, None, None
    if remembered is not None:
        if remembered["version"] == version and _current(remembered):
            return key, version, remembered
        found[key] = cache.get(key)  # another worker may have rendered it meanwhile
    entry = found.get(key)
    if not _current(entry) or entry.get("version") != version:
        return key, version, None
    _remember(key, entry)
    return key, version, entry


def stale_at(response: HttpResponse, *moments: dt.datetime | None) -> HttpResponse:
    """What `response` shows changes at these moments with no write to bump the version (a
    workshop's sign-ups open or close, it starts): its cached copy is not served from the
    earliest on. None stands for no such moment; called more than once, the earliest counts."""
    earliest = getattr(response, "tour_cache_stale_at", None)
    response.tour_cache_stale_at = min(
        (moment for moment in (earliest, *moments) if moment is not None), default=None
    )
    return response


def _current(entry: dict | None) -> bool:
    return entry is not None and (entry.get("stale_at") or float("inf")) > time.time()


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    return response.status_code == 200 and not response.streaming and not response.cookies


def _finish(request: HttpRequest, response: HttpResponse, etag: str, last_modified: float):
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = CACHE_CONTROL
    return get_conditional_response(
        request, etag=etag, last_modified=int(last_modified), response=response
    )


def _from_entry(request: HttpRequest, entry: dict) -> HttpResponse:
    content = entry["content"]
    if CSRF_MARKER in content:
        # get_token() also has the CSRF middleware set this visitor's cookie.
        content = content.replace(CSRF_MARKER, get_token(request).encode())
    response = HttpResponse(content, status=200)
    for name, value in entry["headers"].items():
        response[name] = value
    return response


def cached_response(
    request: HttpRequest,
    render: Callable[[], HttpResponse],
    *,
    seats: bool = False,
    any_user: bool = False,
) -> HttpResponse:
    """The cached answer to this request if the tour has not changed, else `render()`'s.

    `seats=True` for a page that shows seats left: it is also stale after each sign-up.
    `any_user=True` for an answer that is the same for everyone, signed in or not (a PDF
    without the site's layout): staff share the residents' copy instead of rendering their
    own every time. Who may have it is checked before, by the view's own decorators.
    """
    if not _enabled() or not _cacheable_request(request, any_user=any_user):
        stats["bypassed"] += 1
        return render()
    try:
        key, version, entry = _lookup(request, seats=seats)
    except Exception:  # noqa: BLE001 - any cache failure: render uncached
        stats["errors"] += 1
        logger.warning("Tour cache unreachable: page rendered uncached", exc_info=True)
        return render()
    if version is None:
        stats["errors"] += 1
        return render()
    if entry is not None:
        stats["hits"] += 1
        response = _finish(
            request, _from_entry(request, entry), entry["etag"], entry["last_modified"]
        )
        return _private_if_tokened(response, entry)
    stats["misses"] += 1
    response = render()
    if hasattr(response, "render") and callable(response.render):
        response = response.render()  # a TemplateResponse (Wagtail pages)
    if not _storable(request, response):
        return response
    stale = getattr(response, "tour_cache_stale_at", None)
    timeout = ENTRY_TIMEOUT
    if stale is not None:
        remaining = stale.timestamp() - time.time()
        if remaining <= 0:
            return response
        timeout = min(timeout, math.ceil(remaining))
    content = CSRF_INPUT.sub(rb"\1" + CSRF_MARKER + rb"\2", response.content)
    entry = {
        "version": version,
        "content": content,
        "headers": {name: response[name] for name in KEPT_HEADERS if response.has_header(name)},
        "etag": '"' + hashlib.sha1(content, usedforsecurity=False).hexdigest()[:24] + '"',
        "last_modified": time.time(),
        "stale_at": stale.timestamp() if stale is not None else None,
    }
    try:
        cache.set(key, entry, timeout=timeout)
    except Exception:  # noqa: BLE001
        logger.warning("Tour cache unreachable: page not stored", exc_info=True)
    _remember(key, entry)
    if CSRF_MARKER in content:
        response = _from_entry(request, entry)  # the same page as every later visitor gets
    response = _finish(request, response, entry["etag"], entry["last_modified"])
    return _private_if_tokened(response, entry)


def _private_if_tokened(response: HttpResponse, entry: dict) -> HttpResponse:
    if CSRF_MARKER in entry["content"]:
        # The visitor's own token is in it: no shared cache (a proxy) may keep it.
        response["Cache-Control"] = "private, " + CACHE_CONTROL
    return response


def tour_cached(view=None, *, seats: bool = False, any_user: bool = False):
    """Decorate a public GET view: its answers are cached until the tour changes.

    `@tour_cached` or, for a page that shows seats left, `@tour_cached(seats=True)`;
    `any_user=True`: see cached_response.
    """
    if view is None:
        return functools.partial(tour_cached, seats=seats, any_user=any_user)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        return cached_response(
            request, lambda: view(request, *args, **kwargs), seats=seats, any_user=any_user
        )

    return wrapper
