from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from cms.demo import seed_legal_pages, seed_site
from mediation.demo import DEMO_PASSWORD, seed_accounts, seed_branding, seed_modules, seed_tour
from mediation.models import Commune
from sessions.demo import seed_workshops
from tablets.demo import seed_tablets


class Command(BaseCommand):
    help = "Load a believable demo (modules, staff, a 12-week tour, sign-ups, tablets). Idempotent."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "seed_demo creates accounts with a known password: not in production."
            )
        if not Commune.objects.exists():
            raise CommandError("No commune yet: run `python manage.py import_communes` first.")
        seed_branding(site_name=settings.WAGTAIL_SITE_NAME)
        home = seed_site(site_name=settings.WAGTAIL_SITE_NAME)
        seed_legal_pages(home=home)
        accounts = seed_accounts()
        modules = seed_modules()
        stops = seed_tour()
        workshops = seed_workshops()
        tablets = seed_tablets()
        if stops:
            self.stdout.write(f"Tour: {len(stops)} stops and {workshops} workshops planned.")
        else:
            self.stdout.write("Tour: already planned, left as it is.")
        self.stdout.write(f"Modules: {len(modules)}. New tablets: {tablets}.")
        admin_url = settings.SITE_URL + reverse("wagtailadmin_home")
        self.stdout.write(f"Demo accounts (password “{DEMO_PASSWORD}”), log in at {admin_url}:")
        for account in accounts:
            self.stdout.write(f"  {account.username:<14} {account.group}")
        self.stdout.write(f"Mediators' app: {settings.SITE_URL}{reverse('mediator_app:home')}")
