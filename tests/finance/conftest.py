"""Finance fixtures: an agreement with a royalty and a marketing fee, approved sales reports."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from finance.models import Agreement, FeeRule, FeeTier
from reporting import periods as P
from reporting import services as reporting_services
from tests.reporting.conftest import make_template, report


def make_agreement(
    unit,
    *,
    royalty="6",
    minimum=None,
    marketing="2",
    fixed=None,
    tiers=None,
    mode="flat",
    starts=date(2020, 1, 1),
    template="sales",
):
    agreement = Agreement.objects.create(
        unit=unit,
        number=f"FA-{unit.code}",
        signed_on=starts,
        starts_on=starts,
        payment_days=15,
        franchisor_name="ООО «Франчайзер»",
        franchisor_inn="7701234567",
    )
    rule = FeeRule.objects.create(
        agreement=agreement,
        kind="royalty",
        effective_from=starts,
        template_slug=template,
        percent=None if tiers else Decimal(royalty),
        tier_mode=mode,
        minimum=None if minimum is None else Decimal(minimum),
    )
    for lower, pct in tiers or ():
        FeeTier.objects.create(rule=rule, lower_bound=Decimal(lower), percent=Decimal(pct))
    if marketing:
        FeeRule.objects.create(
            agreement=agreement,
            kind="marketing",
            effective_from=starts,
            template_slug=template,
            percent=Decimal(marketing),
        )
    if fixed:
        FeeRule.objects.create(
            agreement=agreement, kind="fixed", effective_from=starts, amount=Decimal(fixed)
        )
    return agreement


@pytest.fixture
def sales(db):
    return make_template()


@pytest.fixture
def period():
    return P.last_closed("monthly", timezone.localdate())


def approved(unit, template, period, user, **values):
    """A submitted report approved through the reporting service (fires the signal)."""
    sub = report(unit, template, period, status="submitted", **values)
    return reporting_services.submission_approve(submission=sub, user=user)
