"""The one guarded reader for every XLSX, CSV and ZIP the portal reads.

An XLSX is a ZIP of XML parts, and a 99 KB upload can unpack to hundreds of megabytes (a zip
bomb), declare entities that expand a thousandfold (billion laughs) or claim a million rows.
A parser handed such a file spends the worker's memory and minutes before any check of ours
runs, so everything is checked BEFORE a parser sees it, and again while streaming:

1. the raw size (``max_bytes``);
2. the ZIP's end record and central directory: member count, encryption, compression method,
   declared uncompressed sizes and ratios (per member and overall);
3. every member inflated once as a stream, counting the bytes really produced (declared sizes
   can lie) and checking the CRC; every XML part's prolog read by defusedxml with DTDs
   forbidden, which is where entity bombs live (an XLSX part never needs a DTD), and its
   rows counted (openpyxl parses a whole sheet without a `<dimension>` just to size it);
4. only then openpyxl, in read-only mode, with the sheet's declared dimension checked and rows,
   columns and cell lengths counted while streaming.

CSV: the encoding is found by a streaming decode, then rows, columns and cells are counted while
streaming, and no line longer than a full row may be read into memory.

Limit errors can come in the middle of a stream: callers read everything before writing
anything. Every error is an ``UnsafeFile`` whose message is translated and safe to show.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import struct
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from . import safe_zip
from .safe_zip import CHUNK

DEFAULT_ENCODINGS = ("utf-8-sig", "cp1251")
ENCODING_NAMES = {"utf-8-sig": "UTF-8", "utf-8": "UTF-8", "cp1251": "Windows-1251"}
#: Members unpacking to less than this cannot hurt, whatever their ratio (tiny XML parts of an
#: ordinary workbook compress 100-fold at times).
RATIO_FLOOR = 2**20
#: A central directory entry is 46 bytes plus name and extras; more per entry means junk.
CENTRAL_ENTRY_MAX = 1024


class UnsafeFile(ValueError):
    """A file refused before (or while) reading it; ``message`` is for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Limits:
    """Defaults fit imports; a call site passes its own (``Limits(max_rows=500)``)."""

    max_bytes: int = 20 * 2**20  # compressed / raw upload size
    max_uncompressed: int = 100 * 2**20  # sum of member sizes in a zip container
    max_ratio: int = 100  # per member and overall
    max_members: int = 1000
    max_rows: int = 100_000
    max_cols: int = 200
    max_cell: int = 10_000  # characters in one cell


def clip(value, limit: int = 80) -> str:
    """The value for an error message: one line, at most ``limit`` characters and "…"."""
    text = "" if value is None else str(value)
    clipped = " ".join(text[: limit + 1].split())
    if len(text) <= limit:
        return clipped
    return clipped[:limit].rstrip() + "…"


def _size(n: int) -> str:
    amount, unit = (n / 2**20, _("MB")) if n >= 2**20 else (n / 2**10, _("KB"))
    amount = int(amount) if amount == int(amount) else round(amount, 1)
    return f"{number_format(amount)} {unit}"


def _count(n: int) -> str:
    return number_format(n, force_grouping=True)


# Messages --------------------------------------------------------------------------------------


def _too_large(limit: int) -> UnsafeFile:
    return UnsafeFile(_("The file is too large (over %(limit)s).") % {"limit": _size(limit)})


def _too_large_unpacked(limit: int) -> UnsafeFile:
    return UnsafeFile(
        _("The file is too large once unpacked (over %(limit)s).") % {"limit": _size(limit)}
    )


def _damaged() -> UnsafeFile:
    return UnsafeFile(_("The file is damaged: its contents do not match its table of contents."))


def _too_many_lines(limit: int) -> UnsafeFile:
    return UnsafeFile(_("The file has too many lines (over %(max)s).") % {"max": _count(limit)})


def _too_many_columns(line: int, limit: int) -> UnsafeFile:
    return UnsafeFile(
        _("Line %(line)s has too many columns (over %(max)s).")
        % {"line": _count(line), "max": _count(limit)}
    )


