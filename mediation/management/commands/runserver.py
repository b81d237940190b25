"""Django's development server; with --demo-accounts it ends its banner with the demo's logins.

`make run` uses it so that the accounts are the last thing printed before serving, where
someone trying the project looks.
"""

from django.contrib.auth import get_user_model
from django.contrib.staticfiles.management.commands.runserver import Command as StaticRunserver
from django.urls import reverse
from django.utils.translation import gettext as _

from mediation.demo import DEMO_ACCOUNTS, DEMO_PASSWORD


class Command(StaticRunserver):
    help = _(
        "Start the development server, which also serves the static files; with "
        "--demo-accounts, end its banner with the demo's logins."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--demo-accounts",
            action="store_true",
            help=_("After the banner, list the demo accounts that exist and where to sign in."),
        )

    def execute(self, *args, **options):
        self.show_demo_accounts = options.get("demo_accounts", False)
        return super().execute(*args, **options)

    def on_bind(self, server_port):
        super().on_bind(server_port)
        if self.show_demo_accounts:
            self.stdout.write(demo_accounts_text(f"{self.protocol}://{self.addr}:{server_port}"))


def demo_accounts_text(base_url: str) -> str:
    existing = set(
        get_user_model()
        .objects.filter(username__in=[account.username for account in DEMO_ACCOUNTS])
        .values_list("username", flat=True)
    )
    accounts = [account for account in DEMO_ACCOUNTS if account.username in existing]
    if not accounts:
        return _("No demo account: run `python manage.py seed_demo`.")
    lines = [
        "",
        _("Demo accounts (password “%(password)s”):") % {"password": DEMO_PASSWORD},
        *(f"  {account.username:<14} {account.group}" for account in accounts),
        _("Back office: %(url)s") % {"url": base_url + reverse("wagtailadmin_home")},
        _("Mediators' tablet app: %(url)s") % {"url": base_url + reverse("mediator_app:home")},
        _("Public site: %(url)s") % {"url": base_url + "/"},
    ]
    return "\n".join(lines)
