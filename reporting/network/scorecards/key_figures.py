"""The main report's figures: which template and field, the latest due period, ranks and
change against the period before."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from django.conf import settings

from reporting import periods as P
from reporting.analytics import frames, stats
from reporting.models import ReportTemplate
from reporting.summaries import numeric_definitions

# The main report -----------------------------------------------------------------------


def key_template() -> ReportTemplate | None:
    """The report whose figures the scorecard shows: NETWORK_KEY_TEMPLATE, else the first
    active monthly template by its English name (the same in every language)."""
    templates = ReportTemplate.objects.filter(is_active=True)
    slug = getattr(settings, "NETWORK_KEY_TEMPLATE", "")
    chosen = templates.filter(slug=slug).first() if slug else None
    return (
        chosen
        or templates.filter(period_kind="monthly").order_by("name_en", "pk").first()
        or templates.order_by("name_en", "pk").first()
    )


def due_period(kind: str, today: date, due_days: int) -> P.Period:
    """The latest period whose report is already due (its due date has passed)."""
    period = P.last_closed(kind, today)
    return period if period.due_date(due_days) < today else period.previous()


@dataclass
class KeyFigures:
    template: ReportTemplate | None
    definitions: list = field(default_factory=list)
    period: P.Period | None = None
    frame: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def key_field(self) -> str | None:
        keys = [d["key"] for d in self.definitions]
        wanted = getattr(settings, "NETWORK_KEY_FIELD", "")
        return wanted if wanted in keys else (keys[0] if keys else None)

    @property
    def key_label(self) -> str:
        return next((d["label"] for d in self.definitions if d["key"] == self.key_field), "")


def load_key_figures(
    today: date, periods: int = 2, *, key_only: bool = False, units=None
) -> KeyFigures:
    """Values of the main report's numeric fields for the latest due period and the ones
    before it, network-wide unless `units` is given (ranks are in the whole network).
    `key_only` reads just the key field (the charts). Three queries."""
    template = key_template()
    if template is None:
        return KeyFigures(None)
    definitions = numeric_definitions(template)
    key = KeyFigures(template, definitions)
    period = due_period(template.period_kind, today, template.due_days)
    since = period.shifted(-(periods - 1))
    fields = [key.key_field] if key_only else [d["key"] for d in definitions]
    frame = frames.values_frame(
        frames.counted_values(template, fields=fields, units=units, since=since.start).filter(
            submission__period_start__lte=period.start
        )
    )
    return KeyFigures(template, definitions, period, frame)


def field_ranks(key: KeyFigures, field_key: str) -> pd.DataFrame:
    """unit_id, value, rank, of, region_rank, region_of, band, previous, change."""
    columns = ["unit_id", "value", "rank", "of", "region_rank", "region_of", "band", "change"]
    if key.period is None or key.frame.empty:
        return pd.DataFrame(columns=columns)
    ranks = stats.rankings(key.frame, field=field_key, period=key.period.start)
    before = key.frame[
        (key.frame["field"] == field_key)
        & (key.frame["period_start"] == pd.Timestamp(key.period.previous().start))
    ][["unit_id", "value"]].rename(columns={"value": "previous"})
    ranks = ranks.merge(before, on="unit_id", how="left")
    old = ranks["previous"].where(ranks["previous"] != 0)
    ranks["change"] = (ranks["value"] - old) / old.abs()
    return ranks
