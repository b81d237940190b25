"""Back-office screens for workshops and registrations.

Every write that touches seats goes through sessions.services: registering a caller,
cancelling or deleting a registration, cancelling a stop. Only staff with the model
permissions (coordinators, mediators; see mediation/roles.py) see residents' details.
"""

import contextlib

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem as AdminMenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import ListingButton
from wagtail.admin.widgets.button import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView as SnippetEditView
from wagtail.snippets.views.snippets import SnippetViewSet

import sessions.privacy.admin  # noqa: F401 (registers the personal data screen)
from mediation.models import Stop, StopStatus
from sessions.attendance_admin import (
    VIEW_PERMISSION,
    AttendanceReportView,
    WorkshopAttendanceView,
)
from sessions.forms import AccessibleErrorsMixin, PersonFieldsMixin, find_commune
from sessions.models import Registration, RegistrationChannel, RegistrationStatus, Workshop
from sessions.services import (
    RegistrationError,
    registration_cancel,
    registration_create,
    stop_cancel,
    stop_registrations_cancel,
    workshop_fill_from_waiting_list,
)

ERROR_MESSAGES = {
    "closed": _("This workshop is over or its stop is cancelled."),
    "duplicate": _("This phone number or e-mail is already registered for this workshop."),
    "full": _("The workshop is full and the waiting list was not wanted."),
    "no_contact": _("Give a phone number or an e-mail."),
    "already_cancelled": _("This is already cancelled."),
}


class WorkshopForm(WagtailAdminModelForm):
    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        if self.instance.pk and capacity < self.instance.seats_taken:
            raise forms.ValidationError(
                _(
                    "%(taken)s seats are already taken: cancel registrations before lowering "
                    "the capacity below that."
                ),
                params={"taken": self.instance.seats_taken},
                code="below_seats_taken",
            )
        return capacity


class WorkshopEditView(SnippetEditView):
    def save_instance(self):
        instance = super().save_instance()
        # Seats added by staff go to the waiting list at once, first come first served.
        workshop_fill_from_waiting_list(workshop=instance)
        return instance


class WorkshopViewSet(SnippetViewSet):
    model = Workshop
    icon = "group"
    menu_label = _("Workshops")
    menu_order = 210
    add_to_admin_menu = True
    list_display = [
        "module",
        "stop",
        "start_time",
        "capacity",
        "seats_taken",
        Column("waiting_count", label=_("waiting list")),
    ]
    list_filter = ["module"]
    search_fields = ["module__title", "stop__commune__name"]
    edit_view_class = WorkshopEditView
    edit_handler = ObjectList(
        [
            FieldPanel("stop"),
            FieldPanel("module"),
            FieldRowPanel(
                [FieldPanel("start_time"), FieldPanel("end_time"), FieldPanel("capacity")]
            ),
            FieldRowPanel([FieldPanel("signup_opens_at"), FieldPanel("signup_closes_at")]),
        ],
        base_form_class=WorkshopForm,
    )

    def get_queryset(self, request):
        return Workshop.objects.select_related("module", "stop__commune").annotate(
            waiting_count=Count("registrations", filter=Q(registrations__status="waiting"))
        )


register_snippet(WorkshopViewSet)


@hooks.register("register_snippet_listing_buttons")
def workshop_and_stop_buttons(snippet, user, next_url=None):
    if isinstance(snippet, Workshop) and user.has_perm("workshops.view_registration"):
        yield ListingButton(
            _("Registrations"),
            url=reverse("registrations:index") + f"?workshop={snippet.pk}",
            icon_name="group",
            priority=5,
        )
        if user.has_perm("workshops.add_registration"):
            yield ListingButton(
                _("Register a caller"),
                url=reverse("registrations:add") + f"?workshop={snippet.pk}",
                icon_name="plus",
                priority=6,
            )
    if (
        isinstance(snippet, Stop)
        and snippet.status != StopStatus.CANCELLED
        and user.has_perm("mediation.change_stop")
    ):
        yield ListingButton(
            _("Cancel the stop"),
            url=reverse("workshops_stop_cancel", args=[snippet.pk]),
            icon_name="cross",
            priority=50,
        )


