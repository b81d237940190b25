from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils.translation import gettext as _

from cms.demo import seed_legal_pages, seed_site
from mediation.demo import DEMO_PASSWORD, seed_accounts, seed_branding, seed_modules
from mediation.demo_tour import seed_tour
from mediation.models import Commune
from sessions.demo import seed_workshops
from tablets.demo import seed_tablets


class Command(BaseCommand):
    help = _(
        "Load a demo (modules, staff, a 12-week tour of two vans, sign-ups, tablets). Idempotent."
    )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError(
                _("seed_demo creates accounts with a known password: not in production.")
            )
        if not Commune.objects.exists():
            raise CommandError(_("No commune yet: run `python manage.py import_communes` first."))
        seed_branding(site_name=settings.WAGTAIL_SITE_NAME)
        home = seed_site(site_name=settings.WAGTAIL_SITE_NAME)
        seed_legal_pages(home=home)
        accounts = seed_accounts()
        modules = seed_modules()
        stops = seed_tour()
        workshops = seed_workshops()
        tablets = seed_tablets()
        if stops:
            self.stdout.write(
                _("Tour: %(stops)d stops and %(workshops)d workshops planned.")
                % {"stops": len(stops), "workshops": workshops}
            )
        else:
            self.stdout.write(_("Tour: already planned, left as it is."))
        self.stdout.write(
            _("Modules: %(modules)d. New tablets: %(tablets)d.")
            % {"modules": len(modules), "tablets": tablets}
        )
        admin_url = settings.SITE_URL + reverse("wagtailadmin_home")
        self.stdout.write(
            _("Demo accounts (password “%(password)s”), log in at %(url)s:")
            % {"password": DEMO_PASSWORD, "url": admin_url}
        )
        for account in accounts:
            self.stdout.write(f"  {account.username:<14} {account.group}")
        self.stdout.write(
            _("Mediators' app: %(url)s") % {"url": settings.SITE_URL + reverse("mediator_app:home")}
        )
