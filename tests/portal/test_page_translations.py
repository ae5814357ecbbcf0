"""Page translations: routed through the default-locale tree, text in the reader's language."""

import pytest
from wagtail.models import Locale

from portal.models import HomePage
from portal.translations import localized, source_of, translations_of
from tests.news.helpers import make_news, news_index
from tests.translating import translate

pytestmark = pytest.mark.django_db


def test_both_interface_languages_have_a_locale():
    assert set(Locale.objects.values_list("language_code", flat=True)) >= {"en", "ru"}


def test_a_translated_page_is_still_routed_through_the_default_tree(network, client_for):
    news = make_news("Opening hours")
    ru = translate(news, title="Часы работы")
    assert HomePage.objects.count() == 2  # the home page was translated with its child
    client = client_for(network.owner)
    client.cookies["django_language"] = "ru"
    response = client.get(news.url)
    assert response.status_code == 200
    # The route found the default-locale page (its privacy, audience and keys)...
    assert response.wsgi_request._wagtail_route_for_request[0].pk == news.pk
    assert ru.pk != news.pk


def test_source_and_translations(network):
    first, second = make_news("First"), make_news("Second")
    ru_first = translate(first, title="Первая")
    assert source_of(ru_first).pk == first.pk
    assert source_of(first).pk == first.pk
    from django.utils import translation

    with translation.override("ru"):
        assert {k: v.pk for k, v in translations_of([first, second]).items()} == {
            first.pk: ru_first.pk
        }
        assert [p.title for p in localized([first, second])] == ["Первая", "Second"]
    with translation.override("en"):
        assert translations_of([first, second]) == {}
    assert news_index().get_children().count() == 2


def test_editors_may_translate_and_edit_the_translation(network, client_for):
    from news.services import news_index_setup

    index = news_index_setup()
    news = make_news("Opening hours")
    editor = client_for(network.editor)
    response = editor.get(f"/admin/translation/submit/page/{news.pk}/")
    assert response.status_code == 200
    ru = translate(news, title="Часы работы")
    # The section's permissions came with the translated index, so its pages are editable.
    assert ru.get_parent().pk != index.pk
    assert editor.get(f"/admin/pages/{ru.pk}/edit/").status_code == 200
    assert editor.get(f"/admin/pages/{news.pk}/edit/").status_code == 200


def test_the_landing_page_reads_in_the_visitors_language(client):
    home = HomePage.objects.get()
    home.headline = "Your franchise, one sign-in away"
    home.save_revision().publish()
    translate(home, title="Портал франчайзи", headline="Ваша франшиза — в одном входе")
    client.cookies["django_language"] = "ru"
    html = client.get("/").content.decode()
    assert "Ваша франшиза — в одном входе" in html and "one sign-in away" not in html
    client.cookies["django_language"] = "en"
    html = client.get("/").content.decode()
    assert "Your franchise, one sign-in away" in html and "Ваша франшиза" not in html
