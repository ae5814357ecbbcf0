"""News in the reader's language: a translation supplies the text, the page stays one."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from franchise.models import Notification
from news.models import NewsPage
from tests.news.helpers import make_news, news_index
from tests.translating import translate

pytestmark = pytest.mark.django_db

RU = {"title": "Новый прайс-лист", "summary": "Цены меняются", "body": "<p>Текст по-русски</p>"}


def dashboard(network) -> str:
    return reverse("franchise:unit_detail", args=[network.unit.code])


def russian(client):
    client.cookies["django_language"] = "ru"
    return client


def translated(title="New price list", **kwargs):
    page = make_news(title, **kwargs)
    translate(page, **RU)
    return page


def test_russian_reader_sees_the_translation_on_the_news_page(network, client_for):
    page = translated()
    html = russian(client_for(network.owner)).get(page.url).content.decode()
    assert "Новый прайс-лист" in html and "Текст по-русски" in html and "Цены меняются" in html
    assert "New price list" not in html and "Body of New price list" not in html


def test_the_breadcrumb_names_the_translated_index(network, client_for):
    index = news_index()
    translate(index, title="Новости")
    page = translated()
    html = russian(client_for(network.owner)).get(page.url).content.decode()
    assert f'href="{index.url}">&larr; Новости</a>' in html


def test_english_reader_sees_the_english_page(network, client_for):
    page = translated()
    html = client_for(network.owner).get(page.url).content.decode()
    assert "New price list" in html and "Body of New price list" in html
    assert "Новый прайс-лист" not in html


def test_index_and_dashboard_list_a_translated_item_once_in_its_translation(network, client_for):
    page = translated()
    client = russian(client_for(network.owner))
    index_html = client.get(news_index().url).content.decode()
    assert index_html.count("Новый прайс-лист") == 1
    assert "New price list" not in index_html
    assert index_html.count(f'href="{page.url}"') == 1
    block = client.get(dashboard(network)).content.decode()
    assert block.count("Новый прайс-лист") == 1 and "New price list" not in block
    english = client_for(network.owner).get(news_index().url).content.decode()
    assert english.count(">New price list<") == 1 and "Новый прайс-лист" not in english


def test_a_draft_translation_is_never_shown(network, client_for):
    page = make_news("New price list")
    translate(page, live=False, **RU)
    client = russian(client_for(network.owner))
    for url in (dashboard(network), news_index().url, page.url):
        html = client.get(url).content.decode()
        assert "Новый прайс-лист" not in html and "New price list" in html, url


def test_the_audience_is_the_default_pages(network, client_for):
    page = translated(regions=[network.region])
    ru = NewsPage.objects.exclude(pk=page.pk).get(translation_key=page.translation_key)
    ru.audience_regions = []  # a translator cannot widen the audience
    ru.save_revision().publish()
    outsider = russian(client_for(network.other_member))
    assert outsider.get(page.url).status_code == 404
    assert outsider.get(ru.url).status_code == 404
    html = outsider.get(news_index().url).content.decode()
    assert "Новый прайс-лист" not in html and "New price list" not in html


def test_publishing_a_translation_tells_nobody_again(network, client_for):
    page = make_news("New price list")
    page.save_revision().publish()
    before = Notification.objects.filter(kind="news").count()
    translate(page, **RU)
    assert Notification.objects.filter(kind="news").count() == before


def test_read_marks_stay_on_the_default_page(network, client_for):
    page = translated()
    client = russian(client_for(network.owner))
    client.get(page.url)
    assert page.read_marks.filter(user=network.owner).exists()
    assert NewsPage.objects.filter(read_marks__user=network.owner).count() == 1


def _queries(client, url) -> int:
    client.get(url)
    cache.clear()  # count the uncached page, as on a first visit after a write
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["index", "dashboard"])
def test_russian_lists_take_the_same_queries_for_few_and_many(network, client_for, url):
    translated("First")
    client = russian(client_for(network.owner))
    address = news_index().url if url == "index" else dashboard(network)
    few = _queries(client, address)
    for n in range(6):
        translated(f"More {n}") if n % 2 else make_news(f"More {n}")
    many = _queries(client, address)
    assert many == few
