"""Planning screens in the Wagtail admin (mounted under /admin/tournee/ by wagtail_hooks),
and the private calendar feed."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from mediation.models import PrivateFeed, StopSeries, Van
from mediation.planning.feeds import (
    feed_for_token,
    private_feed_create,
    private_feed_ics,
    private_feed_revoke,
    private_feed_url,
)
from mediation.planning.planner import month_bounds, planner_weeks
from mediation.planning.route import RouteError, week_route, week_route_apply
from mediation.planning.series import SeriesError, series_generate, series_plan
from mediation.roles import MEDIATORS, require_permissions


def _parse_date(text: str | None, default: dt.date) -> dt.date:
    """The date typed, or `default` when it cannot be read or is too near the end of the
    calendar for the weeks and months around it to exist (year 1 or 9999)."""
    try:
        day = dt.date.fromisoformat(text) if text else default
    except ValueError:
        return default
    return day if dt.MINYEAR < day.year < dt.MAXYEAR else default


def _get_or_404(queryset, pk: str | None):
    """The object whose pk was passed in a query string or a form; 404 for anything else."""
    if not (pk or "").isdigit():
        raise Http404
    return get_object_or_404(queryset, pk=int(pk))


def planner(request):
    """A van's month or week, as a calendar table; ?van=, ?vue=mois|semaine, ?date=."""
    require_permissions(request, "mediation.view_stop")
    vans = list(Van.objects.select_related("home_base").order_by("name"))
    if not vans:
        return TemplateResponse(request, "mediation/planning/planner.html", {"vans": []})
    van = next((v for v in vans if str(v.pk) == request.GET.get("van")), vans[0])
    view = "semaine" if request.GET.get("vue") == "semaine" else "mois"
    day = _parse_date(request.GET.get("date"), timezone.localdate())
    if view == "mois":
        first, last = month_bounds(day.year, day.month)
        previous = (first - dt.timedelta(days=1)).replace(day=1)
        following = last + dt.timedelta(days=1)
    else:
        first = day - dt.timedelta(days=day.weekday())
        last = first + dt.timedelta(days=6)
        previous, following = first - dt.timedelta(weeks=1), first + dt.timedelta(weeks=1)
    weeks = planner_weeks(van=van, first=first, last=last)
    return TemplateResponse(
        request,
        "mediation/planning/planner.html",
        {
            "vans": vans,
            "van": van,
            "view": view,
            "first": first,
            "last": last,
            "weeks": weeks,
            "total_km": sum(week.period_km for week in weeks),
            "previous": previous,
            "following": following,
            "today": timezone.localdate(),
            "can_change": request.user.has_perm("mediation.change_stop"),
        },
    )


def series_preview(request, pk: int):
    """What generating the series would do; the button to do it (POST)."""
    require_permissions(request, "mediation.view_stopseries")
    series = get_object_or_404(StopSeries.objects.select_related("van", "commune"), pk=pk)
    if request.method == "POST":
        require_permissions(request, "mediation.add_stop", "mediation.change_stop")
        try:
            plan = series_generate(series=series, expected=request.POST.get("plan", ""))
        except SeriesError:
            # Someone changed the series, one of its stops or their registrations since the
            # preview was read: generating would not do what it said. Show what it would do.
            messages.warning(
                request,
                _(
                    "The series or its stops changed since you opened this page: nothing was "
                    "generated. Read the preview again below."
                ),
            )
            return _series_preview_page(request, series, status=409)
        if plan.writes_anything:
            created, updated = len(plan.to_create), len(plan.to_update)
            cancelled = len(plan.to_cancel)
            done = [
                ngettext("%(count)d stop created", "%(count)d stops created", created)
                % {"count": created},
                ngettext("%(count)d updated", "%(count)d updated", updated) % {"count": updated},
                ngettext("%(count)d cancelled", "%(count)d cancelled", cancelled)
                % {"count": cancelled},
            ]
            messages.success(request, ", ".join(done) + ".")
        else:
            # Clicked twice: the first click did it all.
            messages.info(
                request, _("The planned stops already follow the series: nothing to generate.")
            )
        if plan.decisions:
            messages.warning(
                request,
                ngettext(
                    "%(count)d stop with registrations was left as it is: decide below.",
                    "%(count)d stops with registrations were left as they are: decide below.",
                    len(plan.decisions),
                )
                % {"count": len(plan.decisions)},
            )
        if plan.workshops_outside:
            messages.warning(
                request,
                ngettext(
                    "%(count)d stop kept its hours: its workshops would not fit the new ones. "
                    "See below.",
                    "%(count)d stops kept their hours: their workshops would not fit the new "
                    "ones. See below.",
                    len(plan.workshops_outside),
                )
                % {"count": len(plan.workshops_outside)},
            )
        if plan.decisions or plan.workshops_outside:
            return redirect("planning:series_preview", pk=series.pk)
        first = (plan.to_create or plan.dates or [series.start_date])[0]
        return redirect(
            reverse("planning:planner") + f"?van={series.van_id}&date={first.isoformat()}"
        )
    return _series_preview_page(request, series)


