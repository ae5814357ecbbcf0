"""One language per screen: the knowledge base shows each page once, in the reader's language.

The site is routed through the English tree; a live Russian translation only supplies the text.
"""

import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.rich_text import RichText

from kb import selectors
from tests.kb.conftest import make_article
from tests.translating import translate

RU_TILL = "Закрытие кассы"
RU_TILL_TEXT = "Пересчитайте денежный ящик в конце каждой смены."


@pytest.fixture
def ru(kb):
    """Russian translations of the index, the cash category and the open article."""
    translate(kb.index, title="База знаний", intro="<p>Ответы на частые вопросы.</p>")
    translate(kb.cash, title="Касса", intro="Смены и возвраты.")
    translate(
        kb.open_article,
        title=RU_TILL,
        summary="Как закрыть кассу.",
        body=[("text", RichText(f"<p>{RU_TILL_TEXT}</p>"))],
    )
    return kb


def _client(client_for, user, language):
    client = client_for(user)
    client.cookies["django_language"] = language
    return client


def _html(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_russian_reader_sees_the_russian_article(ru, network, client_for):
    html = _html(_client(client_for, network.owner, "ru"), ru.open_article.url)
    assert f"<h1>{RU_TILL}</h1>" in html
    assert RU_TILL_TEXT in html
    assert "Как закрыть кассу." in html
    assert 'href="/kb/cash/">Касса</a>' in html  # the trail, still the English tree's URL
    assert "Count the cash drawer" not in html
    assert "Closing the till" not in html
    assert f'action="/help/articles/{ru.open_article.pk}/feedback/"' in html


def test_english_reader_sees_the_english_article(ru, network, client_for):
    html = _html(_client(client_for, network.owner, "en"), ru.open_article.url)
    assert "<h1>Closing the till</h1>" in html
    assert "Count the cash drawer at the end of every shift." in html
    assert RU_TILL not in html and RU_TILL_TEXT not in html and "Касса" not in html


def test_category_and_index_in_both_languages(ru, network, client_for):
    russian = _client(client_for, network.owner, "ru")
    category = _html(russian, ru.cash.url)
    assert "<h1>Касса</h1>" in category and "Смены и возвраты." in category
    assert category.count(RU_TILL) == 1
    assert "Closing the till" not in category
    assert "Volga delivery schedule" in category  # untranslated: its English text
    index = _html(russian, "/kb/")
    assert "<h1>База знаний</h1>" in index and "Ответы на частые вопросы." in index
    assert "Cash register" not in index and ">Касса</a>" in index
    assert index.count(RU_TILL) == 1  # recently updated, once

    english = _html(_client(client_for, network.owner, "en"), ru.cash.url)
    assert "<h1>Cash register</h1>" in english and english.count(">Closing the till<") == 1
    assert "Касса" not in english and RU_TILL not in english


def test_category_lists_articles_in_the_order_of_the_shown_titles(ru, network, client_for):
    make_article(ru.cash, "Card payments", "Terminal.", slug="cards")
    translate(ru.cash.get_children().get(slug="cards").specific, title="Оплата картой")
    english = _html(_client(client_for, network.owner, "en"), ru.cash.url)
    assert (
        english.index("Card payments")
        < english.index("Closing the till")
        < english.index("Volga delivery schedule")
    )
    russian = _html(_client(client_for, network.owner, "ru"), ru.cash.url)
    # Untranslated (Latin) first, then the Russian titles in Russian order.
    assert (
        russian.index("Volga delivery schedule")
        < russian.index(RU_TILL)
        < russian.index("Оплата картой")
    )


def test_each_article_once_in_counts(ru, network):
    with translation.override("ru"):
        context = selectors.home_shared_context(network.owner, ru.index)
    cash = next(c for c in context["categories"] if c["page"].pk == ru.cash.pk)
    assert cash["articles"] == 2
    assert cash["page"].shown.title == "Касса"
    assert len(context["categories"]) == 2
    recent = [item["page"].pk for item in context["recently_updated"]]
    assert len(recent) == len(set(recent)) == 3


def test_recently_viewed_in_russian(ru, network, client_for):
    russian = _client(client_for, network.owner, "ru")
    russian.get(ru.open_article.url)
    html = _html(russian, "/kb/")
    section = html.split('id="kb-viewed"')[1]
    assert RU_TILL in section and "Closing the till" not in section


def test_search_in_russian_finds_the_translation_once(ru, network, client_for):
    russian = _client(client_for, network.owner, "ru")
    html = _html(russian, "/help/search/", q="денежный ящик")
    assert html.count(RU_TILL) == 1
    assert "Closing the till" not in html
    assert "/help/open/" in html and f"/{ru.open_article.pk}/" in html
    # English words still find it, shown in Russian, once.
    html = _html(russian, "/help/search/", q="till")
    assert html.count(RU_TILL) == 1 and "Closing the till" not in html
    with translation.override("ru"):
        hits = selectors.search_articles(network.owner, "кассы смены")
    assert [h.article.pk for h in hits] == [ru.open_article.pk]
    assert hits[0].article.locale.language_code == "en"
    assert "денежный ящик" in hits[0].snippet.lower()


def test_search_in_english_shows_english(ru, network, client_for):
    english = _client(client_for, network.owner, "en")
    html = _html(english, "/help/search/", q="till")
    assert html.count(">Closing the till<") == 1 and RU_TILL not in html
    assert RU_TILL not in _html(english, "/help/search/", q="денежный")


def test_search_respects_the_audience_of_the_english_page(ru, network):
    translate(
        ru.limited,
        title="График поставок Поволжье",
        body=[("text", RichText("<p>Машины приходят по понедельникам.</p>"))],
    )
    with translation.override("ru"):
        hits = selectors.search_articles(network.owner, "понедельникам")
        assert [h.article.pk for h in hits] == [ru.limited.pk]
        assert selectors.search_articles(network.other_member, "понедельникам") == []
        assert selectors.autocomplete_articles(network.other_member, "График") == []


def test_autocomplete_in_both_languages(ru, network, client_for):
    russian = _client(client_for, network.owner, "ru")
    results = json.loads(_html(russian, "/help/autocomplete/", q="Закры"))["results"]
    assert results == [{"title": RU_TILL, "url": ru.open_article.url}]
    results = json.loads(_html(russian, "/help/autocomplete/", q="Closing"))["results"]
    assert results == [{"title": RU_TILL, "url": ru.open_article.url}]
    english = _client(client_for, network.owner, "en")
    results = json.loads(_html(english, "/help/autocomplete/", q="Closing"))["results"]
    assert results == [{"title": "Closing the till", "url": ru.open_article.url}]
    assert json.loads(_html(english, "/help/autocomplete/", q="Закры"))["results"] == []


def test_a_draft_translation_is_never_shown(kb, network, client_for):
    translate(kb.cash, title="Касса")
    translate(
        kb.open_article,
        live=False,
        title="Черновик закрытия",
        body=[("text", RichText("<p>Черновой текст.</p>"))],
    )
    russian = _client(client_for, network.owner, "ru")
    for url in (kb.open_article.url, kb.cash.url, "/kb/"):
        html = _html(russian, url)
        assert "Черновик" not in html and "Черновой" not in html
    assert "Closing the till" in _html(russian, kb.open_article.url)
    assert "Черновик" not in _html(russian, "/help/search/", q="Черновой")
    assert json.loads(_html(russian, "/help/autocomplete/", q="Черновик"))["results"] == []


def test_an_untranslated_article_shows_its_english_text_in_russian(kb, network, client_for):
    html = _html(_client(client_for, network.owner, "ru"), kb.open_article.url)
    assert "<h1>Closing the till</h1>" in html
    assert "Count the cash drawer at the end of every shift." in html


def test_related_articles_and_print_in_russian(ru, network, client_for):
    translate(ru.limited, title="График поставок")
    russian = _client(client_for, network.owner, "ru")
    html = _html(russian, ru.open_article.url)
    assert "График поставок" in html and "Volga delivery schedule" not in html
    printed = _html(russian, f"/help/articles/{ru.open_article.pk}/print/")
    assert RU_TILL in printed and RU_TILL_TEXT in printed and "Касса" in printed
    assert f'href="{ru.open_article.url}"' in printed


def test_cached_fragments_are_per_language(ru, network, client_for):
    """The same reader switching language never gets the other language's cached HTML."""
    client = client_for(network.owner)
    for url in (ru.open_article.url, ru.cash.url, "/kb/"):
        cache.clear()
        for language, wanted, unwanted in (
            ("en", "Cash register", "Касса"),
            ("ru", "Касса", "Cash register"),
            ("en", "Cash register", "Касса"),
        ):
            client.cookies["django_language"] = language
            html = _html(client, url)
            assert wanted in html and unwanted not in html, (url, language)


def test_a_published_translation_shows_at_once(kb, network, client_for):
    russian = _client(client_for, network.owner, "ru")
    assert "Closing the till" in _html(russian, kb.open_article.url)
    assert "Closing the till" in _html(russian, kb.cash.url)
    translate(kb.cash, title="Касса")
    translate(kb.open_article, title=RU_TILL)
    assert RU_TILL in _html(russian, kb.open_article.url)
    assert RU_TILL in _html(russian, kb.cash.url)


def _count(client, url):
    client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _grow(kb, n):
    for i in range(n):
        article = make_article(kb.cash, f"Article {n}-{i}", "Some text.", slug=f"g-{n}-{i}")
        translate(article, title=f"Статья {n}-{i}", summary="Текст статьи.")


def test_russian_query_counts_do_not_grow(ru, network, client_for):
    client = _client(client_for, network.owner, "ru")
    client.get(ru.open_article.url)  # something recently viewed
    urls = ["/kb/", ru.cash.url, ru.open_article.url, "/help/search/?q=статьи+текст"]
    _grow(ru, 3)
    few = [_count(client, url) for url in urls]
    _grow(ru, 25)
    many = [_count(client, url) for url in urls]
    assert few == many
