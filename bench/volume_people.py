"""The residents of the generated tour: registrations, attendance and tablets lent, in bulk.

Split from bench/volume.py, which calls `make_registrations` once the workshops exist.
"""

import datetime as dt
import random
import uuid


def make_registrations(workshops: list, tablets: list, *, rng: random.Random) -> None:
    from django.conf import settings
    from django.utils import timezone

    from mediation.models import PARIS
    from sessions.models import (
        Attendance,
        Autonomy,
        Equipment,
        Registration,
        RegistrationChannel,
        RegistrationStatus,
        Workshop,
    )

    now = timezone.now()
    today = timezone.localdate()
    retention = dt.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
    stop_dates = {}
    registrations, attendances, seats = [], [], []
    first_names = ["Monique", "Jean", "Josiane", "Michel", "Nadia", "Gérard", "Sylvie", "Paul"]
    channels = [RegistrationChannel.ONLINE, RegistrationChannel.PHONE, RegistrationChannel.WALK_IN]
    serial = 0
    for workshop in workshops:
        day = stop_dates.setdefault(workshop.stop_id, workshop.stop.date)
        past = day < today
        weeks_ahead = max((day - today).days / 7, 0)
        # Past workshops filled up; far-off ones have only started to.
        fill = 1.06 if past else max(0.95 - weeks_ahead * 0.012, 0.3)
        if workshop.capacity == 1:
            count = min(int(rng.gauss(1.3 * fill, 0.6) + 0.5), 3)
        else:
            count = min(int(rng.gauss(workshop.capacity * fill, 1.2) + 0.5), workshop.capacity + 3)
        confirmed = 0
        for _number in range(max(count, 0)):
            serial += 1
            status = RegistrationStatus.CONFIRMED
            if confirmed >= workshop.capacity:
                status = RegistrationStatus.WAITING
            elif rng.random() < 0.06:
                status = RegistrationStatus.CANCELLED
            confirmed += status == RegistrationStatus.CONFIRMED
            # Signed up 2 to 40 days before, and never later than now.
            created = min(
                dt.datetime.combine(day, dt.time(9), tzinfo=PARIS)
                - dt.timedelta(days=rng.randint(2, 40)),
                now,
            )
            anonymised = past and now - dt.datetime.combine(day, dt.time(18), PARIS) > retention
            registration = Registration(
                uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
                workshop_id=workshop.pk,
                first_name="" if anonymised else rng.choice(first_names),
                last_name="" if anonymised else f"Habitant{serial}",
                phone="" if anonymised else f"+3361{serial:07d}",
                status=status,
                # Walk-ins come to a workshop that took place; coming ones have none yet.
                channel=rng.choice(channels if past else channels[:2]),
                consent_at=created,
                anonymised_at=now if anonymised else None,
            )
            registration.created_at = created
            registrations.append(registration)
            if past and status == RegistrationStatus.CONFIRMED and rng.random() < 0.93:
                attendances.append((registration, day, rng.random() < 0.9))
        if confirmed:
            workshop.seats_taken = min(confirmed, workshop.capacity)
            seats.append(workshop)
    signed_up = [registration.created_at for registration in registrations]
    Registration.objects.bulk_create(registrations, batch_size=5000)
    # auto_now_add overwrote created_at: put the sign-up dates back in one pass per batch.
    for registration, created in zip(registrations, signed_up, strict=True):
        registration.created_at = created
    Registration.objects.bulk_update(registrations, ["created_at"], batch_size=5000)
    Workshop.objects.bulk_update(seats, ["seats_taken"], batch_size=5000)
    rows = []
    for registration, day, present in attendances:
        rows.append(
            Attendance(
                uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
                registration_id=registration.pk,
                present=present,
                minutes_spent=rng.choice([30, 45, 60, 90]) if present else None,
                autonomy=rng.choice(list(Autonomy.values)) if present else "",
                equipment=rng.choice(list(Equipment.values)) if present else "",
                lending_tablet_id=rng.choice(tablets).pk
                if present and rng.random() < 0.4
                else None,
                first_visit=rng.random() < 0.3,
                recorded_at=dt.datetime.combine(day, dt.time(12), tzinfo=PARIS),
            )
        )
    Attendance.objects.bulk_create(rows, batch_size=5000)
