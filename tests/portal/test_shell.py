"""The public landing page, the health check and the cabinet shell in both languages."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from franchise import access
from tests.factories import UnitFactory, manager_of


def test_landing_page_shows_login_form(client, db):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="username"' in html and 'name="password"' in html
    assert 'action="/accounts/login/"' in html


def test_landing_sends_signed_in_users_to_their_cabinet(network, client_for):
    response = client_for(network.member).get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_healthz_reports_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_admin_is_for_staff_only(network, client_for):
    assert client_for(network.member).get("/admin/").status_code == 302
    assert client_for(network.editor).get("/admin/").status_code == 200
    assert client_for(None).get("/admin/").status_code == 302


@pytest.mark.parametrize(
    ("person", "target"),
    [
        ("member", "/units/KZN-001/"),
        ("manager", "/units/portfolio/"),
        ("lead", "/units/portfolio/"),
        ("editor", "/admin/"),
    ],
)
def test_dashboard_lands_each_role(network, client_for, person, target):
    response = client_for(getattr(network, person)).get(reverse("dashboard"))
    assert response["Location"] == target


def test_user_without_unit_is_told_what_to_do(network, client_for):
    response = client_for(network.stranger).get(reverse("dashboard"))
    assert response.status_code == 200
    assert "not attached to a unit" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["Dashboard", "Sign out", "Your account manager"]),
        ("ru", ["Главная", "Выйти", "Ваш менеджер"]),
    ],
)
def test_cabinet_pages_in_both_languages(network, client_for, language, expected):
    client = client_for(network.owner)
    client.cookies["django_language"] = language
    for url in [
        reverse("franchise:unit_detail", args=[network.unit.code]),
        reverse("franchise:unit_members", args=[network.unit.code]),
    ]:
        html = client.get(url).content.decode()
        assert f'lang="{language}"' in html
        for text in expected[:2]:
            assert text in html
    html = client.get(reverse("franchise:unit_detail", args=[network.unit.code])).content.decode()
    assert expected[2] in html


def test_unit_switcher_changes_current_unit(network, client_for):
    access.grant_role(network.owner, network.other_unit, "member")
    client = client_for(network.owner)
    page = client.get(reverse("franchise:unit_detail", args=[network.unit.code])).content.decode()
    assert 'id="unit-switch"' in page
    response = client.post(reverse("franchise:switch_unit"), {"unit": network.other_unit.code})
    assert response.status_code == 302
    assert client.get(reverse("dashboard"))["Location"] == f"/units/{network.other_unit.code}/"
    # A unit the user is not in cannot be switched to.
    outsider = client_for(network.member)
    assert (
        outsider.post(
            reverse("franchise:switch_unit"), {"unit": network.other_unit.code}
        ).status_code
        == 404
    )


def _count_unit_list_queries(client):
    client.get(reverse("franchise:unit_list"))  # warm caches (content types, site, profile)
    cache.clear()  # but count the uncached shell
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("franchise:unit_list"))
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.django_db
def test_unit_list_query_count_does_not_grow(client):
    units = UnitFactory.create_batch(3)
    manager = manager_of(*units)
    client.force_login(manager)
    few, response = _count_unit_list_queries(client)
    assert response.context["page"].paginator.count == 3
    manager_of_more = UnitFactory.create_batch(57)
    for unit in manager_of_more:
        access.set_account_manager(unit, manager)
    many, response = _count_unit_list_queries(client)
    assert response.context["page"].paginator.count == 60
    assert few == many


def test_unit_list_is_scoped_and_filtered(network, client_for):
    html = client_for(network.manager).get(reverse("franchise:unit_list")).content.decode()
    assert network.unit.code in html and network.other_unit.code not in html
    lead = client_for(network.lead)
    html = lead.get(
        reverse("franchise:unit_list"), {"region": network.other_region.pk}
    ).content.decode()
    assert network.other_unit.code in html and network.unit.code not in html
    assert (
        client_for(network.member)
        .get(reverse("franchise:unit_list"))
        .context["page"]
        .paginator.count
        == 1
    )
