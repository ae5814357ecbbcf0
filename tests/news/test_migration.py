"""News moved from the portal app: existing pages follow their content types to `news`."""

import importlib

from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from news.models import NewsPage
from tests.news.helpers import make_news

relabel = importlib.import_module("news.migrations.0002_content_types").relabel


def test_relabel_moves_pages_and_keeps_the_old_content_type_ids(db):
    page = make_news("Moved item")
    new = ContentType.objects.get_for_model(NewsPage)
    old = ContentType.objects.create(app_label="portal", model="newspage")
    NewsPage.objects.filter(pk=page.pk).update(content_type=old)  # as left by the portal app

    relabel(apps, None)

    moved = ContentType.objects.get(app_label="news", model="newspage")
    assert moved.pk == old.pk
    assert not ContentType.objects.filter(pk=new.pk).exists()
    assert not ContentType.objects.filter(app_label="portal", model__startswith="news").exists()
    ContentType.objects.clear_cache()
    assert type(NewsPage.objects.get(pk=page.pk).specific) is NewsPage
