"""A public form sent twice makes one thing: what it made the first time keeps the form's digest.

On a weak signal a resident taps "Envoyer", sees nothing happen and taps again: the browser
drops the first sending for the second, and shows her the second's answer. A registration, an
alert or a request for a visit made online keeps a digest of the form page it came from
(`sessions.public.sent_twice.submission_key`): the second sending finds it and answers as the
first did, instead of "already registered", a second SMS code, or a second request.
"""

from django.db import models


def submission_key_field() -> models.CharField:
    """The digest of the online form that made the row; empty for anything else."""
    return models.CharField(max_length=64, blank=True, default="", editable=False)


class SentByFormQuerySet(models.QuerySet):
    def sent_by_form(self, submission_key: str):
        """What this very form page made; nothing for a row or a form without a digest."""
        if not submission_key:
            return self.none()
        return self.filter(submission_key=submission_key)
