"""Demo settlements: an agreement for every unit (a few with revenue bands, minimums or a fixed
fee), the accruals of the approved monthly sales reports, the units' payments (most on time,
some late, a few debtors), a few payments no unit's INN matches (the queue), and a finance
login. `finance/demo_data/bank_statement.txt` is a 1C Client-Bank file (Windows-1251) of the
same units to try the import with (`demo_statement` writes it again if the network changes).

Deterministic and idempotent: agreements are made once per unit, accruals once per report
(skipped where the report already has entries), payments once per fingerprint. Everything is
written in bulk, so 5,000 units take seconds, not the hours a service call per row would.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from franchise import access
from portal.demo import DEMO_PASSWORD, DemoContext
from portal.money import round_money

from .models import Agreement, Entry, FeeRule, FeeTier, Payment
from .payments import Planned, _chunks, _write, fingerprint
from .services import accruals_post_many

SALES = "monthly-sales"
FINANCE_LOGIN = ("finance", "Лебедева Наталья", "Бухгалтер")
MONTHS = "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь".split()
#: Payers no unit's INN matches: an owner paying from a personal account, a relative, a
#: partner company. They wait in the queue for a person.
STRANGERS = [
    ("500100732259", "Иванов Иван Иванович", "Оплата роялти за {unit} по договору {number}"),
    ("7727563778", "ООО «Партнёр»", "Оплата за {unit} по договору {number}, без НДС"),
    ("616412305460", "Смирнова Ольга Петровна", "Взнос в маркетинговый фонд, {unit}"),
    ("7801234560", "ООО «Северный хлеб»", "Оплата по договору {number}"),
]
DEMO_FILE = Path(__file__).parent / "demo_data" / "bank_statement.txt"


def seed(ctx: DemoContext) -> None:
    from franchise.models import Franchisee

    units = sorted(ctx.unit_objects or Franchisee.objects.all(), key=lambda u: u.code)
    if not units:
        return
    _finance_user()
    agreements = _agreements(ctx, units)
    accrued = _accruals(agreements)
    paid, waiting = _payments(ctx, units, agreements)
    ctx.log(
        f"finance: {len(agreements)} agreements, {accrued} new accruals, {paid} new payments "
        f"({waiting} unmatched)"
    )


def _finance_user() -> None:
    User = get_user_model()
    login, name, position = FINANCE_LOGIN
    user = User.objects.filter(username=login).first()
    if user is None:
        user = User.objects.create(
            username=login,
            email=f"{login}@breadway.example",
            full_name=name,
            position=position,
            password=make_password(DEMO_PASSWORD),
            preferred_language="ru",
        )
    user.groups.add(access.ensure_groups()[access.FINANCE])


def _franchisor() -> tuple[str, str]:
    from orders.models import FranchisorDetails

    details = FranchisorDetails.load()
    return details.legal_name or "ООО «Хлебный путь»", details.inn or "7701234567"


def _agreements(ctx: DemoContext, units) -> dict[int, Agreement]:
    """{unit id: agreement with rules and tiers loaded}; new ones for units without one."""
    name, inn = _franchisor()
    starts = date(ctx.today.year - 3, 1, 1)
    have = set(Agreement.objects.filter(unit__in=units).values_list("unit_id", flat=True))
    new = [u for u in units if u.pk not in have]
    made = Agreement.objects.bulk_create(
        [
            Agreement(
                unit=u,
                number=f"ФД-{u.code}",
                signed_on=starts,
                starts_on=starts,
                payment_days=15,
                franchisor_name=name,
                franchisor_inn=inn,
                franchisor_kpp="770101001",
            )
            for u in new
        ],
        batch_size=1000,
    )
    rules, tiers = [], []
    for index, agreement in enumerate(made):
        common = {"agreement": agreement, "effective_from": starts, "template_slug": SALES}
        if index % 7 == 3:
            royalty = FeeRule(kind="royalty", tier_mode="marginal", **common)
            tiers += [(royalty, "0", "5"), (royalty, "1000000", "6"), (royalty, "2000000", "7")]
        elif index % 5 == 1:
            royalty = FeeRule(kind="royalty", percent=Decimal("6"), minimum=40000, **common)
        else:
            royalty = FeeRule(kind="royalty", percent=Decimal("6"), **common)
        rules += [royalty, FeeRule(kind="marketing", percent=Decimal("2"), **common)]
        if index % 9 == 4:
            rules.append(FeeRule(kind="fixed", amount=Decimal("5000"), **common))
    FeeRule.objects.bulk_create(rules, batch_size=1000)
    FeeTier.objects.bulk_create(
        [FeeTier(rule=r, lower_bound=Decimal(b), percent=Decimal(p)) for r, b, p in tiers],
        batch_size=1000,
    )
    return {
        a.unit_id: a
        for a in Agreement.objects.filter(unit__in=units)
        .select_related("unit")
        .prefetch_related("rules__tiers")
    }


def _accruals(agreements: dict[int, Agreement]) -> int:
    """The fees of every approved sales report not accrued yet (`accruals_post_many`)."""
    from reporting.models import Submission

    done = Entry.objects.filter(submission__isnull=False).values("submission_id")
    reports = Submission.objects.filter(
        unit_id__in=list(agreements), template__slug=SALES, status="approved"
    ).exclude(pk__in=done)
    return len(accruals_post_many(submissions=reports.order_by("unit_id", "period_start")))


def _payments(ctx: DemoContext, units, agreements) -> tuple[int, int]:
    """Each unit pays its months: most on time, some late, a few leave the last months
    unpaid (overdue debt); plus the strangers' payments for the queue."""
    rng = ctx.rng_for("finance-payments")
    due: dict[int, dict[date, list]] = defaultdict(dict)
    rows = (
        Entry.objects.filter(
            unit__in=units,
            kind__in=["royalty", "marketing", "fixed"],
            reverses__isnull=True,
            reversed_by__isnull=True,
        )
        .order_by("unit_id", "period_start")
        .values_list("unit_id", "period_start", "due_on", "amount")
    )
    for unit_id, period, due_on, amount in rows.iterator(chunk_size=5000):
        slot = due[unit_id].setdefault(period, [due_on, Decimal(0)])
        slot[1] += amount
    plans = []
    for unit in units:
        profile = rng.random()
        months = sorted(due.get(unit.pk, {}).items())
        unpaid = rng.randint(1, 3) if profile > 0.9 else 0
        for index, (period, (due_on, amount)) in enumerate(months):
            late = profile > 0.65 and rng.random() < 0.5
            paid_on = due_on + timedelta(days=rng.randint(3, 40) if late else -rng.randint(0, 7))
            if paid_on > ctx.today or index >= len(months) - unpaid:
                continue
            if profile > 0.9 and index == len(months) - unpaid - 1:
                amount = round_money(amount / 2)  # a debtor pays half the last month he pays
            agreement = agreements[unit.pk]
            purpose = (
                f"Оплата роялти и взноса в маркетинговый фонд за {MONTHS[period.month - 1]} "
                f"{period.year} г. по договору {agreement.number}. Без НДС"
            )
            plans.append(_plan(unit, paid_on, amount, str(100 + index), purpose))
    for (inn, name, text), unit in zip(STRANGERS, units[:: max(1, len(units) // 4)], strict=False):
        agreement = agreements[unit.pk]
        purpose = text.format(unit=unit.trading_name, number=agreement.number)
        paid_on = ctx.today - timedelta(days=rng.randint(3, 50))
        amount = round_money(Decimal(rng.randint(150, 900)) * 100)
        plans.append(_plan(None, paid_on, amount, str(rng.randint(1, 999)), purpose, inn, name))
    known = set()
    for chunk in _chunks([p.fingerprint for p in plans]):
        known.update(
            Payment.objects.filter(fingerprint__in=chunk).values_list("fingerprint", flat=True)
        )
    new = [p for p in plans if p.fingerprint not in known]
    _write(new, statement=None, user=None)
    return len(new), sum(1 for p in new if p.unit is None)


def _plan(unit, paid_on, amount, number, purpose, inn=None, name=None) -> Planned:
    inn = inn if inn is not None else unit.inn
    return Planned(
        line=0,
        paid_on=paid_on,
        amount=amount,
        number=number,
        payer_inn=inn,
        payer_name=name if name is not None else unit.legal_name,
        purpose=purpose,
        fingerprint=fingerprint(
            paid_on=paid_on, number=number, amount=amount, payer_inn=inn, purpose=purpose
        ),
        unit=unit,
        matched_by="inn" if unit else "",
    )


# The demo bank statement file ---------------------------------------------------------


def demo_statement(*, units: int = 40, start: date = date(2026, 11, 23)) -> bytes:
    """A 1C Client-Bank exchange file (Windows-1251) of the demo network's first units: eight
    incoming payments matched by INN, two from payers no unit has (the queue), one outgoing
    and one to another company (both skipped)."""
    from franchise.demo import _plan as network_plan
    from portal.demo import DemoContext as Context

    plan, _staff = network_plan(Context(units=units, stdout=None, today=start))
    payers = [
        (u["inn"] if u["legal_name"].startswith("ООО") else u["inn"] + "00", u["legal_name"], u)
        for u in plan[:8]
    ]
    ours, account = "7701234567", "40702810938000012345"
    docs = []
    for index, (inn, name, unit) in enumerate(payers):
        amount = Decimal(42000 + 3150 * index)
        docs.append(
            _doc(
                number=str(310 + index),
                day=start + timedelta(days=index),
                amount=amount,
                payer=(inn, name, f"4070281040000000{index:04d}"),
                recipient=(ours, "ООО «Хлебный путь»", account),
                purpose=f"Оплата роялти и взноса в маркетинговый фонд за октябрь 2026 г. по "
                f"договору ФД-{unit['code']}. Без НДС",
            )
        )
    for index, (inn, name, text) in enumerate(STRANGERS[:2]):
        docs.append(
            _doc(
                number=str(77 + index),
                day=start + timedelta(days=2 + index),
                amount=Decimal(15000 + 5000 * index),
                payer=(inn, name, f"4081781000000000{index:04d}"),
                recipient=(ours, "ООО «Хлебный путь»", account),
                purpose=text.format(
                    unit=plan[index]["trading_name"], number=f"ФД-{plan[index]['code']}"
                ),
            )
        )
    docs.append(
        _doc(
            number="5012",
            day=start + timedelta(days=4),
            amount=Decimal("318400.00"),
            payer=(ours, "ООО «Хлебный путь»", account),
            recipient=("7705031674", "ООО «Мельница»", "40702810100000009876"),
            purpose="Оплата муки по счету № 1187 от 20.11.2026, в т.ч. НДС 10%",
        )
    )
    docs.append(
        _doc(
            number="911",
            day=start + timedelta(days=5),
            amount=Decimal("12000.00"),
            payer=payers[0][:2] + ("40702810400000000000",),
            recipient=("7705031674", "ООО «Мельница»", "40702810100000009876"),
            purpose="Оплата по счету № 1190",
        )
    )
    end = start + timedelta(days=11)
    lines = [
        "1CClientBankExchange",
        "ВерсияФормата=1.03",
        "Кодировка=Windows",
        "Отправитель=СБИС Банк-Клиент",
        "Получатель=Бухгалтерия предприятия, редакция 3.0",
        f"ДатаСоздания={end:%d.%m.%Y}",
        "ВремяСоздания=09:15:00",
        f"ДатаНачала={start:%d.%m.%Y}",
        f"ДатаКонца={end:%d.%m.%Y}",
        f"РасчСчет={account}",
        "Документ=Платежное поручение",
        "СекцияРасчСчет",
        f"ДатаНачала={start:%d.%m.%Y}",
        f"ДатаКонца={end:%d.%m.%Y}",
        f"РасчСчет={account}",
        "НачальныйОстаток=1250000.00",
        "КонецРасчСчет",
    ]
    for doc in docs:
        lines += doc
    lines.append("КонецФайла")
    return ("\r\n".join(lines) + "\r\n").encode("cp1251")


def _doc(*, number, day, amount, payer, recipient, purpose) -> list[str]:
    payer_inn, payer_name, payer_account = payer
    to_inn, to_name, to_account = recipient
    return [
        "СекцияДокумент=Платежное поручение",
        f"Номер={number}",
        f"Дата={day:%d.%m.%Y}",
        f"Сумма={amount:.2f}",
        f"ПлательщикСчет={payer_account}",
        f"Плательщик=ИНН {payer_inn} {payer_name}",
        f"ПлательщикИНН={payer_inn}",
        f"Плательщик1={payer_name}",
        f"ПлательщикРасчСчет={payer_account}",
        "ПлательщикБанк1=ПАО Сбербанк",
        "ПлательщикБИК=044525225",
        "ПлательщикКорсчет=30101810400000000225",
        f"ПолучательСчет={to_account}",
        f"Получатель=ИНН {to_inn} {to_name}",
        f"ПолучательИНН={to_inn}",
        f"Получатель1={to_name}",
        f"ПолучательРасчСчет={to_account}",
        "ПолучательБанк1=ПАО Сбербанк",
        "ПолучательБИК=044525225",
        "ПолучательКорсчет=30101810400000000225",
        "ВидОплаты=01",
        "Очередность=5",
        f"ДатаПоступило={day:%d.%m.%Y}",
        f"НазначениеПлатежа={purpose}",
        "КонецДокумента",
    ]
