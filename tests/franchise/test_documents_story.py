"""The issue's 'done when': one franchisee's week, through the pages a person would use."""

from django.core import mail
from django.urls import reverse

from franchise.documents import services as documents
from franchise.models import DocumentAcknowledgement, DocumentFolder, Notification, UnitRequest
from tests.franchise.test_documents import checked, make_pdf, make_xlsx, upload


def test_franchisee_week(network, client_for, django_capture_on_commit_callbacks):
    code = network.unit.code
    with django_capture_on_commit_callbacks(execute=True):
        price_list = documents.document_create(
            unit=None,
            folder=DocumentFolder.LIBRARY,
            title="Price list from 1 December",
            checked=checked("prices.xlsx", make_xlsx("Багет 89")),
            by=network.manager,
            must_read=True,
        )
    owner = client_for(network.owner)

    # One page shows what to do: the price list waits for acknowledgement.
    dashboard = owner.get(reverse("franchise:unit_detail", args=[code])).content.decode()
    assert "Price list from 1 December" in dashboard and "must read" in dashboard
    assert 'header-notifications__count">1<' in dashboard

    # Upload a signed act.
    with django_capture_on_commit_callbacks(execute=True):
        response = owner.post(
            reverse("franchise:document_upload", args=[code]),
            {
                "title": "Signed act, November",
                "folder": "invoices",
                "file": upload("act-11.pdf", make_pdf("Act signed")),
            },
        )
    assert response.status_code == 302
    assert Notification.objects.filter(user=network.manager, title__contains="Signed act").exists()

    # Acknowledge the price list: it leaves the dashboard.
    owner.post(reverse("documents:acknowledge", args=[price_list.pk]))
    assert DocumentAcknowledgement.objects.filter(user=network.owner).count() == 1
    dashboard = owner.get(reverse("franchise:unit_detail", args=[code])).content.decode()
    assert (
        "Price list from 1 December"
        not in dashboard.split("block-documents-title")[1].split("</section>")[0]
    )

    # Ask the account manager; the answer comes back as a notification and an e-mail.
    owner.post(
        reverse("franchise:request_create", args=[code]),
        {"kind": "question", "subject": "Old price tags?", "text": "Keep them until when?"},
    )
    question = UnitRequest.objects.get()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(network.manager).post(
            reverse("franchise:request_comment", args=[code, question.pk]),
            {"text": "Until 30 November.", "answer": "on"},
        )
    assert [m.to for m in mail.outbox] == [["owner@example.com"]]
    centre = owner.get(reverse("notifications:list")).content.decode()
    assert "Answer to “Old price tags?”" in centre and "Until 30 November." in centre
