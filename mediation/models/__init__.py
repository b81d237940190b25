"""The core domain: where the van goes (communes, EPCI), when (stops), what it teaches.

One module per subject; everything is importable from `mediation.models` as before.
"""

from mediation.models.branding import MINIMUM_CONTRAST, Branding, contrast_ratio, relative_luminance
from mediation.models.geography import (
    EARTH_RADIUS_KM,
    Commune,
    CommuneQuerySet,
    Epci,
    FormerCommuneSlug,
)
from mediation.models.modules import (
    ModuleLevel,
    ModuleOutcome,
    ModuleTheme,
    TutorialModule,
    TutorialModuleQuerySet,
)
from mediation.models.tour import PARIS, Stop, StopQuerySet, StopStatus

__all__ = [
    "EARTH_RADIUS_KM",
    "MINIMUM_CONTRAST",
    "PARIS",
    "Branding",
    "Commune",
    "CommuneQuerySet",
    "Epci",
    "FormerCommuneSlug",
    "ModuleLevel",
    "ModuleOutcome",
    "ModuleTheme",
    "Stop",
    "StopQuerySet",
    "StopStatus",
    "TutorialModule",
    "TutorialModuleQuerySet",
    "contrast_ratio",
    "relative_luminance",
]
