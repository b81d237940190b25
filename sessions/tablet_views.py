"""The mediators' tablet app under /tablette/: the page, its data, its sync endpoint.

The page is a shell that renders from /tablette/api/jour/; the service worker served at
/tablette/sw.js caches both, and the records made offline go to /tablette/sync/.
"""

import json

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from mediation.json_api import JsonBodyError, json_body, json_error
from mediation.roles import is_coordinator, is_mediator
from sessions import models
from sessions.attendance import tablet_day_payload, tablets_as_data
from sessions.sync import SyncError, attendance_sync_batch
from tablets.models import Tablet
from tablets.services import tablet_record_reset

TABLET_LOGIN_URL = "/tablette/connexion/"
# Bump when the shell's files change, so the service worker drops its old cache.
APP_VERSION = "1"
# A full batch (sessions.sync.MAX_BATCH_SIZE records of at most a few hundred bytes each).
SYNC_MAX_BYTES = 2 * 1024 * 1024


def _is_staff_on_the_tour(user) -> bool:
    return user.is_authenticated and (is_coordinator(user) or is_mediator(user))


class TabletLoginView(auth_views.LoginView):
    template_name = "sessions/tablet/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        return reverse("tablet_app")


def _choices(choices) -> list[dict]:
    return [{"value": value, "label": str(label)} for value, label in choices]


def _labels() -> dict:
    """The app's words, translated here so that the JavaScript needs no catalogue."""
    return {
        "loading": _("Loading…"),
        "no_stop": _("No stop is planned for you today."),
        "no_registration": _("Nobody has signed up yet."),
        "present": _("Present"),
        "absent": _("Absent"),
        "not_marked": _("Not marked yet"),
        "saved_on_tablet": _("Saved on this tablet"),
        "sent_to_server": _("Sent to the server"),
        "refused": _("Refused by the server"),
        "walk_in": _("walk-in"),
        "waiting_list": _("waiting list"),
        "details": _("Outcomes and details"),
        "outcomes": _("Outcomes reached"),
        "tablet": _("Lending tablet used"),
        "no_tablet": _("No lending tablet"),
        "to_reset": _("to be reset"),
        "minutes": _("Time spent (minutes)"),
        "note": _("Note"),
        "autonomy": _("Autonomy reached"),
        "equipment": _("Equipment used"),
        "redirection": _("Redirected to"),
        "first_visit": _("First visit"),
        "age_bracket": _("Age bracket (optional)"),
        "situation": _("Situation (optional)"),
        "not_said": _("Not said"),
        "add_walk_in": _("Add a walk-in"),
        "first_name": _("First name"),
        "commune": _("Commune"),
        "phone_optional": _("Phone (optional)"),
        "add": _("Add"),
        "unknown_commune": _("Pick a commune from the list."),
        "online": _("Online"),
        "offline": _("Offline: everything is kept on this tablet"),
        "pending": _("Records waiting to be sent:"),
        "send_now": _("Send now"),
        "reconnect": _("Your session has expired: sign in again to send the records."),
        "seats": _("seats"),
        "offline_ready": _("This page works without a signal."),
        "lending_tablets": _("Lending tablets to reset"),
        "none_to_reset": _("Every lending tablet is ready for the next resident."),
        "reset_done": _("Tablet reset"),
        "reset_needs_signal": _("Recording a reset needs a signal: try again in a moment."),
    }


@login_required(login_url=TABLET_LOGIN_URL)
@require_GET
def tablet_app(request: HttpRequest) -> HttpResponse:
    if not _is_staff_on_the_tour(request.user):
        return render(request, "sessions/tablet/forbidden.html", status=403)
    config = {
        "dayUrl": reverse("tablet_day"),
        "syncUrl": reverse("tablet_sync"),
        "resetUrl": reverse("tablet_reset", args=[0]),
        "swUrl": reverse("tablet_sw"),
        "scope": reverse("tablet_app"),
        "loginUrl": TABLET_LOGIN_URL,
        "choices": {
            "autonomy": _choices(models.Autonomy.choices),
            "equipment": _choices(models.Equipment.choices),
            "redirection": _choices(models.Redirection.choices),
            "age_bracket": _choices(models.AgeBracket.choices),
            "situation": _choices(models.Situation.choices),
        },
        "labels": _labels(),
    }
    return render(request, "sessions/tablet/app.html", {"config": config})


@never_cache
@require_GET
def tablet_day(request: HttpRequest) -> JsonResponse:
    if not request.user.is_authenticated:
        return json_error(401, "not_authenticated", _("Sign in first."))
    if not _is_staff_on_the_tour(request.user):
        return json_error(403, "forbidden", _("This app is for mediators and coordinators."))
    day = timezone.localdate()
    return JsonResponse(tablet_day_payload(user=request.user, day=day))


@never_cache
@require_POST
def tablet_sync(request: HttpRequest) -> JsonResponse:
    """Take a batch {"records": [...]} and answer {"results": [...]}, one per record."""
    if not request.user.is_authenticated:
        return json_error(401, "not_authenticated", _("Sign in first."))
    if not _is_staff_on_the_tour(request.user):
        return json_error(403, "forbidden", _("This app is for mediators and coordinators."))
    try:
        body = json_body(request, max_bytes=SYNC_MAX_BYTES)
    except JsonBodyError as error:
        return json_error(400, error.code, str(error))
    if not isinstance(body, dict) or "records" not in body:
        return json_error(
            400, "missing_records", _('The body must be an object with a "records" list.')
        )
    try:
        results = attendance_sync_batch(user=request.user, records=body["records"])
    except SyncError as error:
        return json_error(400, error.code, str(error))
    return JsonResponse({"results": results})


@never_cache
@require_POST
def tablet_reset(request: HttpRequest, pk: int) -> JsonResponse:
    """The mediator wiped a lending tablet (accounts signed out, browser data cleared)."""
    if not request.user.is_authenticated:
        return json_error(401, "not_authenticated", _("Sign in first."))
    if not _is_staff_on_the_tour(request.user):
        return json_error(403, "forbidden", _("This app is for mediators and coordinators."))
    tablet = Tablet.objects.filter(pk=pk).first()
    if tablet is None:
        return json_error(404, "unknown_tablet", _("There is no such tablet."))
    try:
        body = json_body(request, empty={})
    except JsonBodyError as error:
        return json_error(400, error.code, str(error))
    factory_reset = isinstance(body, dict) and body.get("factory_reset") is True
    tablet_record_reset(tablet=tablet, by=request.user, factory_reset=factory_reset)
    return JsonResponse({"tablets": tablets_as_data()})


@require_GET
def tablet_service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served from /tablette/ so that its scope covers the app."""
    response = render(
        request,
        "sessions/tablet/sw.js",
        {
            "version": APP_VERSION,
            "shell_json": json.dumps(
                [
                    reverse("tablet_app"),
                    reverse("tablet_day"),
                    static("sessions/tablet/app.js"),
                    static("sessions/tablet/app.css"),
                ]
            ),
            "static_prefix": static("sessions/tablet/"),
            "login_url": TABLET_LOGIN_URL,
        },
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = reverse("tablet_app")
    # A stale worker would keep serving an old shell: browsers must always ask again.
    response["Cache-Control"] = "no-cache"
    return response
