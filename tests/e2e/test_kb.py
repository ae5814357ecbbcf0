"""An editor publishes a knowledge-base article in the Wagtail admin; a franchisee finds it with
the search box in the header and reads it."""

import re

import pytest
from playwright.sync_api import expect
from wagtail.models import Collection

from kb import services
from kb.models import ArticlePage
from tests.e2e.conftest import sign_in
from tests.kb.conftest import make_category

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Defrosting the display freezer"
SUMMARY = "Once a month, before the morning delivery."
BODY = "Switch the freezer off, move the stock to the cold room and wipe the ice with a cloth."


def test_editor_publishes_an_article_and_a_franchisee_finds_it(page, shot, network, kb_index):
    category = make_category(kb_index, "Equipment", "equipment")
    services.editor_permissions_grant(index=kb_index, collection=Collection.get_first_root_node())

    sign_in(page, "editor")
    page.goto(f"/admin/pages/{category.pk}/")
    expect(page.get_by_role("heading", name="Equipment").first).to_be_visible()
    shot("admin-category")
    page.get_by_role("link", name=re.compile("Add child page")).first.click()
    page.get_by_role("link", name=re.compile(r"^Article")).first.click()
    expect(page).to_have_url(re.compile(rf"/admin/pages/add/kb/articlepage/{category.pk}/$"))

    page.locator("#id_title").fill(TITLE)
    page.locator("#id_summary").fill(SUMMARY)
    body = page.locator("[data-contentpath='body']")
    body.get_by_role("button", name=re.compile("Insert a block")).first.click()
    page.get_by_role("option", name=re.compile(r"^Text")).first.click()
    editor = body.locator("[contenteditable='true']").first
    editor.click()
    editor.type(BODY)
    expect(editor).to_contain_text("move the stock to the cold room")
    # Draftail writes its hidden input a moment after the last keystroke: wait for it.
    page.wait_for_function(
        """text => [...document.querySelectorAll("[data-contentpath='body'] input[type=hidden]")]
            .some(input => input.value.includes(text))""",
        arg="cold room",
    )
    shot("article-form")

    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text(re.compile(f"Page '{TITLE}' created and published"))).to_be_visible()
    shot("published")
    article = ArticlePage.objects.get(title=TITLE)
    assert article.live and article.get_parent().pk == category.pk
    assert BODY in str(article.body) and article.summary == SUMMARY

    # A franchisee: a fresh session, the search box in the header.
    page.context.clear_cookies()
    sign_in(page, "owner")
    page.get_by_role("search").first.get_by_role("combobox").fill("freezer")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/help/search/\?q=freezer"))
    result = page.locator(".kb-results li").filter(has_text=TITLE)
    expect(result).to_be_visible()
    expect(result).to_contain_text("Equipment")  # the category trail
    shot("search-results")
    result.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.get_by_text("move the stock to the cold room")).to_be_visible()
    assert page.url.endswith(article.url)
    shot("article")
    assert page.csp_violations == []
