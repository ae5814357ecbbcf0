"""A manager sees only their portfolio in every page, export and admin report; a network lead
sees all; franchisees and anonymous visitors see none of it."""

import io

import pytest

from .conftest import active, report_all

pytestmark = pytest.mark.django_db

PAGES = [
    "/network/",
    "/network/charts/",
    "/network/compare/",
    "/network/adoption/",
    "/network/digest/",
    "/network/u/KZN-001/",
]
ADMIN_REPORTS = [
    "/admin/reports/network/units-overdue-reports/",
    "/admin/reports/network/training-compliance/",
    "/admin/reports/network/adoption-by-region/",
]


@pytest.fixture
def data(network, sales):
    report_all(network.unit, sales, skip=(0,), revenue=100, receipts=10)
    report_all(network.other_unit, sales, skip=(0,), revenue=90, receipts=10)
    active(network.owner, network.unit)
    return network


def test_manager_sees_only_the_portfolio(data, client_for):
    client = client_for(data.manager)
    for url in PAGES[:-1]:
        html = client.get(url).content.decode()
        assert "EKB-001" not in html, url
    html = client.get("/network/").content.decode()
    assert 'data-code="KZN-001"' in html
    assert client.get("/network/u/KZN-001/").status_code == 200
    assert client.get("/network/u/EKB-001/").status_code == 404
    csv = client.get("/network/?format=csv").content.decode()
    assert "KZN-001" in csv and "EKB-001" not in csv
    xlsx = client.get("/network/?format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    charts = client.get("/network/charts/?unit=EKB-001").content.decode()
    assert "No unit with this code in your portfolio." in charts
    compare = client.get("/network/compare/?u0=KZN-001&u1=EKB-001").content.decode()
    assert "No unit with this code in your portfolio." in compare


def test_manager_admin_reports_and_exports_are_scoped(data, client_for):
    client = client_for(data.manager)
    for url in ADMIN_REPORTS:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "EKB-001" not in response.content.decode()
    csv = client.get(ADMIN_REPORTS[0] + "?export=csv").getvalue().decode()
    assert "KZN-001" in csv and "EKB-001" not in csv
    regions = client.get(ADMIN_REPORTS[2] + "?export=csv").getvalue().decode()
    assert "Поволжье" in regions and "Урал" not in regions
    home = client.get("/admin/").content.decode()
    assert "Network at a glance" in home


def test_manager_pdf_digest_is_scoped(data, client_for):
    from pypdf import PdfReader

    response = client_for(data.manager).post("/network/pdf/")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "KZN-001" in text and "EKB-001" not in text


def test_network_lead_sees_all(data, client_for):
    client = client_for(data.lead)
    html = client.get("/network/").content.decode()
    assert 'data-code="KZN-001"' in html and 'data-code="EKB-001"' in html
    assert client.get("/network/u/EKB-001/").status_code == 200
    csv = client.get(ADMIN_REPORTS[0] + "?export=csv").getvalue().decode()
    assert "KZN-001" in csv and "EKB-001" in csv
    compare = client.get("/network/compare/?u0=KZN-001&u1=EKB-001").content.decode()
    assert "compare-table" in compare


@pytest.mark.parametrize("who", ["owner", "member", "other_member", "editor", "stranger"])
def test_franchisees_and_others_get_404(data, client_for, who):
    client = client_for(getattr(data, who))
    for url in PAGES:
        assert client.get(url).status_code == 404, url
    assert client.post("/network/pdf/").status_code == 404
    for url in ADMIN_REPORTS:
        assert client.get(url).status_code in (302, 403), url
    nav = client.get("/dashboard/", follow=True).content.decode()
    assert 'href="/network/"' not in nav


def test_anonymous_goes_to_login(data, client_for):
    for url in PAGES:
        response = client_for(None).get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_nav_entry_for_managers_and_leads(data, client_for):
    for user in (data.manager, data.lead):
        html = client_for(user).get("/network/").content.decode()
        assert 'href="/network/"' in html
