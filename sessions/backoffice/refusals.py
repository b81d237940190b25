"""The back office's "Refused tablet records": what the server refused from the mediators'
tablets, for the coordinators to put right (sessions/refusals.py writes them).

Coordinators only (workshops.view_refusedrecord to read, change_refusedrecord to mark one as
dealt with, or to reopen one marked too soon); mediators get a 403, not Wagtail's redirect to
the dashboard. Open ones first; dealt-with ones stay listed under "traités" with who and when,
the trail of what was done.
The page costs the same queries for one row as for MAX_ROWS.
"""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.defaults import permission_denied
from wagtail.admin.menu import MenuItem

from sessions.backoffice.errors import error_message
from sessions.mediator_app.labels import refusal_reason
from sessions.models import RefusedRecord
from sessions.refusals import RefusalError, refused_record_dismiss, refused_record_reopen

VIEW_PERMISSION = "workshops.view_refusedrecord"
CHANGE_PERMISSION = "workshops.change_refusedrecord"
MAX_ROWS = 200
OPEN, DEALT_WITH, ALL = "ouverts", "traites", "tous"
STATES = {
    OPEN: _("To deal with"),
    DEALT_WITH: _("Dealt with"),
    ALL: _("All"),
}


def forbidden_without(permission: str):
    """A plain 403 (the project's error page) without `permission`: Wagtail would turn a
    PermissionDenied into a redirect to the dashboard, which reads as if the page had opened
    for a mediator."""

    def decorator(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not request.user.has_perm(permission):
                return permission_denied(request, PermissionDenied())
            return view(request, *args, **kwargs)

        return guarded

    return decorator


def refused_records(state: str):
    rows = RefusedRecord.objects.select_related(
        "mediator",
        "registration",
        "workshop__module",
        "workshop__stop__commune",
        "resolved_by",
    )
    if state == OPEN:
        rows = rows.filter(resolved_at__isnull=True)
    elif state == DEALT_WITH:
        rows = rows.filter(resolved_at__isnull=False)
    # Open ones first, the most recently sent first.
    return rows.order_by(F("resolved_at").desc(nulls_first=True), "-last_refused_at")


@require_http_methods(["GET", "HEAD"])
@forbidden_without(VIEW_PERMISSION)
def refused_records_view(request):
    state = request.GET.get("etat", OPEN)
    if state not in STATES:
        state = OPEN
    rows = list(refused_records(state)[:MAX_ROWS])
    return render(
        request,
        "sessions/backoffice/refused_records.html",
        {
            "rows": [(row, refusal_reason(row.reason)) for row in rows],
            "state": state,
            "states": [(key, label, key == state) for key, label in STATES.items()],
            "max_rows": MAX_ROWS,
            "can_change": request.user.has_perm(CHANGE_PERMISSION),
        },
    )


@require_POST
@forbidden_without(CHANGE_PERMISSION)
def refused_record_dismiss_view(request, pk: int):
    try:
        refused_record_dismiss(record_id=pk, by=request.user)
    except RefusalError as error:
        # Already dealt with (by someone else meanwhile) is what she wanted: not an error.
        report = messages.error if error.code == "unknown_refusal" else messages.info
        report(request, error_message(error))
    else:
        messages.success(
            request, _("Marked as dealt with. Marked too soon? Reopen it under “Dealt with”.")
        )
    return redirect(f"{reverse('workshops_refused_records')}?etat={OPEN}")


@require_POST
@forbidden_without(CHANGE_PERMISSION)
def refused_record_reopen_view(request, pk: int):
    try:
        refused_record_reopen(record_id=pk)
    except RefusalError as error:
        messages.error(request, error_message(error))
    else:
        messages.success(request, _("Back among the records to deal with."))
    return redirect(f"{reverse('workshops_refused_records')}?etat={DEALT_WITH}")


class RefusedRecordsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW_PERMISSION)


def refused_records_menu_item() -> RefusedRecordsMenuItem:
    return RefusedRecordsMenuItem(
        _("Refused tablet records"),
        reverse("workshops_refused_records"),
        icon_name="warning",
        order=217,
    )
