"""The API in two languages: report templates carry their texts in both (`name_en`,
`name_ru`, `label_en`, `label_ru`, ...), and the plain `name`, `label` and `unit` - like the
error messages - follow the request's Accept-Language (English without one, English where
no Russian was given). Stored values and choice values stay canonical."""

import pytest
from django.core.management import call_command

from reporting.models import ReportField

from .test_api_writes import _create, problem, report, send, wkeys  # noqa: F401

pytestmark = pytest.mark.django_db

URL = "/api/v1/report-templates/"


@pytest.fixture
def bilingual(report):  # noqa: F811
    template = report.template
    template.name_ru = "Продажи"
    template.save()
    ReportField.objects.filter(template=template, key="revenue").update(
        label_ru="Выручка", unit_ru="руб."
    )
    ReportField.objects.filter(template=template, key="receipts").update(label_ru="Чеки")
    return report


def _fields(body):
    (template,) = [t for t in body["results"] if t["slug"] == "sales"]
    return template, {f["key"]: f for f in template["fields"]}


def test_templates_carry_both_languages_and_default_to_english(api, wkeys, bilingual):  # noqa: F811
    response = api(wkeys.unit).get(URL)
    assert response.status_code == 200
    template, fields = _fields(response.json())
    assert (template["name"], template["name_en"], template["name_ru"]) == (
        "Sales",
        "Sales",
        "Продажи",
    )
    revenue = fields["revenue"]
    assert (revenue["label"], revenue["label_en"], revenue["label_ru"]) == (
        "Revenue",
        "Revenue",
        "Выручка",
    )
    assert (revenue["unit"], revenue["unit_en"], revenue["unit_ru"]) == ("₽", "₽", "руб.")
    assert fields["staff"]["label_ru"] == ""  # nobody translated it


def test_accept_language_picks_the_plain_texts(api, wkeys, bilingual):  # noqa: F811
    response = api(wkeys.unit).get(URL, HTTP_ACCEPT_LANGUAGE="ru")
    assert "Accept-Language" in response["Vary"]
    template, fields = _fields(response.json())
    assert template["name"] == "Продажи" and template["name_en"] == "Sales"
    assert fields["revenue"]["label"] == "Выручка" and fields["revenue"]["unit"] == "руб."
    assert fields["staff"]["label"] == "Staff"  # no Russian: the English one


def test_value_errors_name_fields_in_the_request_language(api, wkeys, network, bilingual):  # noqa: F811
    client = api(wkeys.unit)
    created = _create(client, network, bilingual, {"revenue": 100})
    path = f"/api/v1/submissions/{created.json()['id']}/"
    english = problem(send(client, "post", f"{path}submit/"), 400)
    assert "Receipts" in " ".join(english["errors"]["values"]["receipts"])
    russian = problem(send(client, "post", f"{path}submit/", HTTP_ACCEPT_LANGUAGE="ru"), 400)
    text = " ".join(russian["errors"]["values"]["receipts"])
    assert "Чеки" in text and "Receipts" not in text
    # Over the maximum, with the Russian unit in the limit.
    bad = send(
        client,
        "patch",
        path,
        {"values": {"revenue": -5}},
        HTTP_IF_MATCH=created["ETag"],
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert "руб." in " ".join(problem(bad, 400)["errors"]["values"]["revenue"])


def test_schema_documents_both_languages(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml"))
    text = (tmp_path / "s.yaml").read_text()
    for name in ("label_en:", "label_ru:", "name_ru:", "unit_ru:"):
        assert name in text, name
    assert "Accept-Language" in text
