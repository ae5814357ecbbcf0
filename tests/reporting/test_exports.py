"""PDF text (pypdf) with the unit's Cyrillic name and figures; CSV/XLSX of the tables shown;
the network summary made by a background job with progress and a private download."""

import csv
import io

import pypdf
from openpyxl import load_workbook

from franchise.models import AuditEvent
from reporting.models import ExportJob

from .conftest import form_url, report


def _pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_unit_report_pdf_has_cyrillic_name_and_figures(network, client_for, sales, period):
    report(network.unit, sales, period.previous(), revenue=90000, receipts=300, staff=6)
    report(network.unit, sales, period, revenue=123456, receipts=400, staff=7)
    response = client_for(network.owner).get(form_url(network.unit, sales, period) + "pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"].startswith("private")
    text = _pdf_text(response.content)
    assert "Хлебный двор Казань" in text
    assert "123 456" in text or "123456" in text
    assert "90" in text and "Revenue" in text
    assert AuditEvent.objects.filter(action="download", unit=network.unit).exists()


def test_network_summary_pdf_job(
    network, client_for, sales, period, django_capture_on_commit_callbacks
):
    from tests.factories import UnitFactory

    report(network.unit, sales, period, revenue=5000, receipts=10, staff=2)
    for revenue in (1000, 3000):
        unit = UnitFactory(region=network.region, trading_name=f"Пекарня {revenue}")
        report(unit, sales, period, revenue=revenue, receipts=10, staff=2)
    client = client_for(network.lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/reports/network/pdf/", {"template": "sales", "period": period.key})
    job = ExportJob.objects.get()
    assert job.status == "done" and job.progress == 100  # eager Celery in tests
    status = client.get(response["Location"]).content.decode()
    assert f"/reports/jobs/{job.pk}/download/" in status
    download = client.get(f"/reports/jobs/{job.pk}/download/")
    assert download["Cache-Control"] == "private, no-store"
    text = _pdf_text(b"".join(download.streaming_content))
    assert "Хлебный двор Казань" in text and "Пекарня 3000" in text
    assert "3 000" in text or "3000" in text  # the median revenue


def test_job_status_page_refreshes_while_running(network, client_for):
    job = ExportJob.objects.create(
        user=network.lead, kind="summary_pdf", progress=40, status="running"
    )
    html = client_for(network.lead).get(f"/reports/jobs/{job.pk}/").content.decode()
    assert (
        'http-equiv="refresh"' in html and '<progress class="progress" max="100" value="40"' in html
    )


def test_csv_and_xlsx_of_tables(network, client_for, sales, period):
    report(network.unit, sales, period, revenue=5000, receipts=10, staff=2)
    client = client_for(network.manager)
    queue = client.get("/reports/review/?format=csv")
    rows = list(csv.reader(io.StringIO(queue.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Unit" and "Хлебный двор Казань" in rows[1][0]
    ranking = client.get(
        f"/reports/network/?template=sales&field=revenue&period={period.key}"
        "&table=ranking&format=xlsx"
    )
    sheet = load_workbook(io.BytesIO(ranking.content)).active
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert values[1][2] == 5000 and "Хлебный двор Казань" in values[1][0]
    late = client.get(f"/reports/late/?template=sales&period={period.key}&format=csv")
    assert late.status_code == 200 and late["Content-Type"].startswith("text/csv")
    mine = client_for(network.owner).get(f"/reports/u/{network.unit.code}/?format=xlsx")
    assert mine.status_code == 200
    trend = client_for(network.owner).get(f"/reports/u/{network.unit.code}/analytics/?format=csv")
    assert "Revenue" in trend.content.decode("utf-8-sig")


def test_csv_cells_cannot_run_formulas():
    from reporting.exports import csv_bytes

    data = csv_bytes(["a"], [['=HYPERLINK("x")'], ["-5"]]).decode("utf-8-sig")
    assert "'=HYPERLINK" in data and "\n-5" in data.replace("\r", "")
