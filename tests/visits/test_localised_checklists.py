"""One language per screen: checklists in the viewer's language, English when untranslated,
visits frozen before there were two languages still shown, and both languages edited in the
admin."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.admin.panels import get_edit_handler

from franchise.models import UnitTask
from tests.visits.helpers import make_checklist
from visits import services
from visits.models import ChecklistItem, ChecklistTemplate, ChecklistVersion, Visit

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 12, 10)
RUSSIAN = {
    "floor": ("Зал", "Пол чистый", "Проверьте пол."),
    "door": ("Зал", "Стекло двери", "Проверьте дверь."),
    "fridge": ("Кухня", "Температура холодильника", "Проверьте холодильник."),
    # "hands" has no Russian: it shows in English.
}
ANSWERS = {"floor": "no", "door": "5", "fridge": "3", "hands": "yes"}


@pytest.fixture
def template(db):
    template = make_checklist(name="Store")
    ChecklistTemplate.objects.filter(pk=template.pk).update(name_ru="Стандарты точки")
    for key, (section, text, guidance) in RUSSIAN.items():
        ChecklistItem.objects.filter(template=template, key=key).update(
            section_ru=section, text_ru=text, guidance_ru=guidance
        )
    return ChecklistTemplate.objects.get(pk=template.pk)


def plan(net, template):
    return services.visit_plan(unit=net.unit, template=template, planned_date=DAY, by=net.manager)


def page(client, language, name, *args, query=""):
    client.cookies["django_language"] = language
    response = client.get(reverse(name, args=args) + query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_visit_form_follows_the_interface_language(network, template, client_for):
    visit = plan(network, template)
    client = client_for(network.manager)
    args = ("visits:visit_fill", network.unit.code, visit.pk)
    russian = page(client, "ru", *args)
    assert "Зал" in russian and "Пол чистый" in russian and "Проверьте пол." in russian
    assert "Floor clean" not in russian and "Check the floor." not in russian
    assert "Стандарты точки" in russian
    english = page(client, "en", *args)
    assert "Hall" in english and "Floor clean" in english and "Check the floor." in english
    assert "Пол чистый" not in english and "Стандарты точки" not in english

    kitchen = page(client, "ru", *args, query="?section=1")
    assert "Кухня" in kitchen and "Температура холодильника" in kitchen
    assert "Hand wash" in kitchen  # not translated: English


def test_the_visit_report_follows_the_interface_language(network, template, client_for):
    visit = plan(network, template)
    services.visit_answers_save(visit=visit, by=network.manager, answers=ANSWERS)
    with translation.override("ru"):
        services.visit_submit(visit=visit, by=network.manager)
    task = UnitTask.objects.get()
    assert "Пол чистый" in task.title and "Проверьте пол." in task.description

    args = ("visits:visit_detail", network.unit.code, visit.pk)
    for client in (client_for(network.manager), client_for(network.owner)):
        russian = page(client, "ru", *args)
        assert "Кухня" in russian and "Пол чистый" in russian and "Hand wash" in russian
        assert "Kitchen" not in russian and "Floor clean" not in russian
        english = page(client, "en", *args)
        assert "Kitchen" in english and "Floor clean" in english
        assert "Кухня" not in english and "Пол чистый" not in english
    network_page = page(client_for(network.lead), "ru", "visits:network")
    assert "Пол чистый" in network_page and "Стандарты точки" in network_page
    assert "Floor clean" not in network_page


def test_the_review_page_and_the_answers_stay_by_key(network, template, client_for):
    visit = plan(network, template)
    client = client_for(network.manager)
    client.cookies["django_language"] = "ru"
    url = reverse("visits:visit_fill", args=[network.unit.code, visit.pk])
    client.post(url, {"a-floor": "no", "a-door": "5"})
    assert set(visit.answers.values_list("item_key", flat=True)) == {"floor", "door"}
    review = page(client, "ru", "visits:visit_review", network.unit.code, visit.pk)
    assert "Пол чистый" in review and "Floor clean" not in review


def test_a_version_frozen_before_two_languages_still_shows(network, template, client_for):
    """Its items have no `_ru` keys: every language shows the one text it has."""
    old = ChecklistVersion.objects.create(
        template=template,
        number=99,
        items=[
            {key: value for key, value in item.items() if not key.endswith("_ru")}
            for item in services.checklist_version_current(template=template).items
        ],
        pass_score=80,
        task_days=7,
    )
    visit = Visit.objects.create(
        unit=network.unit, template=template, version=old, planned_date=DAY, visitor=network.manager
    )
    html = page(client_for(network.manager), "ru", "visits:visit_fill", network.unit.code, visit.pk)
    assert "Floor clean" in html and "Hall" in html


def test_the_version_freezes_both_languages(template):
    version = services.checklist_version_current(template=template)
    floor = next(i for i in version.items if i["key"] == "floor")
    assert (floor["text"], floor["text_ru"]) == ("Floor clean", "Пол чистый")
    assert (floor["section"], floor["section_ru"]) == ("Hall", "Зал")
    ChecklistItem.objects.filter(template=template, key="hands").update(text_ru="Мытьё рук")
    newer = services.checklist_version_current(template=template)
    assert newer.number == version.number + 1
    with translation.override("ru"):
        shown = {i["key"]: i["text"] for i in newer.shown_items}
    assert shown["hands"] == "Мытьё рук" and shown["floor"] == "Пол чистый"


def _admin_data(**names) -> dict:
    data = {
        "slug": "hygiene",
        "pass_score": "80",
        "task_days": "7",
        "is_active": "on",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "1",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-key": "hands",
        "items-0-section_en": "Kitchen",
        "items-0-text_en": "Hand wash",
        "items-0-section_ru": "Кухня",
        "items-0-text_ru": "Мытьё рук",
        "items-0-kind": "yes_no",
        "items-0-weight": "1",
        "items-0-ORDER": "1",
    }
    return {**data, **names}


def test_the_admin_form_edits_both_languages_english_required(admin_client):
    add = admin_client.get(reverse("wagtailsnippets_visits_checklisttemplate:add"))
    html = add.content.decode()
    assert add.status_code == 200 and 'name="name_ru"' in html and 'name="name_en"' in html
    assert 'name="items-__prefix__-text_ru"' in html
    form_class = get_edit_handler(ChecklistTemplate).get_form_class()
    form = form_class(data=_admin_data(name_en="Hygiene", name_ru="Гигиена"))
    assert form.is_valid(), form.errors
    template = form.save()
    item = template.items.get()
    assert (template.name_en, template.name_ru) == ("Hygiene", "Гигиена")
    assert (item.text_en, item.text_ru, item.section_ru) == ("Hand wash", "Мытьё рук", "Кухня")

    without_english = form_class(data=_admin_data(slug="other", name_ru="Гигиена"))
    assert not without_english.is_valid() and "name_en" in without_english.errors
    russian_optional = form_class(data=_admin_data(slug="third", name_en="Third"))
    assert russian_optional.is_valid(), russian_optional.errors
    with translation.override("ru"):
        assert russian_optional.save().name == "Third"  # Russian missing: English


def test_the_demo_writes_both_languages(db):
    import io

    from franchise import demo as franchise_demo
    from portal.demo import DemoContext
    from visits import demo

    ctx = DemoContext(units=3, stdout=io.StringIO(), today=datetime.date(2026, 11, 25))
    franchise_demo.seed(ctx)
    demo.seed(ctx)
    template = ChecklistTemplate.objects.get(slug="store-standards")
    assert (template.name_en, template.name_ru) == ("Store standards", "Стандарты точки")
    facade = template.items.get(key="facade")
    assert (facade.section_en, facade.section_ru) == ("Outside", "Снаружи")
    assert facade.text_ru == "Вывеска и фасад чистые и освещены" and facade.guidance_en
    version = Visit.objects.filter(template=template).first().version
    with translation.override("ru"):
        assert version.shown_items[0]["text"] == "Вывеска и фасад чистые и освещены"
    assert version.shown_items[0]["text"] == "Sign and facade clean and lit"
