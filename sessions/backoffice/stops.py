"""Stops in the back-office: cancelling one (its button or its form), moving one (who to tell)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods
from wagtail.admin import messages as admin_messages

from mediation.models import Stop, StopStatus
from sessions.backoffice.errors import error_message
from sessions.contacts import display_phone, unreached
from sessions.models import Registration, RegistrationStatus, Workshop
from sessions.services import RegistrationError, stop_cancel, stop_registrations_cancel


class StopCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, told to every registrant"),
        max_length=300,
        help_text=_("For example: the van is broken down."),
    )


@require_http_methods(["GET", "POST"])
@permission_required("mediation.change_stop", raise_exception=True)
def stop_cancel_view(request, stop_pk: int):
    stop = get_object_or_404(Stop.objects.select_related("commune"), pk=stop_pk)
    registrants = list(
        Registration.objects.active()
        .filter(workshop__stop=stop)
        .select_related("workshop__module")
        .order_by("workshop__start_time", "last_name", "first_name", "pk")
    )
    # A landline given over the phone, or a number that answered STOP, gets no SMS: those
    # without an e-mail are not "told", staff call them (named, with their number).
    to_call = unreached(registrants)
    form = StopCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            count = stop_cancel(stop=stop, reason=form.cleaned_data["reason"], by=request.user)
        except RegistrationError as error:
            messages.error(request, error_message(error))
        else:
            messages.success(
                request,
                ngettext(
                    "The stop is cancelled; %(count)s registrant is being told.",
                    "The stop is cancelled; %(count)s registrants are being told.",
                    count,
                )
                % {"count": count},
            )
        return redirect("wagtailsnippets_mediation_stop:list")
    return render(
        request,
        "sessions/backoffice/stop_cancel.html",
        {
            "stop": stop,
            "form": form,
            "registrants": len(registrants) - len(to_call),
            "unreachable": len(to_call),
            # The number as it is dialled and read: "03 22 71 80 00".
            "to_call": [(registrant, display_phone(registrant.phone)) for registrant in to_call],
        },
    )


def tell_registrants_of_a_stop_cancelled_in_its_form(request, instance):
    """A stop set to "cancelled" in its edit form tells its registrants, like the button does."""
    if isinstance(instance, Stop) and instance.status == StopStatus.CANCELLED:
        count = stop_registrations_cancel(stop=instance)
        if count:
            messages.info(
                request,
                ngettext(
                    "%(count)s registrant of this stop is being told.",
                    "%(count)s registrants of this stop are being told.",
                    count,
                )
                % {"count": count},
            )


WORKSHOP_FIELDS_REGISTRANTS_KNOW = {"stop", "start_time", "end_time"}


def warn_that_registrants_were_not_told_of_a_change(request, instance):
    """A stop or workshop moved in its form: nobody is told, so the coordinator must be.

    Saving does not message anyone (a coordinator may fix a typo, or move things twice);
    the message to the stop's registrants is one button away.
    """
    changed = getattr(instance, "changed_in_form", frozenset())
    if isinstance(instance, Stop) and changed & Stop.FIELDS_REGISTRANTS_KNOW:
        stop, registrants = instance, Registration.objects.filter(workshop__stop=instance)
    elif isinstance(instance, Workshop) and changed & WORKSHOP_FIELDS_REGISTRANTS_KNOW:
        stop, registrants = instance.stop, Registration.objects.filter(workshop=instance)
    else:
        return
    if stop.status == StopStatus.CANCELLED or stop.date < timezone.localdate():
        return
    count = registrants.active().count()
    if not count:
        return
    admin_messages.warning(
        request,
        ngettext(
            "%(count)s registrant has not been told of this change: send them a message.",
            "%(count)s registrants have not been told of this change: send them a message.",
            count,
        )
        % {"count": count},
        buttons=[
            admin_messages.button(
                reverse("workshops_stop_broadcast", args=[stop.pk]), _("Message the registrants")
            )
        ],
    )


def warn_before_changing_what_registrants_know(request, instance):
    """On opening a stop's or workshop's form (GET) with people signed up: saving a new day,
    hour or place tells nobody, cancelling the stop does; said before, not only after."""
    if request.method != "GET":
        return None
    if isinstance(instance, Stop):
        stop, registrants = instance, Registration.objects.filter(workshop__stop=instance)
    elif isinstance(instance, Workshop):
        stop, registrants = instance.stop, Registration.objects.filter(workshop=instance)
    else:
        return None
    if stop.status == StopStatus.CANCELLED or stop.date < timezone.localdate():
        return None
    count = registrants.active().count()
    if count:
        admin_messages.warning(
            request,
            ngettext(
                "%(count)s person is signed up: a new day, hour or place saved here is told to "
                "nobody (send them a message); cancelling the stop tells them.",
                "%(count)s people are signed up: a new day, hour or place saved here is told "
                "to nobody (send them a message); cancelling the stop tells them.",
                count,
            )
            % {"count": count},
            buttons=[
                admin_messages.button(
                    reverse("workshops_stop_broadcast", args=[stop.pk]),
                    _("Message the registrants"),
                )
            ],
        )
    return None


def refuse_to_delete_what_residents_count_on(request, instances):
    """No deleting a stop or workshop people signed up for, or came to (one or several at once).

    Deleting would take their registrations with it, without a word to them, and the
    attendance the reports count. Cancelling the stop tells them and keeps the figures.
    """
    for instance in instances:
        if isinstance(instance, Stop):
            people = Registration.objects.filter(workshop__stop=instance)
            advice = _("Cancel the stop instead: its registrants are told.")
        elif isinstance(instance, Workshop):
            people = Registration.objects.filter(workshop=instance)
            advice = _("Cancel their registrations first: they are told.")
        else:
            continue
        # Cancelled registrations nobody came for may go; any other is someone's.
        count = people.exclude(status=RegistrationStatus.CANCELLED, attendance__isnull=True).count()
        if count:
            messages.error(
                request,
                ngettext(
                    "%(object)s cannot be deleted: %(count)s person signed up for it or came.",
                    "%(object)s cannot be deleted: %(count)s people signed up for it or came.",
                    count,
                )
                % {"object": instance, "count": count}
                + " "
                + advice,
            )
            return redirect(instance.snippet_viewset.get_url_name("list"))
    return None
