"""The building blocks of a module's steps, edited in the Wagtail admin.

Four kinds, so that pages and handouts can show each one for what it is: a numbered step,
a tip, a warning, and a link to the official site where the procedure is done.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock

# Short, plain paragraphs: residents read these on a tablet or on paper.
TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link"]


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(
        label=_("title"), max_length=150, help_text=_("A short action: “Ouvrez le site caf.fr”.")
    )
    text = blocks.RichTextBlock(label=_("text"), features=TEXT_FEATURES)
    image = ImageChooserBlock(
        label=_("screenshot"),
        required=False,
        help_text=_("Optional. A screenshot without anyone's personal details."),
    )
    image_description = blocks.CharBlock(
        label=_("screenshot description"),
        required=False,
        max_length=250,
        help_text=_("What the screenshot shows, for people who cannot see it."),
    )

    class Meta:
        icon = "list-ol"
        label = _("Step")

    def clean(self, value):
        value = super().clean(value)
        # Without it the screenshot is an empty alt: nothing at all for whoever cannot see it.
        if value.get("image") and not (value.get("image_description") or "").strip():
            raise StructBlockValidationError(
                block_errors={
                    "image_description": ValidationError(
                        _("Describe the screenshot for people who cannot see it."),
                        code="screenshot_without_description",
                    )
                }
            )
        return value


class TipBlock(blocks.StructBlock):
    text = blocks.RichTextBlock(label=_("text"), features=TEXT_FEATURES)

    class Meta:
        icon = "help"
        label = _("Tip")


class WarningBlock(blocks.StructBlock):
    text = blocks.RichTextBlock(label=_("text"), features=TEXT_FEATURES)

    class Meta:
        icon = "warning"
        label = _("Warning")


class OfficialLinkBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("link text"), max_length=150)
    url = blocks.URLBlock(label=_("address"))

    class Meta:
        icon = "link-external"
        label = _("Official site")


class ModuleStepsBlock(blocks.StreamBlock):
    step = StepBlock()
    tip = TipBlock()
    warning = WarningBlock()
    official_link = OfficialLinkBlock()

    class Meta:
        label = _("Steps")
