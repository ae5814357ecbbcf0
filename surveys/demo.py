"""Demo surveys: the quarterly anonymous franchisee survey with four closed quarters of answers
(each region with its own mood and a slow trend), and a one-off support pulse open today, so
the demo owner has something to answer.

Rows are written in bulk (participations, responses and answers apart, in shuffled order like
real answers); a 5,000-unit network takes a few seconds. Idempotent: surveys are matched by
slug, rounds by start, and a round that has answers is skipped.
"""

from __future__ import annotations

from datetime import timedelta

from franchise.models import Franchisee, Membership, Role
from portal.demo import DemoContext
from reporting import periods as P

from .models import Answer, Participation, Question, QuestionKind, Response, Round, Schedule, Survey

QUARTERS = 4
#: The choice options: English (the values answers store) and their Russian labels.
CHANNELS = ["Portal", "Phone", "E-mail", "In person"]
CHANNELS_RU = ["Портал", "Телефон", "Электронная почта", "Личная встреча"]
COMMENTS = [
    "Поставки стали приходить вовремя, спасибо.",
    "Хотелось бы больше обучения для новых сотрудников.",
    "Менеджер отвечает быстро, но цены на сырьё растут.",
    "Маркетинговые материалы приходят поздно.",
    "Портал сильно упростил отчётность.",
    "Нужна помощь с персоналом в высокий сезон.",
    "Всё устраивает.",
    "Мало рекламы в нашем городе.",
]
#: Mean recommendation score per region code (the rest: 7.5), moved a little every quarter.
MOOD = {"msk": 8.4, "nw": 7.8, "volga": 7.2, "ural": 6.6, "sib": 8.0, "south": 7.0}


def _survey(slug, defaults, questions) -> Survey:
    """The survey of `slug`, made once with its questions; texts are {"en": ..., "ru": ...}."""
    texts = {k: v for k, v in defaults.items() if isinstance(v, dict)}
    fields = {k: v for k, v in defaults.items() if k not in texts}
    fields.update(_both(**texts))
    survey, created = Survey.objects.get_or_create(slug=slug, defaults=fields)
    if created:
        for order, (key, text, kind, choices) in enumerate(questions):
            Question.objects.create(
                survey=survey,
                key=key,
                kind=kind,
                sort_order=order,
                **_both(text=text, choices=choices),
            )
    return survey


def _both(**texts) -> dict:
    """{"<field>_en": ..., "<field>_ru": ...} of each {"en": ..., "ru": ...}."""
    return {f"{f}_{lang}": t.get(lang, "") for f, t in texts.items() for lang in ("en", "ru")}


def seed(ctx: DemoContext) -> None:
    rng = ctx.rng_for("surveys")
    quarterly = _survey(
        "franchisee-satisfaction",
        {
            "name": {"en": "Franchisee satisfaction", "ru": "Удовлетворённость франчайзи"},
            "intro": {
                "en": "Five minutes a quarter: what works and what we should improve.",
                "ru": "Пять минут раз в квартал: что работает и что нам улучшить.",
            },
            "nps_question": {
                "en": "How likely are you to recommend our franchise to a friend?",
                "ru": "Насколько вероятно, что вы порекомендуете нашу франшизу другу?",
            },
            "schedule": Schedule.QUARTERLY,
            "open_days": 21,
            "remind_days": 7,
        },
        [
            (
                "support",
                {
                    "en": "How do you rate your manager's support?",
                    "ru": "Как вы оцениваете поддержку вашего менеджера?",
                },
                QuestionKind.RATING,
                {},
            ),
            (
                "supply",
                {"en": "How do you rate the deliveries?", "ru": "Как вы оцениваете поставки?"},
                QuestionKind.RATING,
                {},
            ),
            (
                "channel",
                {
                    "en": "How do you prefer to contact us?",
                    "ru": "Как вам удобнее связываться с нами?",
                },
                QuestionKind.CHOICE,
                {"en": "\n".join(CHANNELS), "ru": "\n".join(CHANNELS_RU)},
            ),
            (
                "comment",
                {"en": "What should we improve?", "ru": "Что нам стоит улучшить?"},
                QuestionKind.TEXT,
                {},
            ),
        ],
    )
    pulse = _survey(
        "support-pulse",
        {
            "name": {"en": "Support pulse", "ru": "Пульс поддержки"},
            "nps_question": {
                "en": "How likely are you to recommend our franchise to a friend?",
                "ru": "Насколько вероятно, что вы порекомендуете нашу франшизу другу?",
            },
            "schedule": Schedule.ONCE,
            "open_days": 30,
            "remind_days": 5,
        },
        [
            (
                "comment",
                {
                    "en": "What gets in the way of your work this month?",
                    "ru": "Что мешает вам работать в этом месяце?",
                },
                QuestionKind.TEXT,
                {},
            )
        ],
    )
    Round.objects.get_or_create(
        survey=pulse,
        opens_on=ctx.today - timedelta(days=2),
        defaults={
            "closes_on": ctx.today + timedelta(days=27),
            "label": P.period_containing("quarterly", ctx.today).label,
        },
    )

    memberships = list(
        Membership.objects.filter(
            role__in=[Role.OWNER, Role.MEMBER], unit__status=Franchisee.Status.ACTIVE
        )
        .exclude(user__username__in=["owner", "staff"])  # theirs stay open to try
        .select_related("unit__region")
        .order_by("user_id", "unit__code")
    )
    people = {}
    for m in memberships:
        people.setdefault(m.user_id, m)  # one answer per person: for the first unit
    questions = {q.key: q for q in quarterly.questions.all()}
    quarter = P.last_closed("quarterly", ctx.today)
    written = 0
    for age in range(QUARTERS - 1, -1, -1):
        period = quarter.shifted(-age)
        round_, _new = Round.objects.get_or_create(
            survey=quarterly,
            opens_on=period.start,
            defaults={
                "closes_on": period.start + timedelta(days=quarterly.open_days - 1),
                "label": period.label,
            },
        )
        if Participation.objects.filter(round=round_).exists():
            continue
        trend = (QUARTERS - 1 - age) * 0.25
        participations, responses, answers = [], [], []
        for m in people.values():
            if rng.random() > 0.8:
                continue
            unit = m.unit
            mean = MOOD.get(unit.region.code, 7.5) + trend
            score = max(0, min(10, round(rng.gauss(mean, 1.8))))
            participations.append(Participation(round=round_, user_id=m.user_id, unit=unit))
            response = Response(
                round=round_,
                region_id=unit.region_id,
                manager_id=unit.account_manager_id,
                nps=score,
            )
            responses.append(response)
            rating = max(1, min(5, round(score / 2 + rng.gauss(0, 0.7))))
            answers.append(Answer(response=response, question=questions["support"], number=rating))
            supply = max(1, min(5, rating + rng.choice([-1, 0, 0, 1])))
            answers.append(Answer(response=response, question=questions["supply"], number=supply))
            answers.append(
                Answer(response=response, question=questions["channel"], text=rng.choice(CHANNELS))
            )
            if rng.random() < 0.35:
                answers.append(
                    Answer(
                        response=response, question=questions["comment"], text=rng.choice(COMMENTS)
                    )
                )
        rng.shuffle(responses)
        Participation.objects.bulk_create(participations, batch_size=2000)
        Response.objects.bulk_create(responses, batch_size=2000)
        Answer.objects.bulk_create(answers, batch_size=2000)
        written += len(responses)
    ctx.log(f"surveys: {written} answers over {QUARTERS} quarters")
