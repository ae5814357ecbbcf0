"""Fee computation as pure functions: terms and a reported figure in, an amount and the facts
of how it came about out (no database, so hypothesis can try thousands of cases).

The amount is rounded half-up to kopecks once, after the bands are added up exactly; the
minimum is compared with the rounded amount. `explain` turns the stored facts into words in
the reader's language ("revenue 1 250 000,00 ₽ × 6 % = 75 000,00 ₽; minimum 50 000,00 ₽ not
applied").
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portal.money import format_money, round_money

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Terms:
    kind: str
    percent: Decimal | None = None
    tier_mode: str = "flat"
    #: ((lower bound, rate %), ...) sorted by lower bound; the first band should start at 0.
    tiers: tuple = ()
    minimum: Decimal | None = None
    amount: Decimal | None = None


def _bands(terms: Terms) -> list[tuple[Decimal, Decimal | None, Decimal]]:
    """[(lower, upper or None, rate)], a band below the first bound at rate 0."""
    tiers = list(terms.tiers)
    if not tiers:
        return [(Decimal(0), None, terms.percent or Decimal(0))]
    if tiers[0][0] > 0:
        tiers.insert(0, (Decimal(0), Decimal(0)))
    uppers = [lower for lower, _rate in tiers[1:]] + [None]
    return [(lower, upper, rate) for (lower, rate), upper in zip(tiers, uppers, strict=True)]


def compute(terms: Terms, base: Decimal | None) -> tuple[Decimal, dict]:
    """(amount, details) of one month's fee; `base` is the reported figure (None: missing)."""
    if terms.kind == "fixed":
        amount = round_money(terms.amount or 0)
        return amount, {"type": "fixed", "amount": str(amount)}
    base = max(Decimal(base or 0), Decimal(0))
    details: dict = {"type": "percent", "base": str(base), "mode": terms.tier_mode}
    if terms.tier_mode == "marginal":
        parts = []
        for lower, upper, rate in _bands(terms):
            if base <= lower:
                break
            top = base if upper is None else min(base, upper)
            parts.append((lower, top, rate, (top - lower) * rate / HUNDRED))
        raw = sum((p[3] for p in parts), Decimal(0))
        details["bands"] = [
            [str(lo), str(hi), str(rate), str(round_money(x))] for lo, hi, rate, x in parts
        ]
    else:
        rate = terms.percent or Decimal(0)
        if terms.tier_mode == "whole":
            rate = next(r for lo, hi, r in _bands(terms) if hi is None or base < hi)
        raw = base * rate / HUNDRED
        details["percent"] = str(rate)
    amount = round_money(raw)
    details["computed"] = str(amount)
    if terms.minimum is not None:
        details["minimum"] = str(terms.minimum)
        details["minimum_applied"] = amount < terms.minimum
        amount = max(amount, round_money(terms.minimum))
    details["amount"] = str(amount)
    return amount, details


def _pct(value: str) -> str:
    return number_format(Decimal(value).normalize(), use_l10n=True) + "\u00a0%"


def _label(details: dict) -> str:
    """The report field a percentage fee is taken of, in the active language: `label_<code>`
    when the line stored one, else `label` (the English text; lines stored before there were
    two languages have only that)."""
    code = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return details.get(f"label_{code}") or details.get("label") or ""


def explain(details: dict, *, label: str = "") -> str:
    """The facts of an entry in words, in the active language."""
    kind = details.get("type")
    if kind == "fixed":
        return _("fixed monthly fee %(amount)s") % {"amount": format_money(details["amount"])}
    if kind == "reversal":
        return _("reversal of the entry of %(date)s: %(why)s") % {
            "date": details.get("date", ""),
            "why": details.get("why") or _("figures corrected"),
        }
    if kind == "invoice":
        return _("invoice %(number)s of %(date)s") % details
    if kind == "payment":
        return _("payment %(number)s: %(purpose)s") % {
            "number": details.get("number", ""),
            "purpose": details.get("purpose", ""),
        }
    if kind == "note":
        return details.get("text", "")
    if kind != "percent":
        return ""
    label = _label(details) or label or _("revenue")
    base = format_money(details["base"])
    if details.get("mode") == "marginal":
        bands = "; ".join(
            _("%(lower)s–%(upper)s × %(rate)s = %(part)s")
            % {
                "lower": format_money(lo, currency=""),
                "upper": format_money(hi, currency=""),
                "rate": _pct(rate),
                "part": format_money(part),
            }
            for lo, hi, rate, part in details.get("bands", [])
        )
        text = _("%(label)s %(base)s in bands: %(bands)s; total %(amount)s") % {
            "label": label,
            "base": base,
            "bands": bands or "—",
            "amount": format_money(details["computed"]),
        }
    else:
        text = _("%(label)s %(base)s × %(rate)s = %(amount)s") % {
            "label": label,
            "base": base,
            "rate": _pct(details["percent"]),
            "amount": format_money(details["computed"]),
        }
    if "minimum" in details:
        minimum = format_money(details["minimum"])
        if details.get("minimum_applied"):
            text += "; " + _("minimum %(minimum)s applied") % {"minimum": minimum}
        else:
            text += "; " + _("minimum %(minimum)s not applied") % {"minimum": minimum}
    return text
