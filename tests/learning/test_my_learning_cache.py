""" "My learning" is kept between views until something it reads is written, per person."""

import re
from datetime import timedelta

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learning import selectors, services

URL = reverse("learning:my_learning")


def _unmasked(html):
    """The page without its CSRF tokens (masked afresh on every render)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def _view(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_reused_until_an_assignment_or_progress_is_written(network, catalogue, client_for):
    client = client_for(network.member)
    _view(client)
    cold, html = _view(client)
    warm, again = _view(client)
    assert warm < cold and again == html
    assert "Пищевая безопасность" not in html

    services.assignment_create(
        by=network.manager,
        course=catalogue.course,
        due_on=selectors.today() + timedelta(days=5),
        units=[network.unit],
    )
    _, html = _view(client)
    assert "Пищевая безопасность" in html

    services.lesson_complete(user=network.member, lesson=catalogue.lesson1, unit=network.unit)
    _, html = _view(client)
    assert selectors.my_learning(network.member)["in_progress"]
    cache.clear()
    assert _unmasked(_view(client)[1]) == _unmasked(html)  # what a fresh computation shows


def test_one_persons_page_is_never_served_to_another(network, catalogue, client_for):
    services.assignment_create(
        by=network.manager,
        course=catalogue.course,
        due_on=selectors.today() + timedelta(days=5),
        units=[network.unit],
    )
    member = client_for(network.member)
    _view(member)
    _, other = _view(client_for(network.other_member))
    assert "Пищевая безопасность" not in other
