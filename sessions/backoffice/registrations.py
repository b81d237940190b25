"""Registrations in the back-office: staff register a caller, edit details, cancel.

Every write that touches seats goes through sessions.services. Least privilege: a
coordinator sees every registration, a mediator only those of the stops assigned to them
(Registration.objects.visible_to), on every screen: list, search, add, edit, delete, history,
cancel. docs/permissions.md is the matrix; tests/sessions/backoffice/test_permission_matrix.py
checks it row by row.
"""

import contextlib
import functools
import re

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.admin.active_filters import (
    ActiveFilter,
    BaseFilterAdapter,
    register_filter_adapter_class,
)
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import MenuItem

from mediation.backoffice_wording import AddLabelMixin
from mediation.models import StopStatus
from mediation.templatetags.french_dates import longdatetime
from sessions.backoffice.columns import LinesColumn, MenuTitleColumn, PlainColumn
from sessions.backoffice.errors import error_message
from sessions.backoffice.filters import StopCommuneFilter
from sessions.contacts import display_phone, still_to_call, unreached
from sessions.forms import AccessibleErrorsMixin, PersonFieldsMixin, find_commune
from sessions.models import Registration, RegistrationChannel, RegistrationStatus, Workshop
from sessions.services import (
    RegistrationError,
    registration_call_made,
    registration_cancel,
    registration_create,
    registration_move,
    registration_sms_again,
    registration_tell_seat_to_new_contact,
)


