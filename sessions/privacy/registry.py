"""The one list of every place that holds residents' personal data, and how each is wiped.

Purge (after the retention period), subject access export and erasure on request all read
this registry; none of them names a field of its own. A source is a model whose rows belong
to registrations (the person's sign-ups), with the fields to wipe and how. Files written by
message backends are sources too (sessions/privacy/message_files.py).

`NOT_PERSONAL` lists, with the reason, every other text-like field of the project's models:
tests/sessions/test_personal_data_registry.py fails when a model gains a text, e-mail, JSON,
IP address, file or binary field that is in neither list, so a new personal field cannot slip by.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models

# Apps whose models the registry must cover field by field.
PROJECT_APPS = ("mediation", "workshops", "tablets", "cms", "reports")
# Field types that can hold a name, a phone, an address or free text about a person.
TEXT_LIKE_FIELDS = (
    models.CharField,
    models.TextField,
    models.EmailField,
    models.JSONField,
    models.GenericIPAddressField,
    models.FileField,
    models.BinaryField,
)

BLANK = "blank"  # set to "" (text) or None (nullable)
REDACT_KEYS = "redact_keys"  # JSON: blank the listed keys, keep the rest (figures)
EMPTY_JSON = "empty_json"  # JSON: replace by {}
LABEL = "label"  # replace by a neutral label naming no one
DELETE_ROW = "delete_row"  # the row is about the person only: deleted
# Kept on purpose, with the reason in the field's `why`: wiping it would hurt the person.
KEEP = "keep"
ANONYMISED_LABEL = "—"


@dataclass(frozen=True)
class PersonalField:
    name: str
    wipe: str = BLANK
    # For REDACT_KEYS: the keys of the JSON object that hold personal text.
    keys: tuple[str, ...] = ()
    why: str = ""
    # False for a secret, a digest or a technical copy (the HTML of an e-mail, its headers):
    # in the JSON download, left out of the summary the person reads (services.person_summary).
    shown: bool = True


@dataclass(frozen=True)
class Source:
    """A model holding personal data of the people behind some registrations."""

    model: str  # "app_label.Model"
    fields: tuple[PersonalField, ...]
    # The rows of this model that belong to the given registrations.
    rows_of: Callable[[models.QuerySet], models.QuerySet]
    description: str = ""
    extra: dict = field(default_factory=dict)
    # For data held by contact rather than through a registration: the rows of these phones
    # (E.164) and e-mails. Such a source keeps its own retention (`retention`, a function
    # of the purge command), and is found, exported and erased by contact.
    rows_by_contact: Callable[[list[str], list[str]], models.QuerySet] | None = None
    retention: str = ""
    # Rows that belong to other people but may name this person (their copies of a message
    # to the stop): wiped with the person's data, never exported as theirs.
    shared: bool = False

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)


def _registrations_content_type() -> ContentType:
    return ContentType.objects.get_for_model(apps.get_model("workshops.Registration"))


def _log_entries_of(registrations: models.QuerySet) -> models.QuerySet:
    from wagtail.models import ModelLogEntry

    ids = [str(pk) for pk in registrations.values_list("pk", flat=True)]
    return ModelLogEntry.objects.filter(
        content_type=_registrations_content_type(), object_id__in=ids
    )


def _messages_of(registrations: models.QuerySet) -> models.QuerySet:
    return apps.get_model("workshops.OutboundMessage").objects.filter(
        registration__in=registrations
    )


def _short_links_of(registrations: models.QuerySet) -> models.QuerySet:
    return apps.get_model("workshops.ShortLink").objects.filter(registration__in=registrations)


def _sms_opt_outs_of(registrations: models.QuerySet) -> models.QuerySet:
    from sessions.message_models import phone_digest

    phones = [phone for phone in registrations.values_list("phone", flat=True) if phone]
    return apps.get_model("workshops.SmsOptOut").objects.filter(
        phone_digest__in=[phone_digest(phone) for phone in phones]
    )


def _broadcasts_to(registrations: models.QuerySet) -> models.QuerySet:
    stops = registrations.values("workshop__stop")
    return apps.get_model("workshops.Broadcast").objects.filter(stop__in=stops)


def _broadcast_copies(registrations: models.QuerySet) -> models.QuerySet:
    keys = [f"broadcast-{pk}" for pk in _broadcasts_to(registrations).values_list("pk", flat=True)]
    # A copy still to leave (queued, being sent, waiting for a retry) keeps its words: the
    # neighbour must get the message whole, not one with its text cut out.
    from sessions.message_models import MessageState

    left = (MessageState.SENT, MessageState.DELIVERED, MessageState.FAILED, MessageState.SKIPPED)
    return apps.get_model("workshops.OutboundMessage").objects.filter(
        dedupe_key__in=keys, state__in=left
    )


def _refused_records_of(registrations: models.QuerySet) -> models.QuerySet:
    # By the registration's row, or by its UUID as the tablet sent it (a walk-in refused,
    # then added by hand under the same UUID, has no row to point to).
    return apps.get_model("workshops.RefusedRecord").objects.filter(
        models.Q(registration__in=registrations)
        | models.Q(registration_uuid__in=registrations.values("uuid"))
    )


def _none(registrations: models.QuerySet) -> models.QuerySet:
    # Sources held by contact are reached through `rows_by_contact`, never this.
    return registrations.none()


def _by_contact(label: str):
    def rows(phones: list[str], emails: list[str]) -> models.QuerySet:
        match = models.Q(pk__in=[])
        if phones := [phone for phone in phones if phone]:
            match |= models.Q(phone__in=phones)
        if emails := [email for email in emails if email]:
            match |= models.Q(email__in=emails)
        return apps.get_model(label).objects.filter(match)

    return rows


SOURCES: tuple[Source, ...] = (
    Source(
        model="workshops.Registration",
        fields=(
            PersonalField("first_name"),
            PersonalField("last_name"),
            PersonalField("phone"),
            PersonalField("email"),
            PersonalField("needs"),
            # When the waiting list gave them a seat and staff phoned them: about the person.
            PersonalField("promoted_at"),
            PersonalField("called_at"),
        ),
        rows_of=lambda registrations: registrations,
        description="Sign-ups online, by phone and walk-ins: names, contact, needs, and "
        "when staff phoned them about a seat from the waiting list.",
    ),
    Source(
        model="workshops.Attendance",
        fields=(PersonalField("note"),),
        rows_of=lambda registrations: apps.get_model("workshops.Attendance").objects.filter(
            registration__in=registrations
        ),
        description="The mediator's note about the person.",
    ),
    Source(
        model="workshops.AttendanceVersion",
        fields=(PersonalField("data", REDACT_KEYS, keys=("note",)),),
        rows_of=lambda registrations: apps.get_model("workshops.AttendanceVersion").objects.filter(
            attendance__registration__in=registrations
        ),
        description="Earlier versions of the attendance, with their notes.",
    ),
    Source(
        model="wagtailcore.ModelLogEntry",
        # The person's name again, and the back office's technical record of a change.
        fields=(
            PersonalField("label", LABEL, shown=False),
            PersonalField("data", EMPTY_JSON, shown=False),
        ),
        rows_of=_log_entries_of,
        description="The back office's audit log: its labels name the person.",
    ),
    Source(
        model="workshops.OutboundMessage",
        fields=(
            PersonalField("recipient"),
            PersonalField("subject"),
            PersonalField("body"),
            PersonalField("html", shown=False),
            PersonalField("params", EMPTY_JSON, shown=False),
            # An alert's unsubscribe link: its secret key leads to the resident's alert.
            PersonalField("headers", EMPTY_JSON, shown=False),
            # A provider's refusal may quote the number.
            PersonalField("error"),
        ),
        rows_of=_messages_of,
        description="The message log: to whom, what was said (kind, channel, state stay).",
    ),
    Source(
        model="workshops.Broadcast",
        fields=(PersonalField("text", LABEL),),
        rows_of=_broadcasts_to,
        description="Staff's messages to a stop's registrants: free text, it may name one.",
    ),
    # A message to a stop is one text sent to all its registrants, and staff may have named
    # someone in it ("Mme Vandermeersch, pensez à votre carte Vitale"): no rule can tell. So
    # erasing one registrant wipes its words from everyone's copy too (and from the stored
    # message files, see services.person_erase); each copy still says to whom, how, when
    # and whether it left. Their owners lose only the text of a message they have received.
    # A copy still waiting to leave is left whole (its text stays until the stop's purge).
    Source(
        model="workshops.OutboundMessage",
        fields=(
            PersonalField("subject"),
            PersonalField("body"),
            PersonalField("html"),
            PersonalField("params", EMPTY_JSON),
        ),
        rows_of=_broadcast_copies,
        shared=True,
        description="The other registrants' copies of a message to the stop: its text may "
        "name the person.",
    ),
    Source(
        model="workshops.ShortLink",
        fields=(PersonalField("token_digest", DELETE_ROW, shown=False),),
        rows_of=_short_links_of,
        description="Short personal links sent by SMS.",
    ),
    Source(
        model="workshops.SmsOptOut",
        fields=(
            PersonalField(
                "phone_digest",
                KEEP,
                shown=False,
                why="a keyed digest, not the number; wiping it would send SMS again to "
                "someone who answered STOP",
            ),
        ),
        rows_of=_sms_opt_outs_of,
        description="Numbers that asked for no more SMS.",
    ),
    # A record the server refused, kept for the coordinators: no note nor phone; the name is
    # read from the registration, or for a walk-in only the first name typed on the tablet.
    # Deleted with the registration's data (purge or erasure), and after 30 days anyway.
    Source(
        model="workshops.RefusedRecord",
        fields=(PersonalField("walk_in_name", DELETE_ROW),),
        rows_of=_refused_records_of,
        retention="sessions.refusals.refused_records_purge (30 days, dealt with or not)",
        description="Records the server refused from a mediator's tablet: who, which "
        "workshop, present or absent, why, until the coordination puts it right.",
    ),
    Source(
        model="workshops.StopAlert",
        fields=(
            PersonalField("phone", DELETE_ROW),
            PersonalField("email", DELETE_ROW),
            PersonalField("key", DELETE_ROW, shown=False),
            PersonalField("code_hash", DELETE_ROW, shown=False),
        ),
        rows_of=_none,
        rows_by_contact=_by_contact("workshops.StopAlert"),
        retention="sessions.alerts.stop_alerts_purge (a year; unconfirmed: two days)",
        description="“Prévenez-moi” alerts: a phone or an e-mail and a commune.",
    ),
    Source(
        model="workshops.BusRequest",
        fields=(
            PersonalField("contact_name"),
            PersonalField("phone"),
            PersonalField("email"),
            PersonalField("needs"),
        ),
        rows_of=_none,
        rows_by_contact=_by_contact("workshops.BusRequest"),
        retention="sessions.bus_requests.bus_requests_purge (a year)",
        description="“Faites venir le bus” requests: who to call back.",
    ),
)

# "app_label.Model.field": why it holds no resident's personal data.
NOT_PERSONAL: dict[str, str] = {
    **{
        f"mediation.Branding.{name}": "the operator's public identity and contact"
        for name in (
            "site_name",
            "tagline",
            "primary_colour",
            "contact_phone",
            "contact_email",
            "operator_name",
            "operator_address",
        )
    },
    **{
        f"mediation.Epci.{name}": "reference data of intercommunalities"
        for name in ("code", "name", "slug")
    },
    **{
        f"mediation.Commune.{name}": "reference data of communes"
        for name in ("insee_code", "name", "slug", "search_name", "postal_codes")
    },
    **{
        f"mediation.TutorialModule.{name}": "tutorial content"
        for name in (
            "title",
            "slug",
            "goal",
            "audience",
            "level",
            "prerequisites",
            "documents_to_bring",
            "theme",
        )
    },
    "mediation.ModuleOutcome.label": "tutorial content",
    "mediation.FormerCommuneSlug.slug": "a commune's former public address",
    "mediation.FormerModuleSlug.slug": "a module's former public address",
    **{
        f"mediation.Stop.{name}": "the public schedule"
        for name in ("place_name", "address", "directions", "status", "cancellation_reason")
    },
    "workshops.Registration.status": "a choice",
    **{
        f"workshops.{model}.submission_key": "a digest of a random token of the form's page"
        for model in ("Registration", "StopAlert", "BusRequest")
    },
    "workshops.Registration.channel": "a choice",
    **{
        f"workshops.Attendance.{name}": "a choice among the national activity categories"
        for name in ("autonomy", "equipment", "redirection", "age_bracket", "situation")
    },
    "workshops.AttendanceVersion.fate": "a choice",
    "workshops.RefusedRecord.reason": "a refusal code of the sync",
    "workshops.RefusedRecord.resolution": "a choice",
    "workshops.Attendance.gender": "a statistical category, anonymous once the name is wiped",
    **{
        f"workshops.Workshop.{name}": "activity categories of the national report"
        for name in ("themes", "procedure_name", "operator", "place_type")
    },
    # An individual help holds no name nor contact: categories of the national report.
    **{
        f"workshops.IndividualHelp.{name}": "activity categories of the national report"
        for name in (
            "themes",
            "procedure_name",
            "operator",
            "place_type",
            "autonomy",
            "equipment",
            "redirection",
            "age_bracket",
            "situation",
            "gender",
        )
    },
    "reports.Funder.name": "a funding body",
    "reports.PreparedExport.kind": "a choice",
    "reports.PreparedExport.fmt": "a choice",
    "reports.PreparedExport.status": "a choice",
    "reports.PreparedExport.content": (
        "an activity export (per person helped, the commune, gender, age bracket and"
        " situation, no name nor contact), or figures counted for a period (the statistics"
        " workbook, the activity report); deleted EXPORT_RETENTION_DAYS after it was asked"
        " for (purge_prepared_exports)"
    ),
    "reports.PreparedExport.source_digest": (
        "a SHA-256 of the document a PDF was rendered from (flyers, the activity report:"
        " tour data and counted figures), so that the same document is copied, not rendered"
        " again; empty for the activity export, whose rows are never copied across people"
    ),
    "reports.PreparedExport.tour_version": (
        "the tour's cache version when flyers were prepared (a number), so that asking again"
        " for the same flyers opens the same file"
    ),
    "mediation.Van.name": "the fleet's vans",
    "mediation.Van.plate": "a vehicle of the operator",
    "mediation.ClosurePeriod.label": "the planning: holidays and closures",
    **{
        f"mediation.StopSeries.{name}": "the planning of recurring stops"
        for name in ("name", "place_name", "address", "directions", "rule")
    },
    "mediation.PrivateFeed.token_hash": "a hash of a staff calendar's secret, no resident",
    "workshops.PersonalDataRequest.kind": "a choice; the record names no resident",
    "workshops.OutboundMessage.kind": "a choice",
    "workshops.OutboundMessage.channel": "a choice",
    "workshops.OutboundMessage.state": "a choice",
    "workshops.OutboundMessage.dedupe_key": "which reminder or broadcast, no person",
    "workshops.OutboundMessage.provider_id": "the provider's message id",
    "workshops.SmsOptOut.reason": "a choice",
    "workshops.BusRequest.requester_kind": "a choice",
    "workshops.BusRequest.organisation": "the town hall or association asking",
    "workshops.BusRequest.venue": "where the van could park",
    "workshops.BusRequest.preferred_period": "when the van could come",
    "workshops.BusRequest.status": "a choice",
    "workshops.BusRequest.decline_reason": "staff's answer about the request",
    **{
        f"tablets.Tablet.{name}": "the device's inventory, written by staff about the device"
        for name in (
            "asset_tag",
            "serial_number",
            "make",
            "model_name",
            "os_name",
            "os_version",
            "status",
            "holder_kind",
            "notes",
        )
    },
    "tablets.TabletUse.reference": "the id of an attendance record, no name",
    "tablets.TabletReset.note": "what was wiped on the device",
    "tablets.TabletStatusChange.from_status": "a choice",
    "tablets.TabletStatusChange.to_status": "a choice",
    "tablets.TabletStatusChange.note": "why the device changed status",
    "tablets.MaintenanceRecord.problem": "the device's fault",
    "tablets.MaintenanceRecord.repair": "the device's repair",
    "tablets.OsMinimum.os_name": "fleet policy",
    "tablets.OsMinimum.minimum_version": "fleet policy",
    "cms.HomePage.introduction": "published page content",
    "cms.ContentPage.body": "published page content",
    "cms.CommuneLocalContent.photo_description": "published page content",
    "cms.CommuneLocalContent.note": "published page content from the town hall",
}


def personal_field_keys() -> set[str]:
    return {f"{source.model}.{f.name}" for source in SOURCES for f in source.fields}


def project_text_fields() -> list[str]:
    """Every text-like field declared by a model of the project's apps ("app.Model.field").

    Fields inherited from a framework's model (a Wagtail page's title, path…) belong to it.
    """
    keys = []
    for app_label in PROJECT_APPS:
        for model in apps.get_app_config(app_label).get_models():
            for model_field in model._meta.concrete_fields:
                if model_field.model is not model:
                    continue
                if isinstance(model_field, TEXT_LIKE_FIELDS):
                    keys.append(f"{model._meta.label}.{model_field.name}")
    return keys


def unclassified_fields() -> list[str]:
    known = personal_field_keys() | set(NOT_PERSONAL)
    return [key for key in project_text_fields() if key not in known]
