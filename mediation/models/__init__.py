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
    FormerModuleSlug,
    ModuleLevel,
    ModuleOutcome,
    ModuleTheme,
    TutorialModule,
    TutorialModuleQuerySet,
)
from mediation.models.planning import (
    ClosurePeriod,
    PrivateFeed,
    RecurrenceRule,
    SeriesWorkshop,
    StopSeries,
    Van,
    Weekday,
)
from mediation.models.tour import PARIS, Stop, StopQuerySet, StopStatus

__all__ = [
    "EARTH_RADIUS_KM",
    "MINIMUM_CONTRAST",
    "PARIS",
    "Branding",
    "ClosurePeriod",
    "Commune",
    "CommuneQuerySet",
    "Epci",
    "FormerCommuneSlug",
    "FormerModuleSlug",
    "ModuleLevel",
    "ModuleOutcome",
    "ModuleTheme",
    "PrivateFeed",
    "RecurrenceRule",
    "SeriesWorkshop",
    "Stop",
    "StopQuerySet",
    "StopSeries",
    "StopStatus",
    "TutorialModule",
    "TutorialModuleQuerySet",
    "Van",
    "Weekday",
    "contrast_ratio",
    "relative_luminance",
]
