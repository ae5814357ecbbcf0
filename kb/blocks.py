"""StreamField blocks of a knowledge-base article.

Headings carry an anchor so the article can show a table of contents; documents link through
the KB download view, which checks the reader's audience before handing out the file.
"""

from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


def heading_anchor(block_id: str | None, text: str) -> str:
    """A stable id for a heading: its block id survives edits of the text."""
    return f"h-{block_id}" if block_id else f"h-{slugify(text, allow_unicode=True)[:60]}"


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("heading"), max_length=200)
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Section")), ("h3", _("Subsection"))], default="h2", label=_("level")
    )

    class Meta:
        icon = "title"
        template = "kb/blocks/heading.html"
        label = _("Heading")
        preview_value = {"text": "Before you open the doors", "level": "h2"}


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "kb/blocks/image.html"
        label = _("Image")


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(
        label=_("link text"), required=False, max_length=200, help_text=_("Defaults to its title.")
    )

    class Meta:
        icon = "doc-full"
        template = "kb/blocks/document.html"
        label = _("Document")


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label=_("video URL"), help_text=_("YouTube or Vimeo link."))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=250)

    class Meta:
        icon = "media"
        template = "kb/blocks/video.html"
        label = _("Video")


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("info", _("Information")), ("warning", _("Warning"))],
        default="info",
        label=_("kind"),
    )
    text = blocks.RichTextBlock(label=_("text"), features=["bold", "italic", "link", "ul"])

    class Meta:
        icon = "warning"
        template = "kb/blocks/callout.html"
        label = _("Callout")
        preview_value = {"kind": "warning", "text": "<p>Never leave the till open.</p>"}


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("step"), max_length=200)
    text = blocks.RichTextBlock(
        label=_("details"), required=False, features=["bold", "italic", "link", "ul"]
    )


class StepsBlock(blocks.StructBlock):
    steps = blocks.ListBlock(StepBlock(), label=_("steps"), min_num=1)

    class Meta:
        icon = "list-ol"
        template = "kb/blocks/steps.html"
        label = _("Step-by-step")
        preview_value = {
            "steps": [
                {"title": "Switch on the oven", "text": ""},
                {"title": "Open the till", "text": ""},
            ]
        }


class ArticleBodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(
        label=_("Text"),
        icon="pilcrow",
        template="kb/blocks/text.html",
        features=["bold", "italic", "link", "document-link", "ol", "ul", "h4", "hr"],
        preview_value="<p>Check the shift checklist every morning.</p>",
    )
    heading = HeadingBlock()
    image = ImageBlock()
    document = DocumentBlock()
    video = VideoBlock()
    callout = CalloutBlock()
    table = TableBlock(label=_("Table"), icon="table", template="kb/blocks/table.html")
    steps = StepsBlock()


def table_of_contents(body) -> list[dict]:
    """Headings of an article body, in order, with the anchors their blocks render."""
    toc = []
    for block in body:
        if block.block_type == "heading":
            toc.append(
                {
                    "text": block.value["text"],
                    "level": block.value["level"],
                    "anchor": heading_anchor(block.id, block.value["text"]),
                }
            )
    return toc
