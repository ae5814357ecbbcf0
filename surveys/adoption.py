"""Surveys' rows of the adoption page's before/after table: the response rate and NPS of each
survey's last closed round against the round before it (registered in SurveysConfig.ready, so
reporting never imports surveys).

Anonymity follows `surveys.results`: a cell (round, region, account manager) of an anonymous
survey counts only with at least MIN_GROUP responses; smaller cells are left out of every
figure, the response rate's numerator too. A response counts for the scope when its cell's
(region, manager) is one of the scope's units' pairs. Five queries whatever the number of
surveys, rounds, units or answers; the sums run in pandas on `values_list` rows.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from django.db.models import Count, QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from franchise.models import Franchisee, Membership

from . import results
from .models import Response, Round, Survey, shown_name

#: What the rows read (the cached adoption figures drop when one of them is written).
LABELS = (
    "surveys.Survey",
    "surveys.Round",
    "surveys.Response",
    "franchise.Membership",
    "franchise.Franchisee",
)


def _last_two(today: date) -> dict[int, list[Round]]:
    """{survey id: [previous round or None, last round]} of closed rounds: one query."""
    out: dict[int, list[Round]] = {}
    rounds = (
        Round.objects.filter(closes_on__lt=today, survey__is_active=True)
        .select_related("survey")
        .order_by(shown_name("survey__"), "survey_id", "-opens_on")
    )
    for round_ in rounds:
        mine = out.setdefault(round_.survey_id, [])
        if len(mine) < 2:
            mine.append(round_)
    return {k: [v[1] if len(v) > 1 else None, v[0]] for k, v in out.items()}


def load_rows(units: QuerySet, today: date) -> list[dict]:
    pairs = _last_two(today)
    if not pairs:
        return []
    rounds = [r for pair in pairs.values() for r in pair if r is not None]
    scope = pd.DataFrame.from_records(
        list(units.order_by().values_list("pk", "region_id", "account_manager_id", "status")),
        columns=["unit_id", "region_id", "manager_id", "status"],
    )
    cells = scope[["region_id", "manager_id"]].fillna(-1).astype("int64").drop_duplicates()
    responses = pd.DataFrame.from_records(
        list(
            Response.objects.filter(round__in=[r.pk for r in rounds])
            .values(*results.CELL, "nps")
            .annotate(n=Count("pk"))
            .order_by()
            .values_list(*results.CELL, "nps", "n")
        ),
        columns=results.RESPONSE_COLUMNS,
    )
    responses[results.CELL] = responses[results.CELL].fillna(-1).astype("int64")
    responses = responses.merge(cells, on=["region_id", "manager_id"], how="inner")
    people = pd.DataFrame.from_records(
        list(
            Membership.objects.filter(
                unit__in=units, unit__status=Franchisee.Status.ACTIVE, user__is_active=True
            ).values_list("user_id", "unit__region_id", "role")
        ),
        columns=["user_id", "region_id", "role"],
    )
    audience = pd.DataFrame.from_records(
        list(
            Survey.audience_regions.through.objects.filter(survey_id__in=list(pairs)).values_list(
                "survey_id", "region_id"
            )
        ),
        columns=["survey_id", "region_id"],
    )
    rows = []
    for survey_id, (previous, last) in pairs.items():
        survey = last.survey
        regions = set(audience.loc[audience["survey_id"] == survey_id, "region_id"])
        asked = people[people["role"].isin(survey.roles)]
        if regions:
            asked = asked[asked["region_id"].isin(regions)]
        invited = asked["user_id"].nunique()
        figures = {}
        for key, round_ in (("before", previous), ("after", last)):
            if round_ is None:
                figures[key] = None
                continue
            mine = responses[responses["round_id"] == round_.pk]
            kept, _held = results.release(mine, survey.min_group)
            summary = results.summarize(kept)
            figures[key] = {
                "rate": summary["n"] / invited if invited else None,
                "nps": summary["nps"],
            }
        before, after = figures["before"], figures["after"]
        common = {
            "before_label": previous.shown_label if previous else "",
            "after_label": last.shown_label,
            "note": "" if previous else _("no earlier round"),
        }
        rows.append(
            {
                "key": f"{survey.slug}-rate",
                "label": format_lazy(_("{survey}: response rate"), survey=survey.name),
                "kind": "pct",
                "before": before["rate"] if before else None,
                "after": after["rate"],
                **common,
            }
        )
        rows.append(
            {
                "key": f"{survey.slug}-nps",
                "label": format_lazy(_("{survey}: NPS"), survey=survey.name),
                "kind": "number",
                "before": before["nps"] if before else None,
                "after": after["nps"],
                **common,
            }
        )
    return rows


def register() -> None:
    from reporting.network import adoption

    adoption.register_rows("surveys", load=load_rows, labels=LABELS, order=50)
