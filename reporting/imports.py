"""Figures from a spreadsheet: XLSX or CSV with one line per field (key, label, unit, value).

Everything is checked before anything is saved; errors name the line and the field.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from portal.safe_files import Limits, UnsafeFile, clip, csv_rows, xlsx_rows

from .forms import build_field
from .models import FieldKind

HEADER = ["key", "label", "unit", "value"]
YES = {"yes", "y", "да", "1", "true"}
NO = {"no", "n", "нет", "0", "false"}


class ImportError_(ValueError):  # noqa: N801 - not the builtin
    """Raised with the list of messages to show; nothing has been saved."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass
class Line:
    number: int
    cells: list


def _limits() -> Limits:
    return Limits(
        max_bytes=settings.REPORTING_IMPORT_MAX_BYTES,
        max_rows=settings.REPORTING_IMPORT_MAX_ROWS + 1,  # and the header line
        max_cols=20,
        max_cell=1000,
    )


def read_lines(upload) -> list[Line]:
    """Every line of the upload, through the guarded reader (`portal.safe_files`): sizes,
    zip bombs, entity expansion, rows, columns and cell lengths are checked first."""
    name = (upload.name or "").lower()
    if name.endswith(".xlsx"):
        reader = xlsx_rows
    elif name.endswith((".csv", ".txt")):
        reader = csv_rows
    else:
        raise ImportError_([_("Upload an XLSX or CSV file (the template below has the layout).")])
    try:
        rows = [["" if c is None else c for c in row] for row in reader(upload, limits=_limits())]
    except UnsafeFile as error:
        raise ImportError_([error.message]) from error
    # A sheet row ends at its last filled cell: pad to the first line's width, so a blank value
    # of a four-column line never reads as the two-column layout's value (the label).
    width = len(rows[0]) if rows else 0
    return [
        Line(number, row + [""] * (width - len(row))) for number, row in enumerate(rows, start=1)
    ]


def _is_header(first_cell: str) -> bool:
    """The first line names the columns: "key" (the template's header), or its translation
    in any interface language for a sheet someone laid out by hand."""
    names = {HEADER[0]}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names.add(_("key").lower())
    return first_cell in names


def _choice(d: dict, text: str) -> str:
    """A choice given by its stored value or by its label in either language, as the stored
    (English) value; anything else as given (the form field refuses it)."""
    values = d.get("choices") or []
    known = {v.lower(): v for v in values}
    for labels in (d.get("choices_ru") or [], list((d.get("choice_labels") or {}).values())):
        if len(labels) == len(values):
            known.update({label.lower(): v for label, v in zip(labels, values, strict=True)})
    return known.get(text.lower(), text)


def _normalise(d: dict, raw):
    kind = d["kind"]
    if raw is None:
        return ""
    if kind == FieldKind.CHOICE:
        return _choice(d, str(raw).strip())
    if kind == FieldKind.YES_NO:
        text = str(raw).strip().lower()
        if text in YES:
            return "yes"
        if text in NO:
            return "no"
        return text
    if isinstance(raw, float) and raw.is_integer() and kind == FieldKind.INTEGER:
        return str(int(raw))
    text = str(raw).strip()
    if kind in (FieldKind.DECIMAL, FieldKind.MONEY, FieldKind.PERCENT, FieldKind.INTEGER):
        text = text.replace("\u00a0", "").replace(" ", "").replace(",", ".").rstrip("%₽")
    return text


def parse_upload(upload, definitions: list[dict]) -> dict:
    """The cleaned values by key, or ImportError_ listing every bad line."""
    lines = read_lines(upload)
    if not lines:
        raise ImportError_([_("The file is empty.")])
    by_key = {d["key"]: d for d in definitions if not d.get("formula") and d["kind"] != "file"}
    errors, data, seen = [], {}, {}
    first = [str(c).strip().lower() for c in lines[0].cells]
    body = lines[1:] if first and _is_header(first[0]) else lines
    for line in body:
        cells = list(line.cells)
        if not any(str(c).strip() for c in cells):
            continue
        key = str(cells[0]).strip() if cells else ""
        raw = cells[3] if len(cells) >= 4 else (cells[1] if len(cells) == 2 else "")
        d = by_key.get(key)
        if d is None:
            errors.append(
                _("Line %(line)s: unknown field “%(key)s”.")
                % {"line": line.number, "key": clip(key)}
            )
            continue
        if raw is None or str(raw).strip() == "":
            continue  # left blank (the template lists every field): keep what is stored
        if key in seen:
            errors.append(
                _("Line %(line)s: %(label)s already given on line %(first)s.")
                % {"line": line.number, "label": d["label"], "first": seen[key]}
            )
            continue
        seen[key] = line.number
        field = build_field(d, require=False)
        try:
            value = field.clean(_normalise(d, raw))
        except ValidationError as error:
            errors.append(
                _("Line %(line)s (%(label)s): %(message)s")
                % {"line": line.number, "label": d["label"], "message": " ".join(error.messages)}
            )
            continue
        if d["kind"] == FieldKind.YES_NO and value in ("yes", "no"):
            value = value == "yes"
        data[key] = value if value != "" else None
    if errors:
        raise ImportError_(errors)
    if not data:
        raise ImportError_([_("The file has no figures: fill in the value column.")])
    return data


def template_rows(definitions: list[dict], values: dict | None = None) -> list[list]:
    values = values or {}
    rows = [HEADER]
    for d in definitions:
        if d.get("formula") or d["kind"] == "file":
            continue
        rows.append([d["key"], d["label"], d.get("unit", ""), values.get(d["key"], "")])
    return rows
