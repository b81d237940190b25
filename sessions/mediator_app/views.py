"""The mediators' app under /tablette/: the page, its data, its sync endpoint.

The page is a shell that renders from the day's data (JSON); the service worker, served
beside the page so that its scope covers it, caches both, and the records made offline
are posted in batches to the sync endpoint. The URL names are in mediator_app/urls.py.
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
from django.views.decorators.http import require_GET, require_POST

from mediation.models import Branding
from sessions.mediator_app.decorators import (
    is_staff_on_the_tour,
    json_body,
    json_error,
    staff_json_endpoint,
)
from sessions.mediator_app.installable import ICON_SIZES, app_version, manifest
from sessions.mediator_app.labels import app_choices, app_labels
from sessions.mediator_app.roster import day_payload, tablets_as_data
from sessions.mediator_app.sync import SyncError, attendance_sync_batch
from tablets.models import Tablet
from tablets.services import tablet_record_reset

LOGIN_URL = "mediator_app:login"
# A full batch (sync.MAX_BATCH_SIZE records of at most a few hundred bytes each).
SYNC_MAX_BYTES = 2 * 1024 * 1024


class MediatorLoginView(auth_views.LoginView):
    template_name = "sessions/mediator_app/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        return reverse("mediator_app:home")


@login_required(login_url=LOGIN_URL)
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if not is_staff_on_the_tour(request.user):
        return render(request, "sessions/mediator_app/forbidden.html", status=403)
    config = {
        "dayUrl": reverse("mediator_app:day"),
        "syncUrl": reverse("mediator_app:sync"),
        "swUrl": reverse("mediator_app:service_worker"),
        "scope": reverse("mediator_app:home"),
        "loginUrl": reverse(LOGIN_URL),
        # Whose records this page sends (a tablet is shared by the van's mediators).
        "user": request.user.pk,
        "choices": app_choices(),
        "labels": app_labels(),
    }
    return render(request, "sessions/mediator_app/app.html", {"config": config})


@require_GET
@staff_json_endpoint
def day(request: HttpRequest) -> JsonResponse:
    return JsonResponse(day_payload(user=request.user, day=timezone.localdate()))


@require_POST
@staff_json_endpoint
def sync(request: HttpRequest) -> JsonResponse:
    """Take a batch {"records": [...]} and answer {"results": [...]}, one per record."""
    body = json_body(request, max_bytes=SYNC_MAX_BYTES)
    if not isinstance(body, dict) or "records" not in body:
        return json_error(
            400, "missing_records", _('The body must be an object with a "records" list.')
        )
    try:
        results = attendance_sync_batch(user=request.user, records=body["records"])
    except SyncError as error:
        return json_error(400, error.code, str(error))
    return JsonResponse({"results": results})


@require_POST
@staff_json_endpoint
def lending_tablet_reset(request: HttpRequest, pk: int) -> JsonResponse:
    """The mediator wiped a lending tablet (accounts signed out, browser data cleared)."""
    tablet = Tablet.objects.filter(pk=pk).first()
    if tablet is None:
        return json_error(404, "unknown_tablet", _("There is no such tablet."))
    body = json_body(request, empty={})
    factory_reset = isinstance(body, dict) and body.get("factory_reset") is True
    tablet_record_reset(tablet=tablet, by=request.user, factory_reset=factory_reset)
    return JsonResponse({"tablets": tablets_as_data()})


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served beside the page so that its scope covers the app."""
    response = render(
        request,
        "sessions/mediator_app/sw.js",
        {
            "version": app_version(),
            "shell_json": json.dumps(
                [
                    reverse("mediator_app:home"),
                    reverse("mediator_app:day"),
                    static("sessions/mediator_app/app.js"),
                    static("sessions/mediator_app/app.css"),
                    reverse("mediator_app:manifest"),
                    *(static(f"sessions/mediator_app/icon-{size}.png") for size in ICON_SIZES),
                ]
            ),
            "static_prefix": static("sessions/mediator_app/"),
            "login_url": reverse(LOGIN_URL),
            "sw_url": reverse("mediator_app:service_worker"),
        },
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = reverse("mediator_app:home")
    # A stale worker would keep serving an old shell: browsers must always ask again.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def web_app_manifest(request: HttpRequest) -> HttpResponse:
    branding = Branding.load()
    response = JsonResponse(
        manifest(site_name=branding.site_name, colour=branding.primary_colour or "#00527a"),
        json_dumps_params={"ensure_ascii": False},
    )
    response["Content-Type"] = "application/manifest+json"
    return response
