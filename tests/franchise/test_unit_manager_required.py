"""Every unit has a responsible account manager: required when a unit is created, and the lead
sees the units that have lost theirs (a manager's account removed) on the network page."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from franchise.models import Franchisee
from tests import factories


def _unit_form(network, **extra):
    return {
        "code": "NEW-001",
        "status": "active",
        "trading_name": "Новый двор",
        "legal_name": 'ООО "Новый двор"',
        "inn": "",
        "kpp": "",
        "region": network.region.pk,
        "city": "Казань",
        "address": "ул. Новая, 1",
        "phone": "",
        "email": "",
        "opened_on": "",
        **extra,
    }


@pytest.fixture
def creator(network):
    network.lead.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_franchisee", "change_franchisee"])
    )
    return network.lead


def test_a_unit_cannot_be_created_without_a_manager(network, creator, client_for):
    response = client_for(creator).post(reverse("units:add"), _unit_form(network))
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Franchisee.objects.filter(code="NEW-001").exists()


def test_a_unit_created_with_a_manager_is_in_his_portfolio(network, creator, client_for):
    data = _unit_form(network, account_manager=network.manager.pk)
    response = client_for(creator).post(reverse("units:add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    unit = Franchisee.objects.get(code="NEW-001")
    assert unit.account_manager == network.manager


def test_the_lead_sees_units_without_a_manager(network, client_for):
    orphan = factories.UnitFactory(code="ORPH-01", region=network.region)
    html = client_for(network.lead).get("/network/").content.decode()
    assert "1 unit has no account manager" in html
    listed = client_for(network.lead).get("/network/?manager=0").content.decode()
    assert f'data-code="{orphan.code}"' in listed
    assert f'data-code="{network.unit.code}"' not in listed


def test_a_manager_is_not_told_about_other_portfolios(network, client_for):
    factories.UnitFactory(code="ORPH-01", region=network.region)
    html = client_for(network.manager).get("/network/").content.decode()
    assert "no account manager" not in html
