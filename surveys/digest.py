"""The managers' weekly digest: NPS and response rate of each active survey's last round that
may be shown (anonymous: closed, and only groups of at least five respondents count)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from . import results, selectors
from .models import Survey, shown_name


def digest_section(user, units, today) -> dict | None:
    scope_kind = selectors.results_scope(user) if user is not None else None
    if scope_kind is None:
        return None
    manager_id = None if scope_kind == "network" else user.pk
    lines = []
    for survey in Survey.objects.filter(is_active=True).order_by(shown_name(), "pk"):
        rounds = results.visible_rounds(survey, today)
        if not rounds:
            continue
        last = rounds[-1]
        scope = results.Scope(survey=survey, manager_id=manager_id, today=today, rounds=[last])
        total = results.compute(
            results.load_responses(scope), min_group=survey.min_group, filters={}
        )["total"]
        invited = results.invited(scope)
        took_part = results.participation(scope).get(last.pk, 0)
        rate = round(100 * took_part / invited) if invited else 0
        if total["nps"] is None:
            line = _(
                "%(survey)s, %(round)s: %(rate)s%% took part; too few answers to show"
                " (groups of at least %(min)s)."
            ) % {
                "survey": survey.name,
                "round": last.shown_label,
                "rate": rate,
                "min": survey.min_group,
            }
        else:
            line = _(
                "%(survey)s, %(round)s: NPS %(nps)s from %(n)s answers; %(rate)s%% took part."
            ) % {
                "survey": survey.name,
                "round": last.shown_label,
                "nps": total["nps"],
                "n": total["n"],
                "rate": rate,
            }
        lines.append(line)
    return {"title": _("Satisfaction surveys"), "lines": lines} if lines else None
