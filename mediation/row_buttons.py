"""A back-office list's row buttons, drawn by Wagtail's own templates once per shape.

Each row of a list carries its buttons: on the stops list, "Écrire aux inscrits", "Annuler
l'escale" and a "more" dropdown of three links, each one a Wagtail template with its icons.
The rows' buttons differ only by the addresses they lead to and by the item the dropdown's
label names, yet drawing them took half of the stops list's time (100 of 210 ms of CPU for
50 rows, all of it Django's template engine).

So a button is drawn once per request for each shape (its class, template, label, classes,
icon and other attributes, and its dropdown's buttons likewise), by Wagtail's template, with
tokens in place of its address and of the label naming the item; every row takes that HTML
and puts its own values where the tokens are, escaped as the template escapes them. Only
Wagtail's plain and dropdown buttons drawn by their own templates are stamped: those print
the address and the label with `{{ }}` and do nothing else with them. Any other button is
drawn as Wagtail draws it, and so is a button with an attribute that cannot be compared.
"""

import copy
import secrets
from collections.abc import Iterable

from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets.button import BaseButton, Button, ButtonWithDropdown, ListingButton

# Letters and digits, which escaping leaves as they are; new in each process, so that no
# address or name can hold one by chance. Numbered tokens end with a letter that is not hex
# ("…1q" is not the start of "…10q").
_TOKEN = "stamp" + secrets.token_hex(8)
_LINKS = (Button, ListingButton)


class StampedButtons:
    """The HTML of each shape of button drawn on this request (one per list view)."""

    def __init__(self) -> None:
        self._drawn: dict[tuple, str] = {}

    def wrap(self, buttons: Iterable) -> list["StampedButton"]:
        return [StampedButton(button, self) for button in buttons]

    def draw(self, button: BaseButton, parent_context) -> SafeString:
        stamp = _stamp(button)
        if stamp is None:
            return button.render_html(parent_context)
        pattern, values = stamp
        try:
            key = _shape(pattern)
            html = self._drawn.get(key)
        except TypeError:  # an attribute that cannot be a key: drawn as Wagtail draws it
            return button.render_html(parent_context)
        if html is None:
            html = self._drawn[key] = str(pattern.render_html(parent_context))
        for token, value in values.items():
            html = html.replace(token, str(conditional_escape(value)))
        return mark_safe(html)  # noqa: S308 - Wagtail's HTML, the values escaped as it does


class StampedButton(Component):
    """One row's button, drawn from its shape's stamp; sorted as Wagtail sorts buttons."""

    def __init__(self, button, stamps: StampedButtons) -> None:
        self.button = button
        self.stamps = stamps

    @property
    def show(self) -> bool:
        return self.button.show

    def render_html(self, parent_context=None) -> SafeString:
        return self.stamps.draw(self.button, parent_context)

    def _order(self) -> tuple:
        return (self.button.priority, self.button.label)

    def __lt__(self, other: "StampedButton") -> bool:
        return self._order() < other._order()


def _is_link(button) -> bool:
    return (
        type(button) in _LINKS
        and button.template_name == BaseButton.template_name
        and isinstance(button.url, str)
        and bool(button.url)
    )


def _stamp(button) -> tuple[BaseButton, dict[str, str]] | None:
    """The button with tokens in place of its row's values, and those values by token; None
    for a button drawn as Wagtail draws it."""
    values: dict[str, str] = {}

    def tokenised(link: BaseButton) -> BaseButton:
        pattern = copy.copy(link)
        pattern.url = _token(values, link.url)
        if "aria-label" in link.attrs:
            pattern.attrs = {**link.attrs, "aria-label": _token(values, link.attrs["aria-label"])}
        return pattern

    if _is_link(button):
        return tokenised(button), values
    if (
        type(button) is ButtonWithDropdown
        and button.template_name == ButtonWithDropdown.template_name
        and all(_is_link(link) for link in button.dropdown_buttons)
    ):
        pattern = copy.copy(button)
        # Sorted as the dropdown sorts them: the same links listed in another order are one shape.
        pattern.dropdown_buttons = [tokenised(link) for link in sorted(button.dropdown_buttons)]
        if "aria-label" in button.attrs:
            pattern.attrs = {
                **button.attrs,
                "aria-label": _token(values, button.attrs["aria-label"]),
            }
        return pattern, values
    return None


def _token(values: dict[str, str], value) -> str:
    token = f"{_TOKEN}{len(values)}q"
    values[token] = value
    return token


def _shape(button: BaseButton) -> tuple:
    """What a tokenised button's HTML depends on: two buttons of one shape draw the same."""
    children = button.dropdown_buttons if type(button) is ButtonWithDropdown else None
    attrs = tuple(
        sorted(
            (name, str(value) if isinstance(value, Promise) else value)
            for name, value in button.attrs.items()
        )
    )
    return (
        type(button),
        button.template_name,
        str(button.label),
        button.classname,
        button.icon_name,
        button.url,
        attrs,
        tuple(_shape(child) for child in children) if children is not None else None,
    )


class StampedRowButtons:
    """For a list view (Wagtail's IndexView): its rows' buttons drawn from stamps."""

    def get_list_buttons(self, instance):
        # One set of stamps per view, and Django makes a view for each request.
        stamps = self.__dict__.setdefault("_row_button_stamps", StampedButtons())
        return stamps.wrap(super().get_list_buttons(instance))
