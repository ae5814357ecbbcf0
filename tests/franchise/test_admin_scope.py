"""Wagtail admin screens of units are scoped: a manager sees their portfolio only."""

from django.urls import reverse

from franchise.models import AuditEvent


def test_manager_sees_only_portfolio_in_admin(network, client_for):
    client = client_for(network.manager)
    html = client.get(reverse("units:index")).content.decode()
    assert network.unit.trading_name in html
    assert network.other_unit.trading_name not in html
    assert client.get(reverse("units:edit", args=[network.other_unit.pk])).status_code == 404
    assert client.get(reverse("units:edit", args=[network.unit.pk])).status_code == 200


def test_admin_export_is_scoped(network, client_for):
    csv = client_for(network.manager).get(reverse("units:index") + "?export=csv")
    body = b"".join(csv.streaming_content).decode() if csv.streaming else csv.content.decode()
    assert network.unit.code in body and network.other_unit.code not in body


def test_lead_sees_every_unit_in_admin(network, client_for):
    html = client_for(network.lead).get(reverse("units:index")).content.decode()
    assert network.unit.trading_name in html and network.other_unit.trading_name in html


def test_members_and_editors_have_no_unit_admin(network, client_for):
    assert client_for(network.member).get(reverse("units:index")).status_code == 302
    assert client_for(network.editor).get(reverse("units:index")).status_code in (302, 403)


def test_lead_reassigns_account_manager_through_access(network, client_for):
    from django.contrib.auth.models import Permission

    network.lead.user_permissions.add(Permission.objects.get(codename="change_franchisee"))
    client = client_for(network.lead)
    url = reverse("units:edit", args=[network.unit.pk])
    unit = network.unit
    data = {
        "code": unit.code,
        "status": unit.status,
        "trading_name": unit.trading_name,
        "legal_name": unit.legal_name,
        "region": unit.region.pk,
        "city": unit.city,
        "address": unit.address,
        "phone": "",
        "email": "",
        "opened_on": "",
        "account_manager": network.other_manager.pk,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    from franchise import access

    assert access.can(network.other_manager, "review", unit)
    assert not access.can(network.manager, "view", unit)
    assert AuditEvent.objects.filter(action="revoke", target=network.manager.username).exists()
