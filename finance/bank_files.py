"""Reading bank statement files into raw lines, before anything is checked against the database.

Three layouts:

- the 1C "Client-Bank" exchange text (``1CClientBankExchange``): a header of ``Key=Value``
  lines, then one ``СекцияДокумент=…`` … ``КонецДокумента`` section per payment and a final
  ``КонецФайла``. The ``Кодировка=Windows`` / ``Кодировка=DOS`` header names the encoding
  (Windows-1251 or 866); UTF-8 files exist too. The text is decoded in every candidate and the
  decoding is accepted only where the header really reads ``Кодировка=`` with the matching
  name, so a file saved in another encoding than it says is refused by the line of that header.
- CSV and XLSX with a header row naming the date, amount and payer's INN columns (purpose,
  number, payer and recipient's INN are optional), read through ``portal.safe_files``.

Nothing here raises on one bad line: line-numbered problems are collected in
``ParsedFile.errors`` so a person sees all of them at once. A file that cannot be read at all
raises ``StatementFileError``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import gettext as _

from portal import safe_files
from portal.safe_files import Limits, UnsafeFile, clip

#: A statement of a year of a large network fits; anything bigger is not a bank statement.
LIMITS = Limits(max_bytes=20 * 2**20, max_rows=100_000, max_cols=50, max_cell=2000)
ONE_C_MARKER = "1CClientBankExchange"
#: Declared name in the header -> Python codec.
ONE_C_ENCODINGS = {"windows": "cp1251", "dos": "cp866"}


class StatementFileError(ValueError):
    """The file as a whole cannot be read; the message is for the person who uploaded it."""


@dataclass
class RawLine:
    """One payment as written in the file (text, or the cell's value for XLSX)."""

    line: int
    date: object
    amount: object
    payer_inn: object
    payer_name: str = ""
    number: str = ""
    purpose: str = ""
    #: None when the layout has no recipient (CSV/XLSX without that column).
    recipient_inn: str | None = None
    #: The line each field was read from (1C sections span many lines).
    lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, name: str) -> int:
        return self.lines.get(name, self.line)


