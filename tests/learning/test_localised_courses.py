"""Courses follow the reader's language: one course per subject, its words from its translation.

The site runs on the default-locale (English) pages; a live Russian translation (Wagtail's
copy_for_translation) only supplies the words a Russian reader sees. Attempts, progress and
certificates stay on the English pages and quizzes.
"""

import io
import json
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.forms.models import apply_limit_choices_to_to_formfield
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader
from wagtail.models import Locale

from learning import selectors, services
from learning.forms import AssignmentForm
from learning.models import Attempt, CoursePage, LessonCompletion, LessonPage, Quiz
from learning.quiz import questions_of
from tests.learning.conftest import RIGHT_POST, every_type, republish
from tests.learning.test_attempts import _match_fields
from tests.learning.test_matrix import _count, _grow, assigned  # noqa: F401
from tests.translating import translate

#: The Russian words of `every_type()`'s questions, by question id: prompt, then option texts.
RU_WORDS = {
    "q-single": ("Где хранится сырое мясо?", {"s-a": "На нижней полке", "s-b": "На верхней"}),
    "q-multi": (
        "Что должен носить повар?",
        {
            "m-a": "Сетку для волос",
            "m-b": "Чистый фартук",
            "m-c": "Кольца",
            "m-d": "Перчатки для готовой еды",
        },
    ),
    "q-tf": ("Охлаждённые продукты хранятся при 0–5 °C.", {}),
    "q-num": ("Температура в центре готовой курицы, °C?", {}),
    "q-text": ("Назовите метод: первым пришёл — первым ушёл.", {}),
    "q-match": (
        "Сопоставьте цвет доски и продукт.",
        {
            "p-red": {"left": "Красная", "right": "Сырое мясо"},
            "p-blue": {"left": "Синяя", "right": "Сырая рыба"},
            "p-green": {"left": "Зелёная", "right": "Салат и фрукты"},
        },
    ),
    "q-order": (
        "Расставьте шаги мытья рук по порядку.",
        {"o-1": "Смочить руки", "o-2": "Нанести мыло", "o-3": "Тереть 20 секунд", "o-4": "Смыть"},
    ),
}
RU_EXPLANATION = "Холодовая цепь не даёт бактериям размножаться."
#: English words of the quiz that a Russian reader must never see on the quiz's pages.
EN_ONLY = ["Where is raw meat kept", "Hairnet", "Clean apron", "Wet hands", "Raw fish"]


def _english_questions():
    """`every_type()` with its one Russian question put into English."""
    questions = every_type()
    single = questions[0]["value"]
    single["prompt"] = "Where is raw meat kept?"
    single["options"][0]["value"]["text"] = "On the bottom shelf"
    single["options"][1]["value"]["text"] = "On the top shelf"
    return questions


def _in_russian(raw: list[dict]) -> list[dict]:
    """A quiz's raw questions (ids kept) with the Russian words of `RU_WORDS`."""
    for question in raw:
        prompt, options = RU_WORDS[question["id"]]
        value = question["value"]
        value["prompt"] = prompt
        if question["id"] == "q-tf":
            value["explanation"] = RU_EXPLANATION
        for key in ("options", "pairs", "items"):
            for item in value.get(key, []):
                words = options[item["id"]]
                if key == "options":
                    item["value"]["text"] = words
                elif key == "pairs":
                    item["value"] = words
                else:
                    item["value"] = words
    return raw


def translate_quiz(quiz, *, live=True, **fields):
    """A Russian translation of `quiz` as an editor makes it ("Translate" on the snippet):
    a copy with its ids, in Russian words; published when `live`."""
    copy = quiz.copy_for_translation(Locale.objects.get(language_code="ru"))
    copy.questions = json.dumps(_in_russian(list(copy.questions.get_prep_value())))
    copy.live = False
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save()
    revision = copy.save_revision()
    if live:
        revision.publish()
    copy.refresh_from_db()
    return copy


def _body(html):
    return json.dumps([{"type": "text", "value": html}])


