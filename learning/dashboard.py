"""The unit dashboard's training block and the portfolio's training traffic light."""

from franchise import access

from . import selectors


def unit_block(request, unit) -> dict | None:
    """The viewer's own courses (progress bars) and the unit's training summary.

    Fixed number of queries: the learner's sections and one summary over the unit.
    """
    user = request.user
    mine = selectors.my_learning(user)
    own = (mine["overdue"] + mine["assigned"] + mine["in_progress"])[:5]
    summary = selectors.unit_training_summary(unit.pk)
    oversees = access.units_overseeing_training(user).filter(pk=unit.pk).exists()
    if not own and not summary["assigned"]:
        return None
    return {"own": own, "summary": summary, "unit": unit, "oversees": oversees}


def unit_statuses(units_qs) -> dict:
    return selectors.unit_statuses(units_qs)
