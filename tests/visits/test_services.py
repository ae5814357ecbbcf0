"""Planning, answers, submit: locks, corrective tasks with the photo, atomic bad input."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from franchise.models import TaskAttachment, UnitTask
from tests.visits.helpers import make_checklist, photo
from visits import services
from visits.models import ChecklistItem, Visit, VisitAnswer
from visits.photos import check_photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(network):
    template = make_checklist()
    return services.visit_plan(
        unit=network.unit,
        template=template,
        planned_date=datetime.date(2026, 12, 10),
        by=network.manager,
    )


def test_versions_freeze_items(network):
    template = make_checklist()
    first = services.checklist_version_current(template=template)
    assert services.checklist_version_current(template=template) == first
    ChecklistItem.objects.filter(template=template, key="door").update(weight=5)
    second = services.checklist_version_current(template=template)
    assert second.number == 2 and first.items != second.items


def test_other_portfolio_cannot_plan(network):
    with pytest.raises(PermissionDenied):
        services.visit_plan(
            unit=network.unit,
            template=make_checklist(),
            planned_date=datetime.date(2026, 12, 1),
            by=network.other_manager,
        )


def test_bad_value_saves_nothing(network, visit):
    with pytest.raises(ValidationError) as error:
        services.visit_answers_save(
            visit=visit, by=network.manager, answers={"floor": "yes", "door": "7"}
        )
    assert "door" in error.value.message_dict
    assert not VisitAnswer.objects.exists()


def test_submit_scores_locks_and_creates_tasks(network, visit):
    services.visit_answers_save(
        visit=visit,
        by=network.manager,
        answers={"floor": "yes", "door": "5", "fridge": "9", "hands": "na"},
        photos={"fridge": check_photo(photo())},
        comments={"fridge": "Fridge at 9 °C"},
    )
    visit = services.visit_submit(visit=visit, by=network.manager)
    assert visit.status == Visit.Status.SUBMITTED
    assert visit.score == pytest.approx(50)  # (2 + 1) of 6
    assert visit.passed is False  # the fridge is critical
    task = UnitTask.objects.get(unit=network.unit)
    assert "Fridge temperature" in task.title and "Check the fridge." in task.description
    assert "9 °C" in task.description
    assert task.due_date == timezone.localdate(visit.submitted_at) + datetime.timedelta(days=7)
    assert TaskAttachment.objects.get(task=task).content_type == "image/jpeg"
    assert VisitAnswer.objects.get(visit=visit, item_key="fridge").task == task
    with pytest.raises(ValidationError, match="submitted"):
        services.visit_submit(visit=visit, by=network.manager)
    with pytest.raises(ValidationError):
        services.visit_answers_save(visit=visit, by=network.manager, answers={"floor": "no"})
    assert UnitTask.objects.count() == 1


def test_submit_needs_every_answer_and_the_photo(network, visit):
    services.visit_answers_save(
        visit=visit, by=network.manager, answers={"floor": "yes", "door": "5", "fridge": "9"}
    )
    with pytest.raises(ValidationError) as error:
        services.visit_submit(visit=visit, by=network.manager)
    assert set(error.value.message_dict) == {"fridge", "hands"}
    visit.refresh_from_db()
    assert visit.status == Visit.Status.DRAFT and not UnitTask.objects.exists()


def test_photo_checks(settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError, match="not a photo"):
        check_photo(SimpleUploadedFile("x.jpg", b"<html>not an image</html>"))
    settings.VISITS_PHOTO_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="too large"):
        check_photo(photo(size=(400, 400)))


def test_a_visit_keeps_its_version_after_the_template_changes(network, visit):
    ChecklistItem.objects.filter(template=visit.template, key="door").update(weight=9)
    later = services.visit_plan(
        unit=network.unit,
        template=visit.template,
        planned_date=datetime.date(2026, 12, 20),
        by=network.manager,
    )
    visit.refresh_from_db()
    assert visit.version.number == 1 and later.version.number == 2
    door = {i["key"]: i for i in visit.version.items}["door"]
    assert door["weight"] == 1
    services.visit_answers_save(
        visit=visit,
        by=network.manager,
        answers={"floor": "yes", "door": "0", "fridge": "3", "hands": "yes"},
    )
    assert services.visit_submit(visit=visit, by=network.manager).score == Decimal("85.7")
