"""The traffic light and the reasons in words.

Each reason comes from a provider registered with `register_reason`: a function of the unit's
row (every column of the scorecard frame, including those other apps add with
`sources.register_columns`) and a `ReasonContext`, returning (level, text) pairs. The visits
or finance apps add "failed visit" or "overdue debt" from their AppConfig.ready without
editing this module; `status_of` asks every provider in order and sorts the answers worst
first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.dashboard import AMBER, GREEN, RED

from .measures import ACTIVE_DAYS, DROP_LIMIT, EXPIRY_DAYS, LEVEL_RANK


@dataclass
class ReasonContext:
    """What a provider may need besides the row."""

    #: [(course title, people overdue)] of this unit, most people first.
    overdue_courses: list = field(default_factory=list)
    #: The label of the main report's key field ("Revenue").
    key_label: str = ""


Reason = tuple[str, str]
ReasonProvider = Callable[[dict, ReasonContext], Iterable[Reason]]
#: name -> (order, provider); the activity reason has its own name (see `status_of`).
_PROVIDERS: dict[str, tuple[int, ReasonProvider]] = {}
ACTIVITY_REASON = "activity"


def register_reason(name: str, provider: ReasonProvider, *, order: int = 100) -> None:
    """Add (or replace, by `name`) a reason provider; lower `order` is asked first (the order
    of equal levels in the text). The row holds 0 or NaN where a source has no data."""
    _PROVIDERS[name] = (order, provider)


def providers() -> list[tuple[str, ReasonProvider]]:
    return [(name, p) for name, (_o, p) in sorted(_PROVIDERS.items(), key=lambda i: i[1][0])]


def _reports(row, ctx):
    missing, late = int(row["missing"]), int(row["late"])
    if missing:
        level = RED if missing >= 2 else AMBER
        text = ngettext("%(n)s report missing", "%(n)s reports missing", missing)
        yield level, text % {"n": missing}
    if late >= 2:
        yield AMBER, ngettext("%(n)s report late", "%(n)s reports late", late) % {"n": late}


def _training(row, ctx):
    courses = ctx.overdue_courses
    for title, people in courses[:2]:
        level = RED if people >= 3 else AMBER
        text = ngettext(
            "%(course)s overdue for %(n)s staff", "%(course)s overdue for %(n)s staff", people
        )
        yield level, text % {"course": title, "n": people}
    if len(courses) > 2:
        rest = len(courses) - 2
        text = ngettext("%(n)s more course overdue", "%(n)s more courses overdue", rest)
        yield AMBER, text % {"n": rest}
    if row["certs_expiring"]:
        n = int(row["certs_expiring"])
        text = ngettext(
            "%(n)s certificate expires within %(days)s days",
            "%(n)s certificates expire within %(days)s days",
            n,
        )
        yield AMBER, text % {"n": n, "days": EXPIRY_DAYS}


def _key_figure(row, ctx):
    change = row.get("key_change")
    if change is not None and not pd.isna(change) and change <= DROP_LIMIT:
        pct = round(-change * 100)
        yield AMBER, _("%(label)s fell %(pct)s%%") % {"label": ctx.key_label, "pct": pct}


#: Columns of overdue tasks that another app's reason already names (visits: corrective
#: tasks); the general "tasks overdue" reason leaves them out, so no task is counted twice.
TASKS_NAMED_APART: set[str] = set()


def name_tasks_apart(column: str) -> None:
    """Declare that `column` counts overdue tasks an app's own reason names (from ready())."""
    TASKS_NAMED_APART.add(column)


def _tasks_and_requests(row, ctx):
    apart = sum(int(row.get(c) or 0) for c in TASKS_NAMED_APART)
    n = int(row["overdue_tasks"] or 0) - apart
    if n > 0:
        yield AMBER, ngettext("%(n)s task overdue", "%(n)s tasks overdue", n) % {"n": n}
    if row["unanswered_requests"]:
        n = int(row["unanswered_requests"])
        text = ngettext("%(n)s request unanswered", "%(n)s requests unanswered", n)
        yield AMBER, text % {"n": n}


def activity_reason() -> str:
    return _("nobody used the portal in %(days)s days") % {"days": ACTIVE_DAYS}


def _activity(row, ctx):
    if not row["active_users"]:
        yield AMBER, activity_reason()


register_reason("reports", _reports, order=10)
register_reason("training", _training, order=20)
register_reason("key_figure", _key_figure, order=30)
register_reason("tasks", _tasks_and_requests, order=40)
register_reason(ACTIVITY_REASON, _activity, order=1000)


def status_of(
    row: dict, overdue_courses: list, key_label: str, *, activity: bool = True
) -> tuple[str, str, int]:
    """The traffic light, the reasons in words (worst first) and an attention score.

    Red: two or more reports missing, three or more people overdue on one course; amber:
    anything else that needs a word with the unit (see the providers above and those other
    apps register). The score orders the "call first" list: 3 per red reason, 1 per amber.
    `activity=False` leaves out the activity reason (`add_activity` adds it to a frame).
    """
    ctx = ReasonContext(overdue_courses=overdue_courses, key_label=key_label)
    found: list[Reason] = []
    for name, provider in providers():
        if name == ACTIVITY_REASON and not activity:
            continue
        found.extend(provider(row, ctx))
    if not found:
        return GREEN, "", 0
    found.sort(key=lambda item: -LEVEL_RANK[item[0]])
    worst = found[0][0]
    score = sum(3 if level == RED else 1 for level, _text in found)
    text = ", ".join(t for _level, t in found)
    return worst, text[:1].upper() + text[1:], score
