"""Every person against the same unit's URLs: 200 for those with a right, 404 for the rest."""

import pytest
from django.urls import reverse

from franchise import access
from franchise.models import AuditEvent
from tests.factories import UserFactory

# person -> expected status on the unit's pages (None: anonymous, redirected to login)
EXPECTED = {
    "owner": 200,
    "member": 200,
    "manager": 200,
    "lead": 200,
    "other_member": 404,
    "other_manager": 404,
    "editor": 404,
    "stranger": 404,
    None: 302,
}

UNIT_URLS = ["franchise:unit_detail", "franchise:unit_members"]


@pytest.mark.parametrize("url_name", UNIT_URLS)
@pytest.mark.parametrize("person", list(EXPECTED))
def test_unit_pages_by_role(network, client_for, url_name, person):
    user = getattr(network, person) if person else None
    response = client_for(user).get(reverse(url_name, args=[network.unit.code]))
    assert response.status_code == EXPECTED[person]
    if person is None:
        assert response["Location"].startswith(reverse("login"))
    if response.status_code == 200:
        assert network.unit.trading_name in response.content.decode()


def test_refusal_is_audited(network, client_for):
    client_for(network.other_manager).get(
        reverse("franchise:unit_detail", args=[network.unit.code])
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.ACCESS_DENIED)
    assert event.actor == network.other_manager
    assert event.target == f"unit:{network.unit.code}"


def test_missing_unit_answers_like_a_foreign_one(network, client_for):
    client = client_for(network.member)
    assert client.get(reverse("franchise:unit_detail", args=["NOPE-1"])).status_code == 404


@pytest.mark.parametrize(
    ("person", "expected"),
    [("owner", 302), ("manager", 302), ("member", 404), ("other_manager", 404), ("lead", 404)],
)
def test_removing_a_member(network, client_for, person, expected):
    url = reverse("franchise:member_remove", args=[network.unit.code, network.member.pk])
    response = client_for(getattr(network, person)).post(url)
    assert response.status_code == expected
    still_member = access.can(network.member, "work", network.unit)
    assert still_member is (expected != 302)


def test_owner_cannot_remove_an_owner_but_the_manager_can(network, client_for):
    second_owner = access.grant_role(UserFactory(), network.unit, "owner").user
    url = reverse("franchise:member_remove", args=[network.unit.code, second_owner.pk])
    assert client_for(network.owner).post(url).status_code == 404
    assert client_for(network.manager).post(url).status_code == 302
    assert access.role_on(second_owner, network.unit) is None


def test_units_visible_to_each_role(network):
    assert set(access.units_visible_to(network.owner)) == {network.unit}
    assert set(access.units_visible_to(network.manager)) == {network.unit}
    assert set(access.units_visible_to(network.lead)) == {network.unit, network.other_unit}
    assert list(access.units_visible_to(network.editor)) == []
    assert set(access.units_visible_to(network.manager, "review")) == {network.unit}
    assert list(access.units_visible_to(network.member, "review")) == []


def test_can_and_revoke(network):
    assert access.can(network.member, "work", network.unit)
    assert not access.can(network.member, "manage_members", network.unit)
    assert access.can(network.owner, "manage_members", network.unit)
    assert access.can(network.lead, "view", network.other_unit)
    assert not access.can(network.lead, "review", network.unit)
    access.revoke_role(network.member, network.unit)
    assert not access.can(network.member, "view", network.unit)
    assert AuditEvent.objects.filter(action="revoke", target=network.member.username).exists()


def test_user_in_several_units(network):
    access.grant_role(network.owner, network.other_unit, "member")
    assert set(access.units_visible_to(network.owner)) == {network.unit, network.other_unit}
    assert access.can(network.owner, "manage_members", network.unit)
    assert not access.can(network.owner, "manage_members", network.other_unit)


def test_account_manager_change_moves_rights(network):
    access.set_account_manager(network.unit, network.other_manager)
    assert not access.can(network.manager, "view", network.unit)
    assert access.can(network.other_manager, "review", network.unit)
    network.unit.refresh_from_db()
    assert network.unit.account_manager == network.other_manager
