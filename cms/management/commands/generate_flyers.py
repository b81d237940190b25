"""Write one flyer PDF per commune into a folder: the whole Somme, or one EPCI.

Rendering is CPU-bound, so the communes are shared out to a pool of processes (two by
default, one per core of the server); each process warms its own WeasyPrint renderer.
"""

import multiprocessing
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.db.models import Q
from django.utils.translation import gettext as _
from tqdm import tqdm

from cms.flyers import (
    DEFAULT_MONTHS,
    MAX_MONTHS,
    MIN_MONTHS,
    FlyerPeriod,
    FlyerPeriodError,
    build_flyers,
    flyer_filename,
    flyer_period,
    render_flyers,
)
from mediation.models import Branding, Commune, Epci

# Small enough to keep both processes busy to the end, large enough to batch the queries.
CHUNK_SIZE = 8


def write_flyers(commune_ids: list[int], *, period: FlyerPeriod, output: Path) -> list[Path]:
    """Render and write the flyers of these communes; the unit of work of one process."""
    branding = Branding.load()
    communes = Commune.objects.filter(pk__in=commune_ids).order_by("name", "insee_code")
    written = []
    for flyer in build_flyers(communes, period=period):
        path = output / flyer_filename(flyer.commune)
        # Written under a temporary name and renamed: an interrupted run leaves no half file.
        partial = path.with_suffix(".pdf.part")
        partial.write_bytes(render_flyers([flyer], branding=branding))
        partial.replace(path)
        written.append(path)
    return written


def _write_flyers_in_worker(commune_ids: list[int], **options) -> list[Path]:
    try:
        return write_flyers(commune_ids, **options)
    finally:
        # Pool workers end with os._exit(), which closes no connection properly: left open,
        # they would linger on the server (and block dropping a test database).
        connections.close_all()


class Command(BaseCommand):
    help = _("Write one A4 flyer (PDF) per commune, for all communes or one intercommunality.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--epci", help=_("Only this intercommunality (its slug or SIREN code).")
        )
        parser.add_argument(
            "--output", default="flyers", help=_("Folder to write into (created if needed).")
        )
        parser.add_argument(
            "--workers", type=int, default=2, help=_("Processes rendering in parallel (default 2).")
        )
        parser.add_argument(
            "--mois",
            type=int,
            default=DEFAULT_MONTHS,
            help=_("Months ahead to show, %(min)d to %(max)d (default %(default)d).")
            % {"min": MIN_MONTHS, "max": MAX_MONTHS, "default": DEFAULT_MONTHS},
        )

    def handle(self, *args, epci, output, workers, mois, **options):
        if workers < 1:
            raise CommandError(_("--workers must be at least 1."))
        try:
            period = flyer_period(mois)
        except FlyerPeriodError as error:
            raise CommandError(str(error)) from None
        communes = Commune.objects.order_by("name", "insee_code")
        if epci:
            found = Epci.objects.filter(Q(slug=epci) | Q(code=epci)).first()
            if found is None:
                raise CommandError(
                    _("No intercommunality with the slug or code %(code)r.") % {"code": epci}
                )
            communes = communes.filter(epci=found)
        ids = list(communes.values_list("pk", flat=True))
        if not ids:
            raise CommandError(_("No commune to print: run `manage.py import_communes` first."))
        folder = Path(output)
        folder.mkdir(parents=True, exist_ok=True)

        chunks = [ids[start : start + CHUNK_SIZE] for start in range(0, len(ids), CHUNK_SIZE)]
        progress = tqdm(total=len(ids), unit="affiche", disable=options["verbosity"] < 1)
        with progress:
            if workers == 1 or len(chunks) == 1:
                for chunk in chunks:
                    write_flyers(chunk, period=period, output=folder)
                    progress.update(len(chunk))
            else:
                self._render_in_pool(chunks, workers, period, folder, progress)
        self.stdout.write(
            _("%(count)d flyers written to %(folder)s/") % {"count": len(ids), "folder": folder}
        )

    def _render_in_pool(self, chunks, workers, period, folder, progress):
        # Forked processes start with the loaded Django and settings (and, in tests, the
        # test database's name) but must not share the parent's open database connections.
        connections.close_all()
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = {
                pool.submit(_write_flyers_in_worker, chunk, period=period, output=folder): len(
                    chunk
                )
                for chunk in chunks
            }
            for future in as_completed(futures):
                future.result()
                progress.update(futures[future])
