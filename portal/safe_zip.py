"""ZIP containers read at the byte level for `portal.safe_files`, which holds the policy.

Why not just `zipfile`: it walks the whole central directory whatever the end record claims,
and inflates a member only up to the size the directory declares, so a member that lies is
cut there (and read as if whole when its CRC was forged to match the cut). Here the end
record is read first, every member is inflated as a stream counting what it really produces,
and every XML part is looked at as it streams by: its prolog by defusedxml with DTDs
forbidden (entity bombs live in the DTD), its rows counted (openpyxl parses a whole sheet that
has no `<dimension>` before yielding a row).

The errors here carry no text for users; `safe_files` turns them into messages.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterator

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

CHUNK = 64 * 1024
XML_SUFFIXES = (".xml", ".rels", ".vml")
#: Bytes of an XML part read before its root element must have started.
PROLOG_MAX = 64 * 1024
#: Row tags, plain or with a namespace prefix (`<x:row`); counted by bytes.count, which
#: allocates nothing (a few `<rowBreaks` counted too only make the bound stricter).
ROW_TAGS = (b"<row", b":row")


class Damaged(Exception):
    """Not a ZIP, or its parts do not match its directory."""


class Oversized(Exception):
    """A member inflates to more than its declared size."""


class EntityDeclared(Exception):
    """An XML part carries a DTD."""


def end_record(handle, size: int) -> tuple[int, int]:
    """(entries, central directory size) from the end record (ZIP64 too)."""
    tail_size = min(size, 22 + 65535)
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise Damaged
    entries, cd_size = struct.unpack("<10xHI", tail[at : at + 16])
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF:  # ZIP64: the real figures sit before
        locator = tail[at - 20 : at] if at >= 20 else b""
        if len(locator) != 20 or locator[:4] != b"PK\x06\x07":
            raise Damaged
        (offset,) = struct.unpack("<Q", locator[8:16])
        handle.seek(offset)
        record = handle.read(56)
        if len(record) != 56 or record[:4] != b"PK\x06\x06":
            raise Damaged
        entries, cd_size = struct.unpack("<QQ", record[32:48])
    return entries, cd_size


def member_chunks(handle, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The member's bytes as really inflated, never more than it declares, CRC checked.
    Only stored and deflated members (the caller refuses the rest)."""
    handle.seek(info.header_offset)
    header = handle.read(30)
    if len(header) != 30 or header[:4] != b"PK\x03\x04":
        raise Damaged
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    handle.seek(info.header_offset + 30 + name_len + extra_len)
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    left, pending, produced, crc = info.compress_size, b"", 0, 0
    while not (inflater is not None and inflater.eof):
        if not pending and left > 0:
            pending = handle.read(min(CHUNK, left))
            if not pending:
                raise Damaged
            left -= len(pending)
        if inflater is None:
            if not pending:
                break
            out, pending = pending, b""
        else:
            try:
                out = inflater.decompress(pending, CHUNK)
            except zlib.error as error:
                raise Damaged from error
            pending = inflater.unconsumed_tail
            if not out and not pending and left <= 0:
                break
        produced += len(out)
        if produced > info.file_size:
            raise Oversized
        crc = zlib.crc32(out, crc)
        yield out
    if produced != info.file_size or crc != info.CRC:
        raise Damaged


class _Prolog:
    """Parser target noting the root element: a DTD can only come before it."""

    started = False

    def start(self, tag, attrib):
        self.started = True

    def close(self):
        return None


def scan_member(handle, info: zipfile.ZipInfo) -> int:
    """Inflate the whole member; return the rows of an XML part (0 for other parts)."""
    is_xml = info.filename.lower().endswith(XML_SUFFIXES)
    target = _Prolog()
    parser = DefusedXMLParser(target=target, forbid_dtd=True) if is_xml else None
    fed, rows, tail = 0, 0, b""
    for chunk in member_chunks(handle, info):
        if not is_xml:
            continue
        buffer = tail + chunk  # a tag cut between chunks; the 3-byte tail holds no whole one
        rows += sum(buffer.count(tag) for tag in ROW_TAGS)
        tail = chunk[-3:]
        if target.started or fed > PROLOG_MAX:
            continue
        fed += len(chunk)
        try:
            parser.feed(chunk)
        except DefusedXmlException as error:
            raise EntityDeclared from error
        except SyntaxError as error:  # ElementTree.ParseError
            raise Damaged from error
    if is_xml and not target.started:
        raise Damaged
    return rows
