import io
from datetime import date

from django.apps import apps
from django.urls import reverse

from franchise import demo as franchise_demo
from learning import demo, selectors
from learning.models import Assignment, Certificate, CoursePage, LessonPage, Quiz
from portal.demo import DemoContext
from portal.translations import default_locale_q
from tests.learning.conftest import _home


def _counts():
    return {m._meta.label: m.objects.count() for m in apps.get_app_config("learning").get_models()}


def _seed(units=6):
    _home()
    ctx = DemoContext(units=units, stdout=io.StringIO(), today=date(2026, 11, 25))
    franchise_demo.seed(ctx)
    demo.seed(ctx)
    return ctx


def test_demo_courses_every_question_type_and_idempotence(db, client_for):
    _seed()
    first = _counts()
    _seed()
    assert _counts() == first
    english = CoursePage.objects.filter(default_locale_q())
    assert english.count() == 4 and LessonPage.objects.filter(default_locale_q()).count() >= 9
    # every course, lesson and quiz has its live Russian translation
    for model in (CoursePage, LessonPage, Quiz):
        assert model.objects.filter(locale__language_code="ru", live=True).count() == (
            model.objects.filter(default_locale_q()).count()
        )
    kinds = {child.block_type for quiz in Quiz.objects.all() for child in quiz.questions}
    assert kinds == {
        "single",
        "multiple",
        "true_false",
        "numeric",
        "short_text",
        "matching",
        "ordering",
    }
    assert Assignment.objects.count() >= 12 and Certificate.objects.exists()
    from django.contrib.auth import get_user_model

    staff = get_user_model().objects.get(username="staff")
    mine = selectors.my_learning(staff)
    assert any(r["percent"] == 100 for r in mine["completed"])
    html = client_for(staff).get(reverse("learning:my_learning")).content.decode()
    assert "Food safety" in html and "Пищевая безопасность" not in html
    russian = client_for(staff)
    russian.cookies["django_language"] = "ru"
    html = russian.get(reverse("learning:my_learning")).content.decode()
    assert "Пищевая безопасность" in html and "Food safety" not in html
    manager = get_user_model().objects.get(username="manager")
    assert client_for(manager).get(reverse("learning:matrix")).status_code == 200


def _bilingual(value):
    """Every {en, ru} text of the data file, as (English, Russian)."""
    if isinstance(value, dict):
        if set(value) == {"en", "ru"}:
            return [(value["en"], value["ru"])]
        return [pair for v in value.values() for pair in _bilingual(v)]
    if isinstance(value, list):
        return [pair for v in value for pair in _bilingual(v)]
    return []


def test_demo_texts_are_one_language_each():
    """Titles, bodies, questions and options in both languages; English texts have no Cyrillic,
    Russian ones no English words (but the brand), and no title is "X / Y"."""
    import re

    from portal.demo_data import load

    pairs = _bilingual(load("learning", "courses"))
    assert len(pairs) > 90
    english, russian = [en for en, _ru in pairs], [ru for _en, ru in pairs]
    assert not [t for t in english if re.search("[а-яё]", t, re.I)]
    latin = re.compile(r"\b(?!Breadway\b|FIFO\b)[A-Za-z]{2,}")  # not °C, X-отчёт
    assert not [t for t in russian if latin.search(re.sub(r"<[^>]+>", "", t))]
    assert not [t for t in english + russian if " / " in t]
    plans = demo._courses(lambda: "id", "ru")
    assert plans[0]["title"] == "Добро пожаловать в Breadway"
