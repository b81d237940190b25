from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from mediation.staff_permissions import StaffPermissions


class CmsConfig(AppConfig):
    name = "cms"
    label = "cms"
    verbose_name = _("Public site")
    # Coordinators write each commune's local text on the site.
    staff_permissions = StaffPermissions(coordinator_models=("communelocalcontent",))
