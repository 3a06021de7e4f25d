"""Turning an uploaded legal text (plain text, Markdown, .docx) into a tree of provisions.

A pure module: plain data in, frozen dataclasses out, no Django. `parse_upload` is the
entry point for files; `flatten` gives the pre-order list with unique paths that the
drafts app stores, and `match_translations` pairs a translation's provisions with the
authoritative text's.
"""
from .flat import flatten, match_translations
from .model import KINDS, DraftParseError, FlatProvision, ParsedDocument, ParsedProvision, ParseWarning
from .parse import parse_text
from .upload import parse_docx, parse_upload

__all__ = [
    "KINDS",
    "DraftParseError",
    "FlatProvision",
    "ParsedDocument",
    "ParsedProvision",
    "ParseWarning",
    "flatten",
    "match_translations",
    "parse_docx",
    "parse_text",
    "parse_upload",
]
