"""Back-office screens of messages: a registration's message log, a message to a stop.

Registered by sessions/wagtail_hooks.py (the button) and sessions/backoffice/urls.py.

The log is shown to the staff who may see the registration (coordinators; mediators for
the stops they run); a message to a stop is sent by a coordinator or one of the stop's
mediators, after a preview of who receives it and what it costs in SMS.
"""

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import ListingButton

from mediation.models import Stop, StopStatus
from mediation.roles import is_coordinator
from mediation.templatetags.french_dates import hour
from sessions.backoffice.errors import error_message
from sessions.broadcasts import (
    MAX_TEXT_LENGTH,
    BroadcastError,
    broadcast_allowed,
    broadcast_preview,
    broadcast_send,
)
from sessions.contacts import display_phone
from sessions.message_models import Broadcast, MessageState, OutboundMessage, SmsOptOut
from sessions.messaging import messages_send_again, messages_to_send_again
from sessions.models import Registration, Workshop


def registration_visible_to(user, registration: Registration) -> bool:
    """Coordinators see every registration; a mediator, those of the stops they run."""
    if not user.has_perm("workshops.view_registration"):
        return False
    if is_coordinator(user):
        return True
    return registration.workshop.stop.mediators.filter(pk=user.pk).exists()


@require_http_methods(["GET", "HEAD"])
@permission_required("workshops.view_registration", raise_exception=True)
def registration_messages_view(request, registration_pk: int):
    registration = get_object_or_404(
        Registration.objects.select_related("workshop__module", "workshop__stop__commune"),
        pk=registration_pk,
    )
    if not registration_visible_to(request.user, registration):
        raise PermissionDenied
    return render(
        request,
        "sessions/backoffice/registration_messages.html",
        {
            "registration": registration,
            "log": OutboundMessage.objects.for_registration(registration),
            # Said here, where staff look for why no SMS left: STOP, or the provider's refusal.
            "opt_out": SmsOptOut.of(registration.phone),
        },
    )


class BroadcastForm(forms.Form):
    text = forms.CharField(
        label=_("Message"),
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_TEXT_LENGTH}),
        help_text=_("Short and plain: for example, the van will be 30 minutes late."),
    )
    workshop = forms.ModelChoiceField(
        label=_("Only the registrants of"),
        queryset=Workshop.objects.none(),
        required=False,
        empty_label=_("every workshop of the stop"),
    )
    uuid = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, stop: Stop, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workshop"].queryset = stop.workshops.select_related("module", "stop")
        self.fields["workshop"].label_from_instance = lambda workshop: (
            f"{workshop.module.title}, {hour(workshop.start_time)}"
        )


@require_http_methods(["GET", "POST"])
@permission_required("workshops.view_registration", raise_exception=True)
def stop_broadcast_view(request, stop_pk: int):
    """GET: write; POST `preview`: who and how many SMS; POST `send`: queue it (once)."""
    stop = get_object_or_404(Stop.objects.select_related("commune"), pk=stop_pk)
    if not broadcast_allowed(request.user, stop):
        raise PermissionDenied
    form = BroadcastForm(request.POST or None, stop=stop, initial={"uuid": uuid.uuid4()})
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if request.POST.get("action") == "send" and not _as_previewed(request.POST, data):
                # Changed since the preview (text or workshop): what would leave, to whom and
                # at what cost is not what was read. Shown again, sent on the next click.
                messages.warning(
                    request, _("You changed the message: read the preview again, then send.")
                )
            elif request.POST.get("action") == "send":
                broadcast, created = broadcast_send(
                    uuid=data["uuid"],
                    stop=stop,
                    workshop=data["workshop"],
                    text=data["text"],
                    by=request.user,
                )
                if created:
                    messages.success(
                        request,
                        ngettext(
                            "Your message is on its way to %(count)s registrant.",
                            "Your message is on its way to %(count)s registrants.",
                            broadcast.recipients,
                        )
                        % {"count": broadcast.recipients},
                    )
                else:
                    messages.info(request, _("This message was already sent."))
                return redirect("workshops_stop_broadcast", stop_pk=stop.pk)
            preview = broadcast_preview(stop=stop, workshop=data["workshop"], text=data["text"])
        except BroadcastError as error:
            form.add_error("text", error_message(error))
    return render(
        request,
        "sessions/backoffice/stop_broadcast.html",
        {
            "stop": stop,
            "form": form,
            "preview": preview,
            # The number as it is dialled and read: "03 22 71 80 00".
            "to_call": [
                (registrant, display_phone(registrant.phone)) for registrant in preview.to_call
            ]
            if preview
            else [],
            "sent": Broadcast.objects.filter(stop=stop).select_related("workshop__module"),
        },
    )


def _as_previewed(post, data) -> bool:
    """The text and the workshop are those of the preview the form was sent from."""
    workshop = data["workshop"]
    return " ".join(post.get("previewed", "").split()) == " ".join(data["text"].split()) and (
        post.get("previewed_workshop", "") == (str(workshop.pk) if workshop else "")
    )


def stop_broadcast_button(snippet, user, next_url=None):
    if (
        isinstance(snippet, Stop)
        and snippet.status != StopStatus.CANCELLED
        and snippet.date >= timezone.localdate()
        and broadcast_allowed(user, snippet)
    ):
        yield ListingButton(
            _("Message the registrants"),
            url=reverse("workshops_stop_broadcast", args=[snippet.pk]),
            icon_name="mail",
            priority=40,
        )


# Messages that did not leave, or not yet: what coordinators watch (a bad key, no credit).
UNDELIVERED = [MessageState.FAILED, MessageState.RETRYING, MessageState.SKIPPED]


@require_http_methods(["GET", "HEAD"])
def undelivered_messages_view(request):
    """Every message that failed, waits for a retry or was not sent, newest first."""
    if not is_coordinator(request.user):
        raise PermissionDenied
    log = OutboundMessage.objects.filter(state__in=UNDELIVERED).select_related(
        "registration__workshop__module", "registration__workshop__stop__commune"
    )[:200]
    # As many as "send again" would queue: not a code asked for at the time, nor a copy an
    # erasure emptied.
    failed = len(messages_to_send_again(now=timezone.now()))
    return render(
        request,
        "sessions/backoffice/undelivered_messages.html",
        {"log": log, "failed": failed},
    )


@require_POST
def messages_send_again_view(request):
    """ "Send again": the week's failed messages, once the key, the credit or the relay is
    fixed (the worker gave up after its attempts)."""
    if not is_coordinator(request.user):
        raise PermissionDenied
    count = messages_send_again()
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)s message is sent again.", "%(count)s messages are sent again.", count
            )
            % {"count": count},
        )
    else:
        messages.info(request, _("No failed message to send again."))
    return redirect("workshops_undelivered_messages")


class UndeliveredMessagesMenuItem(MenuItem):
    def is_shown(self, request):
        return is_coordinator(request.user)


def undelivered_messages_menu_item() -> UndeliveredMessagesMenuItem:
    return UndeliveredMessagesMenuItem(
        _("Messages not sent"),
        reverse("workshops_undelivered_messages"),
        icon_name="mail",
        order=216,
    )
