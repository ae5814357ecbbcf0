"""Finance staff edit agreements in the Wagtail admin."""

import pytest
from django.urls import reverse

from franchise import access
from tests import factories

from .conftest import make_agreement

pytestmark = pytest.mark.django_db


def test_finance_staff_see_agreements_in_the_admin(network, client_for):
    make_agreement(network.unit)
    user = factories.UserFactory(username="accountant")
    user.groups.add(access.ensure_groups()[access.FINANCE])
    response = client_for(user).get(reverse("wagtailsnippets_finance_agreement:list"))
    assert response.status_code == 200
    assert "FA-KZN-001" in response.content.decode()
    assert access.keeps_books(user) and not access.keeps_books(network.manager)


def test_the_agreement_form_shows_nested_fee_rules(network, client_for):
    user = factories.UserFactory(username="accountant", is_superuser=True)
    response = client_for(user).get(reverse("wagtailsnippets_finance_agreement:add"))
    assert response.status_code == 200
    assert "rules-FORMS" in response.content.decode()