@pytest.fixture
def bilingual(catalogue):
    """The catalogue in English, with live Russian translations of the index, the course, its
    lessons and the lesson quiz; and a second course that nobody translated."""
    c = catalogue
    republish(c.lesson_quiz, questions=_english_questions())
    c.course.title, c.course.description = "Food safety", "<p>Hygiene and storage.</p>"
    c.course.save_revision().publish()
    for lesson, title, summary, html in (
        (c.lesson1, "Hygiene", "Clean hands", "<p>Wash your hands for 20 seconds.</p>"),
        (c.lesson2, "Storage", "Shelves", "<p>Raw meat goes on the bottom shelf.</p>"),
    ):
        lesson.title, lesson.summary, lesson.body = title, summary, _body(html)
        lesson.save_revision().publish()
    translate(c.index, title="Обучение")
    ru_course = translate(
        c.course, title="Пищевая безопасность", description="<p>Гигиена и хранение.</p>"
    )
    translate(
        c.lesson1,
        title="Гигиена",
        summary="Чистые руки",
        body=_body("<p>Мойте руки 20 секунд.</p>"),
    )
    translate(
        c.lesson2,
        title="Хранение",
        summary="Полки",
        body=_body("<p>Сырое мясо — на нижней полке.</p>"),
    )
    ru_quiz = translate_quiz(c.lesson_quiz, title="Проверка урока")
    other = c.index.add_child(instance=CoursePage(title="Cash discipline", slug="cash"))
    return SimpleNamespace(**vars(c), ru_course=ru_course, ru_quiz=ru_quiz, other=other)


def _russian(client):
    client.cookies["django_language"] = "ru"
    return client


def _html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_course_and_lesson_pages_in_the_readers_language(bilingual, network, client_for):
    b = bilingual
    services.lesson_complete(user=network.member, lesson=b.lesson1, unit=network.unit)
    english, russian = client_for(network.member), _russian(client_for(network.member))

    course_en, course_ru = _html(english, b.course.url), _html(russian, b.course.url)
    assert "Food safety" in course_en and "Hygiene and storage." in course_en
    assert "Hygiene" in course_en and "Storage" in course_en
    assert "Пищевая безопасность" in course_ru and "Гигиена и хранение." in course_ru
    assert "Гигиена" in course_ru and "Хранение" in course_ru
    for word in ("Food safety", "Hygiene", "Storage"):
        assert word not in course_ru
    for word in ("Пищевая", "Гигиена", "Хранение"):
        assert word not in course_en

    lesson_en, lesson_ru = _html(english, b.lesson1.url), _html(russian, b.lesson1.url)
    assert "Wash your hands for 20 seconds." in lesson_en and "Clean hands" in lesson_en
    assert "Мойте руки 20 секунд." in lesson_ru and "Чистые руки" in lesson_ru
    assert "Пищевая безопасность" in lesson_ru and "Хранение" in lesson_ru  # crumbs, next
    assert "Wash your hands" not in lesson_ru and "Food safety" not in lesson_ru
    assert "Мойте руки" not in lesson_en


def test_each_course_once_in_every_list_in_both_languages(bilingual, network, client_for):
    b = bilingual
    services.assignment_create(
        by=network.manager,
        course=b.course,
        due_on=selectors.today() + timedelta(days=5),
        units=[network.unit],
    )
    for language, title in (("en", "Food safety"), ("ru", "Пищевая безопасность")):
        client = client_for(network.member)
        client.cookies["django_language"] = language
        index = _html(client, b.index.url)
        assert index.count(f'href="{b.course.url}"') == 1 and index.count(title) == 1
        assert "Cash discipline" in index  # untranslated: shown as it is
        mine = _html(client, reverse("learning:my_learning"))
        assert mine.count(title) == 1
        matrix = _html(client_for(network.manager), reverse("learning:matrix"))
        assert matrix.count("Food safety") == 1
        with translation.override(language):
            rows = selectors.catalogue_for(network.member)
            assert [r["course"].pk for r in rows] == [b.course.pk, b.other.pk]
            assert [r["course"].shown.title for r in rows] == [title, "Cash discipline"]
            form = AssignmentForm(units=network.unit.__class__.objects.all())
            labels = [label for value, label in form.fields["course"].choices if value]
            assert labels == ["Cash discipline", title]
    matrix_ru = _html(_russian(client_for(network.manager)), reverse("learning:matrix"))
    assert matrix_ru.count("Пищевая безопасность") == 1 and "Food safety" not in matrix_ru


