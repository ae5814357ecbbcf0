"""Model permissions come from the shared cache, and follow a change of groups at once."""

from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from franchise import access
from portal.models import User


def fresh(user):
    return User.objects.get(pk=user.pk)  # as the next request loads them


def test_network_right_cached_and_follows_group_changes(network):
    person = network.stranger
    assert not fresh(person).has_perm("franchise.view_unit")
    with CaptureQueriesContext(connection) as ctx:
        again = fresh(person)
        assert not again.has_perm("franchise.view_unit")
    assert [q for q in ctx.captured_queries if "auth_permission" in q["sql"]] == []

    leads = Group.objects.get(name=access.NETWORK_LEADS)
    person.groups.add(leads)
    assert fresh(person).has_perm("franchise.view_unit")
    person.groups.remove(leads)
    assert not fresh(person).has_perm("franchise.view_unit")


def test_inactive_person_has_no_permissions(network):
    lead = fresh(network.lead)
    assert lead.has_perm("franchise.view_unit")
    User.objects.filter(pk=lead.pk).update(is_active=False)
    assert not fresh(lead).has_perm("franchise.view_unit")
