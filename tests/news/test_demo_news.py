"""The demo news: every item in English and Russian, each screen in one language."""

import io
import re
from datetime import date

import pytest

from news import demo
from news.models import NewsIndexPage, NewsPage
from portal.demo import DemoContext
from portal.demo_data import load
from portal.translations import default_locale_q

pytestmark = pytest.mark.django_db


def seed():
    demo.seed(DemoContext(units=2, stdout=io.StringIO(), today=date(2026, 11, 25)))


def titles(html: str) -> list[str]:
    return re.findall(r'class="news-item__title"><a href="[^"]+">([^<]+)</a>', html)


def test_every_demo_item_has_a_live_russian_translation_and_a_second_run_adds_nothing(network):
    seed()
    seed()
    items = load("news", "news")["items"]
    english = NewsPage.objects.filter(default_locale_q())
    russian = NewsPage.objects.live().filter(locale__language_code="ru")
    assert english.count() == russian.count() == len(items)
    assert set(russian.values_list("title", flat=True)) == {i["ru"]["title"] for i in items}
    ru_index = NewsIndexPage.objects.get(locale__language_code="ru")
    assert ru_index.title == "Новости" and ru_index.live and not ru_index.alias_of_id


def test_the_demo_news_list_is_in_one_language(network, client_for):
    seed()
    items = load("news", "news")["items"]
    client = client_for(network.lead)
    index = NewsIndexPage.objects.get(default_locale_q())
    english = client.get(index.url).content.decode()
    assert set(titles(english)) == {i["en"]["title"].replace("'", "&#x27;") for i in items}
    client.cookies["django_language"] = "ru"
    russian = client.get(index.url).content.decode()
    assert set(titles(russian)) == {i["ru"]["title"] for i in items}
    assert "<h1>Новости</h1>" in russian
