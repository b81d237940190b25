"""Wagtail's French where it reads as a form to fill in: "Ajouter un(e) escale",
"Utilisé(e) 0 fois", "Nouvel(le) : Escale". Each list names its own "add" button with its
article (AddLabelMixin), and its form for a new item is titled by that button; the few
Wagtail sentences that cannot know a model's gender are reworded in the project's
catalogue, which Django reads before Wagtail's (LOCALE_PATHS).
"""

import datetime as dt

from django.utils.functional import cached_property, lazy
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy, ngettext_lazy
from wagtail.admin.panels import InlinePanel
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.widgets import AdminSnippetChooser

from mediation.templatetags.french_dates import hour, longdate, longdatetime

# Listed here so that makemessages keeps them in locale/fr (Wagtail's own msgids).
WAGTAIL_REWORDED = (
    ngettext_lazy("Used %(usage_count)s time", "Used %(usage_count)s times", "usage_count"),
    gettext_lazy("%(model_name)s '%(object)s' created."),
    gettext_lazy("%(model_name)s '%(object)s' updated."),
    gettext_lazy("%(model_name)s '%(object)s' deleted."),
    gettext_lazy("The %(model_name)s could not be created due to errors."),
    gettext_lazy("The %(model_name)s could not be saved due to errors."),
    gettext_lazy("No %(model_name)s match your query."),
    gettext_lazy(
        'There are no %(model_name)s to display. Why not <a href="%(add_url)s">add one</a>?'
    ),
    ngettext_lazy(
        "This %(model_name)s is referenced %(usage_count)s time.",
        "This %(model_name)s is referenced %(usage_count)s times.",
        "counter",
    ),
    gettext_lazy("One or more references to this %(model_name)s prevent it from being deleted."),
    gettext_lazy("Are you sure you want to delete this %(model_name)s?"),
    gettext_lazy("Are you sure you want to delete this %(snippet_type_name)s?"),
    gettext_lazy("Are you sure you want to delete %(count)s %(snippet_type_name)s?"),
    # A chooser's buttons (SnippetChooserInFrench): "Choisir : module", without an article
    # ("Modifier ce/cette commune" was Wagtail's).
    gettext_lazy("Choose %(object)s"),
    gettext_lazy("Choose another %(object)s"),
    gettext_lazy("Edit this %(object)s"),
    # A page's status, read by screen readers before "Publié": Wagtail's French says
    # "Status", in English, where its other screens say "Statut".
    gettext_lazy("Status: "),
    gettext_lazy("Current page status:"),
    gettext_lazy("Locking status"),
)


class FrenchColonInItsTab:
    """For any screen of a viewset: its tab reads "Modification : Créer son compte CAF",
    with the space French puts before a colon, not Wagtail's "Modification: …" written in
    Python where no catalogue reaches."""

    def get_header_title(self):
        title, subtitle = self.get_page_title(), self.get_page_subtitle()
        if not subtitle:
            return title
        # Translators: a back-office tab, "Editing: <the item's name>".
        return gettext("%(action)s: %(item)s") % {"action": title, "item": subtitle}


class TitledByItsAddLabel:
    """For a create view: its tab, heading and breadcrumb read "Ajouter une escale", the
    button that led there, instead of Wagtail's "Nouveau: Escale" and "Nouvel(le) : Escale"."""

    add_item_label: str

    def get_page_subtitle(self):
        return self.add_item_label

    def get_header_title(self):
        return self.add_item_label

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items()
        return [*items[:-1], {**items[-1], "label": self.add_item_label}]


