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
        from cms.models import CommuneLocalContent
        from mediation import tour_cache

        # A town hall's note is shown on its commune's page. Pages (the home page's text, the
        # footer's legal pages) are followed with every page, image and site by
        # mediation/layout.py, which makes the tour cache's pages stale too.
        tour_cache.follow(CommuneLocalContent)
