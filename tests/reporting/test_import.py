"""Spreadsheet upload: good files, bad lines (numbered, nothing saved), not a sheet, huge."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from reporting.models import Submission, Value

from .conftest import form_url


def _xlsx(rows):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client, unit, template, period, name, data):
    return client.post(
        form_url(unit, template, period) + "upload/",
        {"file": SimpleUploadedFile(name, data)},
        follow=True,
    )


def test_downloadable_template_round_trip(network, client_for, sales, period):
    client = client_for(network.owner)
    response = client.get(form_url(network.unit, sales, period) + "template.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[0] == ["key", "label", "unit", "value"]
    keys = [r[0] for r in rows[1:]]
    assert "revenue" in keys and "average_check" not in keys  # computed: not uploaded
    filled = [rows[0]] + [
        [r[0], r[1], r[2], {"revenue": 5000, "receipts": 20, "staff": 4}.get(r[0])]
        for r in rows[1:]
    ]
    page = _upload(client, network.unit, sales, period, "march.xlsx", _xlsx(filled))
    assert "figures loaded" in page.content.decode()
    sub = Submission.objects.get()
    assert sub.status == "draft"
    values = {v.field_key: v.number for v in Value.objects.filter(submission=sub)}
    assert values["revenue"] == 5000 and values["average_check"] == 250


def test_good_csv_with_semicolons_and_decimal_commas(network, client_for, sales, period):
    data = "key;label;unit;value\nrevenue;Выручка;₽;1 234,50\nreceipts;;;10\nstaff;;;3\n"
    data += "open_sundays;;;да\n"
    page = _upload(client_for(network.owner), network.unit, sales, period, "m.csv", data.encode())
    assert "4 figures loaded" in page.content.decode()
    values = {v.field_key: v.number for v in Value.objects.all()}
    assert float(values["revenue"]) == 1234.5 and values["open_sundays"] == 1


def test_bad_lines_are_numbered_and_nothing_is_saved(network, client_for, sales, period):
    rows = [
        ["key", "label", "unit", "value"],
        ["revenue", "", "", "lots"],
        ["receipts", "", "", 12],
        ["staff", "", "", 999],
        ["colour", "", "", "red"],
        ["receipts", "", "", 13],
    ]
    page = _upload(
        client_for(network.owner), network.unit, sales, period, "bad.xlsx", _xlsx(rows)
    ).content.decode()
    assert "Line 2 (Revenue): Enter a number." in page
    assert "Line 4 (Staff): Must be at most 200." in page
    assert "Line 5: unknown field “colour”." in page
    assert "Line 6: Receipts already given on line 3." in page
    assert "Nothing was saved" in page
    assert not Submission.objects.exists() and not Value.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("figures.pdf", b"%PDF-1.4 ...", "Upload an XLSX or CSV file"),
        ("figures.xlsx", b"this is not a workbook", "not a readable XLSX workbook"),
        ("figures.xlsx", b"PK\x03\x04broken zip", "not a readable XLSX workbook"),
        ("figures.csv", b"\x00\x01\x02binary", "not plain text"),
    ],
)
def test_not_a_spreadsheet(network, client_for, sales, period, name, data, message):
    page = _upload(client_for(network.owner), network.unit, sales, period, name, data)
    assert message in page.content.decode()
    assert not Submission.objects.exists()


def test_huge_file_is_refused(network, client_for, sales, period, settings):
    settings.REPORTING_IMPORT_MAX_BYTES = 10_000
    data = ("key,label,unit,value\n" + "revenue,,,1\n" * 2000).encode()
    page = _upload(client_for(network.owner), network.unit, sales, period, "big.csv", data)
    assert "The file is too large" in page.content.decode()
    settings.REPORTING_IMPORT_MAX_BYTES = 10_000_000
    page = _upload(client_for(network.owner), network.unit, sales, period, "long.csv", data)
    assert "too many lines" in page.content.decode()
    assert not Submission.objects.exists()


def test_upload_refused_after_submit(network, client_for, sales, period):
    client = client_for(network.owner)
    client.post(
        form_url(network.unit, sales, period),
        {"revenue": "1", "receipts": "1", "staff": "1", "action": "submit"},
    )
    page = _upload(
        client, network.unit, sales, period, "m.csv", b"key,label,unit,value\nrevenue,,,5\n"
    )
    assert "can no longer be changed" in page.content.decode()
    assert Value.objects.get(field_key="revenue").number == 1
