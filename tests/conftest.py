"""Shared fixtures: a small network with every kind of person the access rules know."""

from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache

from franchise.models import Role
from tests import factories


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with empty caches: rows roll back between tests, cached pages and
    cached content types (a test may create one that the rollback removes) must too."""
    cache.clear()
    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _english_first():
    """Each test starts in the default language: a request in Russian leaves Russian active
    in the thread, and `Model(name=...)` of a translated model then fills the Russian field."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Keep the migrated data for serialized rollback on the connection class.

    Some test in the suite replaces the connection object (closing and reopening
    connections), and the new object lacks the per-object snapshot that
    ``serialized_rollback`` restores after a transactional test's flush.
    """
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        contents = getattr(conn, "_test_serialized_contents", None)
        if contents is not None:
            type(conn)._test_serialized_contents = contents


@pytest.fixture
def network(db):
    """Two units in two portfolios, and one person of every role.

    unit (owner, member, manager) and other_unit (other_member, other_manager),
    plus a network lead, an editor and a user with no unit.
    """
    region = factories.RegionFactory(code="volga", name="Поволжье")
    other_region = factories.RegionFactory(code="ural", name="Урал")
    unit = factories.UnitFactory(code="KZN-001", region=region, trading_name="Хлебный двор Казань")
    other_unit = factories.UnitFactory(code="EKB-001", region=other_region)
    return SimpleNamespace(
        region=region,
        other_region=other_region,
        unit=unit,
        other_unit=other_unit,
        owner=factories.member_of(unit, Role.OWNER, username="owner"),
        member=factories.member_of(unit, Role.MEMBER, username="member"),
        manager=factories.manager_of(unit, username="manager"),
        other_member=factories.member_of(other_unit, Role.OWNER, username="other_member"),
        other_manager=factories.manager_of(other_unit, username="other_manager"),
        lead=factories.network_lead(username="lead"),
        editor=factories.editor(username="editor"),
        stranger=factories.UserFactory(username="stranger"),
    )


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client logged in as user (None: anonymous)."""
    from django.test import Client

    def make(user):
        c = Client()
        if user is not None:
            c.force_login(user)
        return c

    return make


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return bool(
        (marker and marker.kwargs.get("transaction"))
        or "transactional_db" in fixtures
        or "live_server" in fixtures
    )


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests skip with a reason on SQLite; transactional tests restore the data
    migrations created (Wagtail's root, the home page, the site), which their flush removes."""
    is_pg = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    skip = pytest.mark.skip(reason="needs PostgreSQL: run with DATABASE_URL=postgres://...")
    restore = pytest.mark.django_db(transaction=True, serialized_rollback=True)
    for item in items:
        if "postgres" in item.keywords and not is_pg:
            item.add_marker(skip)
        if _is_transactional(item):
            item.add_marker(restore, append=False)
