"""Report templates in both interface languages: every screen shows a report's field texts
in the reader's language (English when the Russian is empty), while stored answers, choice
values and figures stay canonical, so reports made on Russian and English screens count
together."""

import io

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from franchise.models import Notification
from reporting import services
from reporting.imports import parse_upload
from reporting.models import (
    ReportField,
    Submission,
    TemplateVersion,
    Value,
    localise_definitions,
)
from reporting.summaries import numeric_definitions

from .conftest import form_url, report


@pytest.fixture
def bilingual(sales):
    """The sales template with Russian texts for the template, revenue and the format choice;
    receipts stays English only."""
    sales.name_ru = "Продажи"
    sales.save()
    fields = ReportField.objects.filter(template=sales)
    fields.filter(key="revenue").update(
        label_ru="Выручка",
        help_text_en="Cash and card together",
        help_text_ru="Наличные и карты вместе",
        unit_ru="руб.",
    )
    fields.filter(key="format").update(label_ru="Формат", choices_ru="Кафе\nКиоск")
    return sales


def _russian(client):
    client.cookies["django_language"] = "ru"
    return client


def _pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_form_shows_field_texts_in_the_interface_language(network, client_for, bilingual, period):
    url = form_url(network.unit, bilingual, period)
    english = client_for(network.owner).get(url).content.decode()
    assert "Revenue, ₽" in english and "Cash and card together" in english
    assert '<option value="Cafe">Cafe</option>' in english
    assert "Выручка" not in english and "Кафе" not in english

    russian = _russian(client_for(network.owner)).get(url).content.decode()
    assert "Продажи" in russian
    assert "Выручка, руб." in russian and "Наличные и карты вместе" in russian
    assert '<option value="Cafe">Кафе</option>' in russian
    assert '<option value="Kiosk">Киоск</option>' in russian
    assert "Receipts" in russian  # no Russian label: the English one
    assert "Revenue" not in russian and "Cash and card" not in russian


def test_answer_on_russian_form_is_stored_canonical_and_counts_with_english(
    network, client_for, bilingual, period
):
    data = {"revenue": "100", "receipts": "2", "staff": "1", "format": "Kiosk", "action": "submit"}
    _russian(client_for(network.owner)).post(form_url(network.unit, bilingual, period), data)
    client_for(network.other_member).post(form_url(network.other_unit, bilingual, period), data)
    subs = Submission.objects.filter(template=bilingual, status="submitted")
    assert subs.count() == 2
    assert list(Value.objects.filter(field_key="format").values_list("text", flat=True)) == [
        "Kiosk",
        "Kiosk",
    ]
    # Both reports were made with one version of the template.
    assert subs.values("version").distinct().count() == 1
    mine = subs.get(unit=network.unit)
    russian = _russian(client_for(network.manager)).get(f"/reports/review/{mine.pk}/")
    assert "Киоск" in russian.content.decode() and "Kiosk" not in russian.content.decode()
    english = client_for(network.manager).get(f"/reports/review/{mine.pk}/").content.decode()
    assert "Kiosk" in english and "Киоск" not in english


def test_review_detail_and_pdf_in_the_interface_language(network, client_for, bilingual, period):
    sub = report(network.unit, bilingual, period, revenue=123456, receipts=400, staff=7)
    Value.objects.create(submission=sub, field_key="format", text="Cafe")
    manager = client_for(network.manager)
    english = manager.get(f"/reports/review/{sub.pk}/").content.decode()
    assert "Revenue, ₽" in english and "Cafe" in english and "Выручка" not in english
    russian = _russian(client_for(network.manager)).get(f"/reports/review/{sub.pk}/")
    page = russian.content.decode()
    assert "Выручка, руб." in page and "Кафе" in page and "Receipts" in page
    assert "Revenue" not in page

    pdf_url = form_url(network.unit, bilingual, period) + "pdf/"
    text = _pdf_text(_russian(client_for(network.owner)).get(pdf_url).getvalue())
    assert "Продажи" in text and "Выручка, руб." in text and "Кафе" in text
    assert "Revenue" not in text and "Cafe" not in text
    text = _pdf_text(client_for(network.owner).get(pdf_url).getvalue())
    assert "Revenue, ₽" in text and "Cafe" in text and "Выручка" not in text


