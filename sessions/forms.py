"""Form parts shared by the residents' sign-up and the staff's registration screens."""

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext_lazy as _

from mediation.commune_search import search_communes
from mediation.models import Commune
from mediation.text import normalize_for_search
from sessions.contacts import clean_person_name, normalise_email, normalise_phone

NAME_MAX_LENGTH = 100
NEEDS_MAX_LENGTH = 500
# Every commune of the Somme's most shared postal code (40 share 80140).
MAX_COMMUNES_LISTED = 50


class AccessibleErrorsMixin:
    """Ties each field to its error message and help text for screen readers."""

    def full_clean(self):
        super().full_clean()
        for name, field in self.fields.items():
            described_by = []
            if name in self.errors:
                described_by.append(f"{self[name].auto_id}_error")
                field.widget.attrs["aria-invalid"] = "true"
            if field.help_text:
                described_by.append(f"{self[name].auto_id}_helptext")
            if described_by:
                field.widget.attrs["aria-describedby"] = " ".join(described_by)


def find_commune(text: str) -> Commune:
    """The commune a resident typed (a name or a postal code), or a ValidationError.

    The same matcher as the home page's search: "St"/"Ste", accents and one typo forgiven;
    a postal code shared by 40 communes names all 40, so the resident can pick theirs.
    """
    query = normalize_for_search(text)
    if query and not query.isdigit():
        # Most residents type their commune's whole name: the one commune of that name is
        # the search's exact match, found by the indexed column alone (the search orders
        # every commune containing it, a query twice as dear to build, for the same answer).
        # In SQL, and only the columns a registration and the form's messages use (the
        # others load if asked for, as with only()): a third of the CPU of building the
        # query, on the sign-up's hot path.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, name, search_name FROM {Commune._meta.db_table} "  # noqa: S608
                "WHERE search_name = %s LIMIT 2",
                [query],
            )
            named = cursor.fetchall()
        if len(named) == 1:
            return Commune.from_db(connection.alias, ["id", "name", "search_name"], named[0])
    found = search_communes(text, limit=MAX_COMMUNES_LISTED)
    if found.exact:
        return found.exact
    if len(found.communes) == 1:
        return found.communes[0]
    if found.suggestions:
        raise ValidationError(
            _("We do not know this commune. Did you mean: %(names)s?"),
            code="unsure",
            params={"names": ", ".join(commune.name for commune in found.suggestions)},
        )
    if not found.communes:
        raise ValidationError(
            _("We do not know this commune. Type its name, for example: Abbeville."),
            code="unknown",
        )
    raise ValidationError(
        _("Several communes match. Which one: %(names)s?"),
        code="ambiguous",
        params={"names": ", ".join(commune.name for commune in found.communes)},
    )


class PersonFieldsMixin:
    def clean_first_name(self):
        return clean_person_name(self.cleaned_data["first_name"])

    def clean_last_name(self):
        value = self.cleaned_data["last_name"]
        return clean_person_name(value) if value.strip() else ""

    def clean_phone(self):
        return normalise_phone(self.cleaned_data["phone"])

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])

    def clean_needs(self):
        value = self.cleaned_data["needs"].strip()
        if any(ord(char) < 32 and char not in "\n\r\t" for char in value):
            raise ValidationError(_("This text contains invisible characters."), code="control")
        if "<" in value and ">" in value:
            raise ValidationError(
                _("Please write in plain text, without the characters < and >."), code="markup"
            )
        return value
