"""Wagtail's French where it reads as a form to fill in: "Ajouter un(e) escale",
"Utilisé(e) 0 fois". Each list names its own "add" button with its article
(AddLabelMixin), and the few Wagtail sentences that cannot know a model's gender are
reworded in the project's catalogue, which Django reads before Wagtail's (LOCALE_PATHS).
"""

from django.utils.translation import ngettext_lazy

# Listed here so that makemessages keeps them in locale/fr (Wagtail's own msgids).
WAGTAIL_REWORDED = (
    ngettext_lazy("Used %(usage_count)s time", "Used %(usage_count)s times", "usage_count"),
)


class AddLabelMixin:
    """For a ViewSet: its list's button reads `add_item_label` ("Ajouter une escale")
    instead of Wagtail's "Ajouter un(e) escale"."""

    add_item_label: str

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(add_item_label=self.add_item_label, **kwargs)