def test_charts_and_summaries_name_fields_in_the_interface_language(
    network, client_for, bilingual, period
):
    report(network.unit, bilingual, period.previous(), revenue=90000, receipts=300, staff=6)
    report(network.unit, bilingual, period, revenue=123456, receipts=400, staff=7)
    report(network.other_unit, bilingual, period, revenue=100000, receipts=350, staff=5)
    trends = f"/reports/u/{network.unit.code}/analytics/"
    russian = _russian(client_for(network.owner)).get(trends).content.decode()
    assert "Выручка, руб." in russian and "Revenue" not in russian
    english = client_for(network.owner).get(trends).content.decode()
    assert "Revenue, ₽" in english and "Выручка" not in english
    # The network page of the same data, Russian after English (kept per language).
    assert "Revenue" in client_for(network.lead).get("/reports/network/").content.decode()
    page = _russian(client_for(network.lead)).get("/reports/network/").content.decode()
    assert "Выручка" in page and "Revenue" not in page
    with translation.override("ru"):
        labels = [d["label"] for d in numeric_definitions(bilingual)]
    assert labels[:2] == ["Выручка", "Receipts"]


def test_old_definitions_without_russian_still_render(network, client_for, bilingual, period):
    sub = report(network.unit, bilingual, period, revenue=5, receipts=1, staff=1)
    old = [
        {k: v for k, v in d.items() if not k.endswith("_ru")}
        for d in TemplateVersion.objects.get(pk=sub.version_id).fields
    ]
    assert all("label_ru" not in d for d in old)
    TemplateVersion.objects.filter(pk=sub.version_id).update(fields=old)
    page = _russian(client_for(network.owner)).get(form_url(network.unit, bilingual, period))
    text = page.content.decode()
    assert "Revenue, ₽" in text and "Receipts" in text and "Выручка" not in text
    with translation.override("ru"):
        shown = localise_definitions(old)
    assert shown[5]["choice_labels"] == {"Cafe": "Cafe", "Kiosk": "Kiosk"}


def test_localise_falls_back_to_english_and_is_idempotent():
    definitions = [
        {
            "key": "format",
            "label": "Format",
            "label_ru": "",
            "help": "Pick one",
            "help_ru": "Выберите",
            "unit": "",
            "kind": "choice",
            "choices": ["Cafe", "Kiosk"],
            "choices_ru": ["Кафе"],  # not every option translated: the English ones show
        }
    ]
    with translation.override("ru"):
        shown = localise_definitions(definitions)
        assert localise_definitions(shown) == shown
    assert shown[0]["label"] == "Format" and shown[0]["help"] == "Выберите"
    assert shown[0]["choices"] == ["Cafe", "Kiosk"]
    assert shown[0]["choice_labels"] == {"Cafe": "Cafe", "Kiosk": "Kiosk"}
    english = localise_definitions(definitions)
    assert english[0]["help"] == "Pick one"


def test_versions_change_only_when_the_definition_does(bilingual):
    first = services.template_version_current(template=bilingual)
    assert services.template_version_current(template=bilingual) == first
    revenue = next(d for d in first.fields if d["key"] == "revenue")
    assert (revenue["label"], revenue["label_ru"], revenue["unit_ru"]) == (
        "Revenue",
        "Выручка",
        "руб.",
    )
    receipts = next(d for d in first.fields if d["key"] == "receipts")
    assert "label_ru" not in receipts  # untranslated texts are not frozen
    # A version frozen before there were two languages is kept while nobody translates.
    ReportField.objects.filter(template=bilingual).update(
        label_ru=None, help_text_ru=None, unit_ru=None, choices_ru=None
    )
    before = services.template_version_current(template=bilingual)
    assert before.number == 2
    assert all(not any(k.endswith("_ru") for k in d) for d in before.fields)
    assert services.template_version_current(template=bilingual) == before
    ReportField.objects.filter(template=bilingual, key="staff").update(label_ru="Персонал")
    assert services.template_version_current(template=bilingual).number == 3


def test_spreadsheet_accepts_russian_header_and_choice_labels(bilingual):
    content = "ключ;подпись;единица;значение\nrevenue;Выручка;руб.;100\nformat;Формат;;Киоск\n"
    upload = SimpleUploadedFile("report.csv", content.encode(), content_type="text/csv")
    definitions = localise_definitions(services.template_definitions(bilingual))
    assert parse_upload(upload, definitions) == {"revenue": 100, "format": "Kiosk"}
    # The English label and value are accepted on a Russian screen too.
    content = "key,label,unit,value\nformat,Format,,cafe\n"
    upload = SimpleUploadedFile("report.csv", content.encode(), content_type="text/csv")
    with translation.override("ru"):
        definitions = localise_definitions(services.template_definitions(bilingual))
        assert parse_upload(upload, definitions) == {"format": "Cafe"}


def test_unit_is_told_in_each_persons_language(
    network, client_for, bilingual, period, django_capture_on_commit_callbacks
):
    network.member.preferred_language = "ru"
    network.member.save(update_fields=["preferred_language"])
    sub = report(network.unit, bilingual, period, revenue=1, receipts=1, staff=1)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(network.manager).post(f"/reports/review/{sub.pk}/", {"decision": "approve"})
    titles = dict(Notification.objects.filter(kind="report").values_list("user", "title"))
    assert "Sales" in titles[network.owner.pk] and "Продажи" not in titles[network.owner.pk]
    assert "Продажи" in titles[network.member.pk]