def _cell_too_long(line: int, limit: int) -> UnsafeFile:
    return UnsafeFile(
        _("Line %(line)s: a cell is longer than %(max)s characters.")
        % {"line": _count(line), "max": _count(limit)}
    )


def _not_xlsx() -> UnsafeFile:
    return UnsafeFile(_("The file is not a readable XLSX workbook."))


def _not_zip() -> UnsafeFile:
    return UnsafeFile(_("The file is not a readable ZIP archive."))


# Sources ---------------------------------------------------------------------------------------


class _Source:
    """A seekable binary handle on a path, bytes, a Django File or any file object, its real
    size checked against ``max_bytes`` before anything is read. Closes only what it opened."""

    def __init__(self, file, limits: Limits):
        self._owned = None
        if isinstance(file, (str, os.PathLike)):
            self.handle = self._owned = open(file, "rb")  # noqa: SIM115 - closed by close()
        elif isinstance(file, (bytes, bytearray, memoryview)):
            self.handle = io.BytesIO(file)
        else:
            if getattr(file, "closed", False) and hasattr(file, "open"):
                file.open("rb")  # a Django File or FieldFile closed after upload
            self.handle = file
            if not _seekable(file):
                self.handle = self._owned = _spool(file, limits.max_bytes)
        self.handle.seek(0, os.SEEK_END)
        self.size = self.handle.tell()
        self.handle.seek(0)
        if self.size > limits.max_bytes:
            self.close()
            raise _too_large(limits.max_bytes)

    def close(self) -> None:
        if self._owned is not None:
            self._owned.close()
            self._owned = None


def _seekable(file) -> bool:
    try:
        return bool(file.seekable())
    except (AttributeError, OSError, ValueError):
        return False


def _spool(file, max_bytes: int):
    spooled = tempfile.SpooledTemporaryFile(max_size=5 * 2**20)  # noqa: SIM115
    copied = 0
    while chunk := file.read(CHUNK):
        copied += len(chunk)
        if copied > max_bytes:
            spooled.close()
            raise _too_large(max_bytes)
        spooled.write(chunk)
    return spooled


# ZIP containers --------------------------------------------------------------------------------


def _check_directory(infos: list[zipfile.ZipInfo], size: int, limits: Limits) -> None:
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise UnsafeFile(_("The file is protected by a password and cannot be read."))
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise UnsafeFile(_("The file uses a compression method that is not supported."))
        total += info.file_size
        if total > limits.max_uncompressed:
            raise _too_large_unpacked(limits.max_uncompressed)
        if info.file_size > RATIO_FLOOR and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            raise _too_dense(limits.max_ratio)
    if total > RATIO_FLOOR and total > limits.max_ratio * max(size, 1):
        raise _too_dense(limits.max_ratio)


def _too_dense(ratio: int) -> UnsafeFile:
    return UnsafeFile(
        _(
            "The file unpacks to over %(ratio)s times its size, which is how zip bombs are "
            "made; it was not read."
        )
        % {"ratio": _count(ratio)}
    )


def _checked_zip(source: _Source, limits: Limits, unreadable) -> list[zipfile.ZipInfo]:
    handle = source.handle
    try:
        entries, cd_size = safe_zip.end_record(handle, source.size)
    except (safe_zip.Damaged, struct.error, OSError) as error:
        raise unreadable() from error
    if entries > limits.max_members or cd_size > limits.max_members * CENTRAL_ENTRY_MAX:
        raise _too_many_members(limits.max_members)
    handle.seek(0)
    try:
        infos = zipfile.ZipFile(handle).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as error:
        raise unreadable() from error
    if len(infos) > limits.max_members:
        raise _too_many_members(limits.max_members)
    _check_directory(infos, source.size, limits)
    for info in infos:
        try:
            rows = safe_zip.scan_member(handle, info)
        except safe_zip.Oversized as error:
            raise UnsafeFile(
                _("A part inside the file unpacks to more than it declares; it was not read.")
            ) from error
        except safe_zip.EntityDeclared as error:
            raise UnsafeFile(
                _("The file contains XML with entity declarations, which are not allowed.")
            ) from error
        except (safe_zip.Damaged, OSError) as error:
            raise _damaged() from error
        if rows > limits.max_rows:  # before openpyxl would parse a sheet to size it
            raise _too_many_lines(limits.max_rows)
    handle.seek(0)
    return infos


