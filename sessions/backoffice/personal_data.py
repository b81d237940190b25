"""The back office's "Personal data" screen: a resident's request to see or erase their data.

Coordinators only (permission workshops.handle_personal_data). The phone or e-mail is sent
by POST, never in the address, so that it stays out of the server's access logs. What is
held is downloaded as JSON (complete, machine-readable) or shown as a page in plain words
that the person can read or have printed.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from sessions.models import PersonalDataRequest
from sessions.privacy.services import (
    PersonalDataError,
    person_erase,
    person_export,
    person_find,
    person_find_by_contact,
    person_summary,
)

PERMISSION = "workshops.handle_personal_data"


class ContactForm(forms.Form):
    contact = forms.CharField(
        label=_("Phone or e-mail of the person"),
        max_length=254,
        help_text=_("As the person gives it: 06 12 34 56 78 or name@example.org."),
    )
    confirm_erasure = forms.BooleanField(
        label=_("I have checked the person's identity and they ask for erasure"),
        required=False,
    )


class PersonalDataView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "sessions/backoffice/personal_data.html"
    page_title = _("Personal data")
    header_icon = "lock"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ContactForm())
        context["requests"] = PersonalDataRequest.objects.select_related("handled_by")[:20]
        return context

    def post(self, request, *args, **kwargs):
        form = ContactForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        contact = form.cleaned_data["contact"]
        action = request.POST.get("action", "find")
        try:
            if action == "export":
                document = person_export(contact=contact, by=request.user)
                response = HttpResponse(document, content_type="application/json; charset=utf-8")
                stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
                response["Content-Disposition"] = (
                    f'attachment; filename="donnees-personnelles-{stamp}.json"'
                )
                return response
            if action == "print":
                # For the person to read or to be printed for them: no admin around it.
                return render(
                    request,
                    "sessions/backoffice/personal_data_summary.html",
                    person_summary(contact=contact, by=request.user),
                )
            if action == "erase":
                if not form.cleaned_data["confirm_erasure"]:
                    form.add_error("confirm_erasure", _("Tick this box to confirm the erasure."))
                else:
                    erased = person_erase(contact=contact, by=request.user)
                    messages.success(
                        request,
                        _("Erased: %(count)s registration(s) and their records.")
                        % {"count": erased.registrations},
                    )
                    return redirect("personal_data")
            found = list(person_find(contact=contact))
            # Someone who only asked for alerts or a visit is held too: never "nothing".
            held_by_contact = person_find_by_contact(contact=contact)
        except PersonalDataError:
            form.add_error("contact", _("Type a phone number or an e-mail address."))
            found, held_by_contact = None, []
        return self.render_to_response(
            self.get_context_data(
                form=form, found=found, held_by_contact=held_by_contact, searched=True
            )
        )


class PersonalDataMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


def personal_data_menu_item() -> PersonalDataMenuItem:
    return PersonalDataMenuItem(
        _("Personal data"), reverse("personal_data"), icon_name="lock", order=900
    )
