"""Pages of surveys: the unit's list and form, the results with their exports, bad input and
query counts that do not grow."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from franchise.models import Role
from surveys import services
from surveys.models import Participation, Response
from tests import factories
from tests.surveys.helpers import INSIDE, make_round, make_survey

pytestmark = pytest.mark.django_db


def queries(client, url):
    client.get(url)  # warm caches of rights, sessions and site settings
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


def people(unit, n, prefix="p"):
    return [factories.member_of(unit, Role.MEMBER, username=f"{prefix}{i}") for i in range(n)]


def answer_all(round_, unit, users, scores, comment="ok", today=INSIDE):
    for user, score in zip(users, scores, strict=True):
        services.response_submit(
            round_=round_,
            user=user,
            unit=unit,
            nps=score,
            answers={
                "support": "2" if comment == "ekb" else "4",
                "channel": "Phone",
                "comment": f"{comment} {score}",
            },
            today=today,
        )


@pytest.fixture
def open_round(db):
    return make_round(make_survey(), opens=timezone.localdate())


def test_unit_people_see_and_answer_an_open_survey(network, open_round, client_for):
    client = client_for(network.member)
    listing = client.get(reverse("surveys:unit_surveys", args=[network.unit.code]))
    url = reverse("surveys:answer", args=[network.unit.code, open_round.pk])
    assert url in listing.content.decode()
    page = client.get(url).content.decode()
    assert 'name="viewport"' in page and "surveys.css" in page
    assert page.count('type="radio" name="nps"') == 11
    response = client.post(url, {"nps": "10", "q-support": "5", "q-comment": "Great"})
    assert response.status_code == 302
    assert Response.objects.get().nps == 10
    listing = client.get(reverse("surveys:unit_surveys", args=[network.unit.code]))
    assert url not in listing.content.decode()
    again = client.post(url, {"nps": "0"})
    assert again.status_code == 400
    assert "already answered" in again.content.decode()
    assert Response.objects.count() == 1


def test_dashboard_block_lists_the_open_survey_until_answered(network, open_round, client_for):
    client = client_for(network.owner)
    dashboard = reverse("franchise:unit_detail", args=[network.unit.code])
    url = reverse("surveys:answer", args=[network.unit.code, open_round.pk])
    assert url in client.get(dashboard).content.decode()
    assert client.post(url, {"nps": "8"}).status_code == 302
    assert url not in client.get(dashboard).content.decode()


def test_bad_values_give_a_message_and_save_nothing(network, open_round, client_for):
    url = reverse("surveys:answer", args=[network.unit.code, open_round.pk])
    client = client_for(network.owner)
    for data, message in [
        ({"nps": "11"}, "Choose a whole number from 0 to 10."),
        ({}, "Choose a whole number from 0 to 10."),
        ({"nps": "5", "q-support": "9"}, "Choose a rating from 1 to 5."),
        ({"nps": "5", "q-channel": "Fax"}, "Choose one of the options shown."),
    ]:
        response = client.post(url, data)
        assert response.status_code == 400
        assert message in response.content.decode()
    assert not Participation.objects.exists() and not Response.objects.exists()


def test_not_in_audience_is_404(network, open_round, client_for):
    open_round.survey.audience_regions.add(network.other_region)
    open_round.survey.save()
    url = reverse("surveys:answer", args=[network.unit.code, open_round.pk])
    assert client_for(network.owner).get(url).status_code == 404
    assert client_for(network.owner).post(url, {"nps": "9"}).status_code == 404
    assert not Response.objects.exists()


def test_results_hide_small_groups_and_respect_the_portfolio(network, client_for):
    survey = make_survey()
    round_ = make_round(survey)  # October: closed by now
    answer_all(round_, network.unit, people(network.unit, 5), [10, 10, 9, 5, 0], "kzn")
    answer_all(round_, network.other_unit, people(network.other_unit, 3, "o"), [0, 0, 0], "ekb")
    url = reverse("surveys:results", args=[survey.slug])
    lead = client_for(network.lead).get(url).content.decode()
    assert "kzn 10" in lead and "ekb 0" not in lead
    assert "3 answers are held back" in lead
    assert "<strong>20</strong>" in lead  # (3 - 2) / 5
    assert "took part: 8 (asked now: 11 people)" in lead and "73 %" in lead
    assert "Average: <strong>4.0</strong> (5)" in lead and "Phone: 5" in lead
    # Filtering down to the small group shows nothing of it.
    other = client_for(network.lead).get(url, {"region": network.other_region.pk})
    assert "ekb" not in other.content.decode() and "No results to show." in other.content.decode()
    export = client_for(network.lead).get(url, {"format": "csv", "region": network.other_region.pk})
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[1][2] == "0" and len(rows) == 2  # total only, no group, no comment
    export = client_for(network.lead).get(url, {"format": "csv"})
    text = export.content.decode("utf-8-sig")
    assert "Comment: kzn 10" in text and "ekb" not in text
    # The other unit's manager sees only the answers counted under him: none shown.
    mine = client_for(network.other_manager).get(url).content.decode()
    assert "kzn" not in mine and "ekb" not in mine
    assert "kzn 10" in client_for(network.manager).get(url).content.decode()
    assert client_for(network.member).get(url).status_code == 404
    assert client_for(network.editor).get(url).status_code == 404


def test_open_round_of_an_anonymous_survey_is_not_shown(network, open_round, client_for):
    users = people(network.unit, 6)
    answer_all(open_round, network.unit, users, [10] * 6, today=open_round.opens_on)
    html = client_for(network.lead).get(reverse("surveys:results", args=["pulse"]))
    assert "ok 10" not in html.content.decode()


def test_xlsx_export(network, client_for):
    survey = make_survey()
    answer_all(make_round(survey), network.unit, people(network.unit, 5), [10] * 5)
    response = client_for(network.lead).get(
        reverse("surveys:results", args=[survey.slug]), {"format": "xlsx"}
    )
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_results_query_count(network, client_for):
    survey = make_survey()
    round_ = make_round(survey)
    answer_all(round_, network.unit, people(network.unit, 5), [10] * 5)
    client = client_for(network.lead)
    url = reverse("surveys:results", args=[survey.slug])
    few = queries(client, url)
    answer_all(round_, network.other_unit, people(network.other_unit, 25, "o"), [3] * 25)
    assert queries(client, url) == few


def test_unit_list_query_count(network, client_for):
    client = client_for(network.owner)
    url = reverse("surveys:unit_surveys", args=[network.unit.code])
    make_round(make_survey(), opens=timezone.localdate())
    few = queries(client, url)
    for i in range(10):
        make_round(make_survey(slug=f"s{i}"), opens=timezone.localdate())
    assert queries(client, url) == few
