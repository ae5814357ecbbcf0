"""The demo news: items for everyone, for regions and for roles."""

from __future__ import annotations

from portal.demo import DemoContext

# News: (slug, days ago, pinned, regions, roles, title, summary, body)
# fmt: off
DEMO_NEWS = [
    ("price-list-december", 2, True, [], "",
     "New price list from 1 December",
     "Prices of the bakery line change on 1 December; the new list is in Documents.",
     "<p>Please acknowledge the new price list in Documents and update the price tags by "
     "1 December. Promotional prices stay until the end of the month.</p>"),
    ("brand-standards-windows", 6, True, [], "owner",
     "Brand standards: winter window displays",
     "Owners: the winter display standard is mandatory from 10 December.",
     "<p>The window display standard describes the garland, the price boards and the "
     "festive bread basket. Photos of the finished window go to your account manager.</p>"),
    ("winter-menu", 9, False, [], "",
     "Winter menu launch",
     "Mulled-apple bun, cranberry loaf and hot chocolate join the menu.",
     "<p>Technology cards are in the knowledge base; the training course opens next week.</p>"),
    ("volga-hygiene-audit", 12, False, ["volga"], "",
     "Volga region: hygiene audit schedule",
     "The regional hygiene audits take place between 2 and 20 December.",
     "<p>The auditor will call the day before. Check the hygiene course certificates of "
     "your staff in Learning.</p>"),
    ("moscow-logistics", 15, False, ["msk"], "",
     "Moscow: new logistics partner",
     "Deliveries in Moscow move to a new carrier; order cut-off is now 14:00.",
     "<p>The delivery windows stay the same. Questions go to your account manager through "
     "a request.</p>"),
    ("ural-siberia-flour", 19, False, ["ural", "sib"], "",
     "Urals and Siberia: flour supplier change",
     "A new regional flour supplier from January; the recipes do not change.",
     "<p>The first deliveries arrive on 8 January. Report any difference in dough "
     "behaviour through a request.</p>"),
    ("owners-conference", 24, False, [], "owner",
     "Owners' conference in Kazan",
     "The annual conference of franchise owners is on 14 February in Kazan.",
     "<p>The agenda: results of the year, the new store format and the loyalty "
     "programme. Registration is open until 20 January.</p>"),
    ("staff-training-week", 30, False, [], "member",
     "Staff training week",
     "Every member of staff completes the service standards course this month.",
     "<p>The course takes 40 minutes and ends with a short quiz. Certificates appear "
     "in Learning.</p>"),
    ("reports-from-phone", 38, False, [], "",
     "Reports from your phone",
     "Monthly reports can now be filled in from a phone, with your previous figures.",
     "<p>Open Reports, choose the period and save a draft at any time: nothing is "
     "lost.</p>"),
    ("holiday-hours", 45, False, [], "",
     "Holiday opening hours",
     "Recommended opening hours for 31 December to 8 January.",
     "<p>Send your planned hours to your account manager by 20 December.</p>"),
]
# fmt: on


def seed(ctx: DemoContext) -> None:
    """The news section with items for everyone, for regions and for roles (idempotent).

    Regions are created here if the franchise part has not run yet, with the same codes and
    names, so the first and the second run give the same audiences.
    """
    from datetime import timedelta

    from franchise.demo import REGIONS
    from franchise.models import Region

    from .models import NewsPage
    from .services import news_index_setup

    index = news_index_setup(title="News")
    existing = set(NewsPage.objects.child_of(index).values_list("slug", flat=True))
    regions = {
        code: Region.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name, _cities in REGIONS
    }
    created = 0
    for slug, days_ago, pinned, region_codes, roles, title, summary, body in DEMO_NEWS:
        if slug in existing:
            continue
        page = NewsPage(
            title=title,
            slug=slug,
            date=ctx.today - timedelta(days=days_ago),
            summary=summary,
            body=body,
            pinned=pinned,
            audience_roles=roles,
        )
        page.audience_regions = [regions[code] for code in region_codes]
        index.add_child(instance=page)
        page.save_revision().publish()
        created += 1
    ctx.log(f"news: news index with {len(DEMO_NEWS)} items ({created} new)")
