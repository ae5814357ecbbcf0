"""The network table: filters with errors next to the field, sorting, the background PDF."""

import io

import pytest

from reporting.models import ExportJob

from .conftest import report_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(network, sales):
    report_all(network.unit, sales, skip=(0, 1), revenue=100, receipts=10)
    report_all(network.other_unit, sales, revenue=90, receipts=10)
    return network


def codes(html):
    import re

    return re.findall(r'data-code="([^"]+)"', html)


def test_filter_by_measure_status_region_and_manager(data, client_for):
    client = client_for(data.lead)
    assert codes(client.get("/network/?measure=missing&min=1").content.decode()) == ["KZN-001"]
    assert codes(client.get("/network/?status=red").content.decode()) == ["KZN-001"]
    region = f"/network/?region={data.other_region.pk}"
    assert codes(client.get(region).content.decode()) == ["EKB-001"]
    manager = f"/network/?manager={data.other_manager.pk}"
    assert codes(client.get(manager).content.decode()) == ["EKB-001"]
    assert codes(client.get("/network/?measure=on_time_rate&max=90").content.decode()) == [
        "KZN-001"
    ]


def test_bad_range_is_explained_next_to_the_field(data, client_for):
    html = client_for(data.lead).get("/network/?measure=late&min=5&max=1").content.decode()
    assert "The upper bound is below the lower bound." in html
    html = client_for(data.lead).get("/network/?min=5").content.decode()
    assert "Choose the measure the range applies to." in html


def test_sorting(data, client_for):
    client = client_for(data.lead)
    assert codes(client.get("/network/?sort=code").content.decode()) == ["EKB-001", "KZN-001"]
    assert codes(client.get("/network/?sort=-code").content.decode()) == ["KZN-001", "EKB-001"]
    # Default: the worst first.
    assert codes(client.get("/network/").content.decode())[0] == "KZN-001"
    assert codes(client.get("/network/?sort=-key_value").content.decode())[0] == "EKB-001"


def test_large_network_pdf_goes_through_a_job(
    data, client_for, settings, django_capture_on_commit_callbacks
):
    from pypdf import PdfReader

    settings.NETWORK_PDF_SYNC_UNITS = 1  # the lead's two units are over the limit
    lead = client_for(data.lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = lead.post("/network/pdf/")
    job = ExportJob.objects.get(user=data.lead)
    assert response.status_code == 302 and response["Location"] == f"/reports/jobs/{job.pk}/"
    assert job.status == ExportJob.Status.DONE and job.kind == "network_pdf"
    download = lead.get(f"/reports/jobs/{job.pk}/download/")
    data_bytes = b"".join(download.streaming_content)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data_bytes)).pages)
    assert "KZN-001" in text and "EKB-001" in text
    # Another person's job is not theirs to see.
    assert client_for(data.manager).get(f"/reports/jobs/{job.pk}/").status_code == 404
