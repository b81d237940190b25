"""Wagtail's "Site history" report, for coordinators only.

It lists every log entry of the models a user has any permission on, with each object's
label: for a registration, the resident's name. A mediator may see the registrations of
their own stops only (docs/permissions.md), yet the report showed them the names behind the
edits of every stop, and offered them as CSV and XLSX. Mediators read a registration's own
history instead (its screen is scoped like the registration). Wagtail shows the report's
menu entry only to users with page permissions, which mediators lack.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.urls import path
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.reports.audit_logging import LogEntriesView

from mediation.roles import is_coordinator


def coordinators_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_coordinator(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return require_admin_access(wrapped)


# Placed before Wagtail's admin URLs (mediation/urls.py), at the same addresses: they win.
urlpatterns = [
    path("admin/reports/site-history/", coordinators_only(LogEntriesView.as_view())),
    path(
        "admin/reports/site-history/results/",
        coordinators_only(LogEntriesView.as_view(results_only=True)),
    ),
]