def _series_preview_page(request, series: StopSeries, *, status: int = 200) -> TemplateResponse:
    return TemplateResponse(
        request,
        "mediation/planning/series_preview.html",
        {
            "series": series,
            "plan": series_plan(series),
            "can_generate": request.user.has_perm("mediation.add_stop")
            and request.user.has_perm("mediation.change_stop"),
        },
        status=status,
    )


def route(request):
    """The week's route for a van: the current order, the suggested one, apply it (POST)."""
    require_permissions(request, "mediation.view_stop")
    van = _get_or_404(Van.objects.select_related("home_base"), request.GET.get("van"))
    day = _parse_date(request.GET.get("semaine"), timezone.localdate())
    monday = day - dt.timedelta(days=day.weekday())
    error = ""
    if request.method == "POST":
        require_permissions(request, "mediation.change_stop")
        try:
            week_route_apply(van=van, monday=monday)
        except RouteError as refusal:
            error = refusal.code
        else:
            messages.success(request, _("The stops of the week now follow the suggested order."))
            return redirect(
                reverse("planning:planner") + f"?van={van.pk}&vue=semaine&date={monday.isoformat()}"
            )
    return TemplateResponse(
        request,
        "mediation/planning/route.html",
        {
            "van": van,
            "monday": monday,
            "sunday": monday + dt.timedelta(days=6),
            "route": week_route(van=van, monday=monday),
            "error": error,
            "can_change": request.user.has_perm("mediation.change_stop"),
        },
        status=409 if error else 200,
    )


def calendars(request):
    """Private calendar addresses: one's own; coordinators also manage the vans' and others'."""
    require_permissions(request, "mediation.view_stop")
    manages = request.user.has_perm("mediation.change_privatefeed")
    new_token = request.session.pop("private_feed_token", None)
    own = PrivateFeed.objects.active().filter(user=request.user).first()
    context = {
        "own": own,
        "manages": manages,
        "new_url": private_feed_url(new_token["token"]) if new_token else "",
        "new_for": new_token["label"] if new_token else "",
    }
    if manages:
        context["vans"] = list(Van.objects.order_by("name"))
        context["mediators"] = list(
            get_user_model().objects.filter(groups__name=MEDIATORS).order_by("username")
        )
        context["active_feeds"] = list(
            PrivateFeed.objects.active().select_related("user", "van").order_by("created_at")
        )
    return TemplateResponse(request, "mediation/planning/calendars.html", context)


@require_POST
def calendar_create(request):
    require_permissions(request, "mediation.view_stop")
    van_id, user_id = request.POST.get("van"), request.POST.get("user")
    if van_id or (user_id and user_id != str(request.user.pk)):
        require_permissions(request, "mediation.change_privatefeed")
    if van_id:
        van = _get_or_404(Van.objects.all(), van_id)
        _feed, token = private_feed_create(van=van)
        label = van.name
    else:
        user = request.user
        if user_id:
            user = _get_or_404(get_user_model().objects.all(), user_id)
        _feed, token = private_feed_create(user=user)
        label = user.get_full_name() or user.get_username()
    # Shown once on the next page; only the hash is stored.
    request.session["private_feed_token"] = {"token": token, "label": label}
    return redirect("planning:calendars")


@require_POST
def calendar_revoke(request, pk: int):
    feed = get_object_or_404(PrivateFeed, pk=pk)
    if feed.user_id != request.user.pk:
        require_permissions(request, "mediation.change_privatefeed")
    private_feed_revoke(feed=feed)
    messages.success(request, _("That calendar address no longer works."))
    return redirect("planning:calendars")


@require_GET
def private_feed(request, token: str):
    """The secret feed; an unknown or revoked token is a plain 404 (nothing to learn from it)."""
    feed = feed_for_token(token)
    if feed is None:
        raise Http404
    response = HttpResponse(private_feed_ics(feed), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="tournee.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
