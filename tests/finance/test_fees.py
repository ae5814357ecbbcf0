"""The fee rules as pure functions, with hypothesis properties."""

from decimal import Decimal

from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from finance.fees import Terms, compute, explain

money = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
rate = st.decimals(min_value=0, max_value=30, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def tiered(draw, mode=None):
    mode = mode or draw(st.sampled_from(["marginal", "whole"]))
    bounds = sorted(set(draw(st.lists(money, min_size=1, max_size=4))) | {Decimal(0)})
    rates = draw(st.lists(rate, min_size=len(bounds), max_size=len(bounds)))
    if mode == "whole":
        rates = sorted(rates)  # a whole-amount scale only rises (else revenue up, fee down)
    minimum = draw(st.none() | money)
    return Terms(
        kind="royalty",
        tier_mode=mode,
        tiers=tuple(zip(bounds, rates, strict=True)),
        minimum=minimum,
    )


def test_flat_royalty_explains_itself():
    terms = Terms(kind="royalty", percent=Decimal(6), minimum=Decimal(50000))
    amount, details = compute(terms, Decimal("1250000"))
    assert amount == Decimal("75000.00")
    with translation.override("en"):
        text = explain({**details, "label": "revenue"})
    assert (
        text
        == "revenue 1,250,000.00\xa0₽ × 6\xa0% = 75,000.00\xa0₽; minimum 50,000.00\xa0₽ not applied"
    )
    with translation.override("ru"):
        assert "1\xa0250\xa0000,00" in explain({**details, "label": "выручка"})


def test_minimum_applied_and_rounding_half_up_once():
    terms = Terms(kind="royalty", percent=Decimal("6.5"), minimum=Decimal(1000))
    assert compute(terms, Decimal("100.10"))[0] == Decimal("1000.00")
    assert compute(Terms(kind="royalty", percent=Decimal("6.5")), Decimal("100.10"))[0] == Decimal(
        "6.51"
    )  # 6.5065 -> 6.51


def test_marginal_and_whole_bands():
    tiers = ((Decimal(0), Decimal(5)), (Decimal(1000000), Decimal(4)))
    marginal = Terms(kind="royalty", tier_mode="marginal", tiers=tiers)
    whole = Terms(kind="royalty", tier_mode="whole", tiers=tiers)
    assert compute(marginal, Decimal(1500000))[0] == Decimal("70000.00")  # 50 000 + 20 000
    assert compute(whole, Decimal(1500000))[0] == Decimal("60000.00")
    assert compute(whole, Decimal(999999))[0] == Decimal("49999.95")


def test_fixed_fee_ignores_revenue():
    assert compute(Terms(kind="fixed", amount=Decimal("15000")), None)[0] == Decimal("15000.00")


@given(tiered(), money, money)
def test_tiered_royalty_never_falls_when_revenue_rises(terms, a, b):
    low, high = sorted((a, b))
    assert compute(terms, low)[0] <= compute(terms, high)[0]


@given(tiered(), money, money)
def test_a_minimum_never_lowers_a_fee(terms, minimum, revenue):
    without = compute(Terms(**{**terms.__dict__, "minimum": None}), revenue)[0]
    with_minimum = compute(Terms(**{**terms.__dict__, "minimum": minimum}), revenue)[0]
    assert with_minimum >= without
    assert with_minimum >= minimum


@given(tiered(mode="marginal"), money)
def test_marginal_bands_add_up_to_the_amount_within_a_kopeck_per_band(terms, revenue):
    amount, details = compute(Terms(**{**terms.__dict__, "minimum": None}), revenue)
    parts = sum(Decimal(b[3]) for b in details["bands"])
    assert abs(parts - amount) <= Decimal("0.01") * len(details["bands"])
