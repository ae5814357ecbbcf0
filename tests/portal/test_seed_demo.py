from django.apps import apps
from django.core.management import call_command

from franchise import access
from franchise.models import Franchisee, Membership, Region


def _counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"portal", "franchise", "learning", "reporting", "kb"}
    }


def test_seed_demo_is_idempotent(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = _counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _counts() == first
    assert Franchisee.objects.count() == 40
    assert Region.objects.count() >= 4


def test_seed_demo_people_and_portfolios(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    for login in ["owner", "staff", "manager", "manager2", "manager3", "lead", "editor"]:
        assert users.get(username=login).check_password("franchise-demo")
    portfolios = [
        access.units_visible_to(users.get(username=m), "review").count()
        for m in ["manager", "manager2", "manager3"]
    ]
    assert sum(portfolios) == 40 and all(portfolios)
    assert not Franchisee.objects.filter(account_manager=None).exists()
    assert access.units_visible_to(users.get(username="lead")).count() == 40
    assert access.units_visible_to(users.get(username="owner")).count() == 2
    for unit in Franchisee.objects.all():
        roles = list(Membership.objects.filter(unit=unit).values_list("role", flat=True))
        assert roles.count("manager") == 1 and "owner" in roles
        assert 1 <= roles.count("member") <= 3


def test_seed_demo_large_network(db):
    call_command("seed_demo", units=300, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Franchisee.objects.count() == 300
    assert Membership.objects.filter(role="owner").count() >= 300
    assert not Franchisee.objects.filter(account_manager=None).exists()
