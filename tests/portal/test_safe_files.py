"""The guarded reader: hostile files refused fast, in little memory, with a clear message;
ordinary files read as they are (values, dates, numbers, Cyrillic in either encoding)."""

import datetime as dt
import io
import struct
import time
import tracemalloc
import zipfile
from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.utils import translation
from openpyxl import Workbook

from portal.safe_files import (
    Limits,
    UnsafeFile,
    clip,
    csv_rows,
    text_decode,
    xlsx_rows,
    xlsx_sheets,
    zip_members,
)

from . import hostile_files as hostile

SECONDS = 3.0
MEGABYTES = 50


@contextmanager
def refused(match: str, *, seconds: float = SECONDS, megabytes: int = MEGABYTES):
    """The block raises UnsafeFile with ``match`` in its message, quickly and in little memory
    (tracemalloc's peak: every Python allocation, zlib's output included)."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(UnsafeFile) as caught:
            yield caught
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert match in caught.value.message
    assert str(caught.value) == caught.value.message
    assert elapsed < seconds, f"{elapsed:.2f} s"
    assert peak < megabytes * 2**20, f"{peak / 2**20:.1f} MB"


@pytest.fixture(scope="module")
def bomb():
    data = hostile.shared_strings_bomb()
    assert len(data) < 110 * 1024  # ~99 KB on disk
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.getinfo("xl/sharedStrings.xml").file_size > 96 * 2**20
    return data


# Hostile files ---------------------------------------------------------------------------------


def test_shared_strings_bomb_is_refused_before_openpyxl_loads_it(bomb):
    with refused("over 100 times its size"):
        xlsx_rows(bomb)  # refused at the call: the container is checked before any row


def test_bomb_within_the_ratio_is_still_bounded_by_the_unpacked_size():
    data = hostile.big_unpacked(120)
    with refused("The file is too large once unpacked (over 100 MB)."):
        zip_members(data, limits=Limits(max_ratio=10_000))


def test_billion_laughs_part_is_refused():
    data = hostile.billion_laughs()  # built before the clock starts
    with refused("entity declarations"):
        list(xlsx_rows(data))


@pytest.mark.parametrize("dimension", [True, False], ids=["declared", "undeclared"])
def test_million_row_sheet_is_refused(dimension):
    data = hostile.long_sheet(1_000_000, dimension=dimension)
    assert len(data) < 5 * 2**20
    with refused("The file has too many lines (over 100,000)."):
        list(xlsx_rows(data))


def test_rows_are_counted_while_streaming_when_the_sheet_hides_them():
    # One row numbered a million: little XML, but openpyxl would yield 999,999 empty rows.
    sheet = hostile.ONE_CELL_SHEET.replace('r="1"', 'r="1000000"').replace("A1", "A1000000")
    data = hostile.workbook(sheet=sheet)  # built before the clock starts
    with refused("too many lines (over 1,000)"):
        list(xlsx_rows(data, limits=Limits(max_rows=1000)))


def test_wide_row_and_long_cell_in_a_sheet():
    sheet = hostile.ONE_CELL_SHEET.replace("A1", "XFD1")
    data = hostile.workbook(sheet=sheet)  # built before the clock starts
    with refused("Line 1 has too many columns (over 200)."):
        list(xlsx_rows(data))
    strings = hostile.ONE_STRING.replace("ok", "x" * 10_001)
    data = hostile.workbook(strings=strings)  # built before the clock starts
    with refused("Line 1: a cell is longer than 10,000 characters."):
        list(xlsx_rows(data))


def test_zip_with_ten_thousand_members():
    data = hostile.many_members(10_000)  # built before the clock starts
    with refused("too many parts inside (over 1,000)"):
        zip_members(data)


def test_member_lying_about_its_size():
    data = hostile.lying_member(actual=50 * 2**20, declared=1000)
    assert len(data) < 100 * 1024
    with refused("unpacks to more than it declares"):
        zip_members(data)
    with refused("unpacks to more than it declares"):
        xlsx_rows(data)


def test_damaged_and_foreign_containers():
    good = hostile.workbook()
    at = good.index(b"PK\x01\x02")  # flip one byte of the CRC in the central directory
    broken = bytearray(good)
    broken[at + 16] ^= 0xFF
    with refused("The file is damaged"):
        zip_members(bytes(broken))
    for data in (b"not a zip at all", b"PK\x03\x04broken"):
        with refused("not a readable XLSX workbook"):
            xlsx_rows(data)
        with refused("not a readable ZIP archive"):
            zip_members(data)
    encrypted = bytearray(hostile.many_members(1))
    central = encrypted.rfind(b"PK\x01\x02")
    struct.pack_into("<H", encrypted, central + 8, 1)
    with refused("protected by a password"):
        zip_members(bytes(encrypted))


def test_raw_size_is_checked_first():
    with refused("The file is too large (over 1 KB)."):
        csv_rows(b"a,b\n" * 1000, limits=Limits(max_bytes=1024))
    with refused("The file is too large (over 1 KB)."):
        xlsx_rows(
            hostile.workbook(sheet=hostile.ONE_CELL_SHEET + " " * 4096),
            limits=Limits(max_bytes=1024),
        )


def test_csv_with_a_one_megabyte_cell():
    data = b"name,value\n" + b"x" * 2**20 + b",1\n"
    with refused("Line 2: a cell is longer than 10,000 characters."):
        list(csv_rows(data))
    quoted = b'name,value\n"' + b"y\n" * 2**19 + b'",1\n'  # one field across many lines
    with refused("a cell is longer than 10,000 characters"):
        list(csv_rows(quoted))


def test_csv_rows_and_columns_are_limited_while_streaming():
    with refused("too many lines (over 10)"):
        list(csv_rows(b"1,2\n" * 11, limits=Limits(max_rows=10)))
    with refused("Line 2 has too many columns (over 3)."):
        list(csv_rows(b"a,b,c\n1,2,3,4\n", limits=Limits(max_cols=3)))
    # a line with no end is not read into memory whole
    with refused("a cell is longer than 10 characters", megabytes=5):
        list(csv_rows(b"a," * 2**20, limits=Limits(max_cell=10, max_cols=2)))


def test_wrong_encoding_and_binary_data():
    cyrillic = "Выручка;1\n".encode("cp1251")
    with refused("text encoding is not recognised; save it as UTF-8."):
        csv_rows(cyrillic, encodings=("utf-8",))
    with refused("not plain text"):
        csv_rows("a,b\n".encode("utf-16"))
    with pytest.raises(UnsafeFile, match="save it as UTF-8"):
        text_decode(b"\xff\xfe\xfa", encodings=("utf-8-sig",))
    with pytest.raises(UnsafeFile, match="not plain text"):
        text_decode(b"ab\x00cd")


def test_messages_are_translated():
    with translation.override("ru"), pytest.raises(UnsafeFile) as caught:
        zip_members(hostile.big_unpacked(120), limits=Limits(max_ratio=10_000))
    assert caught.value.message == "Файл слишком велик после распаковки (более 100 МБ)."


# Ordinary files --------------------------------------------------------------------------------


def _workbook_bytes() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Март"
    sheet.append(["key", "label", "value", "when"])
    sheet.append(["revenue", "Выручка", 1234.5, dt.date(2026, 3, 31)])
    sheet.append(["receipts", "Чеки", 20, dt.datetime(2026, 3, 1, 9, 30)])
    second = book.create_sheet("Notes")
    second.append(["ООО «Ромашка»"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_ordinary_workbook_values_dates_numbers_and_cyrillic(tmp_path):
    data = _workbook_bytes()
    path = tmp_path / "march.xlsx"
    path.write_bytes(data)
    for source in (data, io.BytesIO(data), path, str(path), SimpleUploadedFile("m.xlsx", data)):
        rows = list(xlsx_rows(source))
        assert rows == [
            ("key", "label", "value", "when"),
            ("revenue", "Выручка", 1234.5, dt.datetime(2026, 3, 31)),
            ("receipts", "Чеки", 20, dt.datetime(2026, 3, 1, 9, 30)),
        ]
    assert list(xlsx_rows(data, sheet="Notes")) == [("ООО «Ромашка»",)]
    assert [(title, list(rows)) for title, rows in xlsx_sheets(data)][1] == (
        "Notes",
        [("ООО «Ромашка»",)],
    )
    with pytest.raises(UnsafeFile, match="no sheet “Nope”"):
        xlsx_rows(data, sheet="Nope")
    names = [info.filename for info in zip_members(data)]
    assert "xl/workbook.xml" in names


def test_cp1251_csv_with_semicolons_and_quotes(tmp_path):
    text = 'key;label;value\nrevenue;"ООО ""Ромашка""";1 234,50\nstaff;Штат;3\n'
    data = text.encode("cp1251")
    upload = TemporaryUploadedFile("m.csv", "text/csv", len(data), "cp1251")
    upload.write(data)
    upload.seek(0)
    expected = [
        ["key", "label", "value"],
        ["revenue", 'ООО "Ромашка"', "1 234,50"],
        ["staff", "Штат", "3"],
    ]
    assert list(csv_rows(upload)) == expected
    assert not upload.closed  # the caller's file is left open
    path = tmp_path / "m.csv"
    path.write_bytes(data)
    assert list(csv_rows(path)) == expected
    utf8 = "\ufeff" + text.replace(";", ",").replace("1 234,50", '"1 234,50"')
    assert list(csv_rows(io.BytesIO(utf8.encode()))) == expected
    assert list(csv_rows(b"a\tb\n1\t2\n")) == [["a", "b"], ["1", "2"]]
    assert text_decode("Привет".encode("cp1251")) == "Привет"


def test_clip():
    assert clip("short") == "short"
    assert clip(None) == ""
    long = clip("я" * 10_000)
    assert long == "я" * 80 + "…"
    assert clip("a\n\nb" + " " * 200) == "a b…"
    assert clip(12345) == "12345"
