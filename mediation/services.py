"""Writes to the core domain that span several rows or models."""

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from mediation.errors import DomainError
from mediation.models import (
    Commune,
    Epci,
    FormerCommuneSlug,
    FormerModuleSlug,
    Stop,
    TutorialModule,
)
from mediation.text import commune_slug, normalize_for_search

DEFAULT_COMMUNES_CSV = Path(__file__).resolve().parent / "data" / "somme_communes.csv"
REQUIRED_COLUMNS = (
    "insee_code",
    "name",
    "postal_codes",
    "population",
    "latitude",
    "longitude",
    "epci_code",
    "epci_name",
)


class CommuneImportError(DomainError):
    """A file that cannot be imported; nothing was written."""

    def __init__(self, message: str, *, code: str, line: int | None = None, field: str = ""):
        super().__init__(code, message)
        self.line = line
        self.field = field


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    epci_created: int = 0
    epci_updated: int = 0
    changed_names: list[str] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        return bool(self.created or self.updated or self.epci_created or self.epci_updated)


@dataclass(frozen=True)
class CommuneRow:
    line: int
    insee_code: str
    name: str
    postal_codes: str
    population: int
    latitude: Decimal
    longitude: Decimal
    epci_code: str
    epci_name: str


def _fail(line: int, column: str, message: str, code: str) -> CommuneImportError:
    text = _("Line %(line)d, field “%(field)s”: %(message)s") % {
        "line": line,
        "field": column,
        "message": message,
    }
    return CommuneImportError(text, code=code, line=line, field=column)


def _decimal(raw: str, *, line: int, column: str, low: int, high: int) -> Decimal:
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        raise _fail(line, column, _("“%s” is not a number.") % raw, "not_a_number") from None
    if not value.is_finite() or not low <= value <= high:
        raise _fail(
            line,
            column,
            _("%(value)s is out of range (%(low)d to %(high)d).")
            % {"value": raw, "low": low, "high": high},
            "out_of_range",
        )
    return value.quantize(Decimal("0.00001"))


