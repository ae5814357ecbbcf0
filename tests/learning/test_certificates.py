import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from learning import services
from learning.models import Certificate


@pytest.fixture
def certificate(network, catalogue):
    network.member.full_name = "Ольга Соколова"
    network.member.save()
    return services.certificate_issue(
        user=network.member, course=catalogue.course, unit=network.unit
    )


def test_pdf_has_the_cyrillic_name_course_and_code(certificate, network, client_for):
    response = client_for(network.member).get(
        reverse("learning:certificate_pdf", args=[certificate.code])
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Ольга Соколова" in text
    assert certificate.code in text
    assert "Пищевая безопасность" in text
    assert f"/learn/verify/{certificate.code}/" in text


def test_verification_is_public_and_exact(certificate, client_for):
    response = client_for(None).get(reverse("learning:verify", args=[certificate.code]))
    assert response.status_code == 200
    assert "Ольга Соколова" in response.content.decode() and "Valid" in response.content.decode()
    fake = client_for(None).get(reverse("learning:verify", args=["ABCD-EFGH-JKLM"]))
    assert fake.status_code == 404


def test_codes_are_unique(network, catalogue):
    codes = {
        services.certificate_issue(user=network.member, course=catalogue.course).code
        for _ in range(20)
    }
    assert len(codes) == 20 == Certificate.objects.count()


@pytest.mark.parametrize(
    "who, status",
    [
        ("member", 200),
        ("manager", 200),
        ("owner", 200),
        ("other_member", 404),
        ("other_manager", 404),
        ("stranger", 404),
        (None, 302),
    ],
)
def test_pdf_access(certificate, network, client_for, who, status):
    client = client_for(getattr(network, who) if who else None)
    response = client.get(reverse("learning:certificate_pdf", args=[certificate.code]))
    assert response.status_code == status
