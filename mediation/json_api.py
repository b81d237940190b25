"""One guard for every JSON endpoint: the body is parsed once, and what is too big, too deep
or malformed gets a 400 with a code, never a 500.

Python's parser gives up with a RecursionError (a 500) on a body nested a thousand levels
deep, and a body of any size would be read into memory: `json_body` refuses both, and every
JSON endpoint answers its JsonBodyError with `json_error(400, error.code, message)` (as the
mediators' app's guard, sessions/mediator_app/decorators.py, does).
"""

import json

from django.http import JsonResponse
from django.utils.translation import gettext as _

MAX_DEPTH = 20
DEFAULT_MAX_BYTES = 64 * 1024


class JsonBodyError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def json_error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": code, "message": message}, status=status)


def _depth(value) -> int:
    """How deeply lists and objects nest (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            return deepest
        stack.extend((child, level + 1) for child in children)
    return deepest


def json_body(request, *, max_bytes: int = DEFAULT_MAX_BYTES, empty: dict | None = None):
    """The request's body as JSON; JsonBodyError with code too_large, too_deep or malformed.

    A view whose body is optional says what an empty one means with `empty`.
    """
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > max_bytes:
        raise JsonBodyError("too_large", _("The request body is too large."))
    raw = request.body
    if len(raw) > max_bytes:
        raise JsonBodyError("too_large", _("The request body is too large."))
    if not raw.strip() and empty is not None:
        return dict(empty)
    try:
        value = json.loads(raw)
    except RecursionError:
        raise JsonBodyError("too_deep", _("The request body is nested too deeply.")) from None
    except (ValueError, UnicodeDecodeError):
        raise JsonBodyError("malformed_json", _("The request body is not valid JSON.")) from None
    if _depth(value) > MAX_DEPTH:
        raise JsonBodyError("too_deep", _("The request body is nested too deeply."))
    return value
