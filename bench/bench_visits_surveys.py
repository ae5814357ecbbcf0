"""Field visits and survey results at scale: the visits list (a manager's portfolio and the
whole network) and the survey results page, against a bare view in the same run. Prints p50
and p95 figures and ratios only.

    .venv/bin/python bench/bench_visits_surveys.py                      # 500 units, SQLite
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench5k \\
        .venv/bin/python bench/bench_visits_surveys.py --units 5000

Builds the network with `seed_demo --units N` once (a year of visits per unit and four
quarters of survey answers come with it), then samples every page --samples times warm and
as the first request after a write: a visit submitted in another manager's portfolio (for the
visits pages) or a survey answer (for the results pages), so nothing cached survives that a
write should refresh.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import arguments, database_label, ensure_network, setup  # noqa: E402

TARGET_MS = 150


def _extra(parser):
    parser.add_argument("--samples", type=int, default=30, help="requests per page")


def pct(times: list[float], n: int) -> float:
    """The n-th percentile (50, 95) in ms."""
    if len(times) < 2:
        return times[0] * 1000
    return statistics.quantiles(times, n=100)[n - 1] * 1000


def main() -> None:
    args = arguments(__doc__, units=500, extra=_extra)
    setup("visits_surveys", reseed=args.reseed)

    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from franchise import access
    from franchise.models import Franchisee, Membership, Role
    from surveys import selectors as survey_selectors
    from surveys import services as survey_services
    from surveys.models import Participation, Response, Round, Survey
    from visits import demo as visits_demo
    from visits import services as visit_services
    from visits.models import ChecklistTemplate, Visit

    ensure_network(args.units)
    if not Visit.objects.exists():  # a database seeded before the visits demo existed
        from portal.demo import DemoContext

        started = time.perf_counter()
        visits_demo.seed(
            DemoContext(units=args.units, stdout=sys.stdout, today=timezone.localdate())
        )
        print(f"visits demo: {time.perf_counter() - started:.1f} s")
    users = get_user_model().objects
    manager, lead = users.get(username="manager"), users.get(username="lead")
    portfolio = access.units_visible_to(manager, "review").count()
    survey = Survey.objects.get(slug="franchisee-satisfaction")
    print(
        f"network: {Franchisee.objects.count()} units, {Visit.objects.count()} visits, "
        f"{Response.objects.count()} survey answers; manager's portfolio: {portfolio} units; "
        f"database: {database_label()}"
    )

    # Writers: visits in another manager's portfolio, answers to the open pulse survey.
    manager2 = users.get(username="manager2")
    visit_units = list(access.units_visible_to(manager2, "review").order_by("code")[:400])
    template = ChecklistTemplate.objects.get(slug="store-standards")
    pulse = Round.objects.filter(survey__slug="support-pulse").order_by("-opens_on").first()
    today = timezone.localdate()
    if pulse is None or not pulse.is_open(today):
        pulse = Round.objects.create(
            survey=Survey.objects.get(slug="support-pulse"),
            opens_on=today - timedelta(days=1),
            closes_on=today + timedelta(days=20),
            label="bench",
        )
    answered = Participation.objects.filter(round=pulse).values("user_id")
    answerers = iter(
        survey_selectors.audience_memberships(pulse.survey)
        .exclude(user_id__in=answered)
        .select_related("unit", "user")
        .order_by("user_id")
        .distinct()
    )
    counter = {"visit": 0}

    def submit_visit():
        unit = visit_units[counter["visit"] % len(visit_units)]
        counter["visit"] += 1
        visit = visit_services.visit_plan(
            unit=unit, template=template, planned_date=today, by=manager2
        )
        answers = {
            i["key"]: "yes" if i["kind"] == "yes_no" else ("5" if i["kind"] == "scale" else "3")
            for i in visit.version.items
        }
        visit_services.visit_answers_save(visit=visit, by=manager2, answers=answers)
        visit_services.visit_submit(visit=visit, by=manager2)

    def answer_survey():
        for m in answerers:
            try:
                survey_services.response_submit(
                    round_=pulse, user=m.user, unit=m.unit, nps=8, answers={}
                )
                return
            except Exception:  # noqa: S112 - not in the audience, answered: the next one
                continue

    clients = {}
    for who in (manager, lead):
        clients[who.username] = Client(HTTP_HOST="localhost")
        clients[who.username].force_login(who)
    mine = Membership.objects.filter(role=Role.OWNER, user__username="owner").first()
    owner = Client(HTTP_HOST="localhost")
    owner.force_login(mine.user)

    def page(client, url):
        def run():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)  # noqa: S101

        return run

    results = f"/surveys/results/{survey.slug}/"
    steps = [
        ("bare view", page(owner, "/bench/bare"), submit_visit),
        ("visits list, manager", page(clients["manager"], "/visits/"), submit_visit),
        ("visits list, lead", page(clients["lead"], "/visits/"), submit_visit),
        ("unit's visits, owner", page(owner, f"/visits/u/{mine.unit.code}/"), submit_visit),
        ("survey results, lead", page(clients["lead"], results), answer_survey),
        ("survey results, manager", page(clients["manager"], results), answer_survey),
    ]
    for _label, fn, _write in steps:
        fn()
    bare = None
    print(
        f"{'step':28} {'p50 warm':>10} {'p95 warm':>10} {'p50 after':>10} {'p95 after':>10}"
        f" {'× bare':>7}"
    )
    for label, fn, write in steps:
        warm, after = [], []
        for _ in range(args.samples):
            started = time.perf_counter()
            fn()
            warm.append(time.perf_counter() - started)
            write()
            started = time.perf_counter()
            fn()
            after.append(time.perf_counter() - started)
        w50, w95, a50, a95 = pct(warm, 50), pct(warm, 95), pct(after, 50), pct(after, 95)
        bare = bare or w95
        flag = "" if label == "bare view" or max(w95, a95) < TARGET_MS else "  over target"
        print(
            f"{label:28} {w50:7.1f} ms {w95:7.1f} ms {a50:7.1f} ms {a95:7.1f} ms"
            f" {a95 / bare:7.1f}{flag}"
        )


if __name__ == "__main__":
    main()
