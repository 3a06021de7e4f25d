"""From an uploaded file's bytes to text: .docx as Word shows it (docx_text), text in whatever encoding it came."""
from __future__ import annotations

import codecs
import dataclasses
import re
from pathlib import PurePath

from .docx_text import read_docx
from .model import DraftParseError, ParsedDocument
from .parse import parse_text

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc, .xls
_PDF_MAGIC = b"%PDF-"
# Text files carry tabs, line ends and the odd form feed; more control characters than this is binary.
_MAX_CONTROL_SHARE = 0.01
_BINARY_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")


def parse_upload(*, filename: str, data: bytes) -> ParsedDocument:
    """Parse an uploaded file: .docx by its content or name, anything else as text or Markdown.

    Text may be UTF-8 (with or without BOM), UTF-16 with a BOM, or Windows-1251. Binary
    files, PDFs and legacy .doc files are refused with a DraftParseError saying what to do.
    """
    if not data.strip():
        raise DraftParseError("The file is empty")
    extension = PurePath(filename).suffix.lower()
    if data.startswith(_ZIP_MAGIC) or extension == ".docx":
        return _parsed_docx(data, name=f'"{filename}"')
    if data.startswith(_OLE_MAGIC) or extension == ".doc":
        raise DraftParseError(f'"{filename}" is an old Word (.doc) file: save it as .docx and upload it again')
    if data.startswith(_PDF_MAGIC):
        raise DraftParseError(f'"{filename}" is a PDF: upload the text as .docx, Markdown or plain text')
    return parse_text(decode_text(data, name=f'"{filename}"'))


def parse_docx(data: bytes) -> ParsedDocument:
    """Parse a Word .docx: each paragraph becomes a line, heading styles become Markdown headings.

    Automatic numbering is read as the numbers Word shows, tracked changes as accepted (and said
    in a "tracked_changes_accepted" warning); see docx_text. Line numbers in errors and
    provisions count the document's paragraphs (and manual line breaks).
    """
    return _parsed_docx(data, name="The file")


def _parsed_docx(data: bytes, *, name: str) -> ParsedDocument:
    word = read_docx(data, name=name)
    document = parse_text(word.text)
    # What was done to the file reading it comes first: it concerns the whole text.
    return dataclasses.replace(document, warnings=(*word.warnings, *document.warnings))


def decode_text(data: bytes, *, name: str = "The file") -> str:
    """The text in `data`: UTF-8 (BOM or not), UTF-16 with BOM, else Windows-1251 (Cyrillic Windows)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decoded(data, "utf-16", name=name)
    if data.startswith(codecs.BOM_UTF8):
        return _decoded(data[len(codecs.BOM_UTF8) :], "utf-8", name=name)
    if b"\x00" in data:
        raise DraftParseError(f"{name} is not a text, Markdown or .docx file (it contains binary data)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        # Not UTF-8: most likely a Cyrillic text saved by Windows, the common case for ru and kk drafts.
        text = _decoded(data, "cp1251", name=name)
    if _control_share(text) > _MAX_CONTROL_SHARE:
        raise DraftParseError(f"{name} is not a text, Markdown or .docx file (it contains binary data)")
    return text


def _decoded(data: bytes, encoding: str, *, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise DraftParseError(
            f"{name} could not be read as text (byte {error.start + 1} is not valid {encoding}); "
            "save it as UTF-8 and upload it again"
        ) from error


def _control_share(text: str) -> float:
    return len(_BINARY_CONTROLS.findall(text)) / len(text) if text else 0.0
