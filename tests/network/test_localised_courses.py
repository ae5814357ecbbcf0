"""Course titles in the scorecards come in the reader's language: the live Russian
translation's title in Russian (the English one where there is none), kept apart per language
in the cache, read in the same number of queries in both languages."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from franchise.models import Franchisee
from reporting.network import digest, scorecards
from tests.translating import translate

from .conftest import assign, report_all, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue(network, sales, food_safety):
    report_all(network.unit, sales, revenue=100, receipts=10)
    assign(food_safety, network.unit)
    return food_safety


def _reasons():
    table = scorecards.network_table(Franchisee.objects.all(), today=today()).set_index("code")
    return table.loc["KZN-001"]["reasons"]


def test_reasons_and_history_name_the_course_in_the_reader_language(network, overdue):
    translate(overdue, title="Безопасность продуктов")
    with translation.override("en"):
        assert "Food safety" in _reasons()
    with translation.override("ru"):  # after English: the cache keeps languages apart
        reasons = _reasons()
        assert "Безопасность продуктов" in reasons and "Food safety" not in reasons
        history = scorecards.unit_history(network.unit.pk, today=today())
        assert [c["title"] for c in history["courses"]] == ["Безопасность продуктов"]
    with translation.override("en"):
        assert "Food safety" in _reasons()
        history = scorecards.unit_history(network.unit.pk, today=today())
        assert [c["title"] for c in history["courses"]] == ["Food safety"]


def test_untranslated_or_draft_translation_shows_the_english_title(network, overdue):
    translate(overdue, live=False, title="Черновик")
    with translation.override("ru"):
        assert "Food safety" in _reasons() and "Черновик" not in _reasons()


def test_russian_digest_names_the_translated_course(network, overdue):
    translate(overdue, title="Безопасность продуктов")
    type(network.manager).objects.filter(pk=network.manager.pk).update(preferred_language="ru")
    digest.digests_send(today=today())
    body = next(m.body for m in mail.outbox if m.to == [network.manager.email])
    assert "Безопасность продуктов (2)" in body and "Food safety" not in body


def _queries(language):
    cache.clear()
    with translation.override(language), CaptureQueriesContext(connection) as ctx:
        _reasons()
    return len(ctx.captured_queries)


def test_same_queries_in_both_languages(network, overdue):
    translate(overdue, title="Безопасность продуктов")
    _queries("ru")  # warm up (locales, content types)
    assert _queries("ru") == _queries("en")
