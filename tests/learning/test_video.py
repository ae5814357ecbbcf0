"""Uploaded videos in lessons: an HTML5 player on the permission-checked document URL."""

import json

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.blocks import StreamBlockValidationError
from wagtail.models import Collection
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from kb.models import KBDocument
from learning.blocks import LessonBodyBlock, VideoFileBlock
from learning.models import LessonPage
from tests import factories

VIDEO_BYTES = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom-hand-washing"


def _document(filename, data, title):
    document = KBDocument(title=title, collection=Collection.get_first_root_node())
    document.file.save(filename, ContentFile(data), save=False)
    document.save()
    return document


@pytest.fixture
def video(db):
    return _document("hand-washing.mp4", VIDEO_BYTES, "Hand washing")


@pytest.fixture
def pdf(db):
    return _document("rota.pdf", b"%PDF-1.4 rota", "Shift rota")


@pytest.fixture
def video_lesson(catalogue, video):
    lesson = catalogue.lesson1
    lesson.body = [
        {
            "type": "video_file",
            "value": {
                "video": video.pk,
                "caption": "Washing hands, step by step",
                "transcript": "<p>Wet your hands and apply soap for twenty seconds.</p>",
            },
        },
        {
            "type": "video",
            "value": {"video": "https://www.youtube.com/watch?v=abc123", "title": "Brand film"},
        },
    ]
    lesson.save_revision().publish()
    return LessonPage.objects.get(pk=lesson.pk)


def test_lesson_plays_the_video_from_the_document_serve_view(
    network, video_lesson, video, client_for
):
    member = client_for(network.member)
    html = member.get(video_lesson.url).content.decode()
    serve_url = reverse("kb:document", args=[video.pk, video.filename])
    assert video.url == serve_url
    start = html.index("<video ")
    player = html[start : html.index("</video>", start)]
    assert 'controls preload="metadata"' in player
    assert f'<source src="{serve_url}" type="video/mp4">' in player
    assert 'aria-label="Washing hands, step by step"' in player
    assert settings.MEDIA_URL not in player
    assert "<figcaption" in html and "Washing hands, step by step" in html
    start = html.index('<details class="block-video-file__transcript">')
    details = html[start : html.index("</details>", start)]
    assert "<summary>Transcript</summary>" in details
    assert "Wet your hands and apply soap for twenty seconds." in details
    # the link block for external videos stays a plain link: nothing is embedded
    assert 'href="https://www.youtube.com/watch?v=abc123"' in html and "<iframe" not in html

    # the player's URL is the guarded serve view: the file for the learner, login for others
    response = member.get(serve_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == VIDEO_BYTES
    anonymous = client_for(None).get(serve_url)
    assert anonymous.status_code == 302 and "/login" in anonymous.url


def test_a_document_that_is_not_a_video_is_refused(pdf, video):
    block = LessonBodyBlock()
    value = block.to_python(
        [{"type": "video_file", "value": {"video": pdf.pk, "caption": "", "transcript": ""}}]
    )
    with pytest.raises(StreamBlockValidationError) as refused:
        block.clean(value)
    errors = json.dumps(refused.value.as_json_data(), ensure_ascii=False)
    assert "“Shift rota” is not a video file: choose an MP4 or WebM document." in errors

    good = block.to_python(
        [{"type": "video_file", "value": {"video": video.pk, "caption": "", "transcript": ""}}]
    )
    assert block.clean(good)[0].value["video"] == video


def test_a_deleted_video_renders_nothing(video):
    block = VideoFileBlock()
    value = block.to_python({"video": None, "caption": "x", "transcript": ""})
    assert block.render(value).strip() == ""


def test_editors_see_the_error_in_the_page_editor(catalogue, pdf, video, client_for):
    editor = client_for(factories.UserFactory(username="root", is_superuser=True, is_staff=True))
    lesson = catalogue.lesson1
    url = reverse("wagtailadmin_pages:edit", args=[lesson.pk])
    assert "Video file" in editor.get(url).content.decode()

    def post(document):
        return editor.post(
            url,
            nested_form_data(
                {
                    "title": lesson.title,
                    "slug": lesson.slug,
                    "summary": "",
                    "body": streamfield(
                        [
                            (
                                "video_file",
                                {
                                    "video": document.pk,
                                    "caption": "Hands",
                                    "transcript": rich_text("<p>Soap.</p>"),
                                },
                            )
                        ]
                    ),
                    "quiz": "",
                    "action-publish": "publish",
                }
            ),
        )

    refused = post(pdf)
    assert refused.status_code == 200
    assert "is not a video file: choose an MP4 or WebM document." in refused.content.decode()
    assert not LessonPage.objects.get(pk=lesson.pk).body

    saved = post(video)
    assert saved.status_code == 302
    body = LessonPage.objects.get(pk=lesson.pk).body
    assert body[0].block_type == "video_file" and body[0].value["video"] == video
