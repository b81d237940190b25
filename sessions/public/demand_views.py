"""Public pages of "Prévenez-moi" and "Faites venir le bus": the forms' answers and the links.

The forms themselves sit on the commune page; a form with errors comes back on a page of its
own, next to the fields. Links in messages (confirm, unsubscribe) ask for a button press
before they act, so that mail scanners opening them change nothing; the unsubscribe URL also
takes the mail client's one-click POST (the List-Unsubscribe headers, RFC 8058).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from mediation.models import Commune
from mediation.templatetags.phones import unbreakable
from sessions.alerts import (
    AlertError,
    stop_alert_code_resend,
    stop_alert_confirm,
    stop_alert_create,
    stop_alert_sent_by_form,
    stop_alert_unsubscribe,
)
from sessions.bus_requests import BusRequestError, bus_request_create
from sessions.contacts import display_phone
from sessions.demand_models import StopAlert
from sessions.public.demand_forms import AlertCodeForm, BusRequestForm, StopAlertForm
from sessions.public.errors import (
    ALERT_ERRORS,
    BUS_REQUEST_ERRORS,
    CODE_ERRORS,
    FORM_REFUSED,
    TOO_MANY_CODES,
)
from sessions.public.ratelimit import contact_rate_limit_allows, rate_limit_allows
from sessions.public.sent_twice import submission_key

# Like the sign-up form: enough for a town-hall PC helping a few residents, not for a script.
FORM_LIMIT = 10
FORM_WINDOW_SECONDS = 600
# Codes and links sent to one phone or e-mail, whatever the address asking: a resident whose
# code did not come asks again once or twice; a stranger cannot text someone all day.
CONTACT_CODE_LIMIT = 3
CONTACT_CODE_WINDOW_SECONDS = 3600


def _commune(slug: str) -> Commune:
    return get_object_or_404(Commune, slug=slug)


def _another_code_allowed(contact: str) -> bool:
    """Counts a code or link sent to this phone or e-mail: the first, and any new one."""
    return contact_rate_limit_allows(
        scope="alert_code",
        contact=contact,
        limit=CONTACT_CODE_LIMIT,
        window=CONTACT_CODE_WINDOW_SECONDS,
    )


def _rate_limited(request: HttpRequest, commune: Commune) -> HttpResponse | None:
    if rate_limit_allows(request, scope="demand", limit=FORM_LIMIT, window=FORM_WINDOW_SECONDS):
        return None
    return render(
        request, "sessions/public/demand_rate_limited.html", {"commune": commune}, status=429
    )


@require_http_methods(["GET", "HEAD", "POST"])
def alert_create(request: HttpRequest, slug: str) -> HttpResponse:
    commune = _commune(slug)
    if request.method != "POST":
        return render(
            request,
            "sessions/public/alert_form.html",
            {"commune": commune, "form": StopAlertForm()},
        )
    if refused := _rate_limited(request, commune):
        return refused
    form = StopAlertForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        contact_field = "phone" if data["phone"] else "email"
        key = submission_key(request, "alert", commune.pk)
        sent_before = stop_alert_sent_by_form(
            commune=commune, submission_key=key, phone=data["phone"], email=data["email"]
        )
        # A code already went for this form: sending it again counts no other.
        if sent_before is None and not _another_code_allowed(data[contact_field]):
            form.add_error(contact_field, TOO_MANY_CODES)
            return render(
                request,
                "sessions/public/alert_form.html",
                {"commune": commune, "form": form},
                status=429,
            )
        try:
            alert = stop_alert_create(
                commune=commune,
                radius_km=data["radius_km"],
                phone=data["phone"],
                email=data["email"],
                consent=data["consent"],
                submission_key=key,
            )
        except AlertError as error:
            field, message = ALERT_ERRORS.get(error.code, (None, FORM_REFUSED))
            form.add_error(field, message)
        else:
            if alert.by_sms:
                return redirect("workshops:alert_code", key=alert.key)
            # The link is only in the e-mail: whoever typed the address cannot confirm it.
            return render(
                request,
                "sessions/public/alert_check_email.html",
                {"commune": commune, "alert": alert},
            )
    status = 400 if form.is_spam else 200
    return render(
        request,
        "sessions/public/alert_form.html",
        {"commune": commune, "form": form},
        status=status,
    )


def _alert_or_404(key: str, *, by_sms: bool | None = None) -> StopAlert:
    alerts = StopAlert.objects.select_related("commune")
    if by_sms is True:
        alerts = alerts.exclude(phone="")
    elif by_sms is False:
        alerts = alerts.exclude(email="")
    return get_object_or_404(alerts, key=key)


@never_cache  # a personal page, like the registration's
@require_http_methods(["GET", "HEAD", "POST"])
def alert_code(request: HttpRequest, key: str) -> HttpResponse:
    alert = _alert_or_404(key, by_sms=True)
    form = AlertCodeForm(request.POST or None)
    if alert.is_confirmed:
        return render(request, "sessions/public/alert_confirmed.html", {"alert": alert})
    if request.method == "POST" and form.is_valid():
        try:
            stop_alert_confirm(alert=alert, code=form.cleaned_data["code"])
        except AlertError as error:
            form.add_error("code", CODE_ERRORS.get(error.code, FORM_REFUSED))
        else:
            return redirect("workshops:alert_code", key=alert.key)
    return _alert_code_page(request, alert, form)


def _alert_code_page(request, alert, form, *, resent=False, resend_error="", status=200):
    return render(
        request,
        "sessions/public/alert_code.html",
        {
            "alert": alert,
            "form": form,
            "phone": unbreakable(display_phone(alert.phone)),
            "resent": resent,
            "resend_error": resend_error,
        },
        status=status,
    )


@never_cache
@require_http_methods(["POST"])
def alert_code_resend(request: HttpRequest, key: str) -> HttpResponse:
    """ "Code pas reçu ?": a new code to the same phone, within the same limits as the first
    (per client, and per phone whatever the client), so that it cannot text anyone at will."""
    alert = _alert_or_404(key, by_sms=True)
    if alert.is_confirmed:
        return redirect("workshops:alert_code", key=alert.key)
    asked = submission_key(request, "alert_code_resend", alert.pk)
    if asked and alert.submission_key == asked:
        # This button, pressed twice: its code went, and no other does.
        return _alert_code_page(request, alert, AlertCodeForm(), resent=True)
    if refused := _rate_limited(request, alert.commune):
        return refused
    if not _another_code_allowed(alert.phone):
        return _alert_code_page(
            request, alert, AlertCodeForm(), resend_error=TOO_MANY_CODES, status=429
        )
    try:
        alert = stop_alert_code_resend(alert=alert, submission_key=asked)
    except AlertError:
        return redirect("workshops:alert_code", key=alert.key)
    return _alert_code_page(request, alert, AlertCodeForm(), resent=True)


@never_cache  # a personal page, like the registration's
@require_http_methods(["GET", "HEAD", "POST"])
def alert_confirm_link(request: HttpRequest, key: str) -> HttpResponse:
    alert = _alert_or_404(key, by_sms=False)
    if request.method == "POST":
        alert = stop_alert_confirm(alert=alert)
    template = "alert_confirmed.html" if alert.is_confirmed else "alert_confirm_link.html"
    return render(request, f"sessions/public/{template}", {"alert": alert})


@never_cache
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def alert_unsubscribe(request: HttpRequest, key: str) -> HttpResponse:
    """GET asks for the button press; any POST unsubscribes: the page's button, and the mail
    client's one-click `List-Unsubscribe=One-Click` (RFC 8058), which carries no CSRF token.
    The unguessable key in the URL is the proof; all a forged POST could do is unsubscribe.
    """
    alert = StopAlert.objects.select_related("commune").filter(key=key).first()
    if alert is None:
        # Already unsubscribed (or purged): say so, the resident wanted exactly this.
        return render(request, "sessions/public/alert_unsubscribed.html", {"commune": None})
    if request.method == "POST":
        stop_alert_unsubscribe(alert=alert)
        return render(
            request, "sessions/public/alert_unsubscribed.html", {"commune": alert.commune}
        )
    return render(request, "sessions/public/alert_unsubscribe.html", {"alert": alert})


@require_http_methods(["GET", "HEAD", "POST"])
def bus_request(request: HttpRequest, slug: str) -> HttpResponse:
    commune = _commune(slug)
    form = BusRequestForm(request.POST or None)
    if request.method == "POST":
        if refused := _rate_limited(request, commune):
            return refused
        if form.is_valid():
            data = form.cleaned_data
            fields = [name for name in form.fields if name not in ("website", "consent")]
            try:
                bus_request_create(
                    commune=commune,
                    consent=data["consent"],
                    submission_key=submission_key(request, "bus_request", commune.pk),
                    **{name: data[name] for name in fields},
                )
            except BusRequestError as error:
                form.add_error(*BUS_REQUEST_ERRORS.get(error.code, (None, FORM_REFUSED)))
            else:
                return redirect("workshops:bus_request_sent", slug=commune.slug)
    status = 400 if form.is_bound and form.is_spam else 200
    return render(
        request,
        "sessions/public/bus_request_form.html",
        {"commune": commune, "form": form},
        status=status,
    )


@require_http_methods(["GET", "HEAD"])
def bus_request_sent(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "sessions/public/bus_request_sent.html", {"commune": _commune(slug)})
