"""Files prepared by the task worker: asked for, built, purged.

The activity export (XLSX or CSV), the statistics workbook and the activity report (PDF) of a
period take seconds to build for a year; an intercommunality's flyers (a PDF page per
commune) take seconds too, and a web worker rendering them would hold the one render slot
town halls' flyers wait for. A coordinator asks for one (`export_request`); the
worker builds it (`export_build`, through the task `build_prepared_export`) into the database
row; the back office offers it to whoever asked until `EXPORT_RETENTION_DAYS` have passed,
and `exports_purge` deletes it (the daily purge). Asking twice for the same file while it
is being prepared gives the same request back, so a double click does not build it twice.
A PDF asked for again once ready (the same flyers by another mediator, the same report the
next hour) is rendered again only if its document changed: the worker writes the document,
and copies the file of a kept export made from the same one (`source_digest`) instead of
rendering it (WeasyPrint takes seconds for an intercommunality's flyers).
"""

import datetime as dt
import io
import logging
import tempfile
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cms.flyers import STYLESHEETS as FLYER_STYLESHEETS
from cms.flyers import FlyerPeriod, build_flyers, epci_communes, flyers_html
from mediation.errors import DomainError
from mediation.pdf import document_digest, render_pdf
from mediation.task_api import task
from mediation.tour_cache import tour_version
from reports.activity import Period
from reports.documents import REPORT_STYLESHEETS, report_html
from reports.exports import write_activity_csv, write_activity_xlsx, write_statistics_xlsx
from reports.models import KIND_FORMATS, ExportFormat, ExportKind, ExportStatus, PreparedExport
from reports.statistics import figures_for

logger = logging.getLogger(__name__)


class ExportError(DomainError):
    """An export that cannot be asked for; `code` says why."""


# Exports one person may have waiting or being built at once: the worker builds them one
# after the other, and a few hold it for a minute already.
MAX_IN_PROGRESS = 3


@transaction.atomic
def export_request(
    *, user, period: Period, fmt: str, kind: str = ExportKind.ACTIVITIES
) -> PreparedExport:
    """Ask the worker for a file of `period` (`kind`: the activity export, the statistics
    workbook, the report, the flyers of `period.epci` from `period.start` to its end), or
    give back the same one already on its way (or, for flyers, already ready and still
    true to the tour: see reusable_flyers). Raises ExportError `unknown_format` (a kind
    or format unknown, or not written so: KIND_FORMATS), `epci_required` (flyers of no
    intercommunality), or `too_many` when this person already has MAX_IN_PROGRESS files on
    their way."""
    if fmt not in KIND_FORMATS.get(kind, ()):
        raise ExportError("unknown_format")
    if kind == ExportKind.FLYERS and period.epci is None:
        raise ExportError("epci_required")
    now = timezone.now()
    # Two clicks at once: the person's row is locked, so the second waits for the first's
    # request and finds it (locking their exports alone locks nothing when there are none).
    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk"))
    theirs = PreparedExport.objects.without_content().of(user)
    on_their_way = list(theirs.in_progress(now))
    same_file = theirs.in_progress(now).of_the_same_file(kind=kind, fmt=fmt, period=period)
    if on_their_way and (export := same_file.first()) is not None:
        return export
    if kind == ExportKind.FLYERS:
        ready = reusable_flyers(theirs.of_the_same_file(kind=kind, fmt=fmt, period=period), now)
        if ready is not None:
            return ready
    if len(on_their_way) >= MAX_IN_PROGRESS:
        raise ExportError("too_many")
    export = PreparedExport.objects.create(
        requested_by=user,
        kind=kind,
        fmt=fmt,
        start=period.start,
        end=period.end,
        epci=period.epci,
        requested_at=now,
    )
    export_id = str(export.pk)
    # Once committed: a worker that took the task first would not find the row.
    transaction.on_commit(lambda: _enqueue_build(export_id), robust=True)
    return export


def reusable_flyers(exports, now: dt.datetime) -> PreparedExport | None:
    """The newest of these flyers ready to open that would be printed the same today: built
    under the tour's current version, and before the first stop they print has ended. Its
    file is what the worker would make again (or copy, see _rendered_or_copied), a row and
    a wait later. None when the tour's version cannot be read (the shared cache down)."""
    version = tour_version()
    if version is None:
        return None
    for export in exports.filter(status=ExportStatus.READY, tour_version=version):
        if export.is_downloadable(now) and not export.is_out_of_date(now):
            return export
    return None


def _enqueue_build(export_id: str) -> None:
    try:
        build_prepared_export.enqueue(export_id)
    except Exception:  # the page says it is waiting; the coordinator can ask again later
        logger.exception("Could not queue the export %s", export_id)


# Below the default priority: when a worker has both waiting, residents' messages (a
# sign-up's confirmation) go before a coordinator's export, which may take seconds.
EXPORT_PRIORITY = -10


