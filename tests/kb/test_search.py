"""Search: ranking, snippets, filters, the query log and the editors' report."""

import csv
import io

import pytest
from wagtail.rich_text import RichText

from kb import services
from kb.models import SearchLog
from tests.kb.conftest import make_article, make_category


@pytest.fixture
def editor_client(kb, network, client_for):
    services.editor_permissions_grant(index=kb.index, collection=kb.collection)
    return client_for(network.editor)


def _titles(response):
    return [hit.article.title for hit in response.context["hits"]]


def test_title_match_ranks_above_body_match(kb, network, client_for):
    body_heavy = make_article(
        kb.cash,
        "Weekly cleaning plan",
        "Shortage, shortage, shortage: report a cash shortage to the manager. " * 5,
        slug="cleaning",
    )
    titled = make_article(
        kb.cash, "Cash shortage", "What to do when the count is off.", slug="shortage"
    )
    response = client_for(network.owner).get("/help/search/", {"q": "shortage"})
    assert _titles(response)[:2] == [titled.title, body_heavy.title]
    hits = response.context["hits"]
    assert hits[0].title_match and not hits[1].title_match


def test_results_show_category_path_and_highlighted_snippet(kb, network, client_for):
    response = client_for(network.owner).get("/help/search/", {"q": "drawer"})
    html = response.content.decode()
    assert "Closing the till" in html
    assert "Cash register" in html  # the category path
    assert "<mark>drawer</mark>" in html


def test_snippet_escapes_article_text(kb, network, client_for):
    make_article(
        kb.cash, "Script test", "Type &lt;script&gt;alert(1)&lt;/script&gt; here", slug="s"
    )
    html = client_for(network.owner).get("/help/search/", {"q": "script"}).content.decode()
    assert "<script>alert(1)" not in html


def test_filter_by_category_and_tag(kb, network, client_for):
    other = make_category(kb.index, "Food safety", "food")
    tagged = make_article(other, "Fridge temperature log", "Log the fridge every shift.", slug="f")
    tagged.tags.add("haccp")
    tagged.save_revision().publish()
    client = client_for(network.owner)
    assert set(_titles(client.get("/help/search/", {"q": "shift"}))) == {
        "Closing the till",
        "Fridge temperature log",
    }
    assert _titles(client.get("/help/search/", {"q": "shift", "category": other.pk})) == [
        "Fridge temperature log"
    ]
    assert _titles(client.get("/help/search/", {"q": "shift", "tag": "haccp"})) == [
        "Fridge temperature log"
    ]


def test_category_filter_refuses_hidden_category(kb, network, client_for):
    response = client_for(network.other_member).get(
        "/help/search/", {"q": "pies", "category": kb.volga_only.pk}
    )
    assert response.status_code == 200
    assert "Autumn pie promotion" not in response.content.decode()
    assert response.context["form"].errors["category"]


def test_every_query_is_logged_with_role_and_click(kb, network, client_for):
    client = client_for(network.member)
    response = client.get("/help/search/", {"q": "  Till  "})
    log = SearchLog.objects.get()
    assert (log.query, log.result_count, log.role, log.user) == (
        "till",
        1,
        "member",
        network.member,
    )
    assert log.clicked_article is None
    click_url = f"/help/open/{log.pk}/{kb.open_article.pk}/"
    assert click_url in response.content.decode()
    response = client.get(click_url)
    assert response.status_code == 302 and response["Location"] == kb.open_article.url
    log.refresh_from_db()
    assert log.clicked_article_id == kb.open_article.pk and log.clicked_at


def test_click_on_hidden_article_is_refused(kb, network, client_for):
    client = client_for(network.other_member)
    client.get("/help/search/", {"q": "till"})
    log = SearchLog.objects.get()
    assert client.get(f"/help/open/{log.pk}/{kb.limited.pk}/").status_code == 404
    log.refresh_from_db()
    assert log.clicked_article is None


