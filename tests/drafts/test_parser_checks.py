"""The parser's warnings (issue 12, point 3): each raised on a crafted text, none on the real corpora,
the command's exit code, the admin preview showing them beside the tree, and the API refusing without consent."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from drafts.models import Document, DraftVersion
from drafts.parser import parse_text, parse_upload

CORPORA_DIR = Path(os.environ.get("CORPORA_DIR", Path(__file__).resolve().parents[2].parent / "shared" / "corpora"))


def _articles(numbers, body="The text of the article.") -> str:
    return "\n\n".join(f"Article {number}\n{body}" for number in numbers) + "\n"


def _codes(text: str) -> list[tuple[str, int | None]]:
    return [(warning.code, warning.line) for warning in parse_text(text).warnings]


def test_a_gap_in_the_article_numbers_names_the_missing_ones():
    warnings = parse_text(_articles([70, 71, 72, 74, 75])).warnings
    assert [w.code for w in warnings] == ["numbering_gap"]
    assert warnings[0].line == 10 and "article 73 not found" in warnings[0].message


def test_a_number_seen_twice_and_numbering_going_back():
    assert _codes(_articles([1, 2, 3, 3, 4])) == [("number_repeated", 10)]
    assert [code for code, _line in _codes(_articles([1, 2, 3, 1]))] == ["numbering_goes_back", "number_repeated"]


def test_inserted_and_repealed_articles_are_no_gap():
    assert _codes(_articles(["1", "1-1", "2", "2a", "3"])) == []
    # "671" is 67¹ whose superscript a plain-text copy lost, between 67 and 68.
    assert _codes(_articles(["66", "67", "671", "68"])) == []
    # A note naming the repealed articles accounts for the gap.
    text = "Article 74\nThe text.\nArticles 74a and 75 (repealed)\n\nArticle 76\nThe text.\n"
    assert _codes(text) == []


def test_a_heading_inside_running_text_is_pointed_at():
    text = "Article 1\nThe text. Article 2 The second article, glued.\n\nArticle 3\nThe text.\n"
    warnings = parse_text(text).warnings
    assert [(w.code, w.line) for w in warnings] == [("heading_in_running_text", 1)]
    assert '"Article 2"' in warnings[0].message


def test_an_article_many_times_longer_than_the_others():
    long_body = "A sentence of the swallowed articles that goes on. " * 200  # about 10,000 characters
    text = _articles(range(1, 8)) + f"\nArticle 8\n{long_body}\n"
    assert [code for code, _line in _codes(text)] == ["article_too_long"]


def test_text_before_the_first_heading_longer_than_a_preamble():
    preamble = "We the people declare many things at great length. " * 80
    assert _codes(f"{preamble}\n\n" + _articles([1, 2])) == [("preamble_too_long", 1)]


@pytest.mark.corpora
@pytest.mark.parametrize("path", [
    "kazakhstan/kz_constitution_1995_as_of_2023-01-01_ru.md", "kazakhstan/kz_constitution_1995_as_amended_kk.txt",
    "kazakhstan/kz_constitution_1995_as_amended_en.txt", "kazakhstan/kz_constitution_2026_ru.md",
    "russia/ru_constitution_ed_2014-07-21.txt", "russia/ru_constitution_ed_2020-03-14.txt",
    "germany/de_grundgesetz_commit_2012-08-02.md", "germany/de_grundgesetz_commit_2018-11-08.md",
])
def test_the_real_corpora_raise_no_warning(path):
    file = CORPORA_DIR / path
    if not file.is_file():
        pytest.skip(f"{file} is not here")
    assert parse_upload(filename=file.name, data=file.read_bytes()).warnings == ()


GAPPED = _articles([1, 2, 4])


@pytest.mark.django_db
def test_the_command_refuses_a_text_with_warnings_unless_told_to_accept_them(tmp_path, capsys):
    text = tmp_path / "draft.md"
    text.write_text(GAPPED)
    with pytest.raises(CommandError, match="1 warning"):
        call_command("import_draft", "testland", "--create", "Testland", "--file", f"en={text}")
    assert "article 3 not found" in capsys.readouterr().err
    assert not DraftVersion.objects.exists()
    call_command("import_draft", "testland", "--file", f"en={text}", "--accept-warnings")
    assert DraftVersion.objects.get().provisions.filter(kind="article").count() == 3


@pytest.mark.django_db
def test_the_admin_preview_shows_the_warnings_beside_the_tree_and_asks_before_saving(admin_client):
    document = Document.objects.create(title="Testland", slug="testland", authoritative_language="en")
    url = f"/admin/drafts/document/{document.pk}/import/"
    page = admin_client.post(url, {"file": SimpleUploadedFile("draft.md", GAPPED.encode()), "language": "en"})
    html = page.content.decode()
    assert page.status_code == 200, html
    assert "The parser found 1 thing to check" in html and "article 3 not found" in html
    assert 'class="parse-warning"' in html  # the row of article 4, highlighted
    token = page.context["token"]
    refused = admin_client.post(url, {"token": token}, follow=True)
    assert "nothing was imported" in refused.content.decode() and not DraftVersion.objects.exists()
    again = admin_client.post(url, {"file": SimpleUploadedFile("draft.md", GAPPED.encode()), "language": "en"})
    admin_client.post(url, {"token": again.context["token"], "accept_warnings": "1"})
    assert DraftVersion.objects.filter(document=document).count() == 1


@pytest.mark.django_db
def test_the_api_returns_the_warnings_and_imports_only_with_consent(admin_client):
    Document.objects.create(title="Testland", slug="testland", authoritative_language="en")
    url = "/api/v1/documents/testland/versions/"
    refused = admin_client.post(url, {"files": [SimpleUploadedFile("draft.md", GAPPED.encode())], "languages": ["en"]})
    assert refused.status_code == 400
    body = refused.json()
    assert body["code"] == "parse_warnings" and "line 7" in body["fields"]["files"][0]
    assert not DraftVersion.objects.exists()
    accepted = admin_client.post(
        url, {"files": [SimpleUploadedFile("draft.md", GAPPED.encode())], "languages": ["en"], "accept_warnings": "true"}
    )
    assert accepted.status_code == 201, accepted.content
