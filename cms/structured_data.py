"""schema.org data that search engines read from the public pages (JSON-LD)."""

import json

from django.conf import settings
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from mediation.models import Branding, Stop, StopStatus
from sessions.models import Workshop

# What json_script escapes, so that no text can close the <script> element.
_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def stop_event(stop: Stop, workshops: list[Workshop], *, branding: Branding) -> dict:
    """A stop as a schema.org Event: where, when (with its UTC offset), whether it is cancelled."""
    commune = stop.commune
    latitude = stop.latitude if stop.latitude is not None else commune.latitude
    longitude = stop.longitude if stop.longitude is not None else commune.longitude
    address = {
        "@type": "PostalAddress",
        "addressLocality": commune.name,
        "addressCountry": "FR",
    }
    if stop.address:
        address["streetAddress"] = stop.address
    if commune.postal_code_list:
        address["postalCode"] = commune.postal_code_list[0]
    organizer = {
        "@type": "Organization",
        "name": branding.operator_name or branding.site_name,
        "url": settings.SITE_URL + "/",
    }
    if branding.contact_phone:
        organizer["telephone"] = branding.contact_phone
    cancelled = stop.status == StopStatus.CANCELLED
    return {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": f"{branding.site_name} – {commune.name}",
        # A module given twice in the day (morning and afternoon) is named once.
        "description": ", ".join(dict.fromkeys(w.module.title for w in workshops))
        or branding.tagline,
        "url": settings.SITE_URL + reverse("cms:stop", kwargs={"pk": stop.pk}),
        "startDate": stop.starts_at.isoformat(),
        "endDate": stop.ends_at.isoformat(),
        "eventStatus": "https://schema.org/Event" + ("Cancelled" if cancelled else "Scheduled"),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "isAccessibleForFree": True,
        "location": {
            "@type": "Place",
            "name": stop.place_name,
            "address": address,
            "geo": {
                "@type": "GeoCoordinates",
                "latitude": float(latitude),
                "longitude": float(longitude),
            },
        },
        "organizer": organizer,
    }


def json_ld(data: dict) -> SafeString:
    """The data as JSON safe to put inside <script type="application/ld+json">."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES))
