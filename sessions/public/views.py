"""Public pages of the sign-up: the form, the confirmation, the personal link page."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from sessions.contacts import can_receive_sms, is_abroad, unreached
from sessions.links import (
    PersonalLinkError,
    personal_link,
    registration_from_short_token,
    registration_from_token,
)
from sessions.models import RegistrationStatus, Workshop
from sessions.public.errors import SERVICE_ERRORS
from sessions.public.forms import RegistrationForm
from sessions.public.ratelimit import rate_limit_allows
from sessions.public.sent_twice import submission_key
from sessions.services import (
    RegistrationError,
    registration_cancel,
    registration_create,
    registration_sent_again,
    workshop_signup_state,
)

# Generous enough for a town-hall PC signing up a few residents, not for a script.
SIGNUP_LIMIT = 10
SIGNUP_WINDOW_SECONDS = 600


def _signup_workshop(workshop_pk: int) -> Workshop:
    return get_object_or_404(
        Workshop.objects.select_related("stop__commune", "module"), pk=workshop_pk
    )


def _signup_page(
    request: HttpRequest,
    workshop: Workshop,
    form: RegistrationForm | None,
    status: int = 200,
    *,
    rate_limited: bool = False,
) -> HttpResponse:
    state = workshop_signup_state(workshop)
    if state != "open":
        form, status = None, 200  # closed (or cancelled) meanwhile: the page says so
    context = {
        "workshop": workshop,
        "stop": workshop.stop,
        "module": workshop.module,
        "state": state,
        "form": form,
        "rate_limited": rate_limited,
    }
    return render(request, "sessions/public/signup.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest, workshop_pk: int) -> HttpResponse:
    if request.method == "POST":
        return _signup_post(request, workshop_pk)
    workshop = _signup_workshop(workshop_pk)
    form = RegistrationForm(initial={"home_commune": workshop.stop.commune.name})
    return _signup_page(request, workshop, form)


def _signup_post(request: HttpRequest, workshop_pk: int) -> HttpResponse:
    """A sign-up that goes through never reads the workshop's page data: the service locks
    the workshop and reads there what it checks (open, not cancelled) and what the personal
    link needs. The workshop, its stop and its module are read only to answer a refusal."""
    if not rate_limit_allows(
        request, scope="signup", limit=SIGNUP_LIMIT, window=SIGNUP_WINDOW_SECONDS
    ):
        # The form comes back as typed: a town-hall PC signing up its tenth resident in
        # ten minutes tries again later, or calls, without typing it all again.
        workshop = _signup_workshop(workshop_pk)
        return _signup_page(
            request, workshop, RegistrationForm(request.POST), status=429, rate_limited=True
        )
    form = RegistrationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        key = submission_key(request, "signup", workshop_pk)
        try:
            registration = registration_create(
                workshop=workshop_pk,
                first_name=data["first_name"],
                last_name=data["last_name"],
                phone=data["phone"],
                email=data["email"],
                home_commune=data["home_commune"],
                needs=data["needs"],
                waiting_list_ok=data["waiting_list_ok"],
                consent=data["consent"],
                submission_key=key,
            )
        except Workshop.DoesNotExist as error:
            raise Http404 from error
        except RegistrationError as error:
            sent_before = (
                registration_sent_again(
                    workshop=workshop_pk,
                    submission_key=key,
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    phone=data["phone"],
                    email=data["email"],
                    needs=data["needs"],
                    home_commune=data["home_commune"],
                )
                if error.code == "duplicate"
                else None
            )
            if sent_before is not None:
                # This form, sent a second time: what the first sending showed, with what
                # she corrected before sending it again.
                token = personal_link(sent_before).token
                return redirect("workshops:registration_confirmation", token=token)
            field, message = SERVICE_ERRORS.get(error.code, (None, str(error)))
            if field == "phone" and not data["phone"]:
                field = "email"  # next to the contact given, not under an empty field
            form.add_error(field, message)
        else:
            token = personal_link(registration).token
            return redirect("workshops:registration_confirmation", token=token)
    return _signup_page(
        request, _signup_workshop(workshop_pk), form, status=400 if form.is_spam else 200
    )


def _link_error(request: HttpRequest, error: PersonalLinkError) -> HttpResponse:
    # Gone for good (the workshop is over, the data erased); else not found.
    status = 410 if error.code in {"expired", "erased"} else 404
    return render(request, "sessions/public/link_invalid.html", {"code": error.code}, status=status)


def _registration_page(request: HttpRequest, token: str, *, just_registered: bool):
    try:
        registration = registration_from_token(token)
    except PersonalLinkError as error:
        return _link_error(request, error)
    workshop = registration.workshop
    # A landline or a number that answered STOP, and no e-mail: no message went, and no
    # reminder will. A mobile among them answered STOP.
    reached_by_message = not unreached([registration])
    sms_refused = not reached_by_message and can_receive_sms(registration.phone)
    number_abroad = not reached_by_message and is_abroad(registration.phone)
    return render(
        request,
        "sessions/public/registration.html",
        {
            "registration": registration,
            "workshop": workshop,
            "stop": workshop.stop,
            "module": workshop.module,
            "token": token,
            "just_registered": just_registered,
            "reached_by_message": reached_by_message,
            "sms_refused": sms_refused,
            "number_abroad": number_abroad,
            "waiting_position": registration.waiting_position(),
            "can_cancel": registration.status != RegistrationStatus.CANCELLED
            and not workshop.stop.is_cancelled
            and timezone.now() < workshop.starts_at,
        },
    )


# The personal pages (and the redirect to one) are never stored: on the town hall's shared
# PC, the next resident pressing "Back" must not find the previous one's registration.
@never_cache
@require_http_methods(["GET", "HEAD"])
def registration_confirmation(request: HttpRequest, token: str) -> HttpResponse:
    return _registration_page(request, token, just_registered=True)


@never_cache
@require_http_methods(["GET", "HEAD"])
def registration_detail(request: HttpRequest, token: str) -> HttpResponse:
    return _registration_page(request, token, just_registered=False)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def registration_cancel_view(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm (mail scanners that open links must not cancel); POST cancels."""
    try:
        registration = registration_from_token(token)
    except PersonalLinkError as error:
        return _link_error(request, error)
    error_code = None
    if (
        registration.status != RegistrationStatus.CANCELLED
        and timezone.now() >= registration.workshop.starts_at
    ):
        # Said before the button, not after it: the service refuses a resident then.
        error_code = "too_late"
    elif request.method == "POST":
        try:
            registration_cancel(registration=registration)
        except RegistrationError as error:
            if error.code != "already_cancelled":
                error_code = error.code
        if error_code is None:
            return redirect("workshops:registration_detail", token=token)
    workshop = registration.workshop
    return render(
        request,
        "sessions/public/registration_cancel.html",
        {
            "registration": registration,
            "workshop": workshop,
            "stop": workshop.stop,
            "module": workshop.module,
            "token": token,
            "error_code": error_code,
        },
        status=409 if error_code and request.method == "POST" else 200,
    )


@never_cache
@require_http_methods(["GET", "HEAD"])
def short_link(request: HttpRequest, token: str) -> HttpResponse:
    """`/r/<token>` from an SMS: on to the registration's page (its signed link)."""
    try:
        registration = registration_from_short_token(token)
    except PersonalLinkError as error:
        return _link_error(request, error)
    return redirect("workshops:registration_detail", token=personal_link(registration).token)
