"""Training matrix, drill-down, exports, the dashboard block and traffic lights; query counts."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from franchise.models import Role
from learning import dashboard, services
from learning.models import CoursePage
from portal.dashboard import RED
from tests import factories


def _today():
    return timezone.localdate()


@pytest.fixture
def assigned(network, catalogue):
    """Food safety due in a week for the unit: the owner has finished, the member not; the
    other unit's course was due yesterday."""
    services.assignment_create(
        by=network.manager,
        course=catalogue.course,
        due_on=_today() + timedelta(days=7),
        units=[network.unit],
    )
    services.assignment_create(
        by=network.other_manager,
        course=catalogue.course,
        due_on=_today() - timedelta(days=1),
        units=[network.other_unit],
    )
    services.certificate_issue(user=network.owner, course=catalogue.course, unit=network.unit)
    return catalogue.course


def test_matrix_counts_and_scope(assigned, network, client_for):
    html = client_for(network.manager).get(reverse("learning:matrix")).content.decode()
    assert "KZN-001" in html and "EKB-001" not in html
    assert "1/2" in html  # one of two done
    lead = client_for(network.lead).get(reverse("learning:matrix")).content.decode()
    assert "KZN-001" in lead and "EKB-001" in lead and "1 overdue" in lead


def test_drill_down_lists_people(assigned, network, client_for):
    response = client_for(network.manager).get(reverse("learning:matrix_unit", args=["KZN-001"]))
    html = response.content.decode()
    assert network.member.get_full_name() in html and network.owner.get_full_name() in html
    assert "Completed" in html


@pytest.mark.parametrize("who", ["other_manager", "other_member", "member", "stranger", None])
def test_matrix_access(assigned, network, client_for, who):
    client = client_for(getattr(network, who) if who else None)
    drill = client.get(reverse("learning:matrix_unit", args=["KZN-001"]))
    assert drill.status_code == (302 if who is None else 404)
    matrix = client.get(reverse("learning:matrix"))
    if who in ("other_manager", "other_member"):  # their own units only
        assert matrix.status_code == 200 and "KZN-001" not in matrix.content.decode()
    else:
        assert matrix.status_code == (302 if who is None else 404)


def test_owner_sees_their_unit(assigned, network, client_for):
    response = client_for(network.owner).get(reverse("learning:matrix_unit", args=["KZN-001"]))
    assert response.status_code == 200


def test_exports(assigned, network, client_for):
    client = client_for(network.lead)
    rows = list(
        csv.reader(
            io.StringIO(client.get(reverse("learning:matrix") + "?export=csv").content.decode())
        )
    )
    assert rows[0][:3] == ["Unit code", "Unit", "Course"]
    body = {r[0]: r[3:] for r in rows[1:]}
    assert body == {"KZN-001": ["2", "1", "0"], "EKB-001": ["1", "0", "1"]}
    response = client.get(reverse("learning:matrix") + "?export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert (
        values[0][0] == "Unit code"
        and ["KZN-001", "Хлебный двор Казань", "Пищевая безопасность", 2, 1, 0] in values
    )


def test_traffic_light_and_block(assigned, network):
    from franchise.models import Franchisee

    statuses = dashboard.unit_statuses(Franchisee.objects.all())
    assert statuses[network.other_unit.pk][0] == RED
    assert network.unit.pk not in statuses or statuses[network.unit.pk][0] != RED
    request = RequestFactory().get("/")
    request.user = network.member
    block = dashboard.unit_block(request, network.unit)
    assert block["summary"] == {"assigned": 2, "done": 1, "overdue": 0, "people_overdue": 0}
    assert [r["course"] for r in block["own"]] == [assigned]


def _grow(network, catalogue, n):
    """n more people in the unit, n more courses assigned, and some progress."""
    for i in range(n):
        course = catalogue.index.add_child(
            instance=CoursePage(title=f"Course {i}", slug=f"course-{i}")
        )
        services.assignment_create(
            by=network.manager,
            course=course,
            due_on=_today() + timedelta(days=i - 2),
            units=[network.unit],
        )
        person = factories.member_of(network.unit, Role.MEMBER)
        services.certificate_issue(user=person, course=course, unit=network.unit)
        services.certificate_issue(user=network.member, course=course, unit=network.unit)
        unit = factories.UnitFactory(region=network.region)
        from franchise import access

        access.set_account_manager(unit, network.manager)


def _count(client, url):
    # warm up: the cabinet shell caches its fragments under data versions, which a request's
    # own writes (session, last login) can move once more; count the steady state
    client.get(url)
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url_name", ["learning:matrix", "learning:my_learning"])
def test_query_counts_do_not_grow(assigned, network, catalogue, client_for, url_name):
    user = network.manager if url_name == "learning:matrix" else network.member
    client = client_for(user)
    few = _count(client, reverse(url_name))
    _grow(network, catalogue, 6)
    many = _count(client, reverse(url_name))
    assert few == many


def test_drill_down_and_block_query_counts(assigned, network, catalogue, client_for):
    client = client_for(network.manager)
    url = reverse("learning:matrix_unit", args=["KZN-001"])
    request = RequestFactory().get("/")
    request.user = network.member

    def block_queries():
        dashboard.unit_block(request, network.unit)  # warm up
        with CaptureQueriesContext(connection) as ctx:
            dashboard.unit_block(request, network.unit)
        return len(ctx.captured_queries)

    few = (_count(client, url), block_queries())
    _grow(network, catalogue, 5)
    assert (_count(client, url), block_queries()) == few


def test_unit_dashboard_shows_the_training_block(assigned, network, client_for):
    html = (
        client_for(network.member)
        .get(reverse("franchise:unit_detail", args=["KZN-001"]))
        .content.decode()
    )
    assert "training-block" in html and "Пищевая безопасность" in html
    assert 'class="progress"' in html
