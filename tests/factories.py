"""factory_boy factories shared by every app's tests."""

import factory
from django.contrib.auth import get_user_model

from franchise import access
from franchise.models import Franchisee, Region, Role

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    full_name = factory.Faker("name", locale="ru_RU")
    password = factory.django.Password(PASSWORD)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"r{n}")
    name = factory.Sequence(lambda n: f"Регион {n}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Franchisee

    code = factory.Sequence(lambda n: f"U-{n:04d}")
    legal_name = factory.Sequence(lambda n: f"ООО «Хлеб {n}»")
    trading_name = factory.Sequence(lambda n: f"Хлебный двор №{n}")
    region = factory.SubFactory(RegionFactory)
    city = "Казань"
    address = "ул. Баумана, 1"


def member_of(unit, role=Role.MEMBER, **kwargs):
    """A new user holding `role` on `unit`."""
    user = UserFactory(**kwargs)
    access.grant_role(user, unit, role)
    return user


def manager_of(*units, **kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(access.ensure_groups()[access.ACCOUNT_MANAGERS])
    for unit in units:
        access.set_account_manager(unit, user)
    return user


def network_lead(**kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(access.ensure_groups()[access.NETWORK_LEADS])
    return user


def editor(**kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(access.ensure_groups()[access.EDITORS])
    return user
