"""A reference for the sign-up's target, not the product's sign-up: the least it could cost.

Issue #18 asks a sign-up for half the bare insert's throughput. The sign-up of
`sessions.public.views` keeps Django's form and writes through the service, in a handful of
statements. This view keeps what no sign-up can drop (CSRF, the rate limit and the seats'
version on Redis, the phone normalised, a registration, its message, its delivery task, a
seat or a place on the waiting list, the form's digest that leads a second sending to the
first's confirmation, the personal link) and nothing else: the POST read
without a form, every write in one PostgreSQL statement, the open/closed rules of
`workshop_signup_state` in its WHERE clause. `make bench` measures it beside the sign-up, so
that the maintainers see, in every run, what a formless one-statement sign-up would gain
before they decide to move the sign-up's rules into SQL.

Not for production: no error page (a status code), no e-mail, the commune found by its
exact name, the message's text left to the worker. PostgreSQL only.
"""

import functools
import os

from django.db import IntegrityError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from mediation.models import Commune, Stop, StopStatus
from mediation.tour_cache import tour_changed
from sessions.contacts import normalise_phone
from sessions.forms import NAME_MAX_LENGTH, NEEDS_MAX_LENGTH
from sessions.links import personal_link
from sessions.message_models import Channel, MessageKind, MessageState, OutboundMessage
from sessions.models import Registration, RegistrationChannel, RegistrationStatus, Workshop
from sessions.public.ratelimit import rate_limit_allows
from sessions.public.sent_twice import submission_key
from sessions.public.views import SIGNUP_LIMIT, SIGNUP_WINDOW_SECONDS

# What the ceiling may also leave out, to see what each part costs (bench runs only).
WITHOUT_RATE_LIMIT = "BENCH_CEILING_WITHOUT_RATE_LIMIT"
WITHOUT_SEATS_VERSION = "BENCH_CEILING_WITHOUT_SEATS_VERSION"


@functools.cache
def _sql() -> str:
    from django_tasks_db.models import DBTaskResult

    from sessions.messaging import send_outbound_messages

    workshop, stop = Workshop._meta.db_table, Stop._meta.db_table
    registration, message = Registration._meta.db_table, OutboundMessage._meta.db_table
    commune, task = Commune._meta.db_table, DBTaskResult._meta.db_table
    return f"""
WITH w AS (
  SELECT w.id, w.seats_taken < w.capacity AS has_seat, w.end_time, s.date
  FROM {workshop} w JOIN {stop} s ON s.id = w.stop_id
  WHERE w.id = %(workshop)s AND s.status <> '{StopStatus.CANCELLED}'
    AND (w.signup_opens_at IS NULL OR w.signup_opens_at <= now())
    AND (w.signup_closes_at IS NULL OR w.signup_closes_at > now())
    AND (s.date + w.start_time) AT TIME ZONE 'Europe/Paris' > now()
  FOR NO KEY UPDATE OF w
), seat AS (
  UPDATE {workshop} SET seats_taken = seats_taken + 1 FROM w
  WHERE {workshop}.id = w.id AND w.has_seat RETURNING {workshop}.id
), reg AS (
  INSERT INTO {registration} (uuid, first_name, last_name, phone, email, needs, status,
    channel, consent_at, token_version, created_at, updated_at, home_commune_id, workshop_id,
    submission_key)
  SELECT gen_random_uuid(), %(first_name)s, %(last_name)s, %(phone)s, '', %(needs)s,
    CASE WHEN w.has_seat THEN '{RegistrationStatus.CONFIRMED}'
         ELSE '{RegistrationStatus.WAITING}' END,
    '{RegistrationChannel.ONLINE}', now(), 1, now(), now(),
    (SELECT id FROM {commune} WHERE name = %(commune)s ORDER BY id LIMIT 1), w.id,
    %(submission_key)s
  FROM w RETURNING id, uuid, token_version, status
), msg AS (
  INSERT INTO {message} (kind, channel, recipient, params, subject, body, html, dedupe_key,
    state, attempts, error, provider_id, created_at, updated_at, registration_id, headers)
  SELECT CASE WHEN reg.status = '{RegistrationStatus.CONFIRMED}'
              THEN '{MessageKind.CONFIRMED}' ELSE '{MessageKind.WAITING}' END,
    '{Channel.SMS}', %(phone)s, '{{}}', '', '', '', '', '{MessageState.QUEUED}', 0, '', '',
    now(), now(), reg.id, '{{}}'
  FROM reg RETURNING id
), queued AS (
  INSERT INTO {task} (id, status, args_kwargs, priority, task_path, queue_name, backend_name,
    run_after, enqueued_at, exception_class_path, traceback, worker_ids)
  SELECT gen_random_uuid(), 'READY',
    jsonb_build_object('args', jsonb_build_array(jsonb_build_array(msg.id)), 'kwargs',
      '{{}}'::jsonb),
    0, '{send_outbound_messages.module_path}', 'default', 'default', now(), now(), '', '',
    '[]'
  FROM msg RETURNING id
)
SELECT reg.uuid, reg.token_version, w.end_time, w.date, (SELECT count(*) FROM queued)
FROM reg, w
"""


@require_POST
def signup_ceiling(request: HttpRequest, workshop_pk: int) -> HttpResponse:
    if not os.environ.get(WITHOUT_RATE_LIMIT) and not rate_limit_allows(
        request, scope="signup", limit=SIGNUP_LIMIT, window=SIGNUP_WINDOW_SECONDS
    ):
        return HttpResponse(status=429)
    post = request.POST
    first_name, last_name = post.get("first_name", "").strip(), post.get("last_name", "").strip()
    too_long = max(len(first_name), len(last_name)) > NAME_MAX_LENGTH
    if not first_name or too_long or post.get("website"):
        return HttpResponse(status=400)
    if any(c.isdigit() for c in first_name + last_name) or post.get("consent") != "on":
        return HttpResponse(status=400)
    phone = normalise_phone(post.get("phone", ""))
    values = {
        "workshop": workshop_pk,
        "first_name": first_name,
        "last_name": last_name,
        "phone": phone,
        "needs": post.get("needs", "").strip()[:NEEDS_MAX_LENGTH],
        "commune": post.get("home_commune", "").strip(),
        "submission_key": submission_key(request, "signup", workshop_pk),
    }
    try:
        with connection.cursor() as cursor:  # autocommit: one statement, one transaction
            cursor.execute(_sql(), values)
            row = cursor.fetchone()
    except IntegrityError:  # the same phone already signed up
        return HttpResponse(status=409)
    if row is None:  # no such workshop, or not open
        return HttpResponse(status=410)
    uuid, token_version, end_time, date, _queued = row
    if not os.environ.get(WITHOUT_SEATS_VERSION):
        tour_changed("seats", at_once=False)  # autocommit: bumped at once
    # The link as the product signs it: what personal_link reads of the registration.
    registration = Registration(
        uuid=uuid,
        token_version=token_version,
        workshop=Workshop(end_time=end_time, stop=Stop(date=date)),
    )
    token = personal_link(registration).token
    return HttpResponseRedirect(reverse("workshops:registration_confirmation", args=[token]))
