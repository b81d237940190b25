from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from mediation.staff_permissions import StaffPermissions


class CmsConfig(AppConfig):
    name = "cms"
    label = "cms"
    verbose_name = _("Public site")
    # Coordinators write each commune's local text on the site.
    staff_permissions = StaffPermissions(coordinator_models=("communelocalcontent",))

    def ready(self) -> None:
        from cms.models import CommuneLocalContent, ContentPage, HomePage
        from mediation import tour_cache

        # A town hall's note, the home page's text and the footer's legal pages are shown.
        for model in (CommuneLocalContent, HomePage, ContentPage):
            tour_cache.follow(model)
