"""One language per screen: the survey a franchisee fills and its results in the viewer's
language; a choice answered in Russian stores the English option and counts with the
English answers; English shows wherever the Russian is missing."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.admin.panels import get_edit_handler

from surveys.models import Answer, Question, Survey
from tests.surveys.helpers import make_round, make_survey
from tests.surveys.test_views import people

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(db):
    survey = make_survey(anonymous=False, intro="Tell us how it goes.")
    Survey.objects.filter(pk=survey.pk).update(
        name_ru="Пульс", intro_ru="Расскажите, как дела.", nps_question_ru="Порекомендуете нас?"
    )
    Question.objects.filter(survey=survey, key="support").update(text_ru="Поддержка")
    Question.objects.filter(survey=survey, key="channel").update(
        text_ru="Канал связи", choices_ru="Портал\nТелефон"
    )
    # "comment" has no Russian: it shows in English.
    return Survey.objects.get(pk=survey.pk)


def get(client, language, url):
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def answer(client, language, url, channel):
    client.cookies["django_language"] = language
    response = client.post(url, {"nps": "9", "q-support": "4", "q-channel": channel})
    assert response.status_code == 302


def test_the_form_follows_the_interface_language(network, survey, client_for):
    round_ = make_round(survey, opens=timezone.localdate())
    url = reverse("surveys:answer", args=[network.unit.code, round_.pk])
    client = client_for(network.member)
    russian = get(client, "ru", url)
    for text in ["Пульс", "Расскажите, как дела.", "Порекомендуете нас?", "Поддержка"]:
        assert text in russian
    assert "Канал связи" in russian and "Портал" in russian and "Телефон" in russian
    assert 'value="Phone"' in russian  # the value stored is the English option
    assert "Tell us how it goes." not in russian and ">Phone" not in russian
    assert "Comment" in russian  # not translated: English
    english = get(client, "en", url)
    assert "Tell us how it goes." in english and "Channel" in english and "Phone" in english
    assert "Пульс" not in english and "Телефон" not in english and "Поддержка" not in english
    listing = get(client, "ru", reverse("surveys:unit_surveys", args=[network.unit.code]))
    assert "Пульс" in listing


def test_answers_in_both_languages_count_together(network, survey, client_for):
    round_ = make_round(survey, opens=timezone.localdate())
    url = reverse("surveys:answer", args=[network.unit.code, round_.pk])
    russian, english, third = people(network.unit, 3)
    answer(client_for(russian), "ru", url, "Phone")
    answer(client_for(english), "en", url, "Phone")
    answer(client_for(third), "ru", url, "Portal")
    stored = Answer.objects.filter(question__key="channel").values_list("text", flat=True)
    assert sorted(stored) == ["Phone", "Phone", "Portal"]

    lead = client_for(network.lead)
    results = reverse("surveys:results", args=[survey.slug])
    ru = get(lead, "ru", results)
    assert "Телефон: 2" in ru and "Портал: 1" in ru and "Канал связи" in ru
    assert "Phone: " not in ru and "Пульс" in ru
    en = get(lead, "en", results)
    assert "Phone: 2" in en and "Portal: 1" in en and "Channel" in en
    assert "Телефон" not in en and "Канал связи" not in en


def test_a_russian_label_that_is_not_an_option_is_refused(network, survey, client_for):
    round_ = make_round(survey, opens=timezone.localdate())
    url = reverse("surveys:answer", args=[network.unit.code, round_.pk])
    client = client_for(network.member)
    client.cookies["django_language"] = "ru"
    assert client.post(url, {"nps": "9", "q-channel": "Телефон"}).status_code == 400
    assert not Answer.objects.exists()


def test_unmatched_russian_options_show_the_english_ones(survey):
    channel = survey.questions.get(key="channel")
    channel.choices_ru = "Портал"  # one line for two options
    with translation.override("ru"):
        assert channel.option_labels == [("Portal", "Portal"), ("Phone", "Phone")]


def test_the_admin_form_edits_both_languages():
    form_class = get_edit_handler(Survey).get_form_class()
    data = {
        "name_en": "Pulse",
        "name_ru": "Пульс",
        "slug": "pulse2",
        "nps_question_en": "Recommend us?",
        "schedule": "once",
        "open_days": "21",
        "remind_days": "7",
        "anonymous": "on",
        "questions-TOTAL_FORMS": "1",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
        "questions-0-key": "channel",
        "questions-0-kind": "choice",
        "questions-0-text_en": "Channel",
        "questions-0-text_ru": "Канал",
        "questions-0-choices_en": "Portal\nPhone",
        "questions-0-choices_ru": "Портал\nТелефон",
        "questions-0-ORDER": "1",
    }
    form = form_class(data=data)
    assert form.is_valid(), form.errors
    survey = form.save()
    question = survey.questions.get()
    assert (survey.name_ru, question.text_ru, question.options) == (
        "Пульс",
        "Канал",
        ["Portal", "Phone"],
    )
    with translation.override("ru"):
        assert survey.nps_question == "Recommend us?"  # Russian missing: English
    without_english = form_class(data={**data, "slug": "pulse3", "name_en": ""})
    assert not without_english.is_valid() and "name_en" in without_english.errors


def test_adoption_rows_cached_once_name_the_survey_in_each_language(network, survey, client_for):
    from datetime import timedelta

    from surveys.models import Response, Round

    opens = timezone.localdate() - timedelta(days=100)
    round_ = Round.objects.create(
        survey=survey, label="Q2", opens_on=opens, closes_on=opens + timedelta(days=20)
    )
    unit = network.unit
    Response.objects.create(
        round=round_, region_id=unit.region_id, manager_id=unit.account_manager_id, nps=9
    )
    lead = client_for(network.lead)
    url = reverse("network:adoption")
    assert "Pulse: NPS" in get(lead, "en", url)
    russian = get(lead, "ru", url)  # cached figures are kept per language
    assert "Пульс" in russian and "Pulse" not in russian


def test_the_demo_writes_both_languages_and_english_choices(db):
    import io
    from datetime import date

    from franchise import demo as franchise_demo
    from portal.demo import DemoContext
    from surveys import demo

    ctx = DemoContext(units=6, stdout=io.StringIO(), today=date(2026, 11, 25))
    franchise_demo.seed(ctx)
    demo.seed(ctx)
    survey = Survey.objects.get(slug="franchisee-satisfaction")
    channel = survey.questions.get(key="channel")
    assert survey.name_en == "Franchisee satisfaction"
    with translation.override("ru"):
        assert survey.name == "Удовлетворённость франчайзи"
        assert ("Phone", "Телефон") in channel.option_labels
    stored = set(Answer.objects.filter(question=channel).values_list("text", flat=True))
    assert stored and stored <= set(channel.options)
    assert Survey.objects.get(slug="support-pulse").nps_question_ru


def test_the_default_recommendation_question_stays_english_beside_its_russian(db):
    """modeltranslation takes a field's default for "not filled in" unless told otherwise: the
    English default question must not give way to the Russian text in the English interface."""
    from surveys.models import NPS_QUESTION

    survey = make_survey(nps_question_en=NPS_QUESTION, nps_question_ru="Насколько вероятно?")
    survey = Survey.objects.get(pk=survey.pk)
    with translation.override("en"):
        assert survey.nps_question == NPS_QUESTION
    with translation.override("ru"):
        assert survey.nps_question == "Насколько вероятно?"
    # Not written in Russian: the standard question has its standard Russian text...
    standard = Survey.objects.get(pk=make_survey(slug="standard").pk)
    with translation.override("ru"):
        assert standard.nps_question.startswith("Насколько вероятно, что вы порекомендуете")
    with translation.override("en"):
        assert standard.nps_question == NPS_QUESTION
    # ...and one of the survey's own shows in English until it is translated.
    own = Survey.objects.get(pk=make_survey(slug="own", nps_question_en="Recommend us?").pk)
    with translation.override("ru"):
        assert own.nps_question == "Recommend us?"
