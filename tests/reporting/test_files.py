"""A file field: stored privately, kept on later saves, served only to the unit's people."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from reporting.models import Submission, Value

from .conftest import form_url, make_template

FIELDS = [
    {"key": "visits", "label": "Visits", "kind": "integer", "min_value": 0},
    {"key": "audit", "label": "Audit report", "kind": "file"},
]


def test_file_is_private_and_kept_between_saves(network, client_for, period, settings):
    template = make_template(slug="audit", fields=FIELDS)
    client = client_for(network.owner)
    url = form_url(network.unit, template, period)
    client.post(
        url,
        {"visits": "5", "action": "save", "audit": SimpleUploadedFile("акт.pdf", b"%PDF-1.4 x")},
    )
    value = Value.objects.get(field_key="audit")
    stored = Path(settings.PRIVATE_MEDIA_ROOT) / "reporting" / value.file.name
    assert stored.is_file() and not str(stored).startswith(str(settings.MEDIA_ROOT))
    # Submitting without a new upload keeps the file and satisfies "required".
    client.post(url, {"visits": "6", "action": "submit"})
    sub = Submission.objects.get()
    assert sub.status == "submitted"
    assert Value.objects.get(field_key="audit").file.name == value.file.name
    download = client.get(f"/reports/files/{value.pk}/")
    assert download.status_code == 200 and download["Cache-Control"] == "private, no-store"
    assert b"".join(download.streaming_content) == b"%PDF-1.4 x"
    for user in (network.other_member, network.other_manager, network.stranger):
        assert client_for(user).get(f"/reports/files/{value.pk}/").status_code == 404
    assert client_for(None).get(f"/reports/files/{value.pk}/").status_code == 302


def test_required_file_missing_is_an_error(network, client_for, period):
    template = make_template(slug="audit", fields=FIELDS)
    response = client_for(network.owner).post(
        form_url(network.unit, template, period), {"visits": "5", "action": "submit"}
    )
    assert "Fill in Audit report." in response.content.decode()
    assert not Submission.objects.exists()
