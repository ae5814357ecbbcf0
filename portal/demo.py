"""The demo network's shared context. Each local app adds its part in `<app>/demo.py`.

`seed_demo` calls `seed(ctx)` of every app in LOCAL_APPS order; each part must be
deterministic (use `ctx.rng`) and idempotent (a second run changes nothing).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from portal.translations import default_locale_q, publish_translation

DEMO_PASSWORD = "franchise-demo"  # noqa: S105 - only the demo command ever sets it
DEMO_SEED = 20261125


@dataclass
class DemoContext:
    units: int
    stdout: object
    today: date
    rng: random.Random = field(default_factory=lambda: random.Random(DEMO_SEED))
    # Filled by franchise.demo for the parts that come after it.
    unit_objects: list = field(default_factory=list)
    people: dict = field(default_factory=dict)

    def rng_for(self, part: str) -> random.Random:
        """An independent generator per part, so one app's data never shifts another's."""
        return random.Random(f"{DEMO_SEED}:{part}")

    def log(self, message: str) -> None:
        self.stdout.write(message)


def seed(ctx: DemoContext) -> None:
    """Landing page text and the support desk's contacts."""
    from wagtail.models import Site

    from .models import HomePage, SupportSettings

    home = HomePage.objects.filter(default_locale_q()).first()
    if home and not home.intro:
        home.headline = "Your franchise, one sign-in away"
        home.intro = (
            "<p>Courses for your team, periodic reports, documents from the franchisor "
            "and a knowledge base with the answers — in one cabinet.</p>"
        )
        home.save_revision().publish()
    if home:
        # The landing page in Russian for the Russian interface (kept as an editor left it).
        publish_translation(
            home,
            "ru",
            title="Портал франчайзи",
            headline="Ваша франшиза — в одном входе",
            intro=(
                "<p>Курсы для команды, периодические отчёты, документы от франчайзера "
                "и база знаний с ответами — в одном кабинете.</p>"
            ),
        )
    site = Site.objects.get(is_default_site=True)
    support = SupportSettings.for_site(site)
    if not support.support_email:
        support.support_email = "support@breadway.example"
        support.support_phone = "+7 800 555-35-35"
        support.save()
