"""Demo courses: brand onboarding, food safety, cash discipline, local marketing.

Each course has lessons (text, callouts), a lesson quiz and a final quiz; between them every
question type appears. Assignments go to every unit; progress is spread over the demo people
with bulk inserts, so `--units 5000` stays quick. A second run changes nothing.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from franchise.models import Membership, Role
from portal.demo import DemoContext

from .models import (
    Assignment,
    Certificate,
    CourseIndexPage,
    CoursePage,
    LessonCompletion,
    LessonPage,
    Quiz,
)


class _Ids:
    def __init__(self, rng):
        self.rng = rng

    def __call__(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))


def _opts(ids, *pairs):
    return [{"type": "item", "id": ids(), "value": {"text": t, "correct": c}} for t, c in pairs]


def _q(ids, kind, prompt, explanation="", points=1, **fields):
    value = {"prompt": prompt, "image": None, "points": points, "explanation": explanation}
    return {"type": kind, "id": ids(), "value": {**value, **fields}}


def _items(ids, values):
    return [{"type": "item", "id": ids(), "value": v} for v in values]


def _pairs(ids, pairs):
    return [{"type": "item", "id": ids(), "value": {"left": a, "right": b}} for a, b in pairs]


def _text(html):
    return {"type": "text", "value": html}


def _callout(kind, title, html):
    return {"type": "callout", "value": {"kind": kind, "title": title, "text": html}}


def _courses(ids):
    """(slug, title, description, minutes, validity months, lessons, final questions)."""
    return [
        {
            "slug": "brand-onboarding",
            "title": "Добро пожаловать в Breadway / Brand onboarding",
            "description": "<p>История бренда, стандарты сервиса и ваш первый день в пекарне. "
            "The brand story, service standards and your first shift.</p>",
            "minutes": 40,
            "validity": 0,
            "lessons": [
                (
                    "history",
                    "История бренда",
                    [
                        _text(
                            "<p>Breadway начинался в 2009 году с одной пекарни в Казани. "
                            "Сегодня это сеть, где хлеб пекут в каждой точке дважды в день.</p>"
                        ),
                        _callout("tip", "Главное", "<p>Свежесть — наше обещание гостю.</p>"),
                    ],
                    None,
                ),
                (
                    "service",
                    "Стандарты сервиса / Service standards",
                    [
                        _text(
                            "<p>Greet every guest within 10 seconds. Улыбка, зрительный контакт, "
                            "приветствие.</p><ul><li>Чистая форма</li><li>Бейдж</li></ul>"
                        ),
                    ],
                    [
                        _q(
                            ids,
                            "single",
                            "Within how many seconds do we greet a guest?",
                            options=_opts(ids, ("10", True), ("30", False), ("60", False)),
                        ),
                        _q(
                            ids,
                            "true_false",
                            "Бейдж можно не носить в выходные.",
                            correct=False,
                            explanation="Бейдж — часть формы всегда.",
                        ),
                    ],
                ),
                (
                    "first-shift",
                    "Первая смена",
                    [
                        _text("<p>Откройте чек-лист смены в кабинете и отметьте каждый пункт.</p>"),
                    ],
                    None,
                ),
            ],
            "final": [
                _q(
                    ids,
                    "multiple",
                    "Что входит в форму сотрудника?",
                    partial_credit=True,
                    points=2,
                    options=_opts(
                        ids,
                        ("Фартук", True),
                        ("Бейдж", True),
                        ("Кольца", False),
                        ("Головной убор", True),
                    ),
                ),
                _q(
                    ids,
                    "ordering",
                    "Order the greeting steps.",
                    points=2,
                    partial_credit=True,
                    items=_items(ids, ["Eye contact", "Smile", "Say hello", "Offer help"]),
                ),
                _q(
                    ids,
                    "short_text",
                    "Как называется наша сеть (латиницей)?",
                    accepted=_items(ids, ["Breadway", "Bread way"]),
                    case_sensitive=False,
                ),
            ],
        },
        {
            "slug": "food-safety",
            "title": "Пищевая безопасность / Food safety",
            "description": "<p>Гигиена, хранение и температуры: всё, что нужно знать до первой "
            "смены на кухне. Hygiene, storage and temperatures.</p>",
            "minutes": 60,
            "validity": 12,
            "lessons": [
                (
                    "hygiene",
                    "Личная гигиена",
                    [
                        _text(
                            "<p>Мойте руки 20 секунд: перед сменой, после перерыва, после "
                            "работы с сырыми продуктами.</p>"
                        ),
                        _callout(
                            "warning", "Важно", "<p>С признаками болезни на смену не выходим.</p>"
                        ),
                    ],
                    None,
                ),
                (
                    "storage",
                    "Хранение продуктов / Storage",
                    [
                        _text(
                            "<p>FIFO: first in, first out. Сырое мясо — на нижней полке. "
                            "Chilled food at 0–5 °C.</p>"
                        ),
                    ],
                    [
                        _q(
                            ids,
                            "single",
                            "Где хранится сырое мясо?",
                            options=_opts(
                                ids,
                                ("На нижней полке", True),
                                ("На верхней полке", False),
                                ("Рядом с выпечкой", False),
                            ),
                        ),
                        _q(
                            ids,
                            "short_text",
                            "Name the rule: first in, first out.",
                            accepted=_items(ids, ["FIFO", "ФИФО"]),
                        ),
                    ],
                ),
                (
                    "temperatures",
                    "Температуры",
                    [
                        _text(
                            "<p>Готовая курица: не менее 75 °C в центре. Охлаждённые продукты: "
                            "0–5 °C.</p>"
                        ),
                    ],
                    None,
                ),
            ],
            "final": [
                _q(
                    ids,
                    "single",
                    "Как часто моем руки при работе с сырым мясом?",
                    options=_opts(ids, ("После каждого контакта", True), ("Раз в смену", False)),
                ),
                _q(
                    ids,
                    "multiple",
                    "Что нельзя делать на кухне?",
                    points=2,
                    partial_credit=True,
                    options=_opts(
                        ids,
                        ("Носить кольца", True),
                        ("Есть у рабочего стола", True),
                        ("Мыть руки", False),
                    ),
                ),
                _q(
                    ids,
                    "true_false",
                    "Охлаждённые продукты хранятся при 0–5 °C.",
                    correct=True,
                    explanation="Холодовая цепь не даёт бактериям размножаться.",
                ),
                _q(
                    ids,
                    "numeric",
                    "Температура в центре готовой курицы, не ниже (°C)?",
                    answer=75,
                    tolerance=1,
                    unit="°C",
                    explanation="75 °C в центре — безопасно.",
                ),
                _q(
                    ids,
                    "short_text",
                    "Принцип ротации запасов (4 буквы латиницей)?",
                    accepted=_items(ids, ["FIFO"]),
                ),
                _q(
                    ids,
                    "matching",
                    "Цвет доски и продукт",
                    points=3,
                    partial_credit=True,
                    pairs=_pairs(
                        ids,
                        [
                            ("Красная", "Сырое мясо"),
                            ("Синяя", "Сырая рыба"),
                            ("Зелёная", "Овощи и фрукты"),
                        ],
                    ),
                ),
                _q(
                    ids,
                    "ordering",
                    "Порядок мытья рук",
                    points=2,
                    partial_credit=True,
                    items=_items(
                        ids,
                        ["Смочить руки", "Нанести мыло", "Тереть 20 секунд", "Смыть и высушить"],
                    ),
                ),
            ],
        },
        {
            "slug": "cash-discipline",
            "title": "Кассовая дисциплина / Cash discipline",
            "description": "<p>Открытие и закрытие смены, возвраты, инкассация. "
            "Opening and closing the till, refunds, cash collection.</p>",
            "minutes": 45,
            "validity": 24,
            "lessons": [
                (
                    "till",
                    "Открытие смены",
                    [
                        _text(
                            "<p>Пересчитайте размен в присутствии старшего смены и запишите "
                            "сумму.</p>"
                        ),
                    ],
                    None,
                ),
                (
                    "refunds",
                    "Возвраты / Refunds",
                    [
                        _text("<p>Возврат оформляет только старший смены, по чеку.</p>"),
                        _callout("info", "Note", "<p>Refunds over 5 000 ₽ need the owner.</p>"),
                    ],
                    [
                        _q(ids, "true_false", "Кассир может оформить возврат сам.", correct=False),
                        _q(
                            ids,
                            "numeric",
                            "Above what amount (₽) does a refund need the owner?",
                            answer=5000,
                            tolerance=0,
                            unit="₽",
                        ),
                    ],
                ),
            ],
            "final": [
                _q(
                    ids,
                    "ordering",
                    "Закрытие смены",
                    points=2,
                    partial_credit=True,
                    items=_items(
                        ids, ["Z-отчёт", "Пересчёт наличных", "Инкассация", "Запись в журнал"]
                    ),
                ),
                _q(
                    ids,
                    "matching",
                    "Документ и момент",
                    points=2,
                    pairs=_pairs(
                        ids, [("X-отчёт", "В течение смены"), ("Z-отчёт", "Закрытие смены")]
                    ),
                ),
                _q(
                    ids,
                    "single",
                    "Кто пересчитывает размен?",
                    options=_opts(ids, ("Кассир со старшим смены", True), ("Кассир один", False)),
                ),
            ],
        },
        {
            "slug": "local-marketing",
            "title": "Локальный маркетинг / Local marketing",
            "description": "<p>Как привлечь соседей: партнёрства, дегустации, соцсети. "
            "Partnerships, tastings and social media for your neighbourhood.</p>",
            "minutes": 30,
            "validity": 0,
            "lessons": [
                (
                    "tastings",
                    "Дегустации",
                    [
                        _text("<p>Дегустация в часы пик приносит до 15 % новых гостей.</p>"),
                    ],
                    None,
                ),
                (
                    "social",
                    "Social media",
                    [
                        _text(
                            "<p>Post fresh bread at 8:00 and 17:00. Используйте фирменные "
                            "шаблоны из раздела документов.</p>"
                        ),
                    ],
                    None,
                ),
            ],
            "final": [
                _q(
                    ids,
                    "multiple",
                    "Which channels are local?",
                    partial_credit=True,
                    options=_opts(
                        ids,
                        ("Neighbourhood chat", True),
                        ("Partner café", True),
                        ("National TV", False),
                    ),
                ),
                _q(
                    ids,
                    "numeric",
                    "Сколько процентов новых гостей дают дегустации (до)?",
                    answer=15,
                    tolerance=2,
                    unit="%",
                ),
                _q(
                    ids, "true_false", "Brand templates are in the documents section.", correct=True
                ),
            ],
        },
    ]


def _quiz(title, questions, **rules) -> Quiz:
    quiz = Quiz.objects.filter(title=title).first()
    if quiz is None:
        quiz = Quiz(title=title, questions=questions, **rules)
        quiz.save()
        quiz.save_revision().publish()
    return quiz


def seed(ctx: DemoContext) -> None:
    from portal.models import HomePage

    rng = ctx.rng_for("learning")
    ids = _Ids(rng)
    home = HomePage.objects.first()
    if home is None:
        return
    index = CourseIndexPage.objects.first()
    if index is None:
        index = home.add_child(
            instance=CourseIndexPage(
                title="Обучение / Learning",
                slug="learning",
                intro="<p>Курсы для команды: от первой смены до кассы. Courses for your team.</p>",
            )
        )
    plans = _courses(ids)
    courses = []
    for n, plan in enumerate(plans):
        course = CoursePage.objects.filter(slug=plan["slug"]).first()
        if course is None:
            final = _quiz(
                f"{plan['title']}: итоговый тест",
                plan["final"],
                pass_mark=70,
                attempts_allowed=3,
                attempt_delay_minutes=10,
                time_limit_minutes=20 if n == 1 else 0,
                shuffle_questions=True,
                shuffle_options=True,
                feedback=Quiz.Feedback.WRONG,
            )
            course = index.add_child(
                instance=CoursePage(
                    title=plan["title"],
                    slug=plan["slug"],
                    description=plan["description"],
                    estimated_minutes=plan["minutes"],
                    certificate_validity_months=plan["validity"],
                    ordered_lessons=True,
                    final_quiz=final,
                )
            )
            if plan["slug"] == "local-marketing":
                course.prerequisites.add(courses[0])
            course.save_revision().publish()
            for slug, title, body, questions in plan["lessons"]:
                quiz = (
                    _quiz(f"{title}: проверка", questions, feedback=Quiz.Feedback.FULL)
                    if questions
                    else None
                )
                course.add_child(instance=LessonPage(title=title, slug=slug, body=body, quiz=quiz))
        courses.append(course)
    _progress(ctx, courses)


def _progress(ctx: DemoContext, courses: list[CoursePage]) -> None:
    """Assignments for every unit and a spread of finished lessons and certificates."""
    if Assignment.objects.filter(course__in=courses).exists():
        return
    rng = ctx.rng_for("learning-progress")
    onboarding, food, cash, marketing = courses
    units = ctx.unit_objects
    managers = {m.pk: m for m in ctx.people.get("managers", [])}
    today = ctx.today
    assignments = []
    for unit in units:
        by = managers.get(unit.account_manager_id)
        assignments += [
            Assignment(
                course=onboarding,
                unit=unit,
                due_on=today + timedelta(days=rng.randint(-20, 20)),
                created_by=by,
            ),
            Assignment(
                course=food,
                unit=unit,
                roles=Role.MEMBER,
                due_on=today + timedelta(days=rng.randint(-10, 30)),
                created_by=by,
            ),
        ]
        if rng.random() < 0.5:
            assignments.append(
                Assignment(
                    course=cash,
                    unit=unit,
                    due_on=today + timedelta(days=rng.randint(5, 60)),
                    created_by=by,
                )
            )
    Assignment.objects.bulk_create(assignments, batch_size=2000)

    lessons = {
        c.pk: list(LessonPage.objects.child_of(c).order_by("path").values_list("pk", flat=True))
        for c in courses
    }
    people = list(
        Membership.objects.filter(unit__in=units, role__in=[Role.OWNER, Role.MEMBER]).values_list(
            "user_id", "unit_id", "user__full_name", "user__username"
        )
    )
    seen = set()
    done, certs = [], []
    for user_id, unit_id, name, username in people:
        if user_id in seen:
            continue
        seen.add(user_id)
        for course in (onboarding, food, cash, marketing):
            roll = rng.random()
            ids = lessons[course.pk]
            if username == "staff":
                # the demo staff member: onboarding done, food safety half-way
                count = len(ids) if course is onboarding else (1 if course is food else 0)
            elif roll < 0.35:
                count = len(ids)
            elif roll < 0.6:
                count = rng.randint(0, len(ids))
            else:
                count = 0
            for lesson_id in ids[:count]:
                done.append(
                    LessonCompletion(
                        user_id=user_id, lesson_id=lesson_id, course=course, unit_id=unit_id
                    )
                )
            if count == len(ids) and (roll < 0.3 or (username == "staff" and course is onboarding)):
                issued = today - timedelta(days=rng.randint(1, 400))
                months = course.certificate_validity_months
                certs.append(
                    Certificate(
                        user_id=user_id,
                        course=course,
                        unit_id=unit_id,
                        code=_code(rng),
                        learner_name=name or username,
                        course_title=course.title,
                        issued_on=issued,
                        expires_on=(issued + timedelta(days=30 * months)) if months else None,
                    )
                )
    LessonCompletion.objects.bulk_create(done, batch_size=5000, ignore_conflicts=True)
    Certificate.objects.bulk_create(certs, batch_size=5000, ignore_conflicts=True)
    ctx.log(
        f"learning: {len(courses)} courses, {len(assignments)} assignments, "
        f"{len(done)} lessons done, {len(certs)} certificates"
    )


def _code(rng) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "-".join("".join(rng.choice(alphabet) for _i in range(4)) for _j in range(3))
