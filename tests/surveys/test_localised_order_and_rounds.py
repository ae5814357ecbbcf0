"""One language per screen, the rest of it: lists of surveys are in the order of the names the
reader sees (a Russian reader's alphabet, English for a survey nobody translated), and a
round's quarter ("Q4 2026", as rounds are named) reads the reader's way."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import trans_real

from franchise.models import Franchisee
from reporting.network.scorecards import units_in_scope
from surveys import adoption as survey_adoption
from surveys import digest, selectors
from surveys.models import Response, Round, Survey
from tests.surveys.helpers import make_round, make_survey

pytestmark = pytest.mark.django_db

#: The Russian of the new msgids, until the coordinator compiles the catalogue.
NEW_RU = {"Q%(quarter)s %(year)s": "%(quarter)s кв. %(year)s"}


@pytest.fixture
def russian_catalogue():
    catalog = trans_real.translation("ru")._catalog
    added = [key for key in NEW_RU if key not in catalog]
    for key in added:
        catalog[key] = NEW_RU[key]
    yield
    for key in added:
        for part in catalog._catalogs:
            part.pop(key, None)


def _today():
    return timezone.localdate()


@pytest.fixture
def three(db):
    """Alpha (Яблоко), Beta (Арбуз) and Gamma with no Russian name: a closed round each."""
    surveys = []
    for slug, en, ru in (
        ("alpha", "Alpha", "Яблоко"),
        ("beta", "Beta", "Арбуз"),
        ("gamma", "Gamma", ""),
    ):
        survey = make_survey(slug=slug)
        Survey.objects.filter(pk=survey.pk).update(name_en=en, name=en, name_ru=ru or None)
        opens = _today() - timedelta(days=60)
        round_ = Round.objects.create(
            survey=survey, label="Q3 2026", opens_on=opens, closes_on=opens + timedelta(days=20)
        )
        surveys.append((survey, round_))
    return surveys


def _adoption_labels(language):
    with translation.override(language):
        rows = survey_adoption.load_rows(Franchisee.objects.all(), _today())
        return [str(r["label"]) for r in rows if r["key"].endswith("-nps")]


def test_adoption_rows_follow_the_names_the_reader_sees(network, three):
    assert _adoption_labels("en") == ["Alpha: NPS", "Beta: NPS", "Gamma: NPS"]
    russian = _adoption_labels("ru")
    # Gamma has no Russian name: it sorts by its English one, Latin before Cyrillic
    assert [label.split(":")[0] for label in russian] == ["Gamma", "Арбуз", "Яблоко"]


def test_the_digest_lists_surveys_by_the_names_the_reader_sees(network, three):
    today = _today()
    with translation.override("ru"):
        section = digest.digest_section(network.lead, units_in_scope(network.lead), today)
    assert [line.split(",")[0] for line in section["lines"]] == ["Gamma", "Арбуз", "Яблоко"]
    with translation.override("en"):
        section = digest.digest_section(network.lead, units_in_scope(network.lead), today)
    assert [line.split(",")[0] for line in section["lines"]] == ["Alpha", "Beta", "Gamma"]


def test_the_staff_list_follows_the_names_the_reader_sees(three):
    with translation.override("ru"):
        names = [s.name for s in selectors.surveys_for_staff()]
    assert names == ["Gamma", "Арбуз", "Яблоко"]
    with translation.override("en"):
        assert [s.name for s in selectors.surveys_for_staff()] == ["Alpha", "Beta", "Gamma"]


def test_a_quarter_round_reads_the_readers_way(russian_catalogue):
    survey = make_survey()
    round_ = make_round(survey)
    other = Round(survey=survey, label="Autumn check", opens_on=round_.opens_on)
    with translation.override("ru"):
        assert round_.shown_label == "4 кв. 2026"
        assert other.shown_label == "Autumn check"  # typed by an editor: as it is
    with translation.override("en"):
        assert round_.shown_label == "Q4 2026"


def test_round_labels_on_the_franchisees_screens_and_in_the_digest(
    network, russian_catalogue, client_for
):
    survey = make_survey(anonymous=False)
    Survey.objects.filter(pk=survey.pk).update(name_ru="Пульс")
    round_ = make_round(survey, opens=_today() - timedelta(days=2))
    client = client_for(network.member)
    client.cookies["django_language"] = "ru"
    listing = client.get(reverse("surveys:unit_surveys", args=[network.unit.code]))
    form = client.get(reverse("surveys:answer", args=[network.unit.code, round_.pk]))
    for html in (listing.content.decode(), form.content.decode()):
        assert "4 кв. 2026" in html and "Q4 2026" not in html
    Response.objects.create(
        round=round_,
        region_id=network.unit.region_id,
        manager_id=network.unit.account_manager_id,
        nps=9,
    )
    with translation.override("ru"):
        section = digest.digest_section(network.lead, units_in_scope(network.lead), _today())
    assert section["lines"][0].startswith("Пульс, 4 кв. 2026:")
    lead = client_for(network.lead)
    lead.cookies["django_language"] = "ru"
    html = lead.get(reverse("surveys:results", args=[survey.slug])).content.decode()
    assert "4 кв. 2026" in html and "Q4 2026" not in html


def test_reminders_name_the_survey_in_each_recipients_language(
    network, django_capture_on_commit_callbacks
):
    from datetime import date

    from django.core import mail

    from franchise.models import Notification
    from surveys import services

    survey = make_survey()
    Survey.objects.filter(pk=survey.pk).update(name_ru="Пульс")
    make_round(survey)
    for user, language in ((network.member, "ru"), (network.other_member, "en")):
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(today=date(2026, 10, 15)) == 3  # and the owner
    ru = Notification.objects.get(kind="survey", user=network.member)
    en = Notification.objects.get(kind="survey", user=network.other_member)
    assert "Пульс" in ru.title and "Пульс" in ru.body and "Pulse" not in ru.title + ru.body
    assert "Pulse" in en.title and "Pulse" in en.body and "Пульс" not in en.title + en.body
    [ru_mail] = [m for m in mail.outbox if m.to == [network.member.email]]
    assert "Пульс" in ru_mail.body and "Pulse" not in ru_mail.body
