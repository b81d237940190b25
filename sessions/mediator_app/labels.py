"""The mediators' app's words and choices, translated here: its JavaScript needs no catalogue."""

from django.utils.translation import gettext as _

from sessions import models
from sessions.vocabulary import Theme


def _choices(choices) -> list[dict]:
    return [{"value": value, "label": str(label)} for value, label in choices]


def app_choices() -> dict:
    return {
        "autonomy": _choices(models.Autonomy.choices),
        "equipment": _choices(models.Equipment.choices),
        "redirection": _choices(models.Redirection.choices),
        "age_bracket": _choices(models.AgeBracket.choices),
        "situation": _choices(models.Situation.choices),
        "gender": _choices(models.Gender.choices),
        "theme": _choices(Theme.choices),
        "operator": _choices(models.Operator.choices),
        "place_type": _choices(models.PlaceType.choices),
    }


def app_labels() -> dict:
    return {
        "loading": _("Loading…"),
        "no_stop": _("No stop is planned for you today."),
        "no_registration": _("Nobody has signed up yet."),
        "present": _("Present"),
        "absent": _("Absent"),
        "not_marked": _("Not marked yet"),
        "saved_on_tablet": _("Saved on this tablet"),
        "jump_to": _("Go to"),
        "not_stored": _("Not kept on this tablet: waiting to be sent, keep this page open"),
        "storage_failed": _(
            "This tablet can no longer keep what you record (its memory may be full). What "
            "has not been sent will be lost if this page closes: keep it open, find a signal "
            "and tap “Send now”."
        ),
        "sent_to_server": _("Sent to the server"),
        "changed_elsewhere": _(
            "Changed on another tablet at %(time)s, after yours: this is what the server keeps"
        ),
        "refused": _("Refused by the server"),
        "refused_because": _("Refused by the server: %(reason)s"),
        "sent_without_tablet": _("Presence sent, without the lending tablet: %(reason)s"),
        "walk_in": _("walk-in"),
        "waiting_list": _("waiting list"),
        "cancelled_but_came": _("registration cancelled, came all the same"),
        "details": _("Outcomes and details"),
        "outcomes": _("Outcomes reached"),
        "tablet": _("Lending tablet used"),
        "no_tablet": _("No lending tablet"),
        "to_reset": _("to be reset"),
        "minutes": _("Time spent (minutes)"),
        "note": _("Note"),
        "autonomy": _("Autonomy reached"),
        "equipment": _("Equipment used"),
        "redirection": _("Redirected to"),
        "first_visit": _("First visit"),
        "age_bracket": _("Age bracket (optional)"),
        "situation": _("Situation (optional)"),
        "not_said": _("Not said"),
        "add_walk_in": _("Add a walk-in"),
        "first_name": _("First name"),
        "commune": _("Commune"),
        "phone_optional": _("Phone (optional)"),
        "add": _("Add"),
        "unknown_commune": _("Pick a commune from the list."),
        "online": _("Online"),
        "offline": _("Offline: everything is kept on this tablet"),
        "server_error": _(
            "The server answered with an error (%(status)s): everything is kept on this "
            "tablet and will be sent at the next try. If it lasts, tell the coordination."
        ),
        "server_unreachable": _(
            "Connected, but the server does not answer: everything is kept on this tablet and "
            "will be sent at the next try"
        ),
        # The same three once the tablet's storage refused a write: "everything is kept" would
        # then be false (the storage warning says what is at stake).
        "offline_unstored": _("Offline"),
        "server_error_unstored": _(
            "The server answered with an error (%(status)s): sent again at the next try. If it "
            "lasts, tell the coordination."
        ),
        "server_unreachable_unstored": _(
            "Connected, but the server does not answer: sent again at the next try"
        ),
        "withdraw_walk_in": _("Remove (added by mistake)"),
        "withdraw_walk_in_confirm": _(
            "Remove %(name)s from the list? Her or his visit will not be counted."
        ),
        "withdraw_walk_in_yes": _("Yes, remove"),
        "withdraw_walk_in_no": _("No, keep"),
        "pending": _("Records waiting to be sent:"),
        "pending_at_sign_out": _(
            "Records not sent yet (no signal?): %(count)s. If you sign out, they stay on this "
            "tablet, but another mediator cannot send them for you. Sign out anyway?"
        ),
        "others_pending": _(
            "Records left by another account, kept until it signs in here again: %(count)s"
        ),
        "clock_off": _(
            "This tablet's clock is %(gap)s off the server's: set its date and time, or the "
            "server will refuse or misorder what you record."
        ),
        "sign_out_failed": _(
            "No signal: the sign-out did not reach the server and the session is still open. "
            "Try again where there is a signal."
        ),
        "refused_count": _(
            "Refused by the server: %(count)s (each card says why; record it again once put right)"
        ),
        "refused_elsewhere": _("Refused records not on today's rosters"),
        "send_again": _("Send again"),
        "refused_elsewhere_hint": _(
            "These records match no card of your stops of today (a stop of another day or "
            "given to another mediator, a person moved, a registration cancelled): what you "
            "recorded stays on this tablet for three days. The coordination sees these "
            "refusals too, in the back office; once it has put things right, tap “Send again”."
        ),
        "someone": _("Registered person"),
        "send_now": _("Send now"),
        "reconnect": _("Your session has expired: sign in again to send the records."),
        "seats": _("seats"),
        "seats_taken": _("%(taken)s of %(capacity)s seats taken"),
        "over_capacity": _("more people than seats"),
        "resident_note": _("Their note:"),
        "walk_in_workshop": _("Workshop"),
        "phone_ending": _("phone ending in %(digits)s"),
        "offline_ready": _("This page works without a signal."),
        "lending_tablets": _("Lending tablets to reset"),
        "none_to_reset": _("Every lending tablet is ready for the next resident."),
        "reset_done": _("Tablet reset"),
        "resets_recorded": _("Resets recorded today on this tablet"),
        "gender": _("Gender"),
        "individual_help": _("Individual help (without a workshop)"),
        "individual_help_hint": _(
            "Someone came to the van without signing up for a workshop: record what was done, "
            "without their name."
        ),
        "themes": _("Themes (one at least)"),
        "procedure_name": _("Administrative procedure done (optional)"),
        "operator": _("Body in charge of the procedure"),
        "place_type": _("Place"),
        "commune_optional": _("Commune of residence (optional)"),
        "minutes_required": _("Time spent (minutes)"),
        "record_help": _("Record this help"),
        "helps_recorded": _("Individual helps recorded today"),
        "choose_theme": _("Tick one theme at least."),
        "minutes_invalid": _("Give the time spent, from 1 to 600 minutes."),
        "phone_invalid": _("This phone number is not valid. Example: 06 12 34 56 78."),
        "refusals": refusal_reasons(),
    }


