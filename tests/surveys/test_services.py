"""Answering, refusals (nothing half-saved), rounds and reminders."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from franchise.models import Notification, Role
from surveys import services
from surveys.models import Answer, Participation, Reminder, Response, Round, Schedule
from tests import factories
from tests.surveys.helpers import INSIDE, make_round, make_survey

pytestmark = pytest.mark.django_db


def submit(net, round_, user=None, nps=9, **answers):
    services.response_submit(
        round_=round_,
        user=user or net.owner,
        unit=net.unit,
        nps=nps,
        answers=answers or {"support": "4", "channel": "Portal", "comment": "Fine"},
        today=INSIDE,
    )


def test_anonymous_answer_keeps_no_trace_of_the_person(network):
    round_ = make_round(make_survey())
    submit(network, round_)
    response = Response.objects.get()
    assert response.respondent_id is None and response.unit_id is None
    assert response.region_id == network.unit.region_id
    assert response.manager_id == network.manager.pk
    assert Participation.objects.get().user == network.owner
    fields = {f.name for f in Participation._meta.get_fields()}
    assert not fields & {"response", "responses", "nps", "answers"}
    assert {f.name for f in Response._meta.concrete_fields} & {"created_at", "user"} == set()
    assert sorted(Answer.objects.values_list("text", flat=True)) == ["", "Fine", "Portal"]


def test_named_survey_keeps_the_person(network):
    round_ = make_round(make_survey(anonymous=False))
    submit(network, round_)
    assert Response.objects.get().respondent == network.owner


def test_second_answer_is_refused(network):
    round_ = make_round(make_survey())
    submit(network, round_)
    with pytest.raises(ValidationError, match="already answered"):
        submit(network, round_, nps=0)
    assert Response.objects.count() == 1 and Answer.objects.count() == 3


@pytest.mark.parametrize(
    ("nps", "answers", "field", "message"),
    [
        (11, {}, "nps", "from 0 to 10"),
        ("-1", {}, "nps", "from 0 to 10"),
        ("x", {}, "nps", "from 0 to 10"),
        (5, {"support": "6"}, "q-support", "from 1 to 5"),
        (5, {"channel": "Fax"}, "q-channel", "options shown"),
        (5, {"comment": "x" * 2001}, "q-comment", "under 2000"),
    ],
)
def test_values_off_the_scale_save_nothing(network, nps, answers, field, message):
    round_ = make_round(make_survey())
    with pytest.raises(ValidationError) as caught:
        submit(network, round_, nps=nps, **(answers or {"support": "3"}))
    assert message in " ".join(caught.value.message_dict[field])
    assert not Participation.objects.exists() and not Response.objects.exists()
    assert not Answer.objects.exists()


def test_outside_the_audience_or_closed(network):
    survey = make_survey()
    survey.audience_regions.add(network.other_region)
    survey.save()
    round_ = make_round(survey)
    with pytest.raises(ValidationError, match="not meant for you"):
        submit(network, round_)
    survey.audience_regions.clear()
    survey.audience_roles = "owner"
    survey.save()
    with pytest.raises(ValidationError, match="not meant for you"):
        submit(network, round_, user=network.member)
    with pytest.raises(ValidationError, match="not meant for you"):
        submit(network, round_, user=network.manager)
    round_.closes_on = date(2026, 10, 2)
    round_.save()
    with pytest.raises(ValidationError, match="closed"):
        submit(network, round_)
    assert not Participation.objects.exists() and not Response.objects.exists()


def test_rounds_open_once_per_quarter(network):
    make_survey(schedule=Schedule.QUARTERLY)
    once = make_survey(slug="once", schedule=Schedule.ONCE)
    assert services.rounds_open(today=date(2026, 11, 3)) == 2
    assert services.rounds_open(today=date(2026, 11, 20)) == 0
    assert services.rounds_open(today=date(2027, 1, 2)) == 1
    quarter = Round.objects.exclude(survey=once).order_by("opens_on")
    assert [(r.label, r.opens_on) for r in quarter] == [
        ("Q4 2026", date(2026, 10, 1)),
        ("Q1 2027", date(2027, 1, 1)),
    ]


def test_reminders_go_once_to_those_who_have_not_answered(network):
    round_ = make_round(make_survey())  # Oct 1-21; reminders from Oct 14
    submit(network, round_)
    assert services.reminders_send(today=date(2026, 10, 10)) == 0
    assert services.reminders_send(today=date(2026, 10, 15)) == 2
    notices = Notification.objects.filter(kind="survey")
    assert {n.user for n in notices} == {network.member, network.other_member}
    notice = notices.get(user=network.member)
    assert "Pulse" in notice.title and notice.url.endswith(f"/{round_.pk}/")
    assert services.reminders_send(today=date(2026, 10, 16)) == 0
    late = factories.member_of(network.unit, Role.MEMBER, username="late")
    assert services.reminders_send(today=date(2026, 10, 16)) == 1
    reminded = set(Reminder.objects.values_list("user", flat=True))
    assert reminded == {network.member.pk, network.other_member.pk, late.pk}
    assert services.reminders_send(today=date(2026, 10, 22)) == 0  # closed


def test_an_answered_anonymous_survey_cannot_become_named(network):
    survey = make_survey()
    round_ = make_round(survey)
    survey.anonymous = False
    survey.full_clean()  # no answers yet: allowed
    survey.anonymous = True
    submit(network, round_)
    survey.anonymous = False
    with pytest.raises(ValidationError) as caught:
        survey.full_clean()
    assert "anonymously" in caught.value.message_dict["anonymous"][0]