def _too_many_members(limit: int) -> UnsafeFile:
    return UnsafeFile(
        _("The file holds too many parts inside (over %(max)s).") % {"max": _count(limit)}
    )


def zip_members(file, *, limits: Limits | None = None) -> list[zipfile.ZipInfo]:
    """The members of a checked ZIP container; open them with ``zipfile.ZipFile(file)``
    afterwards (zipfile never inflates a member past the size checked here)."""
    limits = limits or Limits()
    source = _Source(file, limits)
    try:
        return _checked_zip(source, limits, _not_zip)
    finally:
        source.close()


# XLSX ------------------------------------------------------------------------------------------


def xlsx_sheets(file, *, limits: Limits | None = None) -> Iterator[tuple[str, Iterator[tuple]]]:
    """(title, rows) of every worksheet, after one container check (text extraction)."""
    limits = limits or Limits()
    source = _Source(file, limits)
    try:
        book = _open_workbook(source, limits)
    except BaseException:
        source.close()
        raise
    return _each_sheet(book, source, limits)


def _each_sheet(book, source: _Source, limits: Limits):
    try:
        for sheet in book.worksheets:
            yield sheet.title, _rows(sheet, limits)
    finally:
        book.close()
        source.close()


def xlsx_rows(file, *, limits: Limits | None = None, sheet: str | None = None) -> Iterator[tuple]:
    """Rows of one worksheet (the first by default) as tuples of values (dates as datetime,
    numbers as int/float). The container is checked now; rows are counted while streaming."""
    limits = limits or Limits()
    source = _Source(file, limits)
    try:
        book = _open_workbook(source, limits)
        try:
            worksheet = book[sheet] if sheet is not None else book.worksheets[0]
        except (KeyError, IndexError) as error:
            book.close()
            if sheet is None:
                raise UnsafeFile(_("The workbook has no sheets.")) from error
            raise UnsafeFile(
                _("The workbook has no sheet “%(name)s”.") % {"name": clip(sheet)}
            ) from error
    except BaseException:
        source.close()
        raise
    return _closing(_rows(worksheet, limits), book, source)


def _closing(rows, book, source: _Source):
    try:
        yield from rows
    finally:
        book.close()
        source.close()


def _open_workbook(source: _Source, limits: Limits):
    from openpyxl import load_workbook

    if source.handle.read(4) != b"PK\x03\x04":
        raise _not_xlsx()
    source.handle.seek(0)
    _checked_zip(source, limits, _not_xlsx)
    try:
        return load_workbook(source.handle, read_only=True, data_only=True, keep_links=False)
    except Exception as error:  # hostile input: openpyxl raises whatever it meets
        raise _not_xlsx() from error


def _rows(worksheet, limits: Limits) -> Iterator[tuple]:
    """The declared dimension refuses a huge sheet at once; it can lie, so it is then dropped
    (openpyxl would otherwise cut rows past it silently) and the stream itself is counted."""
    if (worksheet.max_row or 0) > limits.max_rows:
        raise _too_many_lines(limits.max_rows)
    if (worksheet.max_column or 0) > limits.max_cols:
        raise _too_many_columns(1, limits.max_cols)
    worksheet.reset_dimensions()
    return _counted_rows(worksheet, limits)