def refusal_reasons() -> dict:
    """Why the server refused a record, in the words the mediator reads on its card.

    The keys are the codes the sync endpoint answers (sync_batch, records, tablet_resets,
    individual_helps, and the fleet's TabletError); a code not listed shows as itself.
    """
    return {
        "invalid_walk_in_phone": _("this phone number is not valid"),
        "invalid_walk_in": _("the walk-in's first name or commune is missing"),
        "unknown_commune": _("unknown commune"),
        "forbidden": _("you are no longer assigned to this stop"),
        "stop_cancelled": _("this stop was cancelled"),
        "unknown_workshop": _("this workshop no longer exists"),
        "unknown_registration": _("this registration no longer exists"),
        "registration_not_in_workshop": _("this person is registered for another workshop"),
        "not_a_walk_in": _("only a walk-in added on a tablet can be taken off the roster"),
        "already_registered": _(
            "this person is already signed up for this workshop (same first name, same "
            "phone): mark her or him on their own card, and remove this one"
        ),
        "unknown_outcome": _("an outcome ticked no longer exists for this module"),
        "unknown_tablet": _("this lending tablet is no longer in the fleet"),
        "unavailable": _("this lending tablet is not in service (charging, in repair or lost)"),
        "reset_pending": _("this lending tablet had not been reset since its last use"),
        "recorded_at_too_old": _("recorded too long ago to be accepted"),
        "recorded_at_in_future": _("this tablet's clock is ahead: check its date and time"),
        "invalid_recorded_at": _("this tablet's clock is wrong: check its date and time"),
    }


def refusal_reason(code: str) -> str:
    """One refusal's reason, as the mediator read it (the code itself when not listed)."""
    return str(refusal_reasons().get(code, code))
