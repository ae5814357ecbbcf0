"""Hostile files built in the test run, small on disk: zip bombs, entity bombs, huge sheets.

Parts are written as streams straight into the ZIP (never a whole sheet in memory, never
openpyxl cell by cell), so building a million-row sheet takes a second.
"""

from __future__ import annotations

import io
import struct
import zipfile

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
BOOK_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
RELS_CT = "application/vnd.openxmlformats-package.relationships+xml"
SST_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"

CONTENT_TYPES = (
    f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{CT}">'
    f'<Default Extension="rels" ContentType="{RELS_CT}"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{BOOK_CT}"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SHEET_CT}"/>'
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SST_CT}"/>'
    "</Types>"
)
ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">'
    f'<Relationship Id="rId1" Type="{OFFICE}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
    '<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">'
    f'<Relationship Id="rId1" Type="{OFFICE}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{OFFICE}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
ONE_CELL_SHEET = (
    f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'
    '<row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
)
ONE_STRING = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}"><si><t>ok</t></si></sst>'


def workbook(*, sheet=ONE_CELL_SHEET, strings=ONE_STRING, level=9) -> bytes:
    """A minimal XLSX; ``sheet`` and ``strings`` are text or iterables of text chunks."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        for name, part in (("xl/worksheets/sheet1.xml", sheet), ("xl/sharedStrings.xml", strings)):
            with archive.open(name, "w") as member:
                for chunk in [part] if isinstance(part, str) else part:
                    member.write(chunk.encode())
    return out.getvalue()


def shared_strings_bomb(mib: int = 96) -> bytes:
    """~99 KB on disk; its one shared string unpacks to ``mib`` MiB."""
    block = "A" * 2**20

    def strings():
        yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}"><si><t>'
        for _ in range(mib):
            yield block
        yield "</t></si></sst>"

    return workbook(strings=strings())


def billion_laughs() -> bytes:
    """A shared-strings part whose entities would expand to 10^9 "lol"s."""
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol%s;" % ("" if i == 1 else i - 1)) * 10}">' for i in range(1, 10)
    ]
    strings = (
        f'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE sst [{"".join(entities)}]>'
        f'<sst xmlns="{MAIN}"><si><t>&lol9;</t></si></sst>'
    )
    return workbook(strings=strings)


ROW = "<row><c><v>%d</v></c><c><v>1</v></c></row>"


def long_sheet(rows: int = 1_000_000, *, dimension: bool = True) -> bytes:
    """A sheet of ``rows`` numbered rows, written as an XML stream (rows and cells without
    their optional ``r`` references, as some writers do: smaller and quicker to build)."""

    def sheet():
        yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'
        if dimension:
            yield f'<dimension ref="A1:B{rows}"/>'
        yield "<sheetData>"
        for start in range(1, rows + 1, 10_000):
            stop = min(start + 10_000, rows + 1)
            yield "".join(
                f"<row><c><v>{r}</v></c><c><v>1</v></c></row>" for r in range(start, stop)
            )
        yield "</sheetData></worksheet>"

    return workbook(sheet=sheet(), level=1)


def many_members(count: int = 10_000) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for n in range(count):
            archive.writestr(f"m{n}.txt", b"")
    return out.getvalue()


def lying_member(actual: int = 50 * 2**20, declared: int = 1000) -> bytes:
    """One member that declares ``declared`` bytes but inflates to ``actual``."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("data.xml", "w") as member:
            for _ in range(actual // 2**20):
                member.write(b" " * 2**20)
    data = bytearray(out.getvalue())
    struct.pack_into("<I", data, 22, declared)  # local header: uncompressed size
    central = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, declared)  # central directory: the same
    return bytes(data)


def big_unpacked(mib: int = 120) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("zeros.bin", "w") as member:
            for _ in range(mib):
                member.write(bytes(2**20))
    return out.getvalue()
