"""The score of a visit, from the frozen item definitions and the answers alone.

Pure functions (no database): the same code scores a visit on submit, the re-visit comparison
and the Hypothesis tests. The score is the weighted share of applicable items passed; a failed
critical item fails the visit whatever the score.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SCALE_MAX = 5
SCALE_PASS_DEFAULT = Decimal(4)
NUMBER_LIMIT = Decimal("1e9")
NA = "na"


@dataclass(frozen=True)
class Answer:
    value: Decimal | None = None
    na: bool = False


@dataclass
class Result:
    score: Decimal | None
    passed: bool
    failed: list[str] = field(default_factory=list)
    critical_failed: list[str] = field(default_factory=list)


def _dec(text) -> Decimal | None:
    return None if text in (None, "") else Decimal(str(text))


def parse_answer(item: Mapping, raw: str | None) -> Answer | None:
    """The answer typed into the form for `item`: None when left empty; ValidationError when
    outside the item's scale (the message goes next to the item)."""
    raw = (raw or "").strip().replace(",", ".")
    if not raw:
        return None
    if raw == NA:
        return Answer(na=True)
    kind = item["kind"]
    if kind == "yes_no":
        if raw not in ("yes", "no"):
            raise ValidationError(_("Answer yes, no or not applicable."), code="choice")
        return Answer(value=Decimal(1 if raw == "yes" else 0))
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValidationError(_("Enter a number."), code="number") from None
    if not value.is_finite() or abs(value) >= NUMBER_LIMIT:
        raise ValidationError(_("Enter a number."), code="number")
    if kind == "scale":
        if value != value.to_integral_value() or not 0 <= value <= SCALE_MAX:
            raise ValidationError(
                _("Give a whole mark from 0 to %(max)s.") % {"max": SCALE_MAX}, code="scale"
            )
    return Answer(value=value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def item_passed(item: Mapping, answer: Answer | None) -> bool | None:
    """True/False for an applicable answer; None when not applicable or not answered."""
    if answer is None or answer.na or answer.value is None:
        return None
    kind = item["kind"]
    if kind == "yes_no":
        return answer.value == 1
    low, high = _dec(item.get("pass_min")), _dec(item.get("pass_max"))
    if kind == "scale":
        return answer.value >= (SCALE_PASS_DEFAULT if low is None else low)
    return (low is None or answer.value >= low) and (high is None or answer.value <= high)


def score(items: Iterable[Mapping], answers: Mapping[str, Answer], pass_score: int) -> Result:
    """Weighted share (0–100, one decimal, half-up) of applicable items passed.

    No applicable weight: no score, and the visit passes unless a critical item failed.
    """
    total = earned = 0
    failed, critical = [], []
    for item in items:
        ok = item_passed(item, answers.get(item["key"]))
        if ok is None:
            continue
        weight = int(item["weight"])
        total += weight
        if ok:
            earned += weight
        else:
            failed.append(item["key"])
            if item["critical"]:
                critical.append(item["key"])
    value = None
    if total:
        value = (Decimal(100 * earned) / Decimal(total)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
    passed = not critical and (value is None or value >= pass_score)
    return Result(score=value, passed=passed, failed=failed, critical_failed=critical)


def sections(items: Iterable[Mapping]) -> list[tuple[str, list[Mapping]]]:
    """Consecutive items with the same section title, in order."""
    grouped: list[tuple[str, list[Mapping]]] = []
    for item in items:
        if not grouped or grouped[-1][0] != item["section"]:
            grouped.append((item["section"], []))
        grouped[-1][1].append(item)
    return grouped
