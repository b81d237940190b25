from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from mediation.staff_permissions import StaffPermissions


class MediationConfig(AppConfig):
    name = "mediation"
    label = "mediation"
    verbose_name = _("Tour and communes")
    # Coordinators plan the tour and manage modules and branding; mediators read the plan.
    staff_permissions = StaffPermissions(
        coordinator_models=(
            "epci",
            "commune",
            "stop",
            "tutorialmodule",
            "moduleoutcome",
            "branding",
            "van",
            "stopseries",
            "seriesworkshop",
            "closureperiod",
            "privatefeed",
        ),
        mediator=(
            "view_commune",
            "view_stop",
            "view_tutorialmodule",
            "view_van",
            "view_stopseries",
        ),
    )

    def ready(self) -> None:
        from mediation.roles import ensure_staff_groups_after_migrate

        # Permissions only exist once every app has migrated, hence post_migrate
        # rather than a data migration.
        post_migrate.connect(
            ensure_staff_groups_after_migrate, dispatch_uid="mediation_staff_groups"
        )

        from mediation import bulk_sql, models, tour_cache  # noqa: F401 - bulk_sql: `__in_array`

        # What the public pages show of the core domain (see mediation/tour_cache.py).
        for model in (
            models.Commune,
            models.Epci,
            models.Stop,
            models.TutorialModule,
            models.ModuleOutcome,
            models.Branding,
        ):
            tour_cache.follow(model)

        from wagtail.models import ReferenceIndex

        # The branding names the legal pages and the logo: without it in Wagtail's reference
        # index, a page's or an image's "usage" says 0 and its deletion warns of nothing.
        ReferenceIndex.register_model(models.Branding)
        # A branding saved before it was indexed: indexed at the next `migrate`.
        post_migrate.connect(
            index_the_branding_after_migrate, sender=self, dispatch_uid="mediation_branding_index"
        )

        from mediation.layout import follow_layout

        # The header's logo and the footer's legal links (see mediation/layout.py).
        follow_layout()

        from mediation.task_queue import mask_tracebacks

        # No personal data left in a failed task's stored traceback.
        mask_tracebacks()


def index_the_branding_after_migrate(sender: AppConfig, **kwargs) -> None:
    from wagtail.models import ReferenceIndex

    from mediation.models import Branding

    for branding in Branding.objects.using(kwargs.get("using", "default")):
        ReferenceIndex.create_or_update_for_object(branding)
