"""A unit's staff member uploads a document in the browser and downloads it back."""

import re

import pytest
from playwright.sync_api import expect

from franchise.models import AuditEvent, Document
from tests.e2e.conftest import content, download, sign_in
from tests.franchise.test_documents import make_pdf

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_member_uploads_a_document_and_downloads_it(page, shot, network):
    code = network.unit.code
    data = make_pdf("Acceptance act, November")
    sign_in(page, "member")

    page.goto(f"/units/{code}/documents/")
    shot("unit-documents")
    page.get_by_role("link", name="Upload a document").click()
    expect(page).to_have_url(re.compile(rf"/units/{code}/documents/upload/"))
    page.get_by_label("Title").fill("Acceptance act, November")
    page.get_by_label("Description").fill("Signed by both sides.")
    page.get_by_label("File").set_input_files(
        files=[{"name": "act-11.pdf", "mimeType": "application/pdf", "buffer": data}]
    )
    shot("upload-form")
    page.get_by_role("button", name="Upload").click()

    expect(page.get_by_text("“Acceptance act, November” is uploaded.")).to_be_visible()
    expect(page.get_by_role("heading", name="Acceptance act, November")).to_be_visible()
    document = Document.objects.get(title="Acceptance act, November")
    assert document.unit == network.unit
    assert document.versions.get().uploaded_by == network.member
    expect(page).to_have_url(re.compile(rf"/documents/{document.pk}/$"))
    shot("uploaded")

    got, response = download(page, page.get_by_role("link", name="Download", exact=True))
    assert got.suggested_filename == "act-11.pdf"
    assert content(got) == data
    assert response.status == 200
    headers = response.headers
    assert headers["content-type"] == "application/pdf"
    assert headers["content-disposition"].startswith("attachment")
    assert "act-11.pdf" in headers["content-disposition"]
    assert headers["cache-control"].startswith("private")
    assert headers["x-content-type-options"] == "nosniff"
    assert AuditEvent.objects.filter(
        action="download", actor=network.member, unit=network.unit
    ).exists()
    shot("downloaded")
    assert page.csp_violations == []
