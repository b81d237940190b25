"""Where the SMS provider reports back: replies (STOP), deliveries and refused numbers."""

import json
import logging
import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from sessions.contacts import normalise_phone
from sessions.message_models import MessageState, OutboundMessage, SmsOptOut, phone_digest

logger = logging.getLogger(__name__)

# Replies that mean "send me no more", as French operators and residents write them.
STOP_WORDS = {"STOP", "STOP SMS", "ARRET", "ARRÊT", "STOPSMS", "DESINSCRIPTION", "DÉSINSCRIPTION"}


def means_stop(reply: str) -> bool:
    """A reply that begins with a stop word: "Stop", "STOP." or "Stop merci" as well."""
    words = re.findall(r"[^\W\d_]+", reply.upper())
    return bool(words) and (words[0] in STOP_WORDS or " ".join(words[:2]) in STOP_WORDS)


def _opt_out(number: str, reason: str) -> None:
    try:
        # Brevo writes 33612345678 (international, without "+"); a number written as in
        # France (0612345678, 0033612345678) is read as French.
        international = number.isdigit() and not number.startswith("0")
        phone = normalise_phone("+" + number if international else number)
    except Exception:
        logger.warning("SMS webhook: unreadable number")
        return
    if phone:
        SmsOptOut.objects.get_or_create(
            phone_digest=phone_digest(phone), defaults={"reason": reason}
        )


@csrf_exempt
@require_POST
def sms_webhook(request: HttpRequest, token: str) -> HttpResponse:
    """Brevo's transactional SMS events (`webUrl`): replies, unsubscriptions, bounces.

    A reply STOP or an `unsubscribe` event puts the number on the opt-out list; a
    `hard_bounce` or `rejected` marks it refused; `delivered` and bounces update the log.
    """
    if not settings.SMS_WEBHOOK_TOKEN or not constant_time_compare(
        token, settings.SMS_WEBHOOK_TOKEN
    ):
        return HttpResponse(status=404)
    try:
        event = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"error": "invalid JSON"}, status=400)
    if not isinstance(event, dict):
        return JsonResponse({"error": "expected an object"}, status=400)
    status = str(event.get("msg_status") or event.get("event") or "").lower()
    number = str(event.get("to") or event.get("from") or "")
    reply = str(event.get("reply") or event.get("text") or "").strip().upper()
    if status in {"unsubscribe", "unsubscribed"} or (
        status in {"replied", "reply"} and means_stop(reply)
    ):
        _opt_out(number, SmsOptOut.Reason.STOP)
    elif status in {"hard_bounce", "hardbounce", "rejected"}:
        _opt_out(number, SmsOptOut.Reason.REFUSED)
    message_id = str(event.get("messageId") or "")
    if message_id and status in {"delivered", "hard_bounce", "rejected"}:
        state = MessageState.DELIVERED if status == "delivered" else MessageState.FAILED
        OutboundMessage.objects.filter(provider_id=message_id, channel="sms").update(
            state=state, error="" if status == "delivered" else status
        )
    return JsonResponse({"ok": True})
