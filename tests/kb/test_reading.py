"""Reading an article: breadcrumbs, contents, print view, feedback, view counts, history."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from wagtail.rich_text import RichText

from kb.models import ArticleFeedback, ArticleVisit, ReviewReminder
from tests.kb.conftest import make_article


@pytest.fixture
def long_article(kb):
    body = []
    for n, heading in enumerate(["Before the shift", "During the shift", "After the shift"]):
        body.append(("heading", {"text": heading, "level": "h2"}))
        body.append(("text", RichText(f"<p>Paragraph {n} about the shift routine.</p>")))
    body.append(("callout", {"kind": "warning", "text": RichText("<p>Never skip it.</p>")}))
    body.append(("steps", {"steps": [{"title": "Switch on the oven", "text": RichText("")}]}))
    body.append(
        (
            "table",
            {
                "data": [["Zone", "Temp"], ["Fridge", "+4"]],
                "first_row_is_table_header": True,
                "first_col_is_header": False,
            },
        )
    )
    return make_article(kb.cash, "Shift routine", "", slug="shift-routine", body=body)


def test_article_has_breadcrumbs_contents_and_blocks(long_article, network, client_for):
    html = client_for(network.owner).get(long_article.url).content.decode()
    assert 'href="/kb/cash/">Cash register</a>' in html
    assert html.count('class="kb-toc__h2"') == 3
    first = long_article.body[0]
    assert f'href="#h-{first.id}"' in html and f'id="h-{first.id}"' in html
    assert "kb-callout--warning" in html and "Switch on the oven" in html
    table = html.split("<table", 1)[1].split("</table>", 1)[0]
    assert "Fridge" in table and "+4" in table


def test_short_article_has_no_contents(kb, network, client_for):
    html = client_for(network.owner).get(kb.open_article.url).content.decode()
    assert "kb-toc" not in html


def test_print_view(long_article, network, client_for):
    response = client_for(network.owner).get(f"/help/articles/{long_article.pk}/print/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Shift routine" in html and "During the shift" in html
    assert "site-header" not in html  # no cabinet chrome on paper


def test_feedback_is_one_per_user_and_changeable(kb, network, client_for):
    client = client_for(network.owner)
    url = f"/help/articles/{kb.open_article.pk}/feedback/"
    assert client.post(url, {"helpful": "no", "comment": "Missing photos"}).status_code == 302
    assert client.post(url, {"helpful": "yes", "comment": ""}).status_code == 302
    feedback = ArticleFeedback.objects.get(article=kb.open_article)
    assert feedback.user == network.owner and feedback.helpful and feedback.comment == ""
    client_for(network.member).post(url, {"helpful": "no"})
    html = client.get(kb.open_article.url).content.decode()
    assert "1 found it helpful, 1 did not." in html
    assert "You answered: yes." in html


def test_feedback_without_choice_shows_the_error(kb, network, client_for):
    response = client_for(network.owner).post(
        f"/help/articles/{kb.open_article.pk}/feedback/", {"comment": "?"}
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not ArticleFeedback.objects.exists()


def test_view_counts_and_recently_viewed(kb, network, client_for):
    owner = client_for(network.owner)
    owner.get(kb.open_article.url)
    owner.get(kb.open_article.url)
    owner.get(kb.limited.url)
    client_for(network.member).get(kb.open_article.url)
    assert ArticleVisit.objects.get(user=network.owner, article=kb.open_article).views == 2
    html = owner.get(kb.open_article.url).content.decode()
    assert "4 views" in html
    home = owner.get("/kb/").content.decode()
    viewed = home.split('id="kb-viewed"')[1]
    # Most recent first: the open article was read again after the Volga one.
    assert viewed.index("Closing the till") < viewed.index("Volga delivery schedule")


def test_recently_viewed_hides_articles_no_longer_visible(kb, network, client_for):
    other = client_for(network.other_member)
    other.get(kb.open_article.url)
    ArticleVisit.objects.create(
        user=network.other_member, article=kb.limited, last_viewed_at=timezone.now()
    )
    viewed = other.get("/kb/").content.decode().split('id="kb-viewed"')[1]
    assert "Closing the till" in viewed and "Volga delivery schedule" not in viewed


def test_menu_entry_and_header_search(kb, network, client_for):
    client = client_for(network.owner)
    html = client.get(kb.cash.url).content.decode()
    assert 'href="/help/"' in html and "Knowledge base" in html
    assert 'action="/help/search/"' in html and 'data-kb-autocomplete="/help/autocomplete/"' in html
    response = client.get("/help/")
    assert response.status_code == 302 and response["Location"] == "/kb/"


def test_review_reminders(kb, network, client_for, settings):
    from datetime import date

    settings.KB_REVIEW_AFTER_MONTHS = 6
    kb.open_article.article_owner = network.editor
    kb.open_article.last_reviewed_on = date(2020, 1, 1)
    kb.open_article.save()
    kb.limited.article_owner = network.editor
    kb.limited.last_reviewed_on = timezone.localdate()
    kb.limited.save()
    call_command("kb_review_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [network.editor.email]
    assert "Closing the till" in mail.outbox[0].body
    assert "Volga delivery schedule" not in mail.outbox[0].body
    call_command("kb_review_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1 and ReviewReminder.objects.count() == 1

    from kb import services

    services.editor_permissions_grant(index=kb.index, collection=kb.collection)
    report = client_for(network.editor).get("/admin/reports/kb-review/").content.decode()
    assert "Closing the till" in report and "Volga delivery schedule" not in report


def test_review_reminders_in_each_owners_language(kb, network, settings):
    """Each content owner gets the titles in their preferred language (the live
    translation's, or the English title where there is none)."""
    from datetime import date

    from tests import factories
    from tests.translating import translate

    settings.KB_REVIEW_AFTER_MONTHS = 6
    russian = factories.editor(username="ru-editor", preferred_language="ru")
    for article, owner in ((kb.open_article, russian), (kb.limited, russian)):
        article.article_owner = owner
        article.last_reviewed_on = date(2020, 1, 1)
        article.save()
    translate(kb.open_article, title="Закрытие кассы")
    kb.in_limited_category.article_owner = network.editor  # English
    kb.in_limited_category.last_reviewed_on = date(2020, 1, 1)
    kb.in_limited_category.save()
    translate(kb.in_limited_category, title="Осенняя акция с пирогами")
    call_command("kb_review_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    bodies = {m.to[0]: m.body for m in mail.outbox}
    ru_body, en_body = bodies[russian.email], bodies[network.editor.email]
    assert "Закрытие кассы" in ru_body and "Closing the till" not in ru_body
    assert "Volga delivery schedule" in ru_body  # not translated: its English title
    assert "Autumn pie promotion" in en_body and "Осенняя" not in en_body


def test_editors_read_feedback_in_admin(kb, network, client_for):
    from kb import services

    services.editor_permissions_grant(index=kb.index, collection=kb.collection)
    client_for(network.owner).post(
        f"/help/articles/{kb.open_article.pk}/feedback/", {"helpful": "no", "comment": "No photos"}
    )
    editor = client_for(network.editor)
    assert "No photos" in editor.get("/admin/kb_feedback/").content.decode()
    assert client_for(network.owner).get("/admin/kb_feedback/").status_code == 302
