"""Table columns rendered in Python, for the back-office lists that show many rows.

Wagtail renders every cell through a template (Column.cell_template) and every row's
"more options" menu through four more (dropdown, buttons, one per link, icons): on the
registrations list, 50 rows, that was two thirds of the page's time (issue #18). These
columns write the same markup with format_html, the values formatted as `{{ value }}` would
(local time, localised, escaped), the menu from the view's MenuItems as Wagtail lists them.
"""

from collections.abc import Callable

from django.templatetags.l10n import unlocalize
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _
from wagtail.admin.ui.tables import ButtonsColumnMixin, Column, TitleColumn


def _class_attr(column) -> str:
    return format_html(' class="{}"', column.classname) if column.classname else ""


class PlainColumn(Column):
    """Column's cell (wagtailadmin/tables/cell.html) without the template."""

    def render_cell_html(self, instance, parent_context):
        value = self.get_value(instance)
        if value is None:
            shown = ""
        elif isinstance(value, int) and not isinstance(value, bool):
            shown = unlocalize(value)
        elif not str(value).strip():
            shown = self.empty_value_display
        else:
            shown = localize(template_localtime(value))
        return format_html("<td{}>{}</td>", _class_attr(self), shown)


class LinesColumn(Column):
    """A cell of short lines, one under the other, each from its accessor and with its class
    (empty ones left out): two facts in one column, so that a list of people fits a tablet."""

    def __init__(self, name, *, lines: list[tuple[str, Callable]], **kwargs):
        super().__init__(name, **kwargs)
        self.lines = lines

    def render_cell_html(self, instance, parent_context):
        shown = format_html_join(
            "",
            '<span class="{}">{}</span>',
            ((classname, value) for classname, line in self.lines if (value := line(instance))),
        )
        return format_html('<td class="lines">{}</td>', shown or self.empty_value_display)


def _rel(item) -> str:
    rel = getattr(item, "link_rel", None)
    return format_html(' rel="{}"', rel) if rel else ""


_ICON = '<svg class="icon icon-{} {}" aria-hidden="true"><use href="#icon-{}"></use></svg>'


class MenuTitleColumn(ButtonsColumnMixin, TitleColumn):
    """TitleColumn's cell with its "more options" dropdown, without the templates.

    `menu_items(instance)` gives the row's MenuItems (the view's get_list_more_buttons);
    those shown to the user are listed by priority, as Wagtail's dropdown lists them.
    A ButtonsColumnMixin so that the view does not wrap it in its own buttons' column.
    """

    def __init__(self, name, *, menu_items, user, **kwargs):
        super().__init__(name, **kwargs)
        self.menu_items = menu_items
        self.user = user

    def render_cell_html(self, instance, parent_context):
        title = self.get_value(instance)
        if not str(title).strip():
            title = self.empty_value_display
        url = self.get_link_url(instance, parent_context)
        heading = format_html('<a href="{}">{}</a>', url, title) if url else title
        items = sorted(item for item in self.menu_items(instance) if item.is_shown(self.user))
        if not items:
            return format_html(
                '<td class="title"><div class="title-wrapper">{}</div></td>', heading
            )
        links = format_html_join(
            "",
            '<a href="{}"{}>' + _ICON + "{}</a>",
            (
                (item.url, _rel(item), item.icon_name, "icon", item.icon_name, item.label)
                for item in items
            ),
        )
        return format_html(
            '<td class="title"><div class="title-wrapper">{}</div><ul class="actions"><li>'
            '<div data-controller="w-dropdown" class="w-dropdown">'
            '<button type="button" class="w-dropdown__toggle w-dropdown__toggle--icon" '
            'data-w-dropdown-target="toggle" aria-label="{}">'
            + _ICON
            + '</button><div data-w-dropdown-target="content" class="w-dropdown__content" hidden>'
            "{}</div></div></li></ul></td>",
            heading,
            _("More options for '%(title)s'") % {"title": str(instance)},
            "dots-horizontal",
            "w-dropdown__toggle-icon",
            "dots-horizontal",
            links,
        )