class NamedByAHeadingOne:
    """For a snippet's create or edit view: Wagtail shows its title as a level-2 heading and
    passes its slim header no `title`, so the page had no level-1 heading (axe's
    page-has-heading-one; a screen reader's "next level-1 heading" found nothing). The
    header's hidden level-1 heading reads as the visible heading, as on Wagtail's other views."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not context.get("title"):
            # What the form's visible heading reads (wagtailadmin/generic/form.html).
            context["title"] = context.get("page_subtitle") or context.get("page_title")
        return context


def _about(message: str, model) -> str:
    return gettext(message) % {"object": model._meta.verbose_name}


_lazy_about = lazy(_about, str)


class SnippetChooserInFrench(AdminSnippetChooser):
    """A snippet's chooser whose buttons are translated when the form is drawn.

    Wagtail makes each snippet's chooser once, as the app starts, with no language active:
    a stop's form read "Choose commune", a commune's "Choose intercommunality"."""

    def __init__(self, model, **kwargs) -> None:
        super().__init__(model, **kwargs)
        # Wagtail's messages, in this project's French (listed at the top for makemessages).
        self.choose_one_text = _lazy_about("Choose %(object)s", model)
        self.choose_another_text = _lazy_about("Choose another %(object)s", model)
        self.link_to_chosen_text = _lazy_about("Edit this %(object)s", model)


class SnippetChooserViewSetInFrench(SnippetChooserViewSet):
    @cached_property
    def widget_class(self):
        return SnippetChooserInFrench(model=self.model, icon=self.icon)


class AddLabelMixin:
    """For a ViewSet: its list's button reads `add_item_label` ("Ajouter une escale")
    instead of Wagtail's "Ajouter un(e) escale"; the chooser of its model, in another
    model's form, reads in French."""

    add_item_label: str
    chooser_viewset_class = SnippetChooserViewSetInFrench

    def construct_view(self, view_class, **kwargs):
        # Every screen but the new item's, titled by its button (TitledByItsAddLabel).
        if hasattr(view_class, "get_header_title") and not issubclass(
            view_class, TitledByItsAddLabel
        ):
            view_class = type(view_class.__name__, (FrenchColonInItsTab, view_class), {})
        return super().construct_view(view_class, **kwargs)

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(add_item_label=self.add_item_label, **kwargs)

    @property
    def add_view(self):
        # The viewset's own create view (snippet, model or custom), titled by the button.
        view_class = type(
            self.add_view_class.__name__,
            (TitledByItsAddLabel, NamedByAHeadingOne, self.add_view_class),
            {"add_item_label": self.add_item_label},
        )
        return self.construct_view(view_class, **self.get_add_view_kwargs())

    @property
    def edit_view(self):
        view_class = type(
            self.edit_view_class.__name__, (NamedByAHeadingOne, self.edit_view_class), {}
        )
        return self.construct_view(view_class, **self.get_edit_view_kwargs())


class InlinePanelWithAddLabel(InlinePanel):
    """An InlinePanel whose button reads `add_label` ("Ajouter un acquis") instead of
    Wagtail's "Ajouter un(e) Acquis" (mediation/templates/wagtailadmin/panels/)."""

    def __init__(self, *args, add_label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_label = add_label

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "add_label": self.add_label}

    class BoundPanel(InlinePanel.BoundPanel):
        template_name = "wagtailadmin/panels/inline_panel_add_label.html"


# What a list or a record shows for a value nobody gave (Wagtail writes "None" or nothing):
# words, which a screen reader says as they are (not a dash, read "tiret" or skipped).
NOT_GIVEN = gettext_lazy("Not recorded")


def spoken_value(value):
    """A record's value as staff read it: "Oui", "mardi 8 décembre 2026, 9 h 30" (Paris
    time), "Non renseigné" when empty; anything else as it is."""
    if value is None or value == "" or value == []:
        return NOT_GIVEN
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, dt.datetime):
        return longdatetime(value)
    if isinstance(value, dt.date):
        return longdate(value)
    if isinstance(value, dt.time):
        return hour(value)
    return value


class SpokenColumn(Column):
    """A field of a list as staff read it (spoken_value): a yes-or-no field "Oui" or "Non",
    not Python's "True" and "False", which Wagtail writes out, nor its tick icons, titled
    "True" and "False" for a screen reader; a date and time "mardi 8 décembre 2026, 9 h 30";
    a field left unanswered (null) "Non renseigné", not "Non"."""

    @classmethod
    def of(cls, model, field_name: str, **kwargs) -> "SpokenColumn":
        """The column of a model's field, headed by its name with a capital and sorted by
        it."""
        label = capfirst(model._meta.get_field(field_name).verbose_name)
        return cls(field_name, label=label, sort_key=field_name, **kwargs)

    def get_value(self, instance):
        return spoken_value(super().get_value(instance))


class InspectedInFrench:
    """For an InspectView: each value as staff read it (spoken_value). Wagtail's own writes
    "True", "None" and a date and time in UTC (its template localises the value's format,
    not its time zone): an hour early in winter, two in summer."""

    def get_field_display_value(self, field_name, field):
        return spoken_value(super().get_field_display_value(field_name, field))
