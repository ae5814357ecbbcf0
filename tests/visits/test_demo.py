"""The visits demo: two checklists of every answer kind, a year of visits with real scores,
failed visits with photos and corrective tasks; a second run changes nothing."""

import io
from datetime import date

from django.apps import apps

from franchise import demo as franchise_demo
from franchise.models import TaskAttachment, UnitTask
from portal.demo import DemoContext
from visits import demo, scoring
from visits.models import ChecklistTemplate, Visit, VisitAnswer

TODAY = date(2026, 11, 25)


def _counts():
    counts = {m._meta.label: m.objects.count() for m in apps.get_app_config("visits").get_models()}
    counts["tasks"] = UnitTask.objects.count()
    counts["attachments"] = TaskAttachment.objects.count()
    return counts


def _seed(units=12, live=None, monkeypatch=None):
    if live is not None:
        monkeypatch.setattr(demo, "LIVE", live)
    ctx = DemoContext(units=units, stdout=io.StringIO(), today=TODAY)
    franchise_demo.seed(ctx)
    demo.seed(ctx)
    return ctx


def test_demo_counts_and_second_run(db, monkeypatch):
    _seed(live=4, monkeypatch=monkeypatch)
    first = _counts()
    templates = ChecklistTemplate.objects.order_by("slug")
    assert [t.slug for t in templates] == ["food-safety", "store-standards"]
    kinds = {i.kind for t in templates for i in t.items.all()}
    assert kinds == {"yes_no", "scale", "number"}
    items = [i for t in templates for i in t.items.all()]
    assert any(i.critical for i in items) and any(i.photo_when_failed for i in items)
    assert all(i.guidance for i in items) and len({i.weight for i in items}) > 1
    assert len({i.section for i in templates[0].items.all()}) == 3

    active = {v.unit_id for v in Visit.objects.all()}
    visits = Visit.objects.all()
    assert visits.count() == len(active) * demo.MONTHS
    assert all(v.status == Visit.Status.SUBMITTED for v in visits)
    assert all(v.visitor_id == v.unit.account_manager_id for v in visits.select_related("unit"))
    scores = {v.score for v in visits}
    assert len(scores) > 10
    failed = visits.filter(passed=False)
    assert 0 < failed.count() < visits.count()
    # A failed critical item fails the visit whatever its score.
    critical = {i.key for i in items if i.critical}
    crit_failed = VisitAnswer.objects.filter(item_key__in=critical, passed=False)
    assert crit_failed.exists()
    assert not Visit.objects.filter(answers__in=crit_failed, passed=True).exists()

    failed_answers = VisitAnswer.objects.filter(passed=False)
    assert failed_answers.count() == failed_answers.filter(task__isnull=False).count()
    visit_tasks = UnitTask.objects.filter(pk__in=failed_answers.values("task_id"))
    assert visit_tasks.count() == failed_answers.count()
    photo_keys = {i.key for i in items if i.photo_when_failed}
    need_photo = failed_answers.filter(item_key__in=photo_keys)
    assert need_photo.exists() and not need_photo.filter(photo="").exists()
    assert TaskAttachment.objects.filter(task__in=visit_tasks).count() == need_photo.count()
    answer = need_photo.first()
    with answer.photo.open("rb") as handle:
        assert handle.read(8) == b"\x89PNG\r\n\x1a\n"
    assert visit_tasks.filter(status=UnitTask.Status.DONE).exists()
    assert visit_tasks.filter(status=UnitTask.Status.OPEN, due_date__lt=TODAY).exists()

    # Stored scores are what the scoring code gives for the stored answers.
    for visit in visits.prefetch_related("answers").select_related("version")[:30]:
        result = scoring.score(
            visit.version.items,
            {a.item_key: scoring.Answer(value=a.value, na=a.na) for a in visit.answers.all()},
            visit.version.pass_score,
        )
        assert (result.score, result.passed) == (visit.score, visit.passed)

    _seed(live=4, monkeypatch=monkeypatch)
    assert _counts() == first


def test_live_visits_go_through_the_services(db, monkeypatch):
    """The latest visit of the first LIVE units is submitted by the service: it notifies the
    unit and stamps today."""
    from franchise.models import Notification

    _seed(units=6, live=2, monkeypatch=monkeypatch)
    today_visits = Visit.objects.filter(submitted_at__date__gte=date.today())
    assert today_visits.count() == 2
    assert Notification.objects.filter(kind="visit").count() >= 2
