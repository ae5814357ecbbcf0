"""How ordering works for the network, per month and region or manager: orders placed
online against order requests still sent as free text, confirmation time (median and 90th
percentile), the share of failed orders (rejected, shipped short or delivered after the
promised day) and the share of repeat orders. Read with `values_list` into pandas."""

from __future__ import annotations

from datetime import date

import pandas as pd
from django.conf import settings
from django.db.models import Exists, F, OuterRef

from franchise import access
from franchise.models import UnitRequest

from .models import Order, OrderLine, OrderSource
from .models import OrderStatus as S

DIMENSIONS = ("region", "manager", "")
_COLUMNS = {"region": "unit__region__name", "manager": "unit__account_manager__last_name"}


def _orders_frame(user, since: date) -> pd.DataFrame:
    short = OrderLine.objects.filter(
        order=OuterRef("pk"), quantity_shipped__lt=F("quantity_ordered")
    )
    orders = (
        access.visible_to(user, Order.objects.exclude(status=S.DRAFT), "view")
        .filter(submitted_at__date__gte=since)
        .annotate(short=Exists(short))
    )
    fields = [
        "submitted_at",
        "confirmed_at",
        "delivered_at",
        "delivery_date",
        "status",
        "source",
        "short",
        *_COLUMNS.values(),
    ]
    return pd.DataFrame(list(orders.values_list(*fields)), columns=fields)


def _requests_frame(user, since: date) -> pd.DataFrame:
    rows = access.visible_to(
        user, UnitRequest.objects.filter(kind=UnitRequest.Kind.MATERIALS), "view"
    ).filter(created_at__date__gte=since)
    fields = ["created_at", *_COLUMNS.values()]
    return pd.DataFrame(list(rows.values_list(*fields)), columns=fields)


def _month(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series, utc=True).dt.tz_convert(None).dt.strftime("%Y-%m")


def ordering_figures(user, *, since: date, by: str = "region") -> list[dict]:
    """One row per month (and region or manager): the figures of the module docstring."""
    keys = ["month"] + ([_COLUMNS[by]] if by in _COLUMNS else [])
    orders = _orders_frame(user, since)
    requests = _requests_frame(user, since)
    if orders.empty and requests.empty:
        return []
    orders["month"] = _month(orders["submitted_at"]) if not orders.empty else []
    requests["month"] = _month(requests["created_at"]) if not requests.empty else []
    hours = (
        pd.to_datetime(orders["confirmed_at"], utc=True)
        - pd.to_datetime(orders["submitted_at"], utc=True)
    ).dt.total_seconds() / 3600
    local = pd.to_datetime(orders["delivered_at"], utc=True).dt.tz_convert(settings.TIME_ZONE)
    delivered = local.dt.tz_localize(None).dt.normalize()
    promised = pd.to_datetime(orders["delivery_date"])
    late = promised.notna() & delivered.notna() & (delivered > promised)
    shipped = orders["status"].isin([S.SHIPPED, S.DELIVERED])
    orders = orders.assign(
        hours=hours,
        failed=(orders["status"] == S.REJECTED) | (shipped & orders["short"]) | late,
        repeat=orders["source"].isin([OrderSource.REPEAT, OrderSource.USUAL]),
        online=orders["source"] != OrderSource.ONE_C,
    )
    grouped = orders.groupby(keys, dropna=False)
    table = pd.DataFrame(
        {
            "orders": grouped.size(),
            "online": grouped["online"].sum(),
            "confirm_median": grouped["hours"].median(),
            "confirm_p90": grouped["hours"].quantile(0.9),
            "failed_share": grouped["failed"].mean() * 100,
            "repeat_share": grouped["repeat"].mean() * 100,
        }
    )
    table["requests"] = requests.groupby(keys, dropna=False).size() if not requests.empty else 0
    table = table.fillna({"requests": 0, "orders": 0, "online": 0}).reset_index()
    table = table.rename(columns={_COLUMNS.get(by, "_"): "group"})
    table = table.sort_values(keys[:1] + (["group"] if "group" in table else []), ascending=True)
    records = table.astype(object).where(table.notna(), None).to_dict("records")
    return records[::-1]  # newest month first