def test_admin_edits_both_languages_and_search_finds_either(network, client_for, bilingual):
    client = client_for(network.editor)
    form = client.get(f"/admin/snippets/reporting/reporttemplate/edit/{bilingual.pk}/")
    page = form.content.decode()
    assert 'name="name_ru"' in page and 'value="Продажи"' in page
    assert 'name="fields-0-label_ru"' in page and 'name="fields-0-choices_ru"' in page
    listing = "/admin/snippets/reporting/reporttemplate/"
    assert "Sales" in client.get(listing, {"q": "Прод"}).content.decode()
    assert "Sales" in client.get(listing, {"q": "sal"}).content.decode()
    assert "Sales" not in client.get(listing, {"q": "nothing"}).content.decode()


def _counts(client, urls) -> tuple:
    """Queries of each page in English, then in Russian."""
    from .test_queries import _count

    client.cookies.pop("django_language", None)
    english = tuple(_count(client, url) for url in urls)
    _russian(client)
    russian = tuple(_count(client, url) for url in urls)
    client.cookies.pop("django_language", None)
    return english, russian


def test_query_counts_are_the_same_in_russian(network, client_for, bilingual, period):
    from .test_queries import _grow

    owner_urls = [f"/reports/u/{network.unit.code}/", form_url(network.unit, bilingual, period)]
    report(network.unit, bilingual, period.previous(), revenue=1, receipts=1, staff=1)
    few = _counts(client_for(network.owner), owner_urls)
    few_review = _counts(client_for(network.manager), ["/reports/review/"])
    _grow(network, bilingual, period, 12)
    many = _counts(client_for(network.owner), owner_urls)
    many_review = _counts(client_for(network.manager), ["/reports/review/"])
    assert few[0] == few[1] == many[0] == many[1]
    assert few_review[0] == few_review[1] == many_review[0] == many_review[1]


def test_dashboard_figures_in_the_interface_language(network, rf, bilingual, period):
    from reporting.blocks import dashboard_context

    report(network.unit, bilingual, period, revenue=150, receipts=3, staff=1)
    request = rf.get("/")
    request.user = network.owner
    with translation.override("ru"):
        figures = dashboard_context(request, network.unit)["figures"]["figures"]
    assert [(f["label"], f["unit"]) for f in figures[:2]] == [("Выручка", "руб."), ("Receipts", "")]
    figures = dashboard_context(request, network.unit)["figures"]["figures"]
    assert [(f["label"], f["unit"]) for f in figures[:2]] == [("Revenue", "₽"), ("Receipts", "")]


def test_reminders_name_the_report_in_each_persons_language(
    network, bilingual, period, django_capture_on_commit_callbacks
):
    network.member.preferred_language = "ru"
    network.member.save(update_fields=["preferred_language"])
    due = period.due_date(bilingual.due_days)
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_send(today=due)
    titles = dict(Notification.objects.values_list("user", "title"))
    assert "Sales" in titles[network.owner.pk] and "Продажи" not in titles[network.owner.pk]
    assert "Продажи" in titles[network.member.pk]


def test_the_network_key_report_does_not_depend_on_the_language(db, settings):
    from reporting.network.scorecards.key_figures import key_template

    from .conftest import make_template

    settings.NETWORK_KEY_TEMPLATE = ""
    first = make_template(slug="alpha", name="Alpha")
    second = make_template(slug="beta", name="Beta")
    type(first).objects.filter(pk=first.pk).update(name_ru="Яблоко")
    type(second).objects.filter(pk=second.pk).update(name_ru="Абрикос")
    assert key_template() == first
    with translation.override("ru"):
        assert key_template() == first


def test_review_queue_names_the_report_in_each_language(network, client_for, bilingual, period):
    report(network.unit, bilingual, period, revenue=1, receipts=1, staff=1)
    english = client_for(network.manager).get("/reports/review/").content.decode()
    assert "Sales" in english and "Продажи" not in english
    russian = _russian(client_for(network.manager)).get("/reports/review/").content.decode()
    assert "Продажи" in russian and "Sales" not in russian


def test_a_choice_field_needs_options_in_english_or_russian(bilingual):
    from django.core.exceptions import ValidationError

    field = ReportField(template=bilingual, key="size", label_en="Size", kind="choice")
    with pytest.raises(ValidationError) as error:
        field.full_clean()
    assert error.value.message_dict["choices_en"] == ["A choice field needs at least one option."]
    field.choices_ru = "Малый\nБольшой"
    field.full_clean()
    assert field.as_definition()["choices"] == ["Малый", "Большой"]
