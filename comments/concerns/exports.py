"""Rendering the tables (comments/concerns/tables.py) in the formats commissions work in: CSV and .docx.

Pure of the database: rows in, bytes out. Column titles are translated in the active language.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import astuple

from django.utils.translation import gettext as _

from config.spreadsheets import spreadsheet_row


def column_titles() -> dict[str, str]:
    return {
        "element": _("Structural element"), "author": _("Author"), "receipt": _("Receipt"), "comment": _("Comment"),
        "decision": _("Decision"), "reasoning": _("Reasoning"), "old_wording": _("Old wording"),
        "new_wording": _("New wording"), "concerns": _("Concerns addressed"), "rationale": _("Rationale"),
    }


def table_csv_lines(columns: Sequence[str], rows: Iterable) -> Iterable[str]:
    """The table as CSV lines (a UTF-8 byte-order mark first, for spreadsheet software), for streaming."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    titles = column_titles()
    writer.writerow([titles[column] for column in columns])
    yield "\ufeff" + _take(buffer)
    for row in rows:
        writer.writerow(spreadsheet_row(astuple(row)))
        yield _take(buffer)


def table_docx(*, title: str, columns: Sequence[str], rows: Iterable) -> bytes:
    """The table as a Word document: a heading and one table with a header row, as drafting agencies file them."""
    from docx import Document
    from docx.enum.section import WD_ORIENT

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    document.add_heading(title, level=1)
    titles = column_titles()
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    for cell, column in zip(table.rows[0].cells, columns):
        cell.text = titles[column]
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        for cell, value in zip(table.add_row().cells, spreadsheet_row(astuple(row))):
            cell.text = str(value)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def _take(buffer: io.StringIO) -> str:
    value = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return value