def test_quiz_on_the_russian_screen_is_kept_and_graded_on_the_english_quiz(
    bilingual, network, client_for
):
    b = bilingual
    learner = network.member
    services.lesson_complete(user=learner, lesson=b.lesson1, unit=network.unit)
    client = _russian(client_for(learner))
    start = client.post(reverse("learning:quiz_start", args=[b.lesson2.pk]))
    attempt = Attempt.objects.get(user=learner)
    assert (attempt.page_id, attempt.quiz_id) == (b.lesson2.pk, b.lesson_quiz.pk)
    paper = _html(client, start.url)
    assert "Проверка урока" in paper and "Что должен носить повар?" in paper
    for word in ("Сетку для волос", "Красная", "Сырая рыба", "Смочить руки"):
        assert word in paper
    for word in EN_ONLY:
        assert word not in paper
    response = client.post(start.url, {**RIGHT_POST, **_match_fields(attempt), "action": "submit"})
    attempt.refresh_from_db()
    assert attempt.passed and attempt.percent == 100
    assert LessonCompletion.objects.filter(user=learner, lesson=b.lesson2).exists()
    assert not LessonCompletion.objects.filter(lesson__locale=b.ru_course.locale).exists()
    result = _html(client, response.url)
    assert RU_EXPLANATION in result and "Сетку для волос; Чистый фартук" in result
    for word in [*EN_ONLY, "The cold chain"]:
        assert word not in result
    english = _html(client_for(learner), response.url)
    assert "Hairnet; Clean apron" in english and "Сетку" not in english


def test_a_translation_keeps_the_quizs_question_and_option_ids(bilingual):
    english, russian = questions_of(bilingual.lesson_quiz), questions_of(bilingual.ru_quiz)
    assert list(english) == list(russian)
    assert [q.option_ids() for q in english.values()] == [q.option_ids() for q in russian.values()]
    assert russian["q-multi"].options[0][1] == "Сетку для волос"


def test_the_quiz_of_a_translation_page_is_taken_on_the_english_page(bilingual, network):
    services.lesson_complete(user=network.member, lesson=bilingual.lesson1, unit=network.unit)
    ru_lesson = LessonPage.objects.get(
        translation_key=bilingual.lesson2.translation_key, locale__language_code="ru"
    )
    from django.test import Client

    client = Client()
    client.force_login(network.member)
    client.post(reverse("learning:quiz_start", args=[ru_lesson.pk]))
    assert Attempt.objects.get(user=network.member).page_id == bilingual.lesson2.pk


def test_drafts_are_never_shown(catalogue, network, client_for):
    c = catalogue
    translate(c.course, live=False, title="Черновик курса")
    translate(c.lesson1, live=False, title="Черновик урока")
    translate_quiz(c.lesson_quiz, live=False, title="Черновик теста")
    client = _russian(client_for(network.member))
    for url in (c.index.url, c.course.url, c.lesson1.url, reverse("learning:my_learning")):
        assert "Черновик" not in _html(client, url)
    assert "Пищевая безопасность" in _html(client, c.course.url)  # the English page's title
    services.lesson_complete(user=network.member, lesson=c.lesson1, unit=network.unit)
    start = client.post(reverse("learning:quiz_start", args=[c.lesson2.pk]))
    paper = _html(client, start.url)
    assert "Lesson check" in paper and "Черновик" not in paper


def test_an_untranslated_course_is_shown_in_english_to_a_russian_reader(
    bilingual, network, client_for
):
    b = bilingual
    b.other.add_child(instance=LessonPage(title="Opening the till", slug="till"))
    html = _html(_russian(client_for(network.member)), b.other.url)
    assert "Cash discipline" in html and "Opening the till" in html


