"""StreamField blocks of lessons and of quiz questions.

Question blocks have no template on purpose: they carry the correct answers, so they are never
rendered with `include_block`. The quiz form is built by `learning.quiz` from a stripped view of
each question (prompt, image, options) that has no correctness data in it.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

# Lesson content ----------------------------------------------------------------------


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("info", _("Note")), ("warning", _("Warning")), ("tip", _("Tip"))],
        default="info",
    )
    title = blocks.CharBlock(required=False)
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "warning"
        template = "learning/blocks/callout.html"
        preview_value = {"kind": "tip", "title": "Tip", "text": "<p>Wash hands first.</p>"}


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    caption = blocks.CharBlock(required=False)

    class Meta:
        icon = "image"
        template = "learning/blocks/image.html"


class VideoBlock(blocks.StructBlock):
    """A video link. Rendered as a link, not an oEmbed iframe: nothing is fetched at run time."""

    video = EmbedBlock()
    title = blocks.CharBlock(required=False)

    class Meta:
        icon = "media"
        label = _("Video link")
        template = "learning/blocks/video.html"


#: Video files a browser plays in a <video> element, by extension.
VIDEO_TYPES = {"mp4": "video/mp4", "webm": "video/webm"}


def video_type(document) -> str:
    """The MIME type of a video document, or "" when it is not one of `VIDEO_TYPES`."""
    return VIDEO_TYPES.get(document.file_extension.lower(), "") if document else ""


class VideoDocumentChooserBlock(DocumentChooserBlock):
    """The document chooser, accepting only a video file (MP4 or WebM)."""

    def clean(self, value):
        document = super().clean(value)
        if document is not None and not video_type(document):
            raise ValidationError(
                _("“%(title)s” is not a video file: choose an MP4 or WebM document.")
                % {"title": document.title},
                code="not_a_video",
            )
        return document


class VideoFileValue(blocks.StructValue):
    def mime_type(self) -> str:
        return video_type(self.get("video"))

    def label(self) -> str:
        return self.get("caption") or (self.get("video").title if self.get("video") else "")


class VideoFileBlock(blocks.StructBlock):
    """An uploaded video played in the page with the browser's own player.

    The source is the document's URL, i.e. the permission-checked serve view of the project's
    document model (never a public media URL), and nothing is fetched from elsewhere.
    """

    video = VideoDocumentChooserBlock(
        label=_("video file"), help_text=_("An MP4 or WebM file uploaded to the documents.")
    )
    caption = blocks.CharBlock(required=False, label=_("caption"))
    transcript = blocks.RichTextBlock(
        required=False,
        label=_("transcript"),
        features=["bold", "italic", "link", "ul", "ol"],
        help_text=_("What is said and shown, for people who cannot watch or hear the video."),
    )

    class Meta:
        icon = "media"
        label = _("Video file")
        template = "learning/blocks/video_file.html"
        value_class = VideoFileValue


class LessonDocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    title = blocks.CharBlock(required=False)

    class Meta:
        icon = "doc-full"
        template = "learning/blocks/document.html"


class LessonBodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(
        features=["h2", "h3", "bold", "italic", "link", "ul", "ol", "hr"],
        template="learning/blocks/text.html",
        preview_value="<p>Bread is baked twice a day.</p>",
    )
    image = CaptionedImageBlock()
    video = VideoBlock()
    video_file = VideoFileBlock()
    document = LessonDocumentBlock()
    callout = CalloutBlock()


# Quiz questions ----------------------------------------------------------------------


class QuestionBlock(blocks.StructBlock):
    """Fields every question has."""

    prompt = blocks.TextBlock(label=_("question"))
    image = ImageChooserBlock(required=False)
    points = blocks.DecimalBlock(default=1, min_value=0, max_digits=6, decimal_places=2)
    explanation = blocks.TextBlock(
        required=False, help_text=_("Shown after grading when the quiz gives full feedback.")
    )


class OptionBlock(blocks.StructBlock):
    text = blocks.CharBlock()
    correct = blocks.BooleanBlock(required=False)


class SingleChoiceBlock(QuestionBlock):
    options = blocks.ListBlock(OptionBlock(), min_num=2)

    class Meta:
        icon = "radio-full"
        label = _("Single choice")


class MultipleChoiceBlock(QuestionBlock):
    options = blocks.ListBlock(OptionBlock(), min_num=2)
    partial_credit = blocks.BooleanBlock(
        required=False,
        default=True,
        help_text=_("Right picks minus wrong picks, as a share of the right options."),
    )

    class Meta:
        icon = "tasks"
        label = _("Multiple choice")


class TrueFalseBlock(QuestionBlock):
    correct = blocks.BooleanBlock(required=False, label=_("the statement is true"))

    class Meta:
        icon = "check"
        label = _("True / false")


class NumericBlock(QuestionBlock):
    answer = blocks.FloatBlock()
    tolerance = blocks.FloatBlock(default=0, min_value=0)
    unit = blocks.CharBlock(required=False, max_length=20)

    class Meta:
        icon = "order"
        label = _("Number")


class ShortTextBlock(QuestionBlock):
    accepted = blocks.ListBlock(blocks.CharBlock(), min_num=1, label=_("accepted answers"))
    case_sensitive = blocks.BooleanBlock(required=False)

    class Meta:
        icon = "pilcrow"
        label = _("Short text")


class PairBlock(blocks.StructBlock):
    left = blocks.CharBlock()
    right = blocks.CharBlock()


class MatchingBlock(QuestionBlock):
    pairs = blocks.ListBlock(PairBlock(), min_num=2)
    partial_credit = blocks.BooleanBlock(required=False, default=True)

    class Meta:
        icon = "link"
        label = _("Matching")


class OrderingBlock(QuestionBlock):
    items = blocks.ListBlock(
        blocks.CharBlock(), min_num=2, help_text=_("Enter the items in the right order.")
    )
    partial_credit = blocks.BooleanBlock(required=False, default=True)

    class Meta:
        icon = "list-ol"
        label = _("Ordering")


class QuestionStreamBlock(blocks.StreamBlock):
    single = SingleChoiceBlock()
    multiple = MultipleChoiceBlock()
    true_false = TrueFalseBlock()
    numeric = NumericBlock()
    short_text = ShortTextBlock()
    matching = MatchingBlock()
    ordering = OrderingBlock()
