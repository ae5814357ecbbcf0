"""Audience matrix: a Volga-only article and category seen by exactly the right people.

Inside the audience: the unit's owner and staff (Volga unit), the unit's account manager, and the
franchisor's staff (network lead, editor). Everyone else gets 404 and never sees the article in
listings, related articles, search results or autocomplete; anonymous visitors go to the login.
"""

import pytest

from kb.models import ArticleVisit

INSIDE = ["owner", "member", "manager", "lead", "editor"]
OUTSIDE = ["other_member", "other_manager", "stranger"]


def _html(response):
    return response.content.decode()


@pytest.mark.parametrize("who", INSIDE + OUTSIDE)
def test_serving_listing_search_and_downloads(kb, network, client_for, who):
    user = getattr(network, who)
    client = client_for(user)
    allowed = who in INSIDE
    expected = 200 if allowed else 404

    # Served (the article, the article inside the limited category, the category itself)
    assert client.get(kb.limited.url).status_code == expected
    assert client.get(kb.in_limited_category.url).status_code == expected
    assert client.get(kb.volga_only.url).status_code == expected
    assert client.get(f"/help/articles/{kb.limited.pk}/print/").status_code == expected
    # The open article is served to everyone signed in
    assert client.get(kb.open_article.url).status_code == 200

    # Listed: KB home (categories, recently updated) and the category page
    home = _html(client.get("/kb/"))
    assert ("Volga promotions" in home) is allowed
    assert ("Volga delivery schedule" in home) is allowed
    assert ("Autumn pie promotion" in home) is allowed
    category = _html(client.get(kb.cash.url))
    assert "Closing the till" in category
    assert ("Volga delivery schedule" in category) is allowed

    # Related articles on the open article
    related = _html(client.get(kb.open_article.url))
    assert ("Volga delivery schedule" in related) is allowed

    # Search and autocomplete
    results = _html(client.get("/help/search/", {"q": "trucks"}))
    assert ("Volga delivery schedule" in results) is allowed
    results = _html(client.get("/help/search/", {"q": "pies"}))
    assert ("Autumn pie promotion" in results) is allowed
    suggestions = client.get("/help/autocomplete/", {"q": "Volg"}).json()["results"]
    assert any(s["title"] == "Volga delivery schedule" for s in suggestions) is allowed
    suggestions = client.get("/help/autocomplete/", {"q": "Autum"}).json()["results"]
    assert any(s["title"] == "Autumn pie promotion" for s in suggestions) is allowed

    # The attached document: linked from the article, downloadable only inside the audience
    response = client.get(kb.document.url)
    assert response.status_code == expected
    if allowed:
        assert b"".join(response.streaming_content) == b"%PDF-1.4 volga prices"
        assert kb.document.url in _html(client.get(kb.limited.url))

    # Feedback on an article you may not see is refused
    response = client.post(f"/help/articles/{kb.limited.pk}/feedback/", {"helpful": "yes"})
    assert response.status_code == (302 if allowed else 404)

    # Only the allowed reads were counted
    assert ArticleVisit.objects.filter(user=user, article=kb.limited).exists() is allowed


def test_anonymous_goes_to_login(kb, client_for):
    client = client_for(None)
    for url in [
        "/kb/",
        kb.cash.url,
        kb.open_article.url,
        kb.limited.url,
        kb.document.url,
        "/help/search/?q=till",
        "/help/autocomplete/?q=till",
        f"/help/articles/{kb.open_article.pk}/print/",
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"], url


def test_role_limited_article(kb, network, client_for):
    from tests.kb.conftest import make_article

    owners_only = make_article(
        kb.cash, "Owner payroll guide", "Salaries and taxes.", slug="payroll", roles="owner"
    )
    assert client_for(network.owner).get(owners_only.url).status_code == 200
    assert client_for(network.member).get(owners_only.url).status_code == 404
    assert client_for(network.manager).get(owners_only.url).status_code == 404
    assert client_for(network.editor).get(owners_only.url).status_code == 200


def test_refused_reads_are_audited(kb, network, client_for):
    from franchise.models import AuditEvent

    client_for(network.other_member).get(kb.limited.url)
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.ACCESS_DENIED, actor=network.other_member
    ).exists()


def test_document_outside_any_article_is_staff_only(kb, network, client_for):
    from django.core.files.base import ContentFile

    from kb.models import KBDocument

    orphan = KBDocument(title="Draft contract", collection=kb.collection)
    orphan.file.save("draft.pdf", ContentFile(b"%PDF draft"), save=False)
    orphan.save()
    assert client_for(network.owner).get(orphan.url).status_code == 404
    assert client_for(network.editor).get(orphan.url).status_code == 200


def test_document_linked_from_rich_text_follows_the_article(kb, network, client_for):
    from django.core.files.base import ContentFile
    from wagtail.rich_text import RichText

    from kb.models import KBDocument
    from tests.kb.conftest import make_article

    sheet = KBDocument(title="Volga rota", collection=kb.collection)
    sheet.file.save("rota.txt", ContentFile(b"rota"), save=False)
    sheet.save()
    link = f'<p>See <a linktype="document" id="{sheet.pk}">the rota</a>.</p>'
    article = make_article(kb.volga_only, "Rota", "", slug="rota", body=[("text", RichText(link))])
    html = client_for(network.member).get(article.url).content.decode()
    assert f'href="{sheet.url}"' in html
    assert client_for(network.member).get(sheet.url).status_code == 200
    assert client_for(network.other_member).get(sheet.url).status_code == 404
