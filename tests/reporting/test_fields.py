"""Field validation with the messages users see, and formulas checked at authoring time."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from reporting.forms import ReportForm
from reporting.formulas import FormulaError, evaluate, evaluate_all, parse_formula
from reporting.models import ReportField, ReportTemplate
from reporting.services import template_definitions

from .conftest import SALES_FIELDS


@pytest.mark.parametrize(
    "formula",
    [
        "__import__('os').system('id')",
        "revenue ** 2",
        "revenue.real",
        "open('x')",
        "a if b else c",
        "revenue < 3",
        "'text'",
        "[1][0]",
        "lambda: 1",
        "True + 1",
    ],
)
def test_dangerous_or_unsupported_formulas_are_refused(formula):
    with pytest.raises(FormulaError):
        parse_formula(formula)


def test_syntax_error_message_names_the_problem():
    with pytest.raises(FormulaError, match="not valid"):
        parse_formula("revenue / (receipts")


def test_evaluate_arithmetic_and_missing_inputs():
    assert evaluate("revenue / receipts", {"revenue": Decimal(1000), "receipts": 4}) == 250
    assert evaluate("-(a - 2) * 3 + 1.5", {"a": Decimal(1)}) == Decimal("4.5")
    assert evaluate("a / b", {"a": 1, "b": 0}) is None
    assert evaluate("a + b", {"a": 1}) is None


def test_evaluate_all_follows_dependencies():
    defs = [
        {"key": "b", "kind": "decimal", "formula": "a * 2"},
        {"key": "c", "kind": "decimal", "formula": "b + 1"},
    ]
    values = evaluate_all(list(reversed(defs)), {"a": Decimal(3)})
    assert values["b"] == Decimal(6) and values["c"] == Decimal(7)


def _definitions(db_template):
    return template_definitions(db_template)


@pytest.fixture
def defs(sales):
    return _definitions(sales)


def test_submit_requires_required_fields_with_readable_messages(defs):
    form = ReportForm({"revenue": "", "receipts": "10"}, definitions=defs, require=True)
    assert not form.is_valid()
    assert form.errors["revenue"] == ["Fill in Revenue."]
    assert form.errors["staff"] == ["Fill in Staff."]
    assert "comment" not in form.errors  # optional
    assert "average_check" not in form.fields  # computed, not entered


def test_draft_skips_required_but_checks_types_and_bounds(defs):
    form = ReportForm(
        {
            "revenue": "-5",
            "receipts": "2.5",
            "staff": "500",
            "open_sundays": "maybe",
            "format": "Mall",
        },
        definitions=defs,
        require=False,
    )
    assert not form.is_valid()
    assert form.errors["revenue"] == ["Must be at least 0 ₽."]
    assert form.errors["receipts"] == ["Enter a whole number."]
    assert form.errors["staff"] == ["Must be at most 200."]
    assert form.errors["open_sundays"] == ["Answer yes or no."]
    assert form.errors["format"] == ["Choose one of the options."]


def test_money_decimal_places_and_text(defs):
    form = ReportForm(
        {"revenue": "10.123", "receipts": "3", "staff": "4", "comment": "ок"},
        definitions=defs,
    )
    assert not form.is_valid()
    assert form.errors["revenue"] == ["Use at most 2 digits after the decimal point."]
    ok = ReportForm(
        {"revenue": "1000.50", "receipts": "3", "staff": "4", "open_sundays": "yes"},
        definitions=defs,
    )
    assert ok.is_valid(), ok.errors
    assert ok.cleaned_data["open_sundays"] is True
    assert ok.cleaned_data["revenue"] == Decimal("1000.50")


def test_field_clean_rejects_bad_formula_and_bounds(db):
    template = ReportTemplate.objects.create(name="T", slug="t")
    field = ReportField(template=template, key="x", label="X", kind="money", formula="a ** 2")
    with pytest.raises(ValidationError) as error:
        field.full_clean()
    assert error.value.message_dict["formula"] == [
        "Only + - * / and brackets are allowed in a formula."
    ]
    field = ReportField(
        template=template, key="x", label="X", kind="integer", min_value=5, max_value=1
    )
    with pytest.raises(ValidationError) as error:
        field.full_clean()
    assert error.value.message_dict["max_value"] == ["The maximum is below the minimum."]
    field = ReportField(template=template, key="x", label="X", kind="text", formula="a + 1")
    with pytest.raises(ValidationError) as error:
        field.full_clean()
    assert "Only number" in error.value.message_dict["formula"][0]


#: The admin edits each text in both languages: the English columns are the canonical ones.
BILINGUAL = ("label", "help_text", "unit", "choices")


def _admin_data(fields):
    data = {
        "name_en": "Sales",
        "slug": "sales-admin",
        "period_kind": "monthly",
        "due_days": "5",
        "is_active": "on",
        "fields-TOTAL_FORMS": str(len(fields)),
        "fields-INITIAL_FORMS": "0",
        "fields-MIN_NUM_FORMS": "0",
        "fields-MAX_NUM_FORMS": "1000",
    }
    for i, f in enumerate(fields):
        for k, v in f.items():
            data[f"fields-{i}-{k}_en" if k in BILINGUAL else f"fields-{i}-{k}"] = v
        data[f"fields-{i}-ORDER"] = str(i + 1)
        data.setdefault(f"fields-{i}-required", "on")
    return data


def _admin_form(data):
    form_class = ReportTemplate.snippet_viewset._edit_handler.get_form_class()
    return form_class(data, instance=ReportTemplate())


@pytest.mark.django_db
def test_admin_form_rejects_formula_over_unknown_or_text_fields():
    form = _admin_form(
        _admin_data(
            [
                {"key": "revenue", "label": "Revenue", "kind": "money"},
                {"key": "note", "label": "Note", "kind": "text"},
                {"key": "avg", "label": "Avg", "kind": "money", "formula": "revenue / receits"},
                {"key": "odd", "label": "Odd", "kind": "money", "formula": "note * 2"},
            ]
        )
    )
    assert not form.is_valid()
    forms = form.formsets["fields"].forms
    assert forms[2].errors["formula"] == [
        "Unknown field in the formula: receits. Use the keys of number fields."
    ]
    assert forms[3].errors["formula"] == [
        "Unknown field in the formula: note. Use the keys of number fields."
    ]


@pytest.mark.django_db
def test_admin_form_rejects_cycles_and_duplicate_keys_and_accepts_good_template():
    bad = _admin_form(
        _admin_data(
            [
                {"key": "a", "label": "A", "kind": "decimal", "formula": "b + 1"},
                {"key": "b", "label": "B", "kind": "decimal", "formula": "a + 1"},
                {"key": "b", "label": "B again", "kind": "decimal"},
            ]
        )
    )
    assert not bad.is_valid()
    forms = bad.formsets["fields"].forms
    assert "refers to its own field" in forms[0].errors["formula"][0]
    assert forms[2].errors["key"] == ["Another field already uses the key “b”."]
    good = _admin_form(
        _admin_data(
            [
                {k: v for k, v in f.items() if k not in ("required", "min_value", "max_value")}
                | ({"choices": f["choices"]} if "choices" in f else {})
                for f in SALES_FIELDS
            ]
        )
    )
    assert good.is_valid(), (good.errors, [f.errors for f in good.formsets["fields"].forms])
    template = good.save()
    assert template.fields.get(key="average_check").formula == "revenue / receipts"


def test_editors_may_author_templates_in_the_admin(network, client_for):
    client = client_for(network.editor)
    response = client.get("/admin/snippets/reporting/reporttemplate/add/")
    assert response.status_code == 200
    assert b"Computed formula" in response.content
    assert client_for(network.owner).get(
        "/admin/snippets/reporting/reporttemplate/"
    ).status_code in (
        302,
        403,
    )
