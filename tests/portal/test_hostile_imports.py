"""Every import reads through the guarded reader: a zip bomb, an entity bomb and a million-row
sheet are refused by the report import, the price-list import and text extraction with a
clear message, quickly, and nothing is saved."""

import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from franchise.documents.extraction import extract_text
from orders.price_import import PriceFileError, read_rows
from portal.safe_files import UnsafeFile
from reporting.imports import ImportError_, read_lines

from . import hostile_files as hostile

pytestmark = pytest.mark.django_db

HOSTILE = {
    "zip bomb": (hostile.shared_strings_bomb, "times its size"),
    "billion laughs": (hostile.billion_laughs, "entity declarations"),
    # The report import's 2 MB limit may refuse the 5 MB sheet before its rows are counted.
    "a million rows": (hostile.long_sheet, "too many lines|too large"),
}


@pytest.fixture(scope="module", params=sorted(HOSTILE))
def hostile_file(request):
    make, message = HOSTILE[request.param]
    return make(), message


def _quickly(call):
    start = time.perf_counter()
    try:
        call()
    finally:
        assert time.perf_counter() - start < 5


def test_report_import_refuses(hostile_file):
    data, message = hostile_file
    with pytest.raises(ImportError_) as caught:
        _quickly(lambda: read_lines(SimpleUploadedFile("figures.xlsx", data)))
    assert len(caught.value.errors) == 1 and re.search(message, caught.value.errors[0])
    assert len(caught.value.errors[0]) < 200


def test_price_import_refuses(hostile_file):
    data, message = hostile_file
    with pytest.raises(PriceFileError, match=message):
        _quickly(lambda: read_rows("prices.xlsx", data))


def test_text_extraction_refuses(hostile_file):
    data, message = hostile_file
    with pytest.raises(UnsafeFile, match=message):
        _quickly(lambda: extract_text(data, "xlsx"))


def test_an_unknown_field_is_quoted_short(settings):
    from reporting.imports import parse_upload

    key = "x" * 5000
    upload = SimpleUploadedFile("f.csv", f"key,label,unit,value\n{key},,,1\n".encode())
    with pytest.raises(ImportError_) as caught:
        parse_upload(upload, [{"key": "revenue", "label": "Revenue", "kind": "money"}])
    assert len(caught.value.errors[0]) < 120