def _counted_rows(worksheet, limits: Limits) -> Iterator[tuple]:
    number = 0
    try:
        for number, row in enumerate(worksheet.iter_rows(values_only=True), start=1):  # noqa: B007
            if number > limits.max_rows:
                raise _too_many_lines(limits.max_rows)
            if len(row) > limits.max_cols:
                raise _too_many_columns(number, limits.max_cols)
            for value in row:
                if isinstance(value, str) and len(value) > limits.max_cell:
                    raise _cell_too_long(number, limits.max_cell)
            yield tuple(row)
    except UnsafeFile:
        raise
    except Exception as error:  # a malformed cell deep in a hostile sheet
        raise UnsafeFile(
            _("The workbook cannot be read after line %(line)s.") % {"line": _count(number)}
        ) from error


# Text and CSV ----------------------------------------------------------------------------------


def _not_text() -> UnsafeFile:
    return UnsafeFile(_("The file is not plain text: it contains binary data."))


def _wrong_encoding(encodings) -> UnsafeFile:
    names = ", ".join(dict.fromkeys(ENCODING_NAMES.get(e, e) for e in encodings))
    return UnsafeFile(
        _("The file's text encoding is not recognised; save it as %(encodings)s.")
        % {"encodings": names}
    )


def text_decode(data: bytes, encodings=DEFAULT_ENCODINGS) -> str:
    """The text in the first encoding that decodes all of it; binary data is refused."""
    if b"\x00" in data:
        raise _not_text()
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _wrong_encoding(encodings)


def _stream_encoding(handle, encodings) -> str:
    """text_decode's choice made over a stream, without holding the text."""
    for encoding in encodings:
        handle.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            while chunk := handle.read(CHUNK):
                if b"\x00" in chunk:
                    raise _not_text()
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        handle.seek(0)
        return encoding
    raise _wrong_encoding(encodings)


class _Borrowed(io.RawIOBase):
    """The caller's file as TextIOWrapper wants it; closing the wrapper leaves the file open."""

    def __init__(self, handle):
        super().__init__()
        self._handle = handle

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._handle.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        return self._handle.seek(offset, whence)

    def tell(self) -> int:
        return self._handle.tell()


def csv_rows(
    file, *, limits: Limits | None = None, encodings=DEFAULT_ENCODINGS, delimiter=None
) -> Iterator[list[str]]:
    """Rows of a CSV as lists of strings; the delimiter (`,` `;` or tab) is guessed from the
    start when not given. Size and encoding are checked now, the rest while streaming."""
    limits = limits or Limits()
    source = _Source(file, limits)
    try:
        encoding = _stream_encoding(source.handle, encodings)
        text = io.TextIOWrapper(
            io.BufferedReader(_Borrowed(source.handle)), encoding=encoding, newline=""
        )
        if delimiter is None:
            sample = text.read(4096)
            text.seek(0)
            delimiter = max((",", ";", "\t"), key=sample.count)
    except BaseException:
        source.close()
        raise
    return _csv_stream(text, delimiter, source, limits)


def _csv_stream(text, delimiter: str, source: _Source, limits: Limits):
    number = 0
    # A line longer than a full row of full cells is refused before it is held in memory.
    line_cap = limits.max_cols * (limits.max_cell + 3) + 2
    try:
        reader = csv.reader(_capped_lines(text, line_cap, limits), delimiter=delimiter)
        for number, row in enumerate(reader, start=1):  # noqa: B007
            if number > limits.max_rows:
                raise _too_many_lines(limits.max_rows)
            if len(row) > limits.max_cols:
                raise _too_many_columns(number, limits.max_cols)
            if any(len(cell) > limits.max_cell for cell in row):
                raise _cell_too_long(number, limits.max_cell)
            yield row
    except csv.Error as error:
        if "field larger than field limit" in str(error):  # csv's own cap (131,072)
            raise _cell_too_long(number + 1, limits.max_cell) from error
        raise UnsafeFile(
            _("Line %(line)s cannot be read as CSV.") % {"line": _count(number + 1)}
        ) from error
    finally:
        source.close()


def _capped_lines(text, cap: int, limits: Limits) -> Iterator[str]:
    number = 0
    while line := text.readline(cap):
        number += 1
        if len(line) == cap and not line.endswith(("\n", "\r")):
            raise _cell_too_long(number, limits.max_cell)
        yield line