@dataclass
class ParsedFile:
    file_format: str
    encoding: str = ""
    rows: list[RawLine] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def read_statement(name: str, data: bytes) -> ParsedFile:
    """The raw lines of an uploaded statement, by its content first and its name second."""
    if len(data) > LIMITS.max_bytes:
        raise StatementFileError(
            _("The file is larger than %(size)s MB.") % {"size": LIMITS.max_bytes // 2**20}
        )
    if not data.strip():
        raise StatementFileError(_("The file is empty."))
    head = data[:200].lstrip(b"\xef\xbb\xbf \t\r\n")
    try:
        if head.startswith(ONE_C_MARKER.encode()):
            return parse_1c(data)
        if data[:4] == b"PK\x03\x04":
            return _table("xlsx", "", safe_files.xlsx_rows(data, limits=LIMITS), numeric_cells=True)
        if name.lower().endswith((".csv", ".txt")):
            encoding = _csv_encoding(data)
            rows = safe_files.csv_rows(data, limits=LIMITS)
            return _table("csv", encoding, rows, numeric_cells=False)
    except UnsafeFile as error:
        raise StatementFileError(error.message) from error
    raise StatementFileError(
        _(
            "This is not a bank statement the portal can read: upload a 1C exchange file "
            "(1CClientBankExchange), a CSV or an XLSX."
        )
    )


def _csv_encoding(data: bytes) -> str:
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "cp1251"
    return "utf-8"


# 1C Client-Bank exchange --------------------------------------------------------------


def decode_1c(data: bytes) -> tuple[str, str]:
    """(text, codec) of a 1C exchange file; StatementFileError naming the header line when the
    bytes are not in the encoding the header declares."""
    if b"\x00" in data:
        raise StatementFileError(_("The file is not plain text: it contains binary data."))
    try:
        # Cyrillic in Windows-1251 or 866 is never valid UTF-8, so a clean UTF-8 decoding is
        # the file's encoding whatever its header says.
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    for codec in ("cp1251", "cp866"):
        try:
            candidate = data.decode(codec)
        except UnicodeDecodeError:
            continue
        declared, _line = _declared(candidate)
        if declared is not None and ONE_C_ENCODINGS.get(declared.lower()) == codec:
            return candidate, codec
    line = _encoding_line(data)
    if line:
        raise StatementFileError(
            _(
                "Line %(line)s: the file declares its encoding, but its text is not in that "
                "encoding (or not in UTF-8, Windows-1251 or DOS 866). Export the statement "
                "again from the bank's program."
            )
            % {"line": line}
        )
    raise StatementFileError(
        _(
            "The file's text is neither UTF-8 nor Windows-1251 nor DOS 866 with a matching "
            "“Кодировка=” header line. Export the statement again from the bank's program."
        )
    )


def _declared(text: str) -> tuple[str | None, int]:
    for number, line in enumerate(text.splitlines()[:40], start=1):
        key, sep, value = line.strip().partition("=")
        if sep and key == "Кодировка":
            return value.strip(), number
    return None, 0


def _encoding_line(data: bytes) -> int:
    """The number of the line that looks like the encoding header, whatever its encoding."""
    for number, line in enumerate(data.splitlines()[:40], start=1):
        key, sep, value = line.strip().partition(b"=")
        if sep and value.strip().lower() in (b"windows", b"dos", b"utf-8", b"utf8"):
            return number
    return 0


def parse_1c(data: bytes) -> ParsedFile:
    text, codec = decode_1c(data)
    parsed = ParsedFile("1c", {"utf-8": "UTF-8", "cp1251": "Windows-1251"}.get(codec, codec))
    lines = text.splitlines()
    if len(lines) > LIMITS.max_rows * 30:
        raise StatementFileError(_("The file has too many lines."))
    doc: dict | None = None
    ended = started = False
    errors = parsed.errors
    for number, raw in enumerate(lines, start=1):
        line = raw.strip().lstrip("\ufeff")
        if not line:
            continue
        if len(line) > LIMITS.max_cell:
            errors.append((number, _("The line is too long.")))
            continue
        key, sep, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if ended:
            errors.append((number, _("Text after КонецФайла.")))
            break
        if not started:
            started = line == ONE_C_MARKER
            if started:
                continue
        if line == "КонецДокумента":
            if doc is None:
                errors.append((number, _("КонецДокумента without a СекцияДокумент before it.")))
            else:
                parsed.rows.append(_document(doc))
                doc = None
        elif key == "СекцияДокумент":
            if doc is not None:
                errors.append(
                    (
                        doc["_line"],
                        _("The document has no КонецДокумента: a new one starts on line %(line)s.")
                        % {"line": number},
                    )
                )
            doc = {"_line": number, "_lines": {}}
        elif line == "КонецФайла":
            ended = True
            if doc is not None:
                errors.append((doc["_line"], _("The document has no КонецДокумента.")))
                doc = None
        elif not sep:
            if line not in ("СекцияРасчСчет", "КонецРасчСчет"):
                errors.append(
                    (number, _("“%(text)s” is not a Key=Value line.") % {"text": clip(line, 40)})
                )
        elif doc is not None:
            doc[key] = value
            doc["_lines"][key] = number
    if doc is not None:
        errors.append((doc["_line"], _("The document has no КонецДокумента.")))
    if not ended:
        errors.append(
            (len(lines), _("The file ends without КонецФайла: it may have been cut short."))
        )
    return parsed


def _document(doc: dict) -> RawLine:
    purpose = doc.get("НазначениеПлатежа") or " ".join(
        doc[key] for key in sorted(doc) if key.startswith("НазначениеПлатежа") and doc[key]
    )
    date_key = "ДатаПоступило" if doc.get("ДатаПоступило") else "Дата"
    lines = doc["_lines"]
    return RawLine(
        line=doc["_line"],
        date=doc.get(date_key, ""),
        amount=doc.get("Сумма", ""),
        payer_inn=doc.get("ПлательщикИНН", ""),
        payer_name=doc.get("Плательщик1") or doc.get("Плательщик", ""),
        number=doc.get("Номер", ""),
        purpose=purpose,
        recipient_inn=doc.get("ПолучательИНН", ""),
        lines={
            "date": lines.get(date_key, doc["_line"]),
            "amount": lines.get("Сумма", doc["_line"]),
            "payer_inn": lines.get("ПлательщикИНН", doc["_line"]),
            "recipient_inn": lines.get("ПолучательИНН", doc["_line"]),
        },
    )


# CSV and XLSX ---------------------------------------------------------------------------

COLUMNS = {
    "date": {"date", "дата", "дата платежа", "дата поступления", "paid on"},
    "amount": {"amount", "сумма", "сумма, руб.", "сумма, руб", "сумма, ₽", "сумма руб"},
    "payer_inn": {"payer inn", "payer's inn", "инн плательщика", "плательщик инн", "инн"},
    "purpose": {"purpose", "назначение", "назначение платежа"},
    "number": {"number", "номер", "№", "номер документа", "document number"},
    "payer_name": {"payer", "плательщик", "наименование плательщика"},
    "recipient_inn": {"recipient inn", "recipient's inn", "инн получателя", "получатель инн"},
}
REQUIRED = ("date", "amount", "payer_inn")


def _header_name(value) -> str:
    text = "" if value is None else str(value)
    text = text.replace("_", " ").replace("ё", "е").replace("Ё", "Е").strip().lower()
    text = re.sub(r"(?<=[a-zа-я])(?=инн)", " ", text)  # ПлательщикИНН -> плательщик инн
    text = text.replace("назначениеплатежа", "назначение платежа")
    return " ".join(text.split())


def _header(cells) -> dict[str, int] | None:
    names = [_header_name(c) for c in cells]
    found = {}
    for key, synonyms in COLUMNS.items():
        for index, name in enumerate(names):
            if name in synonyms and key not in found:
                found[key] = index
    return found if all(k in found for k in REQUIRED) else None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _table(file_format: str, encoding: str, rows, *, numeric_cells: bool) -> ParsedFile:
    parsed = ParsedFile(file_format, encoding)
    columns = None
    for number, row in enumerate(rows, start=1):
        cells = list(row)
        if columns is None:
            columns = _header(cells)
            if columns is None and number >= 10:
                break
            continue
        if not any(_text(c) for c in cells):
            continue

        parsed.rows.append(_table_line(number, cells, columns, numeric_cells))
    if columns is None:
        raise StatementFileError(
            _(
                "No header row with date, amount and payer's INN columns in the first ten "
                "lines (“Дата”, “Сумма”, “ИНН плательщика”, or “date”, “amount”, “payer INN”)."
            )
        )
    return parsed


def _table_line(number: int, cells: list, columns: dict[str, int], numeric: bool) -> RawLine:
    def cell(key):
        index = columns.get(key)
        return cells[index] if index is not None and index < len(cells) else None

    def inn(key):
        value = cell(key)
        if numeric and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = _numeric_inn(value)
        return _text(value)

    when, amount = cell("date"), cell("amount")
    return RawLine(
        line=number,
        date=when if isinstance(when, (date, datetime)) else _text(when),
        amount=amount if numeric and isinstance(amount, (int, float)) else _text(amount),
        payer_inn=inn("payer_inn"),
        payer_name=_text(cell("payer_name")),
        number=_text(cell("number")),
        purpose=_text(cell("purpose")),
        recipient_inn=inn("recipient_inn") if "recipient_inn" in columns else None,
    )


def _numeric_inn(value) -> str:
    """A spreadsheet that stored an INN as a number dropped its leading zero (region 01-09)."""
    text = str(int(value))
    if len(text) in (9, 11):
        text = "0" + text
    return text
