"""One search for documents: ranked full text (title matches first), highlighted snippets from
the file's text, filters by category and date, "did you mean", the reader's rights, a fixed
number of queries; Russian morphology on PostgreSQL."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from franchise.models import Document, DocumentCategory

from .test_documents import create_document, make_docx, make_pdf

SEARCH = "/documents/search/"


def _titles(response) -> list[str]:
    assert response.status_code == 200
    return [d.title for d in response.context["page"]]


@pytest.fixture
def files(network, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        text_only = create_document(
            network.unit,
            network.owner,
            title="Monthly figures",
            name="march.pdf",
            data=make_pdf("The Quokkaberry supplier delivered on time"),
        )
        titled = create_document(
            network.unit,
            network.owner,
            title="Quokkaberry contract",
            name="contract.docx",
            data=make_docx("Terms of supply"),
        )
        theirs = create_document(
            network.other_unit,
            network.other_member,
            title="Zanzibarite lease",
            name="lease.pdf",
            data=make_pdf("Zanzibarite Quokkaberry elsewhere"),
        )
    return text_only, titled, theirs


def test_a_title_match_ranks_above_a_match_in_the_text(network, client_for, files):
    assert _titles(client_for(network.owner).get(SEARCH, {"q": "quokkaberry"})) == [
        "Quokkaberry contract",
        "Monthly figures",
    ]


def test_the_snippet_quotes_the_file_text_with_the_word_marked(network, client_for, files):
    html = client_for(network.owner).get(SEARCH, {"q": "supplier"}).content.decode()
    assert '<p class="search-snippet">The Quokkaberry <mark>supplier</mark> delivered' in html


def test_filters_by_category_and_date(network, client_for, files):
    text_only, titled, _theirs = files
    category = DocumentCategory.objects.create(name="Contracts")
    Document.objects.filter(pk=titled.pk).update(category=category)
    old = datetime.datetime(2025, 1, 10, 12, tzinfo=datetime.UTC)
    Document.objects.filter(pk=text_only.pk).update(updated_at=old)
    client = client_for(network.owner)
    by_category = client.get(SEARCH, {"q": "quokkaberry", "category": category.pk})
    assert _titles(by_category) == ["Quokkaberry contract"]
    recent = client.get(SEARCH, {"q": "quokkaberry", "updated_from": "2025-06-01"})
    assert _titles(recent) == ["Quokkaberry contract"]
    early = client.get(SEARCH, {"q": "quokkaberry", "updated_to": "2025-01-31"})
    assert _titles(early) == ["Monthly figures"]
    wrong = client.get(SEARCH, {"updated_from": "2026-02-01", "updated_to": "2026-01-01"})
    assert "The end date is before the start date." in wrong.content.decode()


def test_did_you_mean_offers_the_closest_word_of_the_readers_documents(network, client_for, files):
    owner = client_for(network.owner)
    html = owner.get(SEARCH, {"q": "quokkabery"}).content.decode()
    assert "Did you mean:" in html and 'href="?q=quokkaberry"' in html
    # Another unit's words are never suggested to someone who cannot see them.
    html = owner.get(SEARCH, {"q": "zanzibarit"}).content.decode()
    assert "Did you mean:" not in html


def test_parts_of_words_still_find_documents(network, client_for, files):
    found = set(_titles(client_for(network.owner).get(SEARCH, {"q": "quokka"})))
    assert found == {"Monthly figures", "Quokkaberry contract"}


def test_rights_hold_in_search(network, client_for, files):
    assert _titles(client_for(network.other_member).get(SEARCH, {"q": "quokkaberry"})) == [
        "Zanzibarite lease"
    ]
    assert _titles(client_for(network.other_manager).get(SEARCH, {"q": "supplier"})) == []


def test_search_query_count_does_not_grow_with_results(
    network, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        create_document(network.unit, network.owner, title="Solo ledger", data=make_pdf("x"))
        for i in range(2, 9):
            create_document(network.unit, network.owner, title=f"Ledger {i}", data=make_pdf("x"))
    client = client_for(network.owner)
    client.get(SEARCH)  # the site and its settings are read once per process

    def count(q):
        client.get(SEARCH, {"q": q})  # warm: the page frame's caches are filled once
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(SEARCH, {"q": q}).status_code == 200
        return len(ctx.captured_queries)

    assert count("solo") == count("ledger")


@pytest.mark.postgres
def test_russian_and_english_words_match_other_forms(
    network, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        create_document(
            network.unit,
            network.owner,
            title="Договор поставки",
            name="supply.docx",
            data=make_docx("Поставщик обязуется доставлять товары; deliveries are weekly"),
        )
    client = client_for(network.owner)
    assert _titles(client.get(SEARCH, {"q": "договоры"})) == ["Договор поставки"]
    assert _titles(client.get(SEARCH, {"q": "товар"})) == ["Договор поставки"]
    assert _titles(client.get(SEARCH, {"q": "delivery"})) == ["Договор поставки"]
    assert reverse("documents:search") == SEARCH


def test_demo_documents_are_in_the_full_text_index(db):
    from django.core.management import call_command
    from wagtail.search.backends import get_search_backend

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    sample = Document.objects.exclude(title="").order_by("pk").first()
    word = max(sample.title.split(), key=len)
    found = get_search_backend().search(word, Document.objects.filter(pk=sample.pk))
    assert [d.pk for d in found] == [sample.pk]


@pytest.mark.postgres
def test_ranking_and_rights_on_postgres(network, client_for, files):
    """The PostgreSQL query (index matches first, then the reader's scope, then the rank)."""
    from portal import search_index

    text_only, titled, theirs = files
    owner = client_for(network.owner)
    assert _titles(owner.get(SEARCH, {"q": "quokkaberry"})) == [
        "Quokkaberry contract",
        "Monthly figures",
    ]
    assert _titles(owner.get(SEARCH, {"q": "zanzibarite"})) == []
    assert _titles(client_for(network.other_member).get(SEARCH, {"q": "quokkaberry"})) == [
        "Zanzibarite lease"
    ]
    everything = Document.objects.all()
    assert search_index.ranked_ids(everything, ["quokkaberry"], limit=1) == [titled.pk]
    assert set(search_index.ranked_ids(everything, ["quokkaberry"], limit=10)) == {
        text_only.pk,
        titled.pk,
        theirs.pk,
    }
    # Every word must match, in the title or the text.
    assert search_index.ranked_ids(everything, ["quokkaberry", "lease"], limit=10) == [theirs.pk]


def test_parts_of_words_keep_rights_and_a_cap(network, client_for, files, monkeypatch):
    """The part-of-word search reads ids of the reader's scope only, at most RESULT_CAP."""
    from franchise.documents import search

    other = client_for(network.other_member)
    assert _titles(other.get(SEARCH, {"q": "quokka"})) == ["Zanzibarite lease"]
    assert _titles(client_for(network.other_manager).get(SEARCH, {"q": "quokkaber"})) == [
        "Zanzibarite lease"
    ]
    assert _titles(client_for(network.other_manager).get(SEARCH, {"q": "suppli"})) == []
    monkeypatch.setattr(search, "RESULT_CAP", 1)
    page = client_for(network.owner).get(SEARCH, {"q": "quokka"}).context["page"]
    assert page.paginator.count == 1 and len(page) == 1


def test_a_query_of_no_words_lists_what_the_reader_sees(network, client_for, files):
    assert set(_titles(client_for(network.owner).get(SEARCH, {"q": "«»"}))) == {
        "Monthly figures",
        "Quokkaberry contract",
    }
