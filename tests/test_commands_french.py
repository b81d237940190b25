"""The project's management commands speak French, as the back office does.

Odile, the coordinator who runs `manage.py` on the server, reads each command's `--help`
and its output in French. Only what the project writes is checked: Django's and argparse's
own options (--verbosity, --settings…) come in English from Django itself.
"""

import io
import re

import pytest
from django.core.management import call_command, get_commands, load_command_class

PROJECT_APPS = {"mediation", "cms", "sessions", "reports", "tablets"}

# Words that are common in English help texts and are not French words.
ENGLISH_WORDS = {
    "the", "and", "with", "from", "only", "into", "each", "when", "this", "that", "of",
    "to", "for", "is", "are", "be", "by", "in", "or", "write", "written", "load", "queue",
    "folder", "months", "days", "ahead", "default", "after", "before", "files",
    "show", "list", "first", "last", "meant", "never", "once", "sent", "deleted",
}  # fmt: skip
FRENCH_WORDS = {
    "le", "la", "les", "des", "du", "de", "un", "une", "et", "à", "en", "ou", "où", "au", "aux",
    "son", "sa", "ses", "ce", "cette", "par", "pour", "dans",
}  # fmt: skip


def project_commands() -> list[tuple[str, str]]:
    return sorted(
        (name, app) for name, app in get_commands().items() if app.split(".")[0] in PROJECT_APPS
    )


def words(text: str) -> set[str]:
    # Identifiers (PERSONAL_DATA_RETENTION_DAYS, --statistics, insee_code, file names) are
    # not prose: left out.
    prose = re.sub(r"\S*[_./`-]\S*|\b[A-Z]{2,}\b", " ", text)
    return {word.lower() for word in re.findall(r"[^\W\d_]+", prose)}


def inherited_options(command) -> set[str]:
    """Options defined by Django's own classes (BaseCommand, runserver…), not the project."""
    dests = set()
    for cls in type(command).__mro__:
        if cls.__module__.startswith("django.") and "create_parser" in dir(cls):
            parser = cls().create_parser("manage.py", "x")
            dests |= {action.dest for action in parser._actions}
    return dests


@pytest.mark.parametrize(("name", "app"), project_commands())
def test_every_project_command_explains_itself_in_french(name, app):
    command = load_command_class(app, name)
    parser = command.create_parser("manage.py", name)
    own_texts = [parser.description or ""] + [
        action.help or ""
        for action in parser._actions
        if action.dest not in inherited_options(command) and action.help
    ]
    assert parser.description, f"{name} has no description"
    for text in own_texts:
        found = words(text)
        assert not found & ENGLISH_WORDS, f"{name}: English in {text!r}"
        assert found & FRENCH_WORDS or len(found) <= 3, f"{name}: not French: {text!r}"


def test_the_list_of_project_commands_is_complete():
    # A new command is checked by the test above; this keeps it from silently checking none.
    assert {name for name, _ in project_commands()} >= {
        "seed_demo",
        "generate_flyers",
        "import_communes",
        "backup",
        "restore",
        "export_activity",
        "purge_personal_data",
        "send_reminders",
        "send_stop_alerts",
        "send_pending_messages",
        "load_modules",
        "runserver",
    }


def test_the_heuristic_catches_an_english_help():
    assert words("Queue the reminders due two days before each workshop") & ENGLISH_WORDS
    assert not words("Mettre en file les rappels dus (PERSONAL_DATA_RETENTION_DAYS)") & (
        ENGLISH_WORDS
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("send_stop_alerts", "0 alerte d’escale envoyée."),
        ("send_pending_messages", "0 message remis en file."),
        ("send_reminders", "0 rappel mis en file d’envoi."),
    ],
)
def test_the_cron_commands_report_in_french(name, expected):
    out = io.StringIO()
    call_command(name, stdout=out)
    assert out.getvalue().strip() == expected


@pytest.mark.django_db
def test_the_daily_purge_reports_in_french():
    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)
    first, *others = out.getvalue().splitlines()
    assert first.startswith("0 inscription anonymisée (conservation")
    assert others == [
        "0 alerte d’escale supprimée.",
        "0 demande de passage anonymisée.",
        "0 enregistrement de tablette refusé supprimé (conservation\u00a0: 30 jours).",
    ]
