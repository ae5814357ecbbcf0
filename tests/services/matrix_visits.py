"""Cross-unit URL matrix entries of the visits app (merged into url_matrix.ROUTES)."""

from .url_matrix import Case, statuses, unit_scoped, unit_write  # noqa: F401

#: Only the unit's reviewer (its manager) fills a visit; leads read, never write.
visitor_only = statuses(manager=200)


def make_visit(net) -> dict:
    import datetime

    from tests.visits.helpers import make_checklist, photo
    from visits import services
    from visits.photos import check_photo

    template = make_checklist(slug="matrix")
    plan = {"template": template, "planned_date": datetime.date(2026, 12, 10), "by": net.manager}
    visit = services.visit_plan(unit=net.unit, **plan)
    done = services.visit_plan(unit=net.unit, **plan)
    answers = {"floor": "yes", "door": "4", "fridge": "9", "hands": "no"}
    shot = check_photo(photo())
    services.visit_answers_save(
        visit=done, by=net.manager, answers=answers, photos={"fridge": shot, "hands": shot}
    )
    services.visit_submit(visit=done, by=net.manager)
    ready = services.visit_plan(unit=net.unit, **plan)
    services.visit_answers_save(
        visit=ready, by=net.manager, answers={**answers, "fridge": "3", "hands": "yes"}
    )
    return {"visit": visit, "done": done, "ready": ready}


ROUTES: dict = {
    "visits:unit_visits": Case(args=lambda net: [net.unit.code], expect=unit_scoped()),
    "visits:visit_detail": [
        Case(
            args=lambda net: [net.unit.code, net.visit.pk], setup=make_visit, expect=unit_scoped()
        ),
        Case(args=lambda net: [net.unit.code, net.done.pk], setup=make_visit, expect=unit_scoped()),
        Case(
            # Another unit's code with this unit's visit: 404 for everyone.
            args=lambda net: [net.other_unit.code, net.visit.pk],
            setup=make_visit,
            expect=statuses(404),
        ),
    ],
    "visits:visit_fill": [
        Case(args=lambda net: [net.unit.code, net.visit.pk], setup=make_visit, expect=visitor_only),
        Case(
            args=lambda net: [net.unit.code, net.visit.pk],
            setup=make_visit,
            method="POST",
            data=lambda net: {"a-floor": "yes", "a-door": "3"},
            expect=statuses(manager=302),
        ),
    ],
    "visits:answer_save": Case(
        args=lambda net: [net.unit.code, net.visit.pk],
        setup=make_visit,
        method="POST",
        data=lambda net: {"item": "floor", "a-floor": "no"},
        expect=visitor_only,
    ),
    "visits:visit_review": [
        Case(args=lambda net: [net.unit.code, net.ready.pk], setup=make_visit, expect=visitor_only),
        Case(
            args=lambda net: [net.unit.code, net.ready.pk],
            setup=make_visit,
            method="POST",
            data=lambda net: {"summary": "ok"},
            expect=statuses(manager=302),
        ),
    ],
    "visits:photo": [
        Case(
            args=lambda net: [net.unit.code, net.done.pk, "fridge"],
            setup=make_visit,
            expect=unit_scoped(),
        ),
        Case(
            # No photo before the visit is submitted, for the unit (nothing stored here anyway).
            args=lambda net: [net.unit.code, net.visit.pk, "fridge"],
            setup=make_visit,
            expect=statuses(404),
        ),
    ],
}