def parse_communes_csv(path: Path) -> list[CommuneRow]:
    """Read and check every row; raise CommuneImportError naming the first bad line and field."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise CommuneImportError(
            _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror},
            code="unreadable",
        ) from None
    with handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise CommuneImportError(
                _("Missing columns: %s.") % ", ".join(missing), code="missing_columns", line=1
            )
        rows: list[CommuneRow] = []
        seen_codes: dict[str, int] = {}
        # Line 1 is the header, so the first data row is line 2, as a spreadsheet shows it.
        for line, record in enumerate(reader, start=2):
            values = {key: (value or "").strip() for key, value in record.items() if key}
            insee = values["insee_code"]
            if not insee:
                raise _fail(line, "insee_code", _("the INSEE code is missing."), "missing")
            if len(insee) != 5 or not (insee.isdigit() or insee[:2] in ("2A", "2B")):
                raise _fail(
                    line, "insee_code", _("“%s” is not a valid INSEE code.") % insee, "invalid"
                )
            if insee in seen_codes:
                raise _fail(
                    line,
                    "insee_code",
                    _("%(code)s already appears on line %(first)d.")
                    % {"code": insee, "first": seen_codes[insee]},
                    "duplicate",
                )
            seen_codes[insee] = line
            if not values["name"]:
                raise _fail(line, "name", _("the name is missing."), "missing")
            postal_codes = [p.strip() for p in values["postal_codes"].split(";") if p.strip()]
            if not postal_codes or not all(len(p) == 5 and p.isdigit() for p in postal_codes):
                raise _fail(
                    line,
                    "postal_codes",
                    _("“%s” is not a list of 5-digit postal codes.") % values["postal_codes"],
                    "invalid",
                )
            try:
                population = int(values["population"] or "0")
            except ValueError:
                raise _fail(
                    line,
                    "population",
                    _("“%s” is not a whole number.") % values["population"],
                    "not_a_number",
                ) from None
            if population < 0:
                raise _fail(line, "population", _("cannot be negative."), "out_of_range")
            epci_code = values["epci_code"]
            if epci_code and not (len(epci_code) == 9 and epci_code.isdigit()):
                raise _fail(
                    line, "epci_code", _("“%s” is not a SIREN number.") % epci_code, "invalid"
                )
            if epci_code and not values["epci_name"]:
                raise _fail(line, "epci_name", _("the EPCI name is missing."), "missing")
            rows.append(
                CommuneRow(
                    line=line,
                    insee_code=insee,
                    name=values["name"],
                    postal_codes=";".join(postal_codes),
                    population=population,
                    latitude=_decimal(
                        values["latitude"], line=line, column="latitude", low=-90, high=90
                    ),
                    longitude=_decimal(
                        values["longitude"], line=line, column="longitude", low=-180, high=180
                    ),
                    epci_code=epci_code,
                    epci_name=values["epci_name"],
                )
            )
    if not rows:
        raise CommuneImportError(_("The file has no commune."), code="empty")
    return rows


@transaction.atomic
def communes_import(*, path: Path = DEFAULT_COMMUNES_CSV) -> ImportReport:
    """Create or update communes and their EPCI from a CSV file, all or nothing.

    Running it twice with the same file changes nothing the second time.
    """
    rows = parse_communes_csv(path)
    report = ImportReport()

    epcis = {epci.code: epci for epci in Epci.objects.select_for_update()}
    for row in rows:
        if not row.epci_code:
            continue
        epci = epcis.get(row.epci_code)
        if epci is None:
            epci = Epci.objects.create(
                code=row.epci_code, name=row.epci_name, slug=_free_epci_slug(row.epci_name, epcis)
            )
            epcis[epci.code] = epci
            report.epci_created += 1
        elif epci.name != row.epci_name:
            epci.name = row.epci_name
            epci.save(update_fields=["name"])
            report.epci_updated += 1

    existing = {commune.insee_code: commune for commune in Commune.objects.select_for_update()}
    taken_slugs = {commune.slug for commune in existing.values()}
    to_create, to_update = [], []
    compared = ("name", "postal_codes", "population", "latitude", "longitude", "epci_id")
    for row in rows:
        epci_id = epcis[row.epci_code].pk if row.epci_code else None
        values = {
            "name": row.name,
            "postal_codes": row.postal_codes,
            "population": row.population,
            "latitude": row.latitude,
            "longitude": row.longitude,
            "epci_id": epci_id,
        }
        commune = existing.get(row.insee_code)
        if commune is None:
            slug = commune_slug(row.name, row.insee_code, taken_slugs)
            taken_slugs.add(slug)
            commune = Commune(insee_code=row.insee_code, slug=slug, **values)
            commune.refresh_search_name()
            to_create.append(commune)
        elif any(getattr(commune, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(commune, key, value)
            commune.refresh_search_name()
            to_update.append(commune)
            report.changed_names.append(row.name)
        else:
            report.unchanged += 1
    Commune.objects.bulk_create(to_create, batch_size=500)
    Commune.objects.bulk_update(to_update, [*compared, "search_name"], batch_size=500)
    report.created = len(to_create)
    report.updated = len(to_update)
    return report


def _free_epci_slug(name: str, epcis: dict[str, Epci]) -> str:
    base = slugify(normalize_for_search(name)) or "epci"
    taken = {epci.slug for epci in epcis.values()}
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


# What residents and their calendars see of a stop: a change to any of these is news.
STOP_PUBLIC_FIELDS = (
    "commune",
    "date",
    "start_time",
    "end_time",
    "place_name",
    "address",
    "directions",
    "latitude",
    "longitude",
    "status",
    "cancellation_reason",
)


# What a series decides: changing one of these by hand makes the stop an exception.
HAND_EDIT_FIELDS = {
    "commune",
    "van",
    "date",
    "start_time",
    "end_time",
    "place_name",
    "address",
    "directions",
    "mediators",
}


@transaction.atomic
def stop_update(*, stop: Stop, changed_fields: Iterable[str]) -> Stop:
    """Save an edited stop; bump its iCal SEQUENCE when a field the public sees changed.

    Subscribed calendars only replace an event whose SEQUENCE grew, so without the bump a
    moved or cancelled stop would stay wrong on residents' phones. A stop of a series whose
    date, times, place or mediators someone changed, or that someone cancelled, becomes an
    exception: re-applying the series leaves it alone.
    """
    changed = set(changed_fields)
    # Cancelled by hand too: the series must not bring that visit back.
    cancelled = "status" in changed and stop.is_cancelled
    if stop.series_id and (changed & HAND_EDIT_FIELDS or cancelled):
        stop.edited_by_hand = True
    if set(changed_fields) & set(STOP_PUBLIC_FIELDS):
        # Read under lock: two coordinators saving at once must still give two increments.
        current = Stop.objects.select_for_update().filter(pk=stop.pk)
        stop.sequence = current.values_list("sequence", flat=True).get() + 1
    stop.save()
    return stop


@transaction.atomic
def module_keep_former_slug(*, module: TutorialModule, former_slug: str) -> None:
    """After `module`'s slug changed from `former_slug`: the former address keeps leading to
    it (printed handouts carry it in a QR code), and an address it takes back is its own
    again. A former address is one module's: the latest to leave it."""
    _keep_former_slug(FormerModuleSlug, "module", module, former_slug)


@transaction.atomic
def commune_keep_former_slug(*, commune: Commune, former_slug: str) -> None:
    """After `commune`'s slug changed from `former_slug` (in the back office): the former
    address of its page, flyer and calendar keeps leading to it (printed flyers carry it in a
    QR code), and an address it takes back is its own again. A former address is one
    commune's: the latest to leave it."""
    _keep_former_slug(FormerCommuneSlug, "commune", commune, former_slug)


def _keep_former_slug(former_slugs, owner_field: str, owner, former_slug: str) -> None:
    former_slugs.objects.filter(slug=owner.slug).delete()
    if former_slug and former_slug != owner.slug:
        former_slugs.objects.update_or_create(slug=former_slug, defaults={owner_field: owner})