def test_long_query_is_capped(kb, network, client_for):
    client_for(network.owner).get("/help/search/", {"q": "касса " * 100})
    assert len(SearchLog.objects.get().query) <= 200


def test_zero_result_and_no_click_queries_reach_the_admin_report(
    kb, network, client_for, editor_client
):
    owner = client_for(network.owner)
    for _ in range(3):
        owner.get("/help/search/", {"q": "franchise fee refund"})
    owner.get("/help/search/", {"q": "drawer"})  # results, never clicked
    client_for(network.member).get("/help/search/", {"q": "till"})
    log = SearchLog.objects.filter(query="till").get()
    client_for(network.member).get(f"/help/open/{log.pk}/{kb.open_article.pk}/")

    response = editor_client.get("/admin/reports/kb-searches/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "franchise fee refund" in html and "drawer" in html
    assert ">till<" not in html

    export = editor_client.get("/admin/reports/kb-searches/", {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert rows[0] == ["Query", "Searches", "Without results", "Without a click"]
    assert rows[1] == ["franchise fee refund", "3", "3", "0"]
    assert ["drawer", "1", "0", "1"] in rows
    xlsx = editor_client.get("/admin/reports/kb-searches/", {"export": "xlsx"})
    assert xlsx.status_code == 200


def test_report_is_for_editors_only(kb, network, client_for):
    assert client_for(network.lead).get("/admin/reports/kb-searches/").status_code in (302, 403)
    assert client_for(network.owner).get("/admin/reports/kb-searches/").status_code == 302


@pytest.mark.postgres
def test_russian_morphology_on_postgres(kb, network, client_for):
    make_article(
        kb.cash,
        "Как сдать месячный отчёт",
        "Отчёт о выручке сдаётся до пятого числа.",
        slug="monthly-report",
        body=[("text", RichText("<p>Заполните форму и нажмите «Отправить».</p>"))],
    )
    client = client_for(network.owner)
    for query in ["отчёты", "отчётов", "месячные отчёты"]:
        assert "Как сдать месячный отчёт" in _titles(client.get("/help/search/", {"q": query})), (
            query
        )


def test_text_inside_attached_pdf_is_searchable(
    kb, network, client_for, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile

    from kb.models import KBDocument
    from portal.pdf import render_pdf

    pdf = render_pdf(
        "kb/pdf/attachment.html", {"title": "Sourdough", "rows": [["Levain", "hydration"]]}
    )
    with django_capture_on_commit_callbacks(execute=True):
        document = KBDocument(title="Bread recipe", collection=kb.collection)
        document.file.save("bread.pdf", ContentFile(pdf), save=False)
        document.save()
    document.refresh_from_db()
    assert "Levain" in document.text
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(
            kb.volga_only,
            "Bakery recipes",
            "See the attachment.",
            slug="recipes",
            body=[("document", {"document": document, "title": "Recipe"})],
        )
    assert "Levain" in article.attachment_text()
    assert _titles(client_for(network.owner).get("/help/search/", {"q": "levain"})) == [
        "Bakery recipes"
    ]
    assert _titles(client_for(network.other_member).get("/help/search/", {"q": "levain"})) == []


def test_extract_command_reads_plain_text_and_survives_broken_pdf(kb):
    from django.core.files.base import ContentFile
    from django.core.management import call_command

    from kb.models import KBDocument

    notes = KBDocument(title="Notes", collection=kb.collection)
    notes.file.save("notes.txt", ContentFile("Закваска  кормится\nдважды".encode()), save=False)
    notes.save()
    out = io.StringIO()
    call_command("kb_extract_document_text", stdout=out)
    notes.refresh_from_db()
    kb.document.refresh_from_db()
    assert notes.text == "Закваска кормится дважды"
    assert kb.document.text == ""  # not a real PDF: nothing stored, no crash
    assert "Extracted text from 1 document(s)." in out.getvalue()
