"""Pages of the visits app: what people see, bad input, and query counts that do not grow."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from franchise.models import UnitTask
from tests.visits.helpers import make_checklist, photo
from visits import services
from visits.models import Visit, VisitAnswer

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 12, 10)


@pytest.fixture
def template(db):
    return make_checklist()


def plan(net, template, day=DAY):
    return services.visit_plan(unit=net.unit, template=template, planned_date=day, by=net.manager)


def queries(client, url):
    client.get(url)  # warm caches of rights, sessions and site settings
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


def test_plan_from_the_list_and_bad_unit(network, template, client_for):
    client = client_for(network.manager)
    url = reverse("visits:list")
    response = client.post(
        url,
        {"unit": network.other_unit.code, "template": template.pk, "planned_date": "2026-12-12"},
    )
    assert response.status_code == 200
    assert "No unit with this code in your portfolio." in response.content.decode()
    assert not Visit.objects.exists()
    response = client.post(
        url, {"unit": network.unit.code, "template": template.pk, "planned_date": "2026-12-12"}
    )
    visit = Visit.objects.get()
    assert response.status_code == 302 and visit.planned_date == datetime.date(2026, 12, 12)
    page = client_for(network.owner).get(reverse("visits:unit_visits", args=[network.unit.code]))
    assert "12 Dec 2026" in page.content.decode()  # English: the localized DATE_FORMAT


def test_list_and_calendar_query_counts_do_not_grow(network, template, client_for):
    client = client_for(network.manager)
    plan(network, template)
    counts = [
        queries(client, reverse("visits:list")),
        queries(client, reverse("visits:calendar") + "?month=2026-12"),
    ]
    for i in range(30):
        plan(network, template, DAY + datetime.timedelta(days=i % 15))
    assert queries(client, reverse("visits:list")) == counts[0]
    calendar = reverse("visits:calendar") + "?month=2026-12"
    assert queries(client, calendar) == counts[1]
    assert network.unit.code in client.get(calendar).content.decode()


def test_unit_list_query_count(network, template, client_for):
    client = client_for(network.owner)
    url = reverse("visits:unit_visits", args=[network.unit.code])
    plan(network, template)
    few = queries(client, url)
    for i in range(20):
        plan(network, template, DAY + datetime.timedelta(days=i))
    assert queries(client, url) == few


def test_phone_form_markup(network, template, client_for):
    visit = plan(network, template)
    html = (
        client_for(network.manager)
        .get(reverse("visits:visit_fill", args=[network.unit.code, visit.pk]))
        .content.decode()
    )
    assert 'accept="image/*" capture="environment"' in html
    assert 'name="viewport"' in html and "visit-form.js" in html
    assert "<script>" not in html  # no inline scripts (CSP)
    assert "Floor clean" in html and "Fridge temperature" not in html  # one section a page


def test_section_post_bad_value_saves_nothing(network, template, client_for):
    visit = plan(network, template)
    url = reverse("visits:visit_fill", args=[network.unit.code, visit.pk])
    response = client_for(network.manager).post(url, {"a-floor": "yes", "a-door": "9"})
    assert response.status_code == 400
    assert "Give a whole mark from 0 to 5." in response.content.decode()
    assert not VisitAnswer.objects.exists()


def test_bad_photo_is_refused(network, template, client_for):
    visit = plan(network, template)
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("visits:visit_fill", args=[network.unit.code, visit.pk]) + "?section=1"
    fake = SimpleUploadedFile("x.jpg", b"MZ not a picture", content_type="image/jpeg")
    response = client_for(network.manager).post(url, {"a-fridge": "9", "p-fridge": fake})
    assert response.status_code == 400 and "not a photo" in response.content.decode()
    assert not VisitAnswer.objects.exists()


def test_autosave_one_answer(network, template, client_for):
    visit = plan(network, template)
    url = reverse("visits:answer_save", args=[network.unit.code, visit.pk])
    client = client_for(network.manager)
    assert client.post(url, {"item": "floor", "a-floor": "no"}).json() == {"saved": True}
    assert VisitAnswer.objects.get().passed is False
    bad = client.post(url, {"item": "door", "a-door": "x"})
    assert bad.status_code == 400 and bad.json()["error"] == "Enter a number."
    assert client.post(url, {"item": "nope"}).status_code == 400


def test_full_visit_the_unit_sees_the_failure_and_the_task(network, template, client_for):
    visit = plan(network, template)
    manager = client_for(network.manager)
    fill = reverse("visits:visit_fill", args=[network.unit.code, visit.pk])
    assert manager.post(fill, {"a-floor": "yes", "a-door": "5"}).status_code == 302
    owner = client_for(network.owner)
    detail = reverse("visits:visit_detail", args=[network.unit.code, visit.pk])
    assert "appears here once the visit is submitted" in owner.get(detail).content.decode()
    response = manager.post(
        fill + "?section=1", {"a-fridge": "8", "p-fridge": photo(), "a-hands": "yes"}
    )
    assert response.status_code == 302
    review = reverse("visits:visit_review", args=[network.unit.code, visit.pk])
    assert manager.post(review, {"summary": "Fix the fridge"}).status_code == 302
    again = manager.post(review, {"summary": "twice"})
    assert again.status_code == 302 and UnitTask.objects.count() == 1
    html = owner.get(detail).content.decode()
    assert "Failed" in html and "Fix the fridge" in html
    task = UnitTask.objects.get(unit=network.unit)
    assert reverse("franchise:task_detail", args=[network.unit.code, task.pk]) in html
    photo_url = reverse("visits:photo", args=[network.unit.code, visit.pk, "fridge"])
    assert photo_url in html and owner.get(photo_url).status_code == 200
    unit_page = owner.get(reverse("franchise:unit_detail", args=[network.unit.code]))
    assert "Last visit" in unit_page.content.decode()


def test_revisit_compares_item_by_item(network, template, client_for):
    first, second = plan(network, template), plan(network, template)
    base = {"floor": "no", "door": "5", "fridge": "3", "hands": "yes"}
    for visit, answers in [(first, base), (second, {**base, "floor": "yes", "hands": "no"})]:
        services.visit_answers_save(
            visit=visit,
            by=network.manager,
            answers=answers,
            photos={"hands": __import__("visits.photos").photos.check_photo(photo())},
        )
        services.visit_submit(visit=visit, by=network.manager)
    html = (
        client_for(network.manager)
        .get(reverse("visits:visit_detail", args=[network.unit.code, second.pk]))
        .content.decode()
    )
    assert "fixed" in html and "newly failed" in html


def test_network_page(network, template, client_for):
    visit = plan(network, template)
    services.visit_answers_save(
        visit=visit,
        by=network.manager,
        answers={"floor": "no", "door": "5", "fridge": "3", "hands": "na"},
    )
    services.visit_submit(visit=visit, by=network.manager)
    html = client_for(network.lead).get(reverse("visits:network")).content.decode()
    assert network.region.name in html and "Floor clean" in html
    assert client_for(network.owner).get(reverse("visits:network")).status_code == 404


def test_autosave_refuses_a_locked_visit_and_a_bad_photo(network, template, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    visit = plan(network, template)
    url = reverse("visits:answer_save", args=[network.unit.code, visit.pk])
    client = client_for(network.manager)
    fake = SimpleUploadedFile("x.png", b"%PDF-1.4 not a photo", content_type="image/png")
    bad = client.post(url, {"item": "fridge", "a-fridge": "9", "p-fridge": fake})
    assert bad.status_code == 400 and "not a photo" in bad.json()["error"]
    assert not VisitAnswer.objects.exists()
    answers = {"floor": "yes", "door": "5", "fridge": "3", "hands": "yes"}
    services.visit_answers_save(visit=visit, by=network.manager, answers=answers)
    services.visit_submit(visit=visit, by=network.manager)
    locked = client.post(url, {"item": "floor", "a-floor": "no"})
    assert locked.status_code == 400 and "submitted" in locked.json()["error"]
    assert VisitAnswer.objects.get(visit=visit, item_key="floor").passed is True