@hooks.register("after_edit_snippet")
def tell_registrants_of_a_stop_cancelled_in_its_form(request, instance):
    """A stop set to "cancelled" in its edit form tells its registrants, like the button does."""
    if isinstance(instance, Stop) and instance.status == StopStatus.CANCELLED:
        count = stop_registrations_cancel(stop=instance)
        if count:
            messages.info(
                request,
                _("%(count)s registrant(s) of this stop are being told.") % {"count": count},
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
        self.fields["workshop"].queryset = (
            Workshop.objects.upcoming()
            .exclude(stop__status=StopStatus.CANCELLED)
            .select_related("module", "stop__commune")
        )
        self.fields["channel"].initial = RegistrationChannel.PHONE

    def clean_home_commune_name(self):
        text = self.cleaned_data["home_commune_name"]
        return find_commune(text) if text.strip() else None

    def validate_unique(self):
        # Duplicates are the service's to refuse, under the workshop lock.
        pass


class StaffRegistrationEditForm(AccessibleErrorsMixin, PersonFieldsMixin, WagtailAdminModelForm):
    """Details only: the workshop and the status change through the services (seats)."""

    class Meta:
        model = Registration
        fields = ["first_name", "last_name", "phone", "email", "home_commune", "needs", "channel"]


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

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except RegistrationError as error:
            form.add_error(None, ERROR_MESSAGES.get(error.code, error.code))
            self.produced_error_message = ERROR_MESSAGES.get(error.code, error.code)
            return self.form_invalid(form)

    def get_success_url(self):
        return reverse("registrations:index") + f"?workshop={self.object.workshop_id}"


class RegistrationDeleteView(generic.DeleteView):
    def delete_action(self):
        # A deleted confirmed registration must give its seat back, like a cancellation.
        if self.object.status != RegistrationStatus.CANCELLED:
            with contextlib.suppress(RegistrationError):
                registration_cancel(registration=self.object, by=self.request.user)
        super().delete_action()


class RegistrationIndexView(generic.IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.status != RegistrationStatus.CANCELLED and self.request.user.has_perm(
            "workshops.change_registration"
        ):
            buttons.append(
                MenuItem(
                    _("Cancel"),
                    url=reverse("workshops_registration_cancel", args=[instance.pk]),
                    icon_name="cross",
                    priority=15,
                )
            )
        return buttons


class RegistrationViewSet(ModelViewSet):
    model = Registration
    icon = "user"
    menu_label = _("Registrations")
    menu_order = 211
    add_to_admin_menu = True
    name = "registrations"
    copy_view_enabled = False
    index_view_class = RegistrationIndexView
    add_view_class = RegistrationCreateView
    delete_view_class = RegistrationDeleteView
    list_display = [
        "__str__",
        "workshop",
        "status",
        "channel",
        "phone",
        "email",
        "home_commune",
        "created_at",
    ]
    list_filter = ["status", "channel", "workshop"]
    search_fields = ["first_name", "last_name", "phone", "email"]
    ordering = ["workshop", "status", "created_at"]
    list_per_page = 50

    def get_form_class(self, for_update=False):
        return StaffRegistrationEditForm if for_update else StaffRegistrationCreateForm

    def get_queryset(self, request):
        return Registration.objects.select_related(
            "workshop__module", "workshop__stop__commune", "home_commune"
        ).filter(anonymised_at__isnull=True)


@hooks.register("register_admin_viewset")
def register_registration_viewset():
    return RegistrationViewSet()


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
    registrants = Registration.objects.active().filter(workshop__stop=stop).count()
    form = StopCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            count = stop_cancel(stop=stop, reason=form.cleaned_data["reason"], by=request.user)
        except RegistrationError as error:
            messages.error(request, ERROR_MESSAGES.get(error.code, error.code))
        else:
            messages.success(
                request,
                _("The stop is cancelled; %(count)s registrant(s) are being told.")
                % {"count": count},
            )
        return redirect("wagtailsnippets_mediation_stop:list")
    return render(
        request,
        "sessions/admin/stop_cancel.html",
        {"stop": stop, "form": form, "registrants": registrants},
    )


@require_http_methods(["GET", "POST"])
@permission_required("workshops.change_registration", raise_exception=True)
def registration_cancel_admin_view(request, registration_pk: int):
    registration = get_object_or_404(
        Registration.objects.select_related("workshop__module", "workshop__stop__commune"),
        pk=registration_pk,
    )
    if request.method == "POST":
        try:
            promoted = registration_cancel(registration=registration, by=request.user)
        except RegistrationError as error:
            messages.error(request, ERROR_MESSAGES.get(error.code, error.code))
        else:
            messages.success(
                request,
                _("Registration cancelled; %(count)s person(s) promoted from the waiting list.")
                % {"count": len(promoted)},
            )
        return redirect(reverse("registrations:index") + f"?workshop={registration.workshop_id}")
    return render(
        request, "sessions/admin/registration_cancel.html", {"registration": registration}
    )


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "workshops/stops/<int:stop_pk>/cancel/", stop_cancel_view, name="workshops_stop_cancel"
        ),
        path(
            "workshops/registrations/<int:registration_pk>/cancel/",
            registration_cancel_admin_view,
            name="workshops_registration_cancel",
        ),
    ]


# --- Attendance recorded on the tablets (issue 5) ------------------------------------------


@hooks.register("register_admin_urls")
def register_attendance_urls():
    return [
        path("presences/", AttendanceReportView.as_view(), name="attendance_report"),
        path("presences/<int:pk>/", WorkshopAttendanceView.as_view(), name="attendance_workshop"),
    ]


class AttendanceMenuItem(AdminMenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_attendance_menu_item():
    return AttendanceMenuItem(
        _("Attendance"), reverse("attendance_report"), icon_name="tasks", order=215
    )
