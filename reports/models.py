"""Who pays for the van (funders whose logos go on sign-in sheets and activity reports), and
the files the task worker prepares: the exports for funders, an intercommunality's flyers."""

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.models import Orderable

from reports.activity import Period

# A build running this long lost its worker; a request waiting this long has none.
STALLED_AFTER = dt.timedelta(minutes=30)
WAITING_LONG_AFTER = dt.timedelta(minutes=3)


class Funder(Orderable):
    """A funder (the département, the State, France Services…), shown by its logo."""

    name = models.CharField(_("name"), max_length=200)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_active = models.BooleanField(
        _("shown on documents"), default=True, help_text=_("Untick when the funding ends.")
    )

    class Meta(Orderable.Meta):
        verbose_name = _("funder")
        verbose_name_plural = _("funders")
        # The screens of this app are granted by these, not by model permissions.
        permissions = [
            ("view_figures", _("Can see the figures and export them for funders")),
            ("print_signin_sheets", _("Can print workshops' sign-in sheets")),
        ]

    def __str__(self) -> str:
        return self.name


class ExportKind(models.TextChoices):
    ACTIVITIES = "activities", _("Activity export")
    STATISTICS = "statistics", _("Statistics workbook")
    # As the statistics page's button names it (the PDF's own title says "compte rendu").
    REPORT = "report", pgettext_lazy("file for funders", "Activity report")
    # Every commune's flyer of an intercommunality (for staff, not only coordinators).
    FLYERS = "flyers", _("Flyers for the town halls")


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", "XLSX"
    CSV = "csv", "CSV"
    PDF = "pdf", "PDF"


# The formats each kind of file is written in, and the start of its file's name.
KIND_FORMATS = {
    ExportKind.ACTIVITIES: (ExportFormat.XLSX, ExportFormat.CSV),
    ExportKind.STATISTICS: (ExportFormat.XLSX,),
    ExportKind.REPORT: (ExportFormat.PDF,),
    ExportKind.FLYERS: (ExportFormat.PDF,),
}
FILE_STEMS = {
    ExportKind.ACTIVITIES: "activites",
    ExportKind.STATISTICS: "statistiques",
    ExportKind.REPORT: "rapport-activite",
    ExportKind.FLYERS: "affiches",
}
# The files that are figures for funders (the statistics page's), for coordinators only;
# the others (the flyers) are for any member of staff.
FIGURE_KINDS = (ExportKind.ACTIVITIES, ExportKind.STATISTICS, ExportKind.REPORT)


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("waiting to be prepared")
    RUNNING = "running", _("being prepared")
    READY = "ready", _("ready to download")
    FAILED = "failed", _("preparation failed")


class PreparedExportQuerySet(models.QuerySet):
    def of(self, user) -> "PreparedExportQuerySet":
        return self.filter(requested_by=user)

    def without_content(self) -> "PreparedExportQuerySet":
        """For lists and status checks: the file itself stays in the database."""
        return self.defer("content")

    def of_the_same_file(self, *, kind: str, fmt: str, period: Period) -> "PreparedExportQuerySet":
        """The files of this kind and format for this period (and intercommunality)."""
        return self.filter(kind=kind, fmt=fmt, start=period.start, end=period.end, epci=period.epci)

    def in_progress(self, now: dt.datetime | None = None) -> "PreparedExportQuerySet":
        """Waiting for a worker or being built, stalled builds aside (see is_in_progress)."""
        stalled = (now or timezone.now()) - STALLED_AFTER
        return self.filter(status__in=[ExportStatus.PENDING, ExportStatus.RUNNING]).exclude(
            status=ExportStatus.RUNNING, started_at__lt=stalled
        )


class PreparedExport(models.Model):
    """A file built by the task worker, kept a few days for its requester: the activity
    export, the statistics workbook, the activity report or an intercommunality's flyers
    (`kind`).

    Three years of activity take seconds to write, a report's PDF seconds to render, the
    flyers of a hundred communes several seconds more; a web worker that did it would keep
    residents waiting. The file is held in this database, not
    on a disk, so the web and the worker processes see it wherever they run, and one DELETE
    purges it (reports.services).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(
        _("file"), max_length=10, choices=ExportKind.choices, default=ExportKind.ACTIVITIES
    )
    fmt = models.CharField(_("format"), max_length=4, choices=ExportFormat.choices)
    start = models.DateField(_("start of the period"))
    end = models.DateField(_("end of the period"))
    epci = models.ForeignKey(
        "mediation.Epci",
        verbose_name=_("intercommunality"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=8, choices=ExportStatus.choices, default=ExportStatus.PENDING
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    content = models.BinaryField(_("file"), default=b"")
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    # A PDF's document, summed up (mediation.pdf.document_digest): the same flyers or report
    # asked for again copy this file instead of rendering it. Not indexed: a few days of
    # exports are a few hundred rows.
    source_digest = models.CharField(_("digest of the document"), max_length=64, blank=True)
    # Flyers show the tour as it was when they were built: the tour's version then
    # (mediation.tour_cache, bumped by any change a flyer shows) and the moment the first
    # stop they print ends. Under the same version and before that moment, the same flyers
    # asked for again are this file.
    tour_version = models.CharField(_("version of the tour"), max_length=64, blank=True)
    stale_at = models.DateTimeField(_("out of date from"), null=True, blank=True)

    objects = PreparedExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("prepared export")
        verbose_name_plural = _("prepared exports")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return self.filename

    def period(self) -> Period:
        return Period(self.start, self.end, self.epci)

    @property
    def filename(self) -> str:
        return f"{self.period().file_stem(FILE_STEMS[self.kind])}.{self.fmt}"

    @property
    def opens_in_browser(self) -> bool:
        """A PDF opens in the browser's reader (as the report did when built in the request);
        the spreadsheets are saved."""
        return self.fmt == ExportFormat.PDF

    @property
    def expires_at(self) -> dt.datetime:
        return self.requested_at + dt.timedelta(days=settings.EXPORT_RETENTION_DAYS)

    @property
    def is_stalled(self) -> bool:
        """Started long ago and never finished: its worker died (the page offers a retry)."""
        return (
            self.status == ExportStatus.RUNNING
            and self.started_at is not None
            and timezone.now() - self.started_at > STALLED_AFTER
        )

    @property
    def is_in_progress(self) -> bool:
        return self.status in (ExportStatus.PENDING, ExportStatus.RUNNING) and not self.is_stalled

    @property
    def is_waiting_long(self) -> bool:
        """Still not taken by a worker after a few minutes: the worker may be down."""
        return (
            self.status == ExportStatus.PENDING
            and timezone.now() - self.requested_at > WAITING_LONG_AFTER
        )

    def is_downloadable(self, now: dt.datetime | None = None) -> bool:
        return self.status == ExportStatus.READY and (now or timezone.now()) < self.expires_at

    def is_out_of_date(self, now: dt.datetime | None = None) -> bool:
        """Flyers that print a stop now over (a town hall would announce a past date)."""
        return self.stale_at is not None and (now or timezone.now()) >= self.stale_at

    @property
    def is_expired(self) -> bool:
        """Built, and past its retention: the purge deletes it, the download is refused."""
        return self.status == ExportStatus.READY and not self.is_downloadable()
