"""The demo news of `demo_data/news.yaml`: items for everyone, for regions and for roles,
each in English with its Russian translation."""

from __future__ import annotations

from portal.demo import DemoContext
from portal.demo_data import load


def seed(ctx: DemoContext) -> None:
    """The news section with items for everyone, for regions and for roles (idempotent).

    Regions are created here if the franchise part has not run yet, with the same codes and
    names, so the first and the second run give the same audiences.
    """
    from datetime import timedelta

    from franchise.demo import REGIONS
    from franchise.models import Region
    from portal.translations import publish_translation

    from .models import NewsPage
    from .services import news_index_setup

    data = load("news", "news")
    index = news_index_setup(title=data["index"]["en"]["title"])
    if not index.intro:
        index.intro = data["index"]["en"]["intro"]
        index.save_revision().publish()
    publish_translation(index, "ru", **data["index"]["ru"])
    existing = {p.slug: p for p in NewsPage.objects.child_of(index)}
    regions = {
        code: Region.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name, _cities in REGIONS
    }
    created = 0
    for item in data["items"]:
        page = existing.get(item["slug"])
        if page is None:
            page = NewsPage(
                slug=item["slug"],
                date=ctx.today - timedelta(days=item["days_ago"]),
                pinned=item.get("pinned", False),
                audience_roles=item.get("roles", ""),
                **item["en"],
            )
            page.audience_regions = [regions[code] for code in item.get("regions", [])]
            index.add_child(instance=page)
            page.save_revision().publish()
            created += 1
        publish_translation(page, "ru", **item["ru"])
    ctx.log(f"news: news index with {len(data['items'])} items ({created} new), in en and ru")
