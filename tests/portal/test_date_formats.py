"""Issue 17: dates in one localized format everywhere (portal/formats/<lang>/formats.py).

Russian pages show 07.12.2026, English pages 07 Dec 2026; forms keep accepting ISO dates and
the local form; number formats are untouched.
"""

import datetime
import re

import pytest
from django import forms
from django.urls import reverse
from django.utils import formats, translation

from franchise.models import Document, UnitTask
from franchise.tasks_requests import services as task_services
from tests.franchise.test_documents import create_document
from tests.visits.helpers import make_checklist
from visits import services as visit_services

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 12, 7)
RU, EN = "07.12.2026", "07 Dec 2026"


def page(client, url: str, language: str) -> str:
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def assert_localized(client, url: str) -> None:
    ru, en = page(client, url, "ru"), page(client, url, "en")
    assert RU in ru and EN not in ru
    assert EN in en and RU not in en


def test_unit_tasks_list(network, client_for):
    task_services.task_create(unit=network.unit, by=network.manager, title="Paint", due_date=DAY)
    assert UnitTask.objects.get().due_date == DAY
    url = reverse("franchise:unit_tasks", args=[network.unit.code])
    assert_localized(client_for(network.owner), url)


def test_task_detail_date_and_time(network, client_for):
    task = task_services.task_create(
        unit=network.unit, by=network.manager, title="Paint", due_date=DAY
    )
    moment = datetime.datetime(2026, 12, 7, 11, 30, tzinfo=datetime.UTC)  # 14:30 in Moscow
    UnitTask.objects.filter(pk=task.pk).update(created_at=moment, completed_at=moment)
    url = reverse("franchise:task_detail", args=[network.unit.code, task.pk])
    client = client_for(network.owner)
    assert_localized(client, url)
    assert "07.12.2026 14:30" in page(client, url, "ru")
    assert "07 Dec 2026 14:30" in page(client, url, "en")


def test_unit_documents_list(network, client_for):
    document = create_document(network.unit, network.owner)
    moment = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC)
    Document.objects.filter(pk=document.pk).update(updated_at=moment)
    url = reverse("franchise:unit_documents", args=[network.unit.code])
    assert_localized(client_for(network.owner), url)


def test_unit_visits_list_and_detail(network, client_for):
    visit = visit_services.visit_plan(
        unit=network.unit, template=make_checklist(), planned_date=DAY, by=network.manager
    )
    client = client_for(network.owner)
    assert_localized(client, reverse("visits:unit_visits", args=[network.unit.code]))
    assert_localized(client, reverse("visits:visit_detail", args=[network.unit.code, visit.pk]))


def test_date_time_formats_and_numbers():
    moment = datetime.datetime(2026, 12, 7, 14, 30)
    with translation.override("ru"):
        assert formats.date_format(DAY) == RU
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == RU
        assert formats.date_format(moment, "DATETIME_FORMAT") == "07.12.2026 14:30"
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "07.12.2026 14:30"
        assert formats.date_format(DAY, "YEAR_MONTH_FORMAT").lower() == "декабрь 2026"
        assert formats.number_format("87150.00", 2, force_grouping=True) == "87\xa0150,00"
    with translation.override("en"):
        assert formats.date_format(DAY) == EN
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == EN
        assert formats.date_format(moment, "DATETIME_FORMAT") == "07 Dec 2026 14:30"
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "07 Dec 2026 14:30"
        assert formats.date_format(DAY, "YEAR_MONTH_FORMAT") == "December 2026"
        assert formats.number_format("87150.00", 2, force_grouping=True) == "87,150.00"


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("ru", "2026-12-07"),
        ("ru", "07.12.2026"),
        ("en", "2026-12-07"),
        ("en", "07 Dec 2026"),
        ("en", "07/12/2026"),
    ],
)
def test_date_fields_accept_iso_and_the_local_form(language, text):
    with translation.override(language):
        assert forms.DateField().clean(text) == DAY


def test_english_pages_have_no_dotted_dates(network, client_for):
    task_services.task_create(unit=network.unit, by=network.manager, title="Paint", due_date=DAY)
    url = reverse("franchise:unit_tasks", args=[network.unit.code])
    assert not re.search(r"\b\d\d\.\d\d\.\d{4}\b", page(client_for(network.owner), url, "en"))
