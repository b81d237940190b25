"""Finding the commune a resident means, however they type it: the one matcher behind the
home page's "Votre commune" search and the sign-up form's commune field."""

from dataclasses import dataclass, field

from mediation.models import Commune
from mediation.text import edit_distance_at_most_one, normalize_for_search

MIN_LENGTH_FOR_TYPOS = 4
MAX_SUGGESTIONS = 5


@dataclass(frozen=True)
class CommuneSearch:
    query: str
    # Sure matches: the name contains what was typed, or the postal code is the one typed.
    communes: list[Commune] = field(default_factory=list)
    # No sure match, but one typo away: offered as "Vouliez-vous dire … ?", never chosen for them.
    suggestions: list[Commune] = field(default_factory=list)
    more: bool = False

    @property
    def exact(self) -> Commune | None:
        """The one commune whose whole name was typed, if there is exactly one."""
        exact = [commune for commune in self.communes if commune.search_name == self.query]
        return exact[0] if len(exact) == 1 else None


def search_communes(text: str, *, limit: int = 50) -> CommuneSearch:
    """Sure matches first; when there are none, the communes one typo away."""
    query = normalize_for_search(text)
    if not query:
        return CommuneSearch(query=query)
    found = list(Commune.objects.search(text)[: limit + 1])
    if found:
        return CommuneSearch(query=query, communes=found[:limit], more=len(found) > limit)
    return CommuneSearch(query=query, suggestions=_one_typo_away(query))


def _one_typo_away(query: str) -> list[Commune]:
    if len(query) < MIN_LENGTH_FOR_TYPOS or query.isdigit():
        return []
    # 771 short names: comparing in Python is a millisecond, and no database has to
    # offer a fuzzy index for it.
    names = Commune.objects.values_list("pk", "search_name")
    close = [
        pk
        for pk, name in names
        if edit_distance_at_most_one(query, name)
        or edit_distance_at_most_one(query, name[: len(query)])
        or edit_distance_at_most_one(query, name[: len(query) + 1])
    ]
    return list(
        Commune.objects.filter(pk__in=close).order_by("-population", "search_name")[
            :MAX_SUGGESTIONS
        ]
    )
