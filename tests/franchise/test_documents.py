"""Document exchange: rights on every URL, upload checks, search inside files, must-read."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from franchise.documents import services
from franchise.documents.validation import check_upload
from franchise.models import (
    AuditEvent,
    Document,
    DocumentAcknowledgement,
    DocumentCategory,
    DocumentComment,
    DocumentFolder,
    DocumentVersion,
    Notification,
)

# Files ----------------------------------------------------------------------------------


def make_pdf(text: str) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 720, text)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_xlsx(text: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active["A1"] = text
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def make_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def checked(name: str, data: bytes):
    return check_upload(upload(name, data))


def create_document(unit, by, *, title="Act of March", folder=DocumentFolder.UPLOADS, **kw):
    data = kw.pop("data", None) or make_pdf("plain act")
    return services.document_create(
        unit=unit,
        folder=folder,
        title=title,
        checked=checked(kw.pop("name", "act.pdf"), data),
        by=by,
        **kw,
    )


def private_files(settings) -> list:
    root = settings.PRIVATE_MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# Rights on every URL ----------------------------------------------------------------------


@pytest.fixture
def unit_document(network, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = create_document(
            network.unit, network.manager, folder=DocumentFolder.INBOX, must_read=True
        )
        services.document_comment_add(
            document=document, author=network.owner, text="Signed copy follows", unit=network.unit
        )
    return document


def _document_urls(document, unit_code):
    return {
        "get": [
            reverse("franchise:unit_documents", args=[unit_code]),
            reverse("franchise:unit_documents", args=[unit_code]) + "?folder=inbox",
            reverse("franchise:document_upload", args=[unit_code]),
            reverse("documents:detail", args=[document.pk]),
            reverse("documents:download", args=[document.pk, 1]),
            reverse("documents:version_upload", args=[document.pk]),
            reverse("documents:acknowledgements", args=[document.pk]),
        ],
        "post": [
            reverse("documents:acknowledge", args=[document.pk]),
            reverse("documents:comment", args=[document.pk]),
            reverse("documents:version_upload", args=[document.pk]),
            reverse("franchise:document_upload", args=[unit_code]),
        ],
    }


@pytest.mark.parametrize("who", ["other_member", "other_manager"])
def test_other_units_people_get_404_everywhere(network, client_for, unit_document, who):
    client = client_for(getattr(network, who))
    urls = _document_urls(unit_document, network.unit.code)
    for url in urls["get"]:
        assert client.get(url).status_code == 404, url
    for url in urls["post"]:
        response = client.post(url, {"text": "sneaky", "title": "x"})
        assert response.status_code == 404, url
    assert DocumentAcknowledgement.objects.count() == 0
    assert DocumentComment.objects.count() == 1
    assert DocumentVersion.objects.count() == 1
    assert AuditEvent.objects.filter(action="access_denied").count() >= 11
    assert not AuditEvent.objects.filter(action="download").exists()
    # Nor through search: not by title, not by the text inside, not by the comment.
    for q in ["Act of March", "plain act"]:
        page = client.get(reverse("documents:search"), {"q": q})
        assert page.status_code == 200
        assert page.context["page"].paginator.count == 0
        assert f'href="/documents/{unit_document.pk}/"' not in page.content.decode()


def test_anonymous_is_sent_to_login(network, client_for, unit_document):
    client = client_for(None)
    urls = _document_urls(unit_document, network.unit.code)
    for url in [*urls["get"], reverse("documents:search"), reverse("documents:library")]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    for url in urls["post"]:
        response = client.post(url, {"text": "x"})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    assert DocumentComment.objects.count() == 1


@pytest.mark.parametrize("who", ["owner", "member", "manager", "lead"])
def test_units_people_and_overseers_see_it(network, client_for, unit_document, who):
    client = client_for(getattr(network, who))
    detail = client.get(reverse("documents:detail", args=[unit_document.pk]))
    assert detail.status_code == 200
    html = detail.content.decode()
    assert "Act of March" in html and "Signed copy follows" in html
    download = client.get(reverse("documents:download", args=[unit_document.pk, 1]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_member_cannot_upload_to_franchisor_inbox_or_see_ack_report(
    network, client_for, unit_document
):
    client = client_for(network.member)
    response = client.post(
        reverse("franchise:document_upload", args=[network.unit.code]),
        {"title": "x", "folder": "inbox", "file": upload("a.pdf", make_pdf("x"))},
    )
    assert response.status_code == 200
    assert "folder" in response.context["form"].errors
    assert Document.objects.count() == 1
    report = reverse("documents:acknowledgements", args=[unit_document.pk])
    assert client.get(report).status_code == 404
    # The franchisor's document cannot be replaced by the unit either.
    assert (
        client.get(reverse("documents:version_upload", args=[unit_document.pk])).status_code == 404
    )


def test_network_lead_reads_but_cannot_upload(network, client_for, unit_document):
    client = client_for(network.lead)
    url = reverse("franchise:document_upload", args=[network.unit.code])
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("franchise:unit_documents", args=[network.unit.code])).status_code == 200
    )


# Downloads --------------------------------------------------------------------------------


def test_download_headers_and_audit(network, client_for, unit_document):
    response = client_for(network.owner).get(
        reverse("documents:download", args=[unit_document.pk, 1])
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "act.pdf" in response["Content-Disposition"]
    assert "private" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    event = AuditEvent.objects.get(action="download")
    assert event.actor == network.owner and event.unit == network.unit
    assert event.target == f"document:{unit_document.pk}:v1"


def test_download_through_x_accel_redirect(network, client_for, unit_document, settings):
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = "/protected/"
    response = client_for(network.owner).get(
        reverse("documents:download", args=[unit_document.pk, 1])
    )
    version = unit_document.current_version
    assert response["X-Accel-Redirect"] == "/protected/" + version.file.name
    assert response.content == b""
    assert response["Content-Disposition"].startswith("attachment;")
    assert "private" in response["Cache-Control"]


def test_files_are_stored_outside_media_root(network, unit_document, settings):
    path = unit_document.current_version.file.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))
    assert "act.pdf" not in path  # stored under a random name
    with pytest.raises(ValueError):
        unit_document.current_version.file.url  # noqa: B018


# Upload checks ----------------------------------------------------------------------------

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def _polyglot_png() -> bytes:
    # A valid PNG with a page in a text chunk and another glued after its end.
    png = make_png()
    return png + b"<html><script>alert(1)</script></html>"


def _polyglot_png_chunk() -> bytes:
    import zlib

    png = make_png()
    payload = b"Comment\x00<script>alert(1)</script>"
    chunk = (
        len(payload).to_bytes(4, "big")
        + b"tEXt"
        + payload
        + zlib.crc32(b"tEXt" + payload).to_bytes(4, "big")
    )
    return png[:33] + chunk + png[33:]


def _zip_named_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a document")
    return buffer.getvalue()


BAD_UPLOADS = [
    ("html_as_pdf", "price-list.pdf", HTML, "web page markup"),
    ("png_html_polyglot", "photo.png", _polyglot_png, "web page markup"),
    ("png_trailing_data", "photo.png", lambda: make_png() + b"PK\x03\x04 zip", "extra data"),
    ("png_chunk_polyglot", "photo.png", _polyglot_png_chunk, "web page markup"),
    ("exe", "setup.exe", b"MZ\x90\x00" + b"\x00" * 200, "Programs and scripts"),
    ("exe_as_pdf", "act.pdf", b"MZ\x90\x00" + b"\x00" * 200, "Programs and scripts"),
    ("elf", "tool.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "Programs and scripts"),
    ("empty", "act.pdf", b"", "empty"),
    ("svg", "logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "cannot be uploaded"),
    ("svg_as_png", "logo.png", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "web page"),
    ("html_ext", "page.html", b"hello", "cannot be uploaded. Allowed"),
    ("text_as_pdf", "act.pdf", b"just some words", "not a real .pdf"),
    ("zip_as_docx", "contract.docx", _zip_named_docx, "not a real .docx"),
    ("pdf_as_png", "photo.png", lambda: make_pdf("x"), "not a real .png"),
]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [(b[1], b[2], b[3]) for b in BAD_UPLOADS],
    ids=[b[0] for b in BAD_UPLOADS],
)
def test_bad_uploads_are_refused_with_a_message_and_nothing_stored(
    network, client_for, settings, name, data, message
):
    data = data() if callable(data) else data
    response = client_for(network.owner).post(
        reverse("franchise:document_upload", args=[network.unit.code]),
        {"title": "Suspicious", "folder": "uploads", "file": upload(name, data)},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert any(message in e for e in errors), errors
    html = response.content.decode()
    assert 'class="field__error"' in html
    assert not Document.objects.exists()
    assert not DocumentVersion.objects.exists()
    assert private_files(settings) == []


def test_oversize_upload_is_refused(network, client_for, settings):
    settings.DOCUMENTS_MAX_UPLOAD_SIZE = 1000
    response = client_for(network.owner).post(
        reverse("franchise:document_upload", args=[network.unit.code]),
        {"title": "Big", "folder": "uploads", "file": upload("big.pdf", make_pdf("x" * 3000))},
    )
    errors = response.context["form"].errors["file"]
    assert "too large" in errors[0]
    assert not Document.objects.exists() and private_files(settings) == []


@pytest.mark.parametrize(
    ("name", "maker"),
    [
        ("act.pdf", lambda: make_pdf("x")),
        ("contract.docx", lambda: make_docx("x")),
        ("figures.xlsx", lambda: make_xlsx("x")),
        ("photo.png", make_png),
        ("list.csv", lambda: "код;название\n1;хлеб\n".encode()),
        ("notes.txt", lambda: "Заметка".encode("cp1251")),
    ],
)
def test_good_uploads_pass(name, maker):
    result = checked(name, maker())
    assert result.extension == name.rsplit(".", 1)[1]


# Upload, search inside files ----------------------------------------------------------------


def test_upload_and_full_text_search_inside_pdf_and_docx(
    network, client_for, django_capture_on_commit_callbacks
):
    owner = client_for(network.owner)
    url = reverse("franchise:document_upload", args=[network.unit.code])
    with django_capture_on_commit_callbacks(execute=True):
        r1 = owner.post(
            url,
            {
                "title": "Signed act",
                "folder": "invoices",
                "tags": "acts, 2026",
                "file": upload("act-03.pdf", make_pdf("Quokkaberry delivery accepted")),
            },
        )
        r2 = owner.post(
            url,
            {
                "title": "Lease",
                "folder": "contracts",
                "file": upload("lease.docx", make_docx("The tenant Zephyrquill agrees")),
            },
        )
        r3 = client_for(network.other_member).post(
            reverse("franchise:document_upload", args=[network.other_unit.code]),
            {
                "title": "Their act",
                "folder": "invoices",
                "file": upload("their.pdf", make_pdf("Quokkaberry Zephyrquill elsewhere")),
            },
        )
    assert r1.status_code == r2.status_code == r3.status_code == 302
    assert set(DocumentVersion.objects.values_list("text_status", flat=True)) == {"done"}
    # The manager was told about the unit's upload.
    assert Notification.objects.filter(user=network.manager, kind="document").count() == 2

    search = reverse("documents:search")
    assert _titles(owner.get(search, {"q": "quokkaberry"})) == ["Signed act"]
    assert _titles(owner.get(search, {"q": "ZEPHYRQUILL"})) == ["Lease"]
    assert _titles(owner.get(search, {"q": "delivery quokkaberry"})) == ["Signed act"]
    unit_list = reverse("franchise:unit_documents", args=[network.unit.code])
    assert _titles(owner.get(unit_list, {"q": "tenant"})) == ["Lease"]
    assert _titles(owner.get(unit_list, {"tag": "acts"})) == ["Signed act"]
    # The other unit's owner finds only their own file.
    other = client_for(network.other_member)
    assert _titles(other.get(search, {"q": "quokkaberry"})) == ["Their act"]
    # A manager of another portfolio finds nothing of this unit.
    other_manager = client_for(network.other_manager)
    assert _titles(other_manager.get(search, {"q": "zephyrquill"})) == ["Their act"]
    # Nor by asking for the unit's folder directly.
    assert other_manager.get(unit_list, {"q": "tenant"}).status_code == 404


def _titles(response) -> list[str]:
    assert response.status_code == 200
    return [d.title for d in response.context["page"]]


def test_text_inside_xlsx_is_searchable(network, django_capture_on_commit_callbacks):
    from franchise.documents.selectors import document_list

    with django_capture_on_commit_callbacks(execute=True):
        create_document(
            network.unit,
            network.owner,
            title="Figures",
            name="f.xlsx",
            data=make_xlsx("Брусничный пирог"),
        )
    assert [d.title for d in document_list(network.owner, q="брусничный")] == ["Figures"]


# Versions and must-read ------------------------------------------------------------------


def test_acknowledgement_once_per_person_and_version(
    network, client_for, unit_document, django_capture_on_commit_callbacks
):
    owner = client_for(network.owner)
    ack = reverse("documents:acknowledge", args=[unit_document.pk])
    assert owner.post(ack).status_code == 302
    assert owner.post(ack).status_code == 302
    assert DocumentAcknowledgement.objects.filter(user=network.owner).count() == 1
    detail = owner.get(reverse("documents:detail", args=[unit_document.pk])).content.decode()
    assert "You confirmed reading this version." in detail

    # A new version keeps the old one and asks again.
    manager = client_for(network.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(
            reverse("documents:version_upload", args=[unit_document.pk]),
            {"file": upload("act-v2.pdf", make_pdf("second")), "note": "Prices updated"},
        )
    assert response.status_code == 302
    unit_document.refresh_from_db()
    assert unit_document.current_version.number == 2
    assert unit_document.versions.count() == 2
    detail = owner.get(reverse("documents:detail", args=[unit_document.pk])).content.decode()
    assert "I have read this document" in detail and "act.pdf" in detail
    assert owner.get(reverse("documents:download", args=[unit_document.pk, 1])).status_code == 200
    assert Notification.objects.filter(user=network.owner, title__startswith="New version").exists()
    owner.post(ack)
    client_for(network.member).post(ack)
    assert DocumentAcknowledgement.objects.filter(user=network.owner).count() == 2
    # The franchisor sees who confirmed the current version.
    report = manager.get(reverse("documents:acknowledgements", args=[unit_document.pk]))
    html = report.content.decode()
    assert report.status_code == 200
    assert "2 of 2 people confirmed" in html
    assert network.owner.get_full_name() in html


# Network library ----------------------------------------------------------------------------


def test_library_audience_by_region_and_units(
    network, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        regional = services.document_create(
            unit=None,
            folder=DocumentFolder.LIBRARY,
            title="Volga price list",
            checked=checked("prices.pdf", make_pdf("prices")),
            by=network.manager,
            must_read=True,
            audience="regions",
            audience_regions=[network.region],
        )
        chosen = services.document_create(
            unit=None,
            folder=DocumentFolder.LIBRARY,
            title="Pilot menu",
            checked=checked("menu.pdf", make_pdf("menu")),
            by=network.manager,
            audience="units",
            audience_units=[network.other_unit],
        )
    assert Notification.objects.filter(user=network.owner, unit=None).count() == 1
    assert Notification.objects.filter(user=network.other_member).count() == 1
    owner, other = client_for(network.owner), client_for(network.other_member)
    html = owner.get(reverse("documents:library")).content.decode()
    assert "Volga price list" in html and "Pilot menu" not in html
    html = other.get(reverse("documents:library")).content.decode()
    assert "Pilot menu" in html and "Volga price list" not in html
    assert other.get(reverse("documents:detail", args=[regional.pk])).status_code == 404
    assert other.get(reverse("documents:download", args=[regional.pk, 1])).status_code == 404
    assert owner.get(reverse("documents:detail", args=[chosen.pk])).status_code == 404
    # Comments of one unit on a shared document stay between it and the franchisor.
    other.post(reverse("documents:comment", args=[chosen.pk]), {"text": "Our secret remark"})
    assert DocumentComment.objects.filter(unit=network.other_unit).count() == 1
    html = client_for(network.manager).get(reverse("documents:detail", args=[chosen.pk]))
    assert "Our secret remark" in html.content.decode()
    # The franchisor's acknowledgement report of the regional list.
    owner.post(reverse("documents:acknowledge", args=[regional.pk]))
    report = client_for(network.manager).get(
        reverse("documents:acknowledgements", args=[regional.pk])
    )
    assert "1 of 2 people confirmed" in report.content.decode()
    assert owner.get(reverse("documents:acknowledgements", args=[regional.pk])).status_code == 404


def test_library_comments_are_not_seen_by_other_units(network, client_for):
    shared = services.document_create(
        unit=None,
        folder=DocumentFolder.LIBRARY,
        title="Brand book",
        checked=checked("brand.pdf", make_pdf("brand")),
        by=network.manager,
    )
    client_for(network.owner).post(
        reverse("documents:comment", args=[shared.pk]), {"text": "Our own question"}
    )
    assert DocumentComment.objects.get().unit == network.unit
    html = client_for(network.other_member).get(reverse("documents:detail", args=[shared.pk]))
    assert html.status_code == 200
    assert "Our own question" not in html.content.decode()


def test_only_staff_publish_to_the_library(network, client_for):
    for who in [network.owner, network.lead, network.other_member]:
        assert client_for(who).get(reverse("documents:library_new")).status_code == 404
    response = client_for(network.manager).post(
        reverse("documents:library_new"),
        {
            "title": "Standards",
            "file": upload("std.pdf", make_pdf("std")),
            "audience": "units",
            "audience_units": "NOPE-1",
        },
    )
    assert response.status_code == 200
    assert "Unknown unit codes: NOPE-1." in response.content.decode()
    assert not Document.objects.exists()


# Query counts -------------------------------------------------------------------------------


def _queries(client, url) -> int:
    """Queries of a page in its steady state: the cabinet shell caches its fragments under data
    versions, which a request's own writes (session, last login) can move once more."""
    client.get(url)
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_document_lists_have_constant_query_counts(network, client_for):
    owner = client_for(network.owner)
    urls = [
        reverse("franchise:unit_documents", args=[network.unit.code]),
        reverse("documents:library"),
        reverse("documents:search") + "?q=act",
    ]
    create_document(network.unit, network.owner, tags=["a"])
    services.document_create(
        unit=None,
        folder=DocumentFolder.LIBRARY,
        title="Act library",
        checked=checked("lib.pdf", make_pdf("x")),
        by=network.manager,
        must_read=True,
    )
    few = [_queries(owner, url) for url in urls]
    for i in range(12):
        create_document(network.unit, network.owner, title=f"Act {i}", tags=[f"t{i}", "x"])
        services.document_create(
            unit=None,
            folder=DocumentFolder.LIBRARY,
            title=f"Act lib {i}",
            checked=checked("lib.pdf", make_pdf("x")),
            by=network.manager,
            must_read=bool(i % 2),
        )
    assert [_queries(owner, url) for url in urls] == few


