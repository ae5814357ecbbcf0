"""Editors define surveys in the Wagtail admin (a snippet with its questions inline)."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from surveys.models import Round
from tests.surveys.helpers import make_survey

pytestmark = pytest.mark.django_db


def test_editor_adds_a_survey_with_questions(network, client_for):
    client = client_for(network.editor)
    url = reverse("wagtailsnippets_surveys_survey:add")
    page = client.get(url)
    assert page.status_code == 200
    assert "questions-TOTAL_FORMS" in page.content.decode()
    assert client_for(network.member).get(url).status_code in (302, 403)


def test_the_periodic_job_has_a_command(network, capsys):
    make_survey()
    call_command("survey_reminders")
    assert Round.objects.count() == 1
    assert "1 round(s) opened" in capsys.readouterr().out
