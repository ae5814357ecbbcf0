"""The issue's "done when": an owner assigns food safety to new staff, the staff member passes
it, gets the PDF certificate, and the manager sees the matrix turn green and exports it."""

import io
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from franchise import access
from franchise.models import Role
from learning.models import Attempt, Certificate
from tests import factories
from tests.learning.conftest import RIGHT_POST


def _pass(client, page, user):
    url = client.post(reverse("learning:quiz_start", args=[page.pk])).url
    attempt = Attempt.objects.filter(user=user, page_id=page.pk).order_by("-number").first()
    entry = next(e for e in attempt.drawn if e["id"] == "q-match")
    matching = {f"q-q-match-{pid}": token for token, pid in entry["rights"]}
    return client.post(url, {**RIGHT_POST, **matching, "action": "submit"})


def test_owner_assigns_staff_passes_manager_sees_green(network, catalogue, client_for):
    owner, manager = client_for(network.owner), client_for(network.manager)
    response = owner.post(
        reverse("learning:assign"),
        {
            "course": catalogue.course.pk,
            "units": [network.unit.pk],
            "roles": [Role.MEMBER],
            "due_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
        },
    )
    assert response.status_code == 302
    newcomer = factories.UserFactory(username="new_staff", full_name="Пётр Иванов")
    access.grant_role(newcomer, network.unit, Role.MEMBER)
    matrix = manager.get(reverse("learning:matrix")).content.decode()
    assert "0/2" in matrix  # the member and the newcomer

    staff = client_for(newcomer)
    phone = {"HTTP_USER_AGENT": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)"}
    assert (
        "Пищевая безопасность"
        in staff.get(reverse("learning:my_learning"), **phone).content.decode()
    )
    staff.post(reverse("learning:lesson_done", args=[catalogue.lesson1.pk]), **phone)
    _pass(staff, catalogue.lesson2, newcomer)
    result = _pass(staff, catalogue.course, newcomer)
    certificate = Certificate.objects.get(user=newcomer)
    page = staff.get(result.url).content.decode()
    assert reverse("learning:certificate_pdf", args=[certificate.code]) in page
    pdf = staff.get(reverse("learning:certificate_pdf", args=[certificate.code]))
    assert "Пётр Иванов" in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()

    assert 'badge--due">1/2' in manager.get(reverse("learning:matrix")).content.decode()
    # the other staff member finishes too: the cell turns green
    member = client_for(network.member)
    member.post(reverse("learning:lesson_done", args=[catalogue.lesson1.pk]))
    _pass(member, catalogue.lesson2, network.member)
    _pass(member, catalogue.course, network.member)
    matrix = manager.get(reverse("learning:matrix")).content.decode()
    assert 'badge--ok">2/2' in matrix
    export = manager.get(reverse("learning:matrix") + "?export=csv").content.decode()
    assert "KZN-001" in export and ",2,2,0" in export