class StaffRegistrationCreateForm(AccessibleErrorsMixin, PersonFieldsMixin, WagtailAdminModelForm):
    """What staff type while a resident is on the phone; the service books the seat."""

    waiting_list_ok = forms.BooleanField(
        label=_("Put on the waiting list if the workshop is full"), required=False, initial=True
    )
    home_commune_name = forms.CharField(
        label=_("Commune of residence"),
        required=False,
        help_text=_("Its name or its postal code."),
    )

    class Meta:
        model = Registration
        fields = ["workshop", "first_name", "last_name", "phone", "email", "needs", "channel"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workshop"].queryset = workshops_to_register_for(self.for_user)
        self.fields["workshop"].empty_label = _("Choose one")
        # The same module twice a day at one stop reads the same but for its hour; and
        # whether a seat is left is the caller's first question.
        self.fields["workshop"].label_from_instance = workshop_choice_label
        self.fields["channel"].initial = RegistrationChannel.PHONE

    def clean_home_commune_name(self):
        text = self.cleaned_data["home_commune_name"]
        return find_commune(text) if text.strip() else None

    def validate_unique(self):
        # Duplicates are the service's to refuse, under the workshop lock.
        pass


def workshop_choice_label(workshop: Workshop) -> str:
    if workshop.seats_left:
        seats = ngettext("%(seats)s seat left", "%(seats)s seats left", workshop.seats_left) % {
            "seats": workshop.seats_left
        }
    else:
        seats = _("full: waiting list")
    return f"{workshop_label(workshop)} ({seats})"


def workshop_label(workshop: Workshop) -> str:
    """ "Créer son compte Ameli – Hédauville, mardi 8 décembre 2026, 9 h 30"."""
    return f"{workshop.module.title} – {workshop.stop.commune.name}, {when(workshop)}"


def when(workshop: Workshop) -> str:
    """ "mardi 8 décembre 2026, 9 h 30": the day and hour a caller is told."""
    return longdatetime(workshop.starts_at)


def what_to_tell_the_caller(registration: Registration) -> str:
    """What staff read to the resident on the phone: seat or waiting list, day, hour, place,
    documents to bring (for whom no SMS or e-mail will repeat it)."""
    workshop, stop = registration.workshop, registration.workshop.stop
    values = {
        "name": registration,
        "module": workshop.module.title,
        "when": when(workshop),
        "place": ", ".join(filter(None, [stop.commune.name, stop.place_name, stop.address])),
    }
    if registration.status == RegistrationStatus.WAITING:
        values["position"] = registration.waiting_position()
        text = _(
            "The workshop is full: %(name)s is on the waiting list, in position %(position)s, "
            "for %(module)s, %(when)s, at %(place)s."
        )
    else:
        text = _("Seat confirmed for %(name)s. Tell them: %(module)s, %(when)s, at %(place)s.")
    text %= values
    if documents := workshop.module.document_list:
        text += " " + _("Documents to bring: %(documents)s.") % {
            "documents": "\u202f; ".join(documents)
        }
    return text


def workshops_to_register_for(user):
    """The upcoming workshops of stops not cancelled whose people this staff member sees."""
    return (
        Workshop.objects.with_registrations_visible_to(user)
        .upcoming()
        .exclude(stop__status=StopStatus.CANCELLED)
        .select_related("module", "stop__commune")
    )


class RegistrationMoveForm(AccessibleErrorsMixin, forms.Form):
    workshop = forms.ModelChoiceField(
        label=_("New workshop"), queryset=Workshop.objects.none(), empty_label=_("Choose one")
    )
    waiting_list_ok = forms.BooleanField(
        label=_("Put on the waiting list if the workshop is full"), required=False, initial=True
    )

    def __init__(self, *args, registration: Registration, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["workshop"]
        field.queryset = workshops_to_register_for(user).exclude(pk=registration.workshop_id)
        field.label_from_instance = workshop_choice_label


class StaffRegistrationEditForm(AccessibleErrorsMixin, PersonFieldsMixin, WagtailAdminModelForm):
    """Details only: the workshop and the status change through the services (seats)."""

    class Meta:
        model = Registration
        fields = ["first_name", "last_name", "phone", "email", "home_commune", "needs", "channel"]

    def clean(self):
        # The workshop is not on this form, so Django leaves the database's "one active
        # registration per person and phone / e-mail and workshop" unchecked: the same
        # person twice would be a 500. Said here, next to the field.
        cleaned = super().clean()
        registration = self.instance
        if registration.status == RegistrationStatus.CANCELLED:
            return cleaned
        for field in taken_contacts(registration.workshop_id, cleaned, but=registration.pk):
            self.add_error(field, error_message(RegistrationError("duplicate")))
        return cleaned


def taken_contacts(workshop_id: int, data: dict, *, but: int | None = None) -> list[str]:
    """Which of "phone" and "email" in `data` another active registration of the workshop in
    the same name holds (the database allows each once per person and workshop; a couple
    sharing a landline is two people): the fields to say it by."""
    others = (
        Registration.objects.filter(workshop_id=workshop_id)
        .active()
        .exclude(pk=but)
        .named(data.get("first_name", ""), data.get("last_name", ""))
    )
    return [
        field
        for field in ("phone", "email")
        if data.get(field) and others.filter(**{field: data[field]}).exists()
    ]


def visible_registrations(user):
    """What this staff member may see of the registrations; anonymised ones are no one's."""
    return Registration.objects.visible_to(user).filter(anonymised_at__isnull=True)


class OnlyVisibleRegistrationMixin:
    """For the views on one registration (edit, delete, history, usage, inspect)."""

    def get_object(self, *args, **kwargs):
        registration = super().get_object(*args, **kwargs)
        if not visible_registrations(self.request.user).filter(pk=registration.pk).exists():
            raise Http404
        return registration


class RegistrationEditView(OnlyVisibleRegistrationMixin, generic.EditView):
    def save_instance(self):
        # The form has already set the new values on the instance: the old ones are its initial.
        phone_before, email_before = self.form.initial["phone"], self.form.initial["email"]
        registration = super().save_instance()
        if registration_tell_seat_to_new_contact(
            registration=registration, phone_before=phone_before, email_before=email_before
        ):
            messages.success(self.request, _("The message of the seat they got was sent to them."))
        return registration


class RegistrationHistoryView(OnlyVisibleRegistrationMixin, history.HistoryView):
    pass


class RegistrationUsageView(OnlyVisibleRegistrationMixin, usage.UsageView):
    pass


class RegistrationCreateView(generic.CreateView):
    def get_initial(self):
        initial = super().get_initial()
        if workshop := self.request.GET.get("workshop", "").strip():
            initial["workshop"] = workshop if workshop.isdigit() else None
        return initial

    def save_instance(self):
        data = self.form.cleaned_data
        return registration_create(
            workshop=data["workshop"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            phone=data["phone"],
            email=data["email"],
            home_commune=data["home_commune_name"],
            needs=data["needs"],
            channel=data["channel"],
            waiting_list_ok=data["waiting_list_ok"],
            created_by=self.request.user,
        )

    def get_success_message(self, instance):
        return what_to_tell_the_caller(instance)

    def form_valid(self, form):
        try:
            response = super().form_valid(form)
        except RegistrationError as error:
            if error.code == "duplicate":
                # Said once, by the contact that is taken (a couple's shared phone, often).
                data = form.cleaned_data
                taken = taken_contacts(data["workshop"].pk, data)
                form.add_error("email" if "email" in taken else "phone", error_message(error))
                self.produced_error_message = self.get_error_message()
            else:
                form.add_error(None, error_message(error))
                self.produced_error_message = error_message(error)
            return self.form_invalid(form)
        registration = self.object
        if unreached([registration]):
            # A caller on a landline (or with no number) gets no confirmation, no reminder,
            # no word of a cancelled stop: the one taking the call must say it all now.
            messages.warning(
                self.request,
                _(
                    "No SMS or e-mail will reach %(name)s (a landline, no contact, or SMS "
                    "refused): give them the date, time and place now, and call them if "
                    "anything changes."
                )
                % {"name": registration.first_name},
            )
        return response

    def get_success_url(self):
        return reverse("registrations:index") + f"?workshop={self.object.workshop_id}"


class RegistrationDeleteView(OnlyVisibleRegistrationMixin, generic.DeleteView):
    def delete_action(self):
        # A deleted confirmed registration must give its seat back, like a cancellation.
        if self.object.status != RegistrationStatus.CANCELLED:
            with contextlib.suppress(RegistrationError):
                registration_cancel(registration=self.object, by=self.request.user)
        super().delete_action()


class WorkshopFilter(django_filters.NumberFilter):
    """`?workshop=<id>`, the workshops list's link to its registrations."""


class WorkshopFilterAdapter(BaseFilterAdapter):
    """The filter's chip names the workshop ("Atelier : Créer son compte Ameli – Hédauville,
    mardi 8 décembre 2026, 9 h 30"), not its number (one query, on a filtered page only)."""

    def get_active_filters(self):
        workshop = (
            Workshop.objects.select_related("module", "stop__commune").filter(pk=self.value).first()
        )
        yield ActiveFilter(
            self.bound_field.auto_id,
            self.filter.label,
            workshop_label(workshop) if workshop else str(self.value),
            self.get_url_without_filter_param(self.name),
        )


register_filter_adapter_class(WorkshopFilter, WorkshopFilterAdapter)


class RegistrationFilterSet(WagtailFilterSet):
    """Filters whose choices do not grow with the tour: no list of every workshop.

    The workshops list links here with `?workshop=<id>` (a hidden field keeps it while other
    filters change); otherwise staff narrow by the stop's date and commune.
    """

    status = django_filters.ChoiceFilter(
        label=_("status"), choices=RegistrationStatus.choices, empty_label=_("All")
    )
    channel = django_filters.ChoiceFilter(
        label=_("channel"), choices=RegistrationChannel.choices, empty_label=_("All")
    )
    stop_date = django_filters.DateFromToRangeFilter(
        field_name="workshop__stop__date",
        label=_("Date of the stop"),
        widget=DateRangePickerWidget,
    )
    commune = StopCommuneFilter(stop_path="workshop__stop", label=_("Commune of the stop"))
    workshop = WorkshopFilter(field_name="workshop", widget=forms.HiddenInput)

    class Meta:
        model = Registration
        fields = []


# What a phone number looks like typed as people say it: "06 12 34 56 78", "06.12.34".
_TYPED_PHONE = re.compile(r"\+?[\d\s.\-/()]{4,}")


def phone_search(text: str) -> Q | None:
    """Phones kept as +33612345678 that hold the digits typed, written "06 12 34" or not."""
    text = text.strip()
    if not _TYPED_PHONE.fullmatch(text):
        return None
    digits = re.sub(r"[^\d+]", "", text)
    if len(digits.lstrip("+")) < 4:
        return None
    if digits.startswith("0") and not digits.startswith("00"):
        digits = "+33" + digits[1:]
    elif digits.startswith("0033"):
        digits = "+" + digits[2:]
    return Q(phone__contains=digits)


# A number no registration's key will have, replaced by each row's key in its links.
ROW_PK_PLACEHOLDER = 987_654_321_012


class RegistrationIndexView(generic.IndexView):
    def get_base_queryset(self):
        # The hook Wagtail's IndexView calls (a ModelViewSet has no get_queryset hook):
        # tests/sessions/backoffice/test_backoffice_at_volume.py fails if it stops calling it.
        # Anonymised registrations are figures now, not people: they are not listed.
        return visible_registrations(self.request.user).select_related(
            "workshop__module", "workshop__stop__commune", "home_commune"
        )

    # Cells and row menus written in Python, not one template each (sessions/backoffice/
    # columns.py): the same markup, a third of the page's time at 50 rows (issue #18).
    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        return super()._get_title_column(
            field_name,
            MenuTitleColumn,
            menu_items=self.get_list_more_buttons,
            user=self.request.user,
            **kwargs,
        )

    def search_queryset(self, queryset):
        # Wagtail's search looks for the text as typed; a caller's number is said "06 12 34 56
        # 78" and kept as +33612345678: those typed digits find it too.
        found = super().search_queryset(queryset)
        if self.is_searching and (by_phone := phone_search(self.search_query)) is not None:
            return found | queryset.filter(by_phone)
        return found

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        # Rendered after this: the page's rows, evaluated once, carry the mark to the cells.
        mark_calls_to_make(context["object_list"], today=timezone.localdate())
        return context

    def _get_custom_column(self, field_name, column_class=Column, **kwargs):
        if column_class is Column:
            column_class = PlainColumn
        return super()._get_custom_column(field_name, column_class, **kwargs)

    def row_url(self, url_name: str, pk) -> str:
        """reverse(url_name, args=[pk]), resolved once a page rather than 250 times."""
        if (template := self._row_urls.get(url_name)) is None:
            template = self._row_urls[url_name] = reverse(url_name, args=[ROW_PK_PLACEHOLDER])
        return template.replace(str(ROW_PK_PLACEHOLDER), str(pk))

    @functools.cached_property
    def _row_urls(self) -> dict[str, str]:
        return {}

    def get_edit_url(self, instance):
        if self.edit_url_name and self.user_has_permission("change"):
            return self.row_url(self.edit_url_name, instance.pk)

    def get_delete_url(self, instance):
        if self.delete_url_name and self.user_has_permission("delete"):
            return self.row_url(self.delete_url_name, instance.pk)

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.status != RegistrationStatus.CANCELLED and self.request.user.has_perm(
            "workshops.change_registration"
        ):
            buttons.append(
                MenuItem(
                    _("Cancel"),
                    url=self.row_url("workshops_registration_cancel", instance.pk),
                    icon_name="cross",
                    priority=15,
                )
            )
            buttons.append(
                MenuItem(
                    _("Move to another workshop"),
                    url=self.row_url("workshops_registration_move", instance.pk),
                    icon_name="arrow-right",
                    priority=16,
                )
            )
        buttons.append(
            MenuItem(
                _("Messages"),
                url=self.row_url("workshops_registration_messages", instance.pk),
                icon_name="mail",
                priority=20,
            )
        )
        return buttons


def mark_calls_to_make(registrations, *, today) -> None:
    """Set `to_call` on the registrations the back office's home lists to call (given a seat,
    told by nothing, not called yet): no query for a page without someone given a seat and
    not called, which is nearly every page, and two at most."""
    maybe = {
        registration.pk: registration
        for registration in registrations
        if registration.promoted_at and not registration.called_at
    }
    if not maybe:
        return
    still = (
        Registration.objects.filter(pk__in=maybe)
        .maybe_to_call(today)
        .values_list("pk", "seat_message_failed")
    )
    candidates = []
    for pk, seat_message_failed in still:
        maybe[pk].seat_message_failed = seat_message_failed
        candidates.append(maybe[pk])
    for registration in still_to_call(candidates):
        registration.to_call = True


def breakable_email(email: str) -> str:
    """The address, allowed to break before its "@" only (a narrow column; a tablet)."""
    local, at, domain = email.rpartition("@")
    return format_html("{}<wbr>{}{}", local, at, domain) if at else email


def _status_and_call(registration: Registration) -> str:
    status = registration.get_status_display()
    if getattr(registration, "to_call", False):
        return _("%(status)s – to call") % {"status": status}
    return status


class RegistrationViewSet(AddLabelMixin, ModelViewSet):
    model = Registration
    add_item_label = _("Add a registration")
    icon = "user"
    menu_label = _("Registrations")
    menu_order = 211
    add_to_admin_menu = True
    name = "registrations"
    copy_view_enabled = False
    index_view_class = RegistrationIndexView
    add_view_class = RegistrationCreateView
    delete_view_class = RegistrationDeleteView
    edit_view_class = RegistrationEditView
    history_view_class = RegistrationHistoryView
    usage_view_class = RegistrationUsageView
    inspect_view_enabled = False
    list_display = [
        "__str__",
        "workshop",
        # Whom the home page lists to call says so here too, where its link leads; how they
        # signed up under it.
        LinesColumn(
            "status",
            label=capfirst(Registration._meta.get_field("status").verbose_name),
            lines=[("status", _status_and_call), ("channel", Registration.get_channel_display)],
            sort_key="status",
        ),
        # Read as it is dialled: "06 12 34 56 78", not +33612345678; the e-mail under it.
        LinesColumn(
            "phone",
            label=_("Contact"),
            lines=[
                ("phone-number", lambda registration: display_phone(registration.phone)),
                ("email", lambda registration: breakable_email(registration.email)),
            ],
            sort_key="phone",
        ),
        "home_commune",
        "needs",
        "created_at",
    ]
    filterset_class = RegistrationFilterSet
    search_fields = ["first_name", "last_name", "phone", "email"]
    # Newest first, on an index (sessions/models.py): staff look for who signed up lately,
    # and ordering by workshop sorted three years of registrations on every page.
    ordering = ["-created_at"]
    list_per_page = 50

    def get_form_class(self, for_update=False):
        return StaffRegistrationEditForm if for_update else StaffRegistrationCreateForm


@require_http_methods(["GET", "POST"])
@permission_required("workshops.change_registration", raise_exception=True)
def registration_cancel_admin_view(request, registration_pk: int):
    registration = get_object_or_404(
        visible_registrations(request.user).select_related(
            "workshop__module", "workshop__stop__commune"
        ),
        pk=registration_pk,
    )
    if request.method == "POST":
        try:
            promoted = registration_cancel(registration=registration, by=request.user)
        except RegistrationError as error:
            messages.error(request, error_message(error))
        else:
            if promoted:
                done = _(
                    "Registration cancelled; the seat goes to %(names)s, from the waiting list."
                ) % {"names": ", ".join(str(registration) for registration in promoted)}
            else:
                done = _("Registration cancelled.")
            messages.success(request, done)
            warn_of_calls_to_make(request, promoted)
        return redirect(reverse("registrations:index") + f"?workshop={registration.workshop_id}")
    return render(
        request, "sessions/backoffice/registration_cancel.html", {"registration": registration}
    )


@require_http_methods(["GET", "POST"])
@permission_required("workshops.change_registration", raise_exception=True)
def registration_move_admin_view(request, registration_pk: int):
    """Staff move a caller to another workshop: a new seat there, theirs here freed."""
    registration = get_object_or_404(
        visible_registrations(request.user)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("workshop__module", "workshop__stop__commune"),
        pk=registration_pk,
    )
    form = RegistrationMoveForm(request.POST or None, registration=registration, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            moved, promoted = registration_move(
                registration=registration,
                to_workshop=form.cleaned_data["workshop"],
                by=request.user,
                waiting_list_ok=form.cleaned_data["waiting_list_ok"],
            )
        except RegistrationError as error:
            form.add_error("workshop", error_message(error))
        else:
            messages.success(request, what_to_tell_the_caller(moved))
            warn_of_calls_to_make(request, promoted)
            return redirect(reverse("registrations:index") + f"?workshop={moved.workshop_id}")
    return render(
        request,
        "sessions/backoffice/registration_move.html",
        {"registration": registration, "form": form},
    )


def warn_of_calls_to_make(request, promoted: list[Registration]) -> None:
    """Whoever got a seat and no SMS or e-mail reaches: said now to the one who freed it (the
    back office's home lists them too, until the call is made)."""
    for registration in unreached(promoted):
        messages.warning(
            request,
            _(
                "%(name)s got a seat but no SMS or e-mail reaches them: call them "
                "(%(phone)s). They stay on the home page's list until the call is made."
            )
            % {
                "name": registration,
                "phone": display_phone(registration.phone) or _("no phone number"),
            },
        )


@require_POST
@permission_required("workshops.change_registration", raise_exception=True)
def registration_called_view(request, registration_pk: int):
    """ "Call made" on the home's list of residents to phone about a seat."""
    registration = get_object_or_404(visible_registrations(request.user), pk=registration_pk)
    try:
        registration_call_made(registration=registration, by=request.user)
    except RegistrationError as error:
        messages.error(request, error_message(error))
    else:
        messages.success(request, _("The call to %(name)s is recorded.") % {"name": registration})
    return redirect("wagtailadmin_home")


@require_POST
@permission_required("workshops.change_registration", raise_exception=True)
def registration_sms_again_view(request, registration_pk: int):
    """A resident who answered STOP asks, on the phone, for SMS again."""
    registration = get_object_or_404(visible_registrations(request.user), pk=registration_pk)
    try:
        lifted = registration_sms_again(registration=registration, by=request.user)
    except RegistrationError as error:
        messages.error(request, error_message(error))
    else:
        if lifted:
            messages.success(
                request,
                _(
                    "%(name)s will receive SMS again: the next reminders and changes will "
                    "leave by SMS. Messages not sent meanwhile are not sent again."
                )
                % {"name": registration.first_name},
            )
    return redirect("workshops_registration_messages", registration.pk)