def test_editors_keep_categories_in_the_admin(network, client_for):
    url = reverse("document_categories:index")
    editor = client_for(network.editor)
    assert editor.get(url).status_code == 200
    response = editor.post(
        reverse("document_categories:add"), {"name_en": "Price lists", "name_ru": "Прайс-листы"}
    )
    assert response.status_code == 302
    category = DocumentCategory.objects.get(name_en="Price lists")
    # The name is read in the language of the interface, English the fallback.
    with translation.override("ru"):
        assert str(category) == "Прайс-листы"
    assert str(category) == "Price lists"
    assert client_for(network.owner).get(url).status_code in (302, 403)


def test_cleanup_deletes_only_unreferenced_files(network, settings, unit_document):
    from django.core.management import call_command

    stray = settings.PRIVATE_MEDIA_ROOT / "documents" / "KZN-001" / "stray.pdf"
    stray.write_bytes(b"%PDF-1.4 left by a rolled-back upload")
    other_app = settings.PRIVATE_MEDIA_ROOT / "kb" / "keep.pdf"
    other_app.parent.mkdir(parents=True)
    other_app.write_bytes(b"%PDF-1.4")
    call_command("documents_cleanup", older_than_hours=0, stdout=io.StringIO())
    assert not stray.exists()
    assert other_app.exists()
    assert unit_document.current_version.file.storage.exists(
        unit_document.current_version.file.name
    )
