"""The back office's "Refused tablet records": what the server refused from the mediators'
tablets, for the coordinators to put right (sessions/refusals.py writes them).

Coordinators only (workshops.view_refusedrecord to read, change_refusedrecord to mark one as
dealt with, or to reopen one marked too soon); mediators get a 403, not Wagtail's redirect to
the dashboard. Open ones first; dealt-with ones stay listed under "traités" with who and when,
the trail of what was done. A search by person, commune, module or mediator; PER_PAGE rows a
page, each page costing the same queries.
"""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.defaults import permission_denied
from wagtail.admin.menu import MenuItem

from mediation.text import search_text
from sessions.backoffice.errors import error_message
from sessions.mediator_app.labels import refusal_reason
from sessions.models import RefusedRecord
from sessions.refusals import RefusalError, refused_record_dismiss, refused_record_reopen

VIEW_PERMISSION = "workshops.view_refusedrecord"
CHANGE_PERMISSION = "workshops.change_refusedrecord"
PER_PAGE = 50
SEARCH_LENGTH = 100
OPEN, DEALT_WITH, ALL = "ouverts", "traites", "tous"
STATES = {
    OPEN: _("To deal with"),
    DEALT_WITH: _("Dealt with"),
    ALL: _("All"),
}
# The rows each tab holds but "all": the list's filter and the tabs' counts.
IN_STATE = {OPEN: Q(resolved_at__isnull=True), DEALT_WITH: Q(resolved_at__isnull=False)}


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


def refused_records_matching(search: str):
    """Every refused record whose person, commune, module or mediator matches each word of
    `search` ("martin woincourt")."""
    rows = RefusedRecord.objects.all()
    for word in search.split():
        rows = rows.filter(
            Q(registration__first_name__icontains=word)
            | Q(registration__last_name__icontains=word)
            | Q(walk_in_name__icontains=word)
            | Q(workshop__stop__commune__name__icontains=word)
            | Q(workshop__module__title__icontains=word)
            | Q(mediator__first_name__icontains=word)
            | Q(mediator__last_name__icontains=word)
        )
    return rows


def state_counts(rows) -> dict[str, int]:
    """How many of `rows` each tab holds, in one query."""
    return rows.aggregate(
        **{ALL: Count("pk")},
        **{state: Count("pk", filter=held) for state, held in IN_STATE.items()},
    )


def refused_records(rows, state: str):
    """`rows` (refused_records_matching) of the tab `state`, for the list."""
    rows = rows.filter(IN_STATE.get(state, Q())).select_related(
        "mediator",
        "registration",
        "workshop__module",
        "workshop__stop__commune",
        "resolved_by",
    )
    # Open ones first, the most recently sent first.
    return rows.order_by(F("resolved_at").desc(nulls_first=True), "-last_refused_at")


@require_http_methods(["GET", "HEAD"])
@forbidden_without(VIEW_PERMISSION)
def refused_records_view(request):
    state = request.GET.get("etat", OPEN)
    if state not in STATES:
        state = OPEN
    search = search_text(request.GET.get("q", ""), length=SEARCH_LENGTH)
    matching = refused_records_matching(search)
    counts = state_counts(matching)
    paginator = Paginator(refused_records(matching, state), PER_PAGE)
    paginator.count = counts[state]  # counted with the tabs: no second COUNT
    page = paginator.get_page(request.GET.get("p"))
    # The tabs and the pages keep the search; a new search or tab starts on page 1.
    keep = {"q": search} if search else {}
    return render(
        request,
        "sessions/backoffice/refused_records.html",
        {
            "rows": [(row, refusal_reason(row.reason)) for row in page.object_list],
            "page": page,
            "state": state,
            "search": search,
            "states": [
                (key, label, key == state, counts[key], urlencode({"etat": key, **keep}))
                for key, label in STATES.items()
            ],
            "page_query": urlencode({"etat": state, **keep}),
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
    return redirect(back_to_list(request, OPEN))


@require_POST
@forbidden_without(CHANGE_PERMISSION)
def refused_record_reopen_view(request, pk: int):
    try:
        refused_record_reopen(record_id=pk)
    except RefusalError as error:
        messages.error(request, error_message(error))
    else:
        messages.success(request, _("Back among the records to deal with."))
    return redirect(back_to_list(request, DEALT_WITH))


def back_to_list(request, state: str) -> str:
    """The list the button was on: its tab, its search and its page (sent with the form)."""
    query = {"etat": state}
    search = search_text(request.POST.get("q", ""), length=SEARCH_LENGTH)
    if search:
        query["q"] = search
    if request.POST.get("p", "").isdigit():
        query["p"] = request.POST["p"]
    return f"{reverse('workshops_refused_records')}?{urlencode(query)}"


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