def test_certificates_show_the_title_in_the_readers_language(bilingual, network, client_for):
    cert = services.certificate_issue(user=network.member, course=bilingual.course)
    url = reverse("learning:certificate_pdf", args=[cert.code])

    def pdf_text(client):
        return PdfReader(io.BytesIO(client.get(url).content)).pages[0].extract_text()

    assert "Food safety" in pdf_text(client_for(network.member))
    russian = _russian(client_for(network.member))
    assert "Пищевая безопасность" in pdf_text(russian)
    mine = _html(russian, reverse("learning:my_learning"))
    assert "Пищевая безопасность" in mine and "Food safety" not in mine
    assert "Пищевая безопасность" in _html(russian, reverse("learning:verify", args=[cert.code]))


def _translate_grown(n):
    for i in range(n):
        translate(CoursePage.objects.get(slug=f"course-{i}"), title=f"Курс {i}")


@pytest.mark.parametrize("url_name", ["learning:matrix", "learning:my_learning"])
def test_query_counts_in_russian_do_not_grow(
    assigned,  # noqa: F811
    bilingual,
    network,
    client_for,
    url_name,
):
    user = network.manager if url_name == "learning:matrix" else network.member
    client = _russian(client_for(user))
    few = _count(client, reverse(url_name))
    _grow(network, bilingual, 6)
    _translate_grown(6)
    many = _count(client, reverse(url_name))
    assert few == many
    assert "Курс 5" in _html(client, reverse(url_name))


def test_catalogue_and_course_page_query_counts(bilingual, network, client_for):
    client = _russian(client_for(network.member))
    english = client_for(network.member)
    few = (_count(client, bilingual.index.url), _count(client, bilingual.course.url))
    few_en = (_count(english, bilingual.index.url), _count(english, bilingual.course.url))
    for i in range(4):
        course = bilingual.index.add_child(instance=CoursePage(title=f"C {i}", slug=f"c-{i}"))
        translate(course, title=f"К {i}")
        lesson = bilingual.course.add_child(instance=LessonPage(title=f"L {i}", slug=f"l-{i}"))
        translate(lesson, title=f"У {i}")
    many = (_count(client, bilingual.index.url), _count(client, bilingual.course.url))
    assert few == many
    assert (_count(english, bilingual.index.url), _count(english, bilingual.course.url)) == few_en
    selectors.catalogue_for(network.member)  # warm up (content types)
    with CaptureQueriesContext(connection) as english_rows:
        selectors.catalogue_for(network.member)
    with translation.override("ru"), CaptureQueriesContext(connection) as russian_rows:
        rows = selectors.catalogue_for(network.member)
    assert len(russian_rows) == len(english_rows) + 1
    assert "К 3" in [r["course"].shown.title for r in rows]


def test_quiz_snippets_are_translatable(catalogue):
    assert catalogue.lesson_quiz.locale.language_code == "en"
    assert Quiz.objects.filter(locale__language_code="en").count() == 2


def test_editors_translate_a_quiz_in_the_admin_and_it_keeps_its_ids(catalogue, admin_client):
    quiz, russian = catalogue.lesson_quiz, Locale.objects.get(language_code="ru")
    url = reverse(
        "simple_translation:submit_snippet_translation", args=["learning", "quiz", quiz.pk]
    )
    assert admin_client.post(url, {"locales": [russian.pk]}).status_code == 302
    copy = Quiz.objects.get(translation_key=quiz.translation_key, locale=russian)
    assert list(questions_of(copy)) == list(questions_of(quiz))
    assert [q.option_ids() for q in questions_of(copy).values()] == [
        q.option_ids() for q in questions_of(quiz).values()
    ]


def test_pages_choose_default_locale_quizzes_only(bilingual):
    """A translation's words come with the quiz a page chooses: never a translated quiz."""
    for model, name in ((LessonPage, "quiz"), (CoursePage, "final_quiz")):
        field = model._meta.get_field(name).formfield()
        apply_limit_choices_to_to_formfield(field)  # as the page's admin form does
        choices = field.queryset
        assert bilingual.lesson_quiz in choices and bilingual.ru_quiz not in choices
    bilingual.lesson2.quiz = bilingual.ru_quiz
    with pytest.raises(ValidationError):
        bilingual.lesson2.full_clean()
