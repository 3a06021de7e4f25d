"""Cells that spreadsheet software must not run: the one guard for every CSV and Word table the platform writes.

A comment, a display name or a rationale is written by anyone; a cell that begins with "=", "+", "-", "@"
(or a tab or carriage return, which some software strips first) is a formula to Excel and LibreOffice
("=HYPERLINK(...)", "=cmd|..."). As OWASP recommends, such a cell is written with a leading apostrophe,
which shows the text as text; the CSV writer quotes what needs quoting. Numbers are numbers and stay so.
"""
from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """`value` as a cell: text that would start a formula gets a leading apostrophe; numbers and None pass."""
    if value is None or isinstance(value, (int, float)) and not isinstance(value, bool):
        return "" if value is None else value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def spreadsheet_row(values) -> list:
    return [spreadsheet_safe(value) for value in values]
