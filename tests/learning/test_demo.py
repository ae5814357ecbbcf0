import io
from datetime import date

from django.apps import apps
from django.urls import reverse

from franchise import demo as franchise_demo
from learning import demo, selectors
from learning.models import Assignment, Certificate, CoursePage, LessonPage, Quiz
from portal.demo import DemoContext
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
    assert CoursePage.objects.count() == 4 and LessonPage.objects.count() >= 9
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
    assert "Пищевая безопасность" in html
    manager = get_user_model().objects.get(username="manager")
    assert client_for(manager).get(reverse("learning:matrix")).status_code == 200