@task(priority=EXPORT_PRIORITY)
def build_prepared_export(export_id: str) -> str:
    """The worker's task (its id as text: task arguments are JSON)."""
    return export_build(export_id=export_id)


def export_build(*, export_id: str, now: dt.datetime | None = None) -> str:
    """Build a requested export and keep it in its row; returns the status it ends in.

    The request is claimed by a conditional UPDATE, so a task run twice (or by two workers)
    builds the file once. A failure is recorded on the row (the page says so and offers to
    ask again) and logged with its traceback; the task itself does not fail, there is
    nothing a retry of the same code would do better.
    """
    now = now or timezone.now()
    claimed = PreparedExport.objects.filter(pk=export_id, status=ExportStatus.PENDING).update(
        status=ExportStatus.RUNNING, started_at=now
    )
    if not claimed:
        return "not_pending"
    export = PreparedExport.objects.without_content().select_related("epci").get(pk=export_id)
    try:
        written = _write(export)
    except Exception:
        logger.exception("The export %s failed", export_id)
        PreparedExport.objects.filter(pk=export_id).update(
            status=ExportStatus.FAILED, finished_at=timezone.now()
        )
        return ExportStatus.FAILED
    # The row may have been purged meanwhile (its requester deleted): then nothing is kept.
    PreparedExport.objects.filter(pk=export_id, status=ExportStatus.RUNNING).update(
        status=ExportStatus.READY,
        content=written.content,
        size=len(written.content),
        row_count=written.rows,
        source_digest=written.source_digest,
        tour_version=written.tour_version,
        stale_at=written.stale_at,
        finished_at=timezone.now(),
    )
    return ExportStatus.READY


def _rendered_or_copied(
    html: str, *, stylesheets: list[str], tagged: bool = False
) -> tuple[bytes, str]:
    """The PDF of `html`, and its document's digest: copied from a kept export rendered from
    the same document (the same bytes, see document_digest), else rendered (`tagged`: see
    render_pdf)."""
    digest = document_digest(html, stylesheets=stylesheets, tagged=tagged)
    kept = (
        PreparedExport.objects.filter(status=ExportStatus.READY, source_digest=digest)
        .values_list("content", flat=True)
        .first()
    )
    if kept is not None:
        return bytes(kept), digest
    return render_pdf(html, stylesheets=stylesheets, tagged=tagged), digest


@dataclass(frozen=True)
class Written:
    """A built file: its content, its rows (the activity export's), the digest of the
    document a PDF is rendered from, and for flyers what says when they are out of date."""

    content: bytes
    rows: int | None = None
    source_digest: str = ""
    tour_version: str = ""
    stale_at: dt.datetime | None = None


def _write(export: PreparedExport) -> Written:
    period = export.period()
    if export.kind == ExportKind.FLYERS:
        # Read before the stops, as a cached page does: a change made while the flyers are
        # written bumps it past what is recorded, and they are not handed out again.
        version = tour_version() or ""
        flyers = build_flyers(
            epci_communes(period.epci), period=FlyerPeriod.between(period.start, period.end)
        )
        content, digest = _rendered_or_copied(flyers_html(flyers), stylesheets=FLYER_STYLESHEETS)
        ends = [flyer.first_end for flyer in flyers if flyer.first_end is not None]
        return Written(
            content, source_digest=digest, tour_version=version, stale_at=min(ends, default=None)
        )
    if export.kind == ExportKind.REPORT:
        # Read on screen by funders, some with a screen reader: tagged (headings, tables).
        content, digest = _rendered_or_copied(
            report_html(period), stylesheets=REPORT_STYLESHEETS, tagged=True
        )
        return Written(content, source_digest=digest)
    if export.kind == ExportKind.STATISTICS:
        output = io.BytesIO()
        write_statistics_xlsx(figures_for(period), output)
        return Written(output.getvalue())
    # On disk while it is written (three years are several megabytes), then into the row.
    with tempfile.TemporaryFile() as output:
        if export.fmt == ExportFormat.CSV:
            text = io.TextIOWrapper(output, encoding="utf-8", newline="")
            rows = write_activity_csv(period, text)
            text.detach()  # flushes, and leaves the file open
        else:
            rows = write_activity_xlsx(period, output)
        output.seek(0)
        return Written(output.read(), rows=rows)


def export_delete(*, export: PreparedExport) -> None:
    """Delete an export and its file before its time (its requester no longer needs it). A
    build still running finds its row gone and keeps nothing (see export_build)."""
    PreparedExport.objects.filter(pk=export.pk).delete()


def exports_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the exports asked for more than EXPORT_RETENTION_DAYS ago; returns how many."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.EXPORT_RETENTION_DAYS)
    deleted, _by_model = PreparedExport.objects.filter(requested_at__lt=cutoff).delete()
    return deleted
