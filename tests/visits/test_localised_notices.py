"""Visit notices in each recipient's language: the manager who plans or submits a visit may read
the portal in English, the unit's people in Russian (or the other way round); each gets the
notice, and its e-mail, in their own language, the checklist named as they read it."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from franchise.models import Notification, Role
from tests import factories
from tests.visits.helpers import make_checklist
from visits import services
from visits.models import ChecklistTemplate

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 12, 10)


def _speaks(user, language):
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])


@pytest.fixture
def template(db):
    template = make_checklist(name="Store standards")
    ChecklistTemplate.objects.filter(pk=template.pk).update(name_ru="Стандарты точки")
    return ChecklistTemplate.objects.get(pk=template.pk)


@pytest.fixture
def people(network):
    _speaks(network.manager, "en")
    _speaks(network.owner, "ru")
    _speaks(network.member, "en")
    return network


def _plan(net, template):
    return services.visit_plan(unit=net.unit, template=template, planned_date=DAY, by=net.manager)


def test_a_planned_visit_is_announced_in_each_recipients_language(
    people, template, django_capture_on_commit_callbacks
):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        _plan(people, template)
    ru = Notification.objects.get(kind="visit", user=people.owner)
    en = Notification.objects.get(kind="visit", user=people.member)
    assert ru.title.startswith("Запланирован визит: Стандарты точки")
    assert "Store" not in ru.title
    assert en.title.startswith("Visit planned: Store standards") and "Стандарты" not in en.title
    [ru_mail] = [m for m in mail.outbox if m.to == [people.owner.email]]
    [en_mail] = [m for m in mail.outbox if m.to == [people.member.email]]
    assert "Стандарты точки" in ru_mail.subject + ru_mail.body
    assert "Store standards" not in ru_mail.subject + ru_mail.body
    assert "Store standards" in en_mail.subject + en_mail.body


def test_a_russian_manager_does_not_write_to_english_readers_in_russian(people, template):
    _speaks(people.manager, "ru")
    with translation.override("ru"):
        _plan(people, template)
    en = Notification.objects.get(kind="visit", user=people.member)
    assert en.title.startswith("Visit planned: Store standards")


def _submit(net, visit, fridge):
    services.visit_answers_save(
        visit=visit,
        by=net.manager,
        answers={"floor": "yes", "door": "5", "fridge": fridge, "hands": "yes"},
        photos={},
        comments={},
    )
    services.visit_submit(visit=visit, by=net.manager, summary="Good work")


def test_the_result_is_told_in_each_recipients_language(people, template):
    visit = _plan(people, template)
    Notification.objects.all().delete()
    with translation.override("en"):
        _submit(people, visit, "3")
    ru = Notification.objects.get(kind="visit", user=people.owner)
    en = Notification.objects.get(kind="visit", user=people.member)
    # the score written the reader's way too
    assert (ru.title, en.title) == ("Визит пройден: 100,0%", "Visit passed: 100.0%")
    assert ru.body == en.body == "Good work"


def test_notices_take_the_same_queries_for_one_language_or_two(people, template):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            _plan(people, template)
        return len(ctx.captured_queries)

    _plan(people, template)  # the checklist's version exists: later plans only reuse it
    two = count()
    _speaks(people.owner, "en")
    for i in range(4):
        factories.member_of(people.unit, Role.MEMBER, username=f"extra{i}", preferred_language="ru")
    assert count() == two


def test_the_plan_form_lists_checklists_by_the_names_the_reader_sees(db):
    from visits.forms import PlanForm

    for slug, en, ru in (("a", "Alpha", "Яблоко"), ("b", "Beta", "Арбуз"), ("c", "Gamma", "")):
        template = make_checklist(slug=slug, name=en)
        ChecklistTemplate.objects.filter(pk=template.pk).update(name_ru=ru or None)
    with translation.override("ru"):
        labels = [label for _value, label in PlanForm().fields["template"].choices][1:]
    assert labels == ["Gamma", "Арбуз", "Яблоко"]  # untranslated: its English name
    with translation.override("en"):
        labels = [label for _value, label in PlanForm().fields["template"].choices][1:]
    assert labels == ["Alpha", "Beta", "Gamma"]
