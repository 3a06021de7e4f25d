"""drafts.parser on small texts written for these tests: what it recognises, what it drops, what it refuses.

Pure: no database, no Django.
"""
from __future__ import annotations

import codecs
import dataclasses
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest

from drafts.parser import (
    KINDS,
    DraftParseError,
    FlatProvision,
    ParsedDocument,
    ParsedProvision,
    flatten,
    match_translations,
    parse_docx,
    parse_text,
    parse_upload,
)
from drafts.parser.parse import check_limits

REPO_ROOT = Path(__file__).resolve().parents[2]

ENGLISH = """\
CONSTITUTION OF EXAMPLIA

We, the people of Examplia,
united by a common history, adopt this Constitution.

Section I
General Provisions

Article 1

1. Examplia is a democratic state.
2. The sources of law are:
1) this Constitution;
2) the laws.

Article 1-1

Every citizen has the right to vote.

Section II. Rights and Freedoms

Article 2

Everyone has the right to life.
Everyone is equal before the law.

Article 3

1. The State guarantees freedom of speech.
2. Censorship is prohibited.
"""

RUSSIAN = """\
КОНСТИТУЦИЯ ПРИМЕРИИ

РАЗДЕЛ ПЕРВЫЙ

ГЛАВА 1

ОСНОВЫ СТРОЯ

Статья 1

1. Примерия является демократическим государством.
2. Источниками права являются:
а) настоящая Конституция;
б) законы.

Статья 671

Примерия является правопреемником Союза.

РАЗДЕЛ ВТОРОЙ

Заключительные положения

1. Конституция вступает в силу со дня ее опубликования.
"""

KAZAKH = """\
Мысалстан Республикасының Конституциясы

I бөлім
Жалпы ережелер

1-бап
1. Мысалстан – демократиялық мемлекет.
2. Мемлекет азаматтардың құқықтарын қорғайды.
3-1. Елорданың мәртебесі заңмен белгіленеді.

2-бөлім
Адам және азамат

2-тарау

10-бап
Әркімнің өмір сүруге құқығы бар.

10-1-бап
1) бірінші тармақша;
10-1) енгізілген тармақша.
"""

GERMAN_MARKDOWN = """\
---
title: Grundgesetz für Beispielland
---

# Grundgesetz für Beispielland

## Präambel

Im Bewußtsein seiner Verantwortung vor den Menschen hat sich das Volk
dieses Grundgesetz gegeben.

## I. - Die Grundrechte

### Art 1

(1) Die Würde des Menschen ist unantastbar. Sie zu achten und zu
schützen ist Verpflichtung aller staatlichen Gewalt.

(2) Der Bund hat die ausschließliche Gesetzgebung über:

1.  die auswärtigen Angelegenheiten;

2.  die Zusammenarbeit des Bundes und der Länder
    a)  in der Kriminalpolizei,
    b)  im Verfassungsschutz.

### Art 12a Wehrpflicht

Männer können zum Dienst verpflichtet werden.

## II. - Der Bund und die Länder

### Art 20

(1) Beispielland ist ein demokratischer Bundesstaat.
"""


def _by_path(document: ParsedDocument) -> dict[str, FlatProvision]:
    return {provision.path: provision for provision in flatten(document)}


def _error(text: str) -> DraftParseError:
    with pytest.raises(DraftParseError) as raised:
        parse_text(text)
    return raised.value


def _docx_bytes(build) -> bytes:
    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- The public API -----------------------------------------------------------------------------


def test_kinds_are_the_provision_kinds_outermost_first():
    assert KINDS == ("preamble", "part", "section", "chapter", "article", "paragraph", "subparagraph")


def test_results_are_frozen():
    document = parse_text(ENGLISH)
    with pytest.raises(dataclasses.FrozenInstanceError):
        document.title = "Changed"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        document.provisions[0].text = "Changed"  # type: ignore[misc]
    assert isinstance(document.provisions, tuple) and isinstance(document.provisions[1].children, tuple)


def test_parse_error_names_the_line_when_known():
    error = DraftParseError("expected an article", line=12)
    assert isinstance(error, ValueError)
    assert (error.message, error.line, str(error)) == ("expected an article", 12, "Line 12: expected an article")
    assert str(DraftParseError("The file is empty")) == "The file is empty"


def test_the_parser_imports_nothing_from_django():
    check = "import sys, drafts.parser; sys.exit(any(m.split('.')[0] == 'django' for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", check], cwd=REPO_ROOT).returncode == 0


# --- English ------------------------------------------------------------------------------------


def test_english_title_language_and_preamble():
    document = parse_text(ENGLISH)
    assert (document.title, document.language) == ("CONSTITUTION OF EXAMPLIA", "en")
    preamble = document.provisions[0]
    assert (preamble.kind, preamble.number, preamble.line) == ("preamble", "", 3)
    assert preamble.text == "We, the people of Examplia, united by a common history, adopt this Constitution."


def test_english_sections_articles_paragraphs_and_sub_paragraphs():
    provisions = _by_path(parse_text(ENGLISH))
    assert list(provisions) == [
        "preamble", "I", "I/1", "I/1/1", "I/1/2", "I/1/2/1", "I/1/2/2", "I/1-1",
        "II", "II/2", "II/2/1", "II/2/2", "II/3", "II/3/1", "II/3/2",
    ]
    assert [provisions[p].kind for p in ("I", "I/1", "I/1/2", "I/1/2/1")] == [
        "section", "article", "paragraph", "subparagraph",
    ]
    assert provisions["I"].heading == "General Provisions"  # title on the next line
    assert provisions["II"].heading == "Rights and Freedoms"  # title on the same line
    assert provisions["I/1-1"].number == "1-1"
    assert provisions["I/1/2"].text == "The sources of law are:"
    assert provisions["I/1/2/1"].text == "this Constitution;"
    assert provisions["I/1"].line == 9 and provisions["I/1/1"].line == 11


def test_unnumbered_lines_are_the_articles_own_text_then_continue_the_paragraph():
    provisions = _by_path(
        parse_text(
            "Article 1\n"
            "This Article has words of its own.\n"
            "1. The first paragraph.\n"
            "It goes on in a second sentence on its own line.\n"
            "2. The second paragraph.\n"
        )
    )
    assert provisions["1"].text == "This Article has words of its own."
    assert provisions["1/1"].text == "The first paragraph.\nIt goes on in a second sentence on its own line."


def test_a_sentence_after_a_list_of_sub_paragraphs_belongs_to_the_paragraph():
    provisions = _by_path(
        parse_text(
            "Article 61\n"
            "3. Parliament shall enact laws on:\n"
            "1) the budget;\n"
            "2) taxation.\n"
            "All other matters are regulated by statute.\n"
        )
    )
    assert provisions["61/3"].text == "Parliament shall enact laws on:\nAll other matters are regulated by statute."
    assert provisions["61/3/2"].text == "taxation."


def test_parts_and_chapters_nest_outside_articles():
    provisions = _by_path(
        parse_text("Part 1\nChapter 2 - Courts\nArticle 5\nText.\nChapter 3\nArticle 6\nMore text.\n")
    )
    assert list(provisions) == ["1", "1/2", "1/2/5", "1/3", "1/3/6"]
    assert provisions["1/2"].heading == "Courts"
    assert [provisions[p].kind for p in ("1", "1/2", "1/2/5")] == ["part", "chapter", "article"]


def test_an_article_with_its_first_words_on_the_heading_line():
    long_sentence = "Everyone has the right to " + "liberty and security of person, " * 8 + "as the law provides."
    provisions = _by_path(parse_text(f"Article 5. {long_sentence}\nArticle 6. Equality\nAll are equal.\n"))
    assert (provisions["5"].heading, provisions["5"].text) == ("", long_sentence)
    assert (provisions["6"].heading, provisions["6"].text) == ("Equality", "All are equal.")


def test_a_sentence_that_starts_with_article_is_not_a_heading():
    provisions = _by_path(parse_text("Article 1\nThe law.\nArticle 41 of the old Constitution is repealed.\n"))
    assert list(provisions) == ["1", "1/1", "1/2"]  # one article, its two unnumbered parts
    assert provisions["1/2"].text == "Article 41 of the old Constitution is repealed."


# --- Russian ------------------------------------------------------------------------------------


def test_russian_ordinal_sections_chapters_and_letter_sub_paragraphs():
    document = parse_text(RUSSIAN)
    provisions = _by_path(document)
    assert (document.title, document.language) == ("КОНСТИТУЦИЯ ПРИМЕРИИ", "ru")
    assert list(provisions) == [
        "1", "1/1", "1/1/1", "1/1/1/1", "1/1/1/2", "1/1/1/2/а", "1/1/1/2/б", "1/1/671", "2", "2/1",
    ]
    assert (provisions["1"].kind, provisions["1"].heading) == ("section", "")  # РАЗДЕЛ ПЕРВЫЙ has no title
    assert (provisions["1/1"].kind, provisions["1/1"].heading) == ("chapter", "ОСНОВЫ СТРОЯ")
    assert provisions["1/1/1/2/б"].kind == "subparagraph" and provisions["1/1/1/2/б"].text == "законы."
    assert provisions["1/1/671"].text == "Примерия является правопреемником Союза."
    # Transitional provisions numbered directly under a section, with no article.
    assert (provisions["2"].heading, provisions["2/1"].kind) == ("Заключительные положения", "paragraph")


def test_russian_inserted_article_and_heading_with_title_on_the_same_line():
    provisions = _by_path(parse_text("## Раздел I. Общие положения\n\n### Статья 10-1\n\n1. Текст.\n"))
    assert provisions["I"].heading == "Общие положения"
    assert provisions["I/10-1"].number == "10-1"


# --- Kazakh -------------------------------------------------------------------------------------


def test_kazakh_sections_chapters_and_articles_number_first():
    document = parse_text(KAZAKH)
    provisions = _by_path(document)
    assert document.language == "kk"
    assert list(provisions) == [
        "I", "I/1", "I/1/1", "I/1/2", "I/1/3-1", "2", "2/2", "2/2/10", "2/2/10-1", "2/2/10-1/1", "2/2/10-1/10-1",
    ]
    assert (provisions["I"].kind, provisions["I"].heading) == ("section", "Жалпы ережелер")
    assert (provisions["2"].kind, provisions["2"].heading) == ("section", "Адам және азамат")
    assert provisions["2/2"].kind == "chapter"
    assert provisions["I/1/3-1"].text == "Елорданың мәртебесі заңмен белгіленеді."
    assert provisions["2/2/10-1/10-1"].kind == "subparagraph"


# --- German and Markdown ------------------------------------------------------------------------


def test_german_markdown_sections_articles_and_absatz_numbering():
    document = parse_text(GERMAN_MARKDOWN)
    provisions = _by_path(document)
    assert (document.title, document.language) == ("Grundgesetz für Beispielland", "de")
    assert list(provisions) == [
        "preamble", "I", "I/1", "I/1/1", "I/1/2", "I/1/2/1", "I/1/2/2", "I/12a", "II", "II/20", "II/20/1",
    ]
    assert provisions["preamble"].heading == "Präambel"
    assert provisions["I"].heading == "Die Grundrechte"
    assert (provisions["I/12a"].number, provisions["I/12a"].heading) == ("12a", "Wehrpflicht")
    assert provisions["I/1/1"].text == (
        "Die Würde des Menschen ist unantastbar. "
        "Sie zu achten und zu schützen ist Verpflichtung aller staatlichen Gewalt."
    )
    # "(2)" is the paragraph, "1." its sub-paragraphs, "a)" a level deeper stays their text.
    assert provisions["I/1/2/1"].kind == "subparagraph"
    assert provisions["I/1/2/2"].text == (
        "die Zusammenarbeit des Bundes und der Länder\na) in der Kriminalpolizei,\nb) im Verfassungsschutz."
    )


def test_german_plain_text_roman_sections_and_artikel():
    provisions = _by_path(parse_text("I. Die Grundrechte\n\nArtikel 1\n\n(1) Die Würde.\n\nArt. 2\n\nJeder.\n"))
    assert list(provisions) == ["I", "I/1", "I/1/1", "I/2"]
    assert provisions["I"].heading == "Die Grundrechte"


def test_markdown_blockquote_preamble_and_introductory_headings():
    provisions = flatten(
        parse_text(
            "# Law on Examples\n\n## Enacting formula\n\nParliament enacts:\n\n"
            "> We, the people,\n> adopt this law.\n\n## Article 1\n\nText.\n"
        )
    )
    assert [(p.path, p.heading, p.text) for p in provisions] == [
        ("preamble", "Enacting formula", "Parliament enacts:\nWe, the people, adopt this law."),
        ("1", "", "Text."),
    ]


def test_plain_lines_that_quote_headings_stay_text_when_markdown_marks_the_articles():
    provisions = _by_path(
        parse_text("### Art 1\n\nText.\n\n### Anhang\n\nArtikel 3\nInkrafttreten\nDas Gesetz gilt.\n")
    )
    assert list(provisions) == ["1", "section"]
    assert provisions["section"].heading == "Anhang"
    assert provisions["section"].text.startswith("Artikel 3 Inkrafttreten")


def test_emphasis_around_headings_is_formatting():
    provisions = _by_path(parse_text("**Article 1.** Sovereignty\n\nThe people are sovereign.\n"))
    assert (provisions["1"].heading, provisions["1"].text) == ("Sovereignty", "The people are sovereign.")


# --- Wrapped lines ------------------------------------------------------------------------------


def test_hard_wrapped_lines_are_rejoined():
    provisions = _by_path(
        parse_text(
            "Article 1\n"
            "1. The Republic shall respect the principles of international\n"
            "law, pursue a policy of cooperation and good-neighbourly relations\n"
            ", and settle disputes peacefully.\n"
            "2. Laws are published by\n"
            "\n"
            "Parliament within ten days.\n"
        )
    )
    assert provisions["1/1"].text == (
        "The Republic shall respect the principles of international law, pursue a policy of cooperation and "
        "good-neighbourly relations, and settle disputes peacefully."
    )
    assert provisions["1/2"].text == "Laws are published by Parliament within ten days."  # across a blank line


def test_pdf_layout_indented_paragraphs_unindented_wraps():
    # A PDF extraction indents each paragraph's first line; its wraps start at the margin, capitals or not.
    articles = "".join(
        f"Статья {n}\n"
        f"      1. Текст первого пункта статьи {n}, который не помещается на одной\n"
        f"Строке печатного листа, и даже на двух\n"
        f"Строках.\n"
        f"      2. Второй пункт статьи {n}.\n"
        f"      Второй абзац второго пункта.\n"
        for n in range(1, 9)
    )
    provisions = _by_path(parse_text(articles))
    assert provisions["1/1"].text == (
        "Текст первого пункта статьи 1, который не помещается на одной Строке печатного листа, и даже на двух Строках."
    )
    assert provisions["8/2"].text == "Второй пункт статьи 8.\nВторой абзац второго пункта."


def test_fixed_width_wraps_tell_a_full_line_from_a_short_last_line():
    # Markdown wrapped at ~60 columns: a full line ending in "." still wraps; a short one ends the paragraph.
    articles = "".join(
        f"### Art {n}\n\n"
        "(1) Alle Menschen sind vor dem Gesetz gleich und frei geboren.\n"
        "Niemand darf wegen seines Geschlechtes benachteiligt werden.\n"
        "Das Nähere regelt ein Gesetz, das der Bund erlassen kann, und\n"
        "das gilt.\n"
        "Der Bund fördert die tatsächliche Durchsetzung der Gleichheit.\n\n"
        for n in range(1, 6)
    )
    provisions = _by_path(parse_text(articles))
    assert provisions["5/1"].text == (
        "Alle Menschen sind vor dem Gesetz gleich und frei geboren. "
        "Niemand darf wegen seines Geschlechtes benachteiligt werden. "
        "Das Nähere regelt ein Gesetz, das der Bund erlassen kann, und das gilt.\n"
        "Der Bund fördert die tatsächliche Durchsetzung der Gleichheit."
    )


# --- Notes, page furniture, odd whitespace ------------------------------------------------------


def test_footnotes_and_editorial_notes_are_dropped():
    provisions = _by_path(
        parse_text(
            "Article 1\n"
            "1. The State is secular.\n"
            "Footnote. Article 1 as amended by the Law of 1 May 2020\n"
            "(in force from the date of its first official publication).\n"
            "2. Religion is separate from the State.\n"
            "Note: see Resolution No. 4 of 2003.\n"
            "Статья 2\n"
            "Сноска. Статья 2 с изменениями, внесенными законом от\n"
            "21.05.2007 № 254-III.\n"
            "Граждане равны. (В редакции Закона от 14.03.2020 № 1-ФКЗ)\n"
            "(Статья введена - Закон о поправке от 14.03.2020 № 1-ФКЗ)\n"
            "Примечание. См. нормативное постановление от 22.05.2023 № 17-НП\n"
        )
    )
    assert provisions["1/1"].text == "The State is secular."
    assert provisions["1/2"].text == "Religion is separate from the State."
    assert provisions["2"].text == "Граждане равны."


def test_page_numbers_and_running_headers_are_dropped():
    header = "Constitution of Examplia - draft for consultation"
    provisions = _by_path(
        parse_text(
            f"{header}\n"
            "Article 1\n1. Examplia is a sovereign\n"
            f"- 1 -\n{header}\n"
            "democratic state.\n"
            f"Page 2 of 4\n{header}\n"
            "Article 2\nThe capital is Example City.\n"
            f"3\n{header}\n"
            "Article 3\nThe flag is blue.\n"
            f"Page 4 of 4\n{header}\n"
        )
    )
    assert provisions["1/1"].text == "Examplia is a sovereign democratic state."
    assert provisions["2"].text == "The capital is Example City."
    assert provisions["3"].text == "The flag is blue."
    assert all(header not in p.text for p in provisions.values())


def test_a_running_header_without_page_numbers_is_dropped_when_it_recurs_on_every_page():
    header = "REPUBLIC OF EXAMPLIA - OFFICIAL GAZETTE"
    text = "".join(f"{header}\nArticle {n}\nArticle {n} has its own words.\n" for n in range(1, 13))
    provisions = _by_path(parse_text(text))
    assert len(provisions) == 12 and all(header not in p.text for p in provisions.values())


def test_a_wrapped_line_that_recurs_is_not_taken_for_a_running_header():
    # The same sentence wrapped the same way in five articles: the repeated line is text, not a header.
    text = "".join(
        f"Article {n}\n1. The decision of the body named in Article {n} may be appealed to the\n"
        "Constitutional Court within one month.\n"
        for n in range(1, 6)
    )
    provisions = _by_path(parse_text(text))
    assert provisions["5/1"].text == (
        "The decision of the body named in Article 5 may be appealed to the Constitutional Court within one month."
    )


def test_non_breaking_and_other_odd_spaces():
    text = (
        "Article\u00a01\n"
        "\u2003\u20031.\u00a0Examplia\u2009is\u200b a\tstate.\n"  # em spaces, thin space, zero-width space, tab
        "Section\u202fII\n"
        "Article\u00a010\u20111\n"  # a non-breaking hyphen in "10-1"
        "Text.\n"
    )
    provisions = _by_path(parse_text(text))
    assert list(provisions) == ["1", "1/1", "II", "II/10-1"]
    assert provisions["1/1"].text == "Examplia is a state."


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (ENGLISH, "en"),
        (RUSSIAN, "ru"),
        (KAZAKH, "kk"),
        (GERMAN_MARKDOWN, "de"),
        # Russian naming Kazakh institutions is still Russian.
        (RUSSIAN + "Статья 2\nЗаконы обсуждает Қазақстан Халық Кеңесі.\n", "ru"),
        ("Article 1\nLa République est une et indivisible.\n", ""),
        ("Статья 1\nУкраїна є суверенна і незалежна, демократична, соціальна, правова держава.\n", ""),
    ],
)
def test_language_is_detected_from_the_text(text, language):
    assert parse_text(text).language == language


# --- Files that are refused ---------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\n \t \n", "\u00a0\n\ufeff"])
def test_an_empty_text_is_refused(text):
    error = _error(text)
    assert (error.message, error.line) == ("The file is empty", None)


def test_prose_is_refused_naming_its_first_line():
    error = _error("\n\nThis is an essay about the weather.\nIt has no articles at all.\n")
    assert error.line == 3
    assert str(error) == (
        'Line 3: expected a section, chapter or article heading such as "Article 1", "Статья 1" or "1-бап", '
        'found "This is an essay about the weather."'
    )


def test_a_csv_is_refused_naming_its_first_line():
    error = _error("name,email,comment\nalice,alice@example.org,I support article 5\n")
    assert error.line == 1 and 'found "name,email,comment"' in error.message


def test_numbered_points_without_any_heading_are_refused():
    assert _error("1. Buy milk.\n2. Call the plumber.\n").line == 1


@pytest.mark.parametrize(
    ("filename", "data", "expected"),
    [
        ("draft.txt", b"\x00\x01\x02\xff\xfe\x00binary", '"draft.txt" is not a text, Markdown or .docx file'),
        ("draft.docx", b"not a zip at all", '"draft.docx" is not a valid .docx file'),
        ("draft.pdf", b"%PDF-1.7\n...", '"draft.pdf" is a PDF'),
        ("draft.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", '"draft.doc" is an old Word (.doc) file'),
        ("draft.txt", b"\x98\x99 not cp1251 either", '"draft.txt" could not be read as text'),
        ("draft.md", b"", "The file is empty"),
    ],
)
def test_uploads_that_are_not_drafts_are_refused(filename, data, expected):
    with pytest.raises(DraftParseError) as raised:
        parse_upload(filename=filename, data=data)
    assert str(raised.value).startswith(expected)


def test_a_zip_that_is_not_a_word_document_is_refused():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("content.xml", "<x/>")
    with pytest.raises(DraftParseError, match="is not a valid .docx file"):
        parse_upload(filename="draft.docx", data=archive.getvalue())
    with pytest.raises(DraftParseError, match="^The file is not a valid .docx file$"):
        parse_docx(b"PK\x03\x04 broken")


def test_a_number_longer_than_the_database_allows_names_its_line():
    error = _error("Article 1\nText.\n\nArticle " + "-".join(["12"] * 12) + "\nText.\n")
    assert error.line == 4 and "at most 32" in error.message


def test_a_heading_longer_than_the_database_allows_names_its_line():
    error = _error("# Law\n\n## Section I. " + "Very long title " * 40 + "\n\n### Article 1\n\nText.\n")
    assert error.line == 3 and "at most 500" in error.message


def test_a_path_longer_than_the_database_allows_names_its_line():
    def nested(depth: int) -> ParsedProvision:
        children = (nested(depth - 1),) if depth else ()
        return ParsedProvision("article", "9" * 30, "", "", line=depth + 1, children=children)

    with pytest.raises(DraftParseError, match="at most 255") as raised:
        check_limits(ParsedDocument("", "en", (nested(9),)))
    assert raised.value.line is not None


# --- Uploads: encodings and .docx ---------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        RUSSIAN.encode("utf-8"),
        b"\xef\xbb\xbf" + RUSSIAN.encode("utf-8"),
        RUSSIAN.encode("utf-16"),  # with its BOM
        codecs.BOM_UTF16_BE + RUSSIAN.encode("utf-16-be"),
        RUSSIAN.encode("cp1251"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "cp1251"],
)
def test_text_uploads_in_any_of_the_usual_encodings(data):
    document = parse_upload(filename="конституция.txt", data=data)
    assert document.title == "КОНСТИТУЦИЯ ПРИМЕРИИ"
    assert flatten(document) == flatten(parse_text(RUSSIAN))


@pytest.mark.parametrize("filename", ["draft.md", "draft.markdown", "draft.txt", "draft", "DRAFT.MD"])
def test_markdown_and_text_uploads_by_any_name(filename):
    assert parse_upload(filename=filename, data=GERMAN_MARKDOWN.encode()) == parse_text(GERMAN_MARKDOWN)


def _word_constitution(document):
    document.add_paragraph("Constitution of Docxland", style="Title")
    document.add_paragraph("We, the people of Docxland, adopt this Constitution.", style="Quote")
    document.add_heading("Section I. General Provisions", level=1)
    document.add_heading("Article 1", level=2)
    document.add_paragraph("1.\u00a0Docxland is a democratic state.")
    document.add_paragraph("2. Its capital is Docxville.")
    document.add_heading("Article 2", level=2)
    document.add_paragraph("The flag is green.")


def test_a_word_document_without_heading_styles():
    def build(document):
        for line in ("Article 1", "1. The people are sovereign.", "Article 2", "Laws are published."):
            document.add_paragraph(line)

    assert [p.path for p in flatten(parse_docx(_docx_bytes(build)))] == ["1", "1/1", "2"]


def test_a_word_document_is_read_paragraph_by_paragraph():
    document = parse_docx(_docx_bytes(_word_constitution))
    assert (document.title, document.language) == ("Constitution of Docxland", "en")
    assert [(p.path, p.kind, p.heading, p.text, p.line) for p in flatten(document)] == [
        ("preamble", "preamble", "", "We, the people of Docxland, adopt this Constitution.", 2),
        ("I", "section", "General Provisions", "", 3),
        ("I/1", "article", "", "", 4),
        ("I/1/1", "paragraph", "", "Docxland is a democratic state.", 5),
        ("I/1/2", "paragraph", "", "Its capital is Docxville.", 6),
        ("I/2", "article", "", "The flag is green.", 7),
    ]


def test_a_word_document_is_recognised_by_its_content_whatever_its_name():
    data = _docx_bytes(_word_constitution)
    assert parse_upload(filename="draft.docx", data=data) == parse_docx(data)
    assert parse_upload(filename="draft", data=data) == parse_docx(data)


def test_a_word_document_with_tables_and_line_breaks():
    def build(document):
        document.add_paragraph("Article 1\nThe people are sovereign.")  # a manual line break
        table = document.add_table(rows=1, cols=1)
        table.cell(0, 0).text = "Article 2"
        table.cell(0, 0).add_paragraph("Laws are published.")

    provisions = _by_path(parse_docx(_docx_bytes(build)))
    assert (provisions["1"].text, provisions["2"].text) == ("The people are sovereign.", "Laws are published.")


def test_an_empty_word_document_is_refused():
    with pytest.raises(DraftParseError, match="^The file is empty$"):
        parse_docx(_docx_bytes(lambda document: document.add_paragraph("   ")))


# --- flatten ------------------------------------------------------------------------------------


def test_flatten_lists_provisions_in_reading_order_with_parents_and_depths():
    flat = flatten(parse_text(ENGLISH))
    assert [p.index for p in flat] == list(range(len(flat)))
    by_path = {p.path: p for p in flat}
    paragraph = by_path["I/1/2"]
    assert (paragraph.depth, flat[paragraph.parent].path, flat[flat[paragraph.parent].parent].path) == (2, "I/1", "I")
    assert by_path["I"].parent is None and by_path["preamble"].depth == 0
    assert by_path["I/1/2/1"].parent == paragraph.index
    assert (paragraph.kind, paragraph.number, paragraph.text, paragraph.line) == (
        "paragraph", "2", "The sources of law are:", 12,
    )


def test_flatten_keeps_paths_unique_when_a_label_is_printed_twice():
    flat = flatten(parse_text("Article 5\n1. One.\n1. One again.\nArticle 5\nRepeated article.\n"))
    assert [p.path for p in flat] == ["5", "5/1", "5/1~2", "5~2"]
    assert len({p.path for p in flat}) == len(flat)


def test_flatten_names_unnumbered_provisions_by_kind():
    flat = flatten(parse_text("# Law\n\n## Preamble\n\nWhereas.\n\n## Article 1\n\nText.\n\n## Annex\n\nTable.\n"))
    assert [p.path for p in flat] == ["preamble", "1", "section"]


# --- match_translations -------------------------------------------------------------------------

ENGLISH_TRANSLATION = """\
Section I. General Provisions
Article 1
1. Examplia is a democratic state.
2. It is governed by law.
Article 1-1
Every citizen votes.
Section II. Rights
Article 2
Everyone has the right to life.
"""

RUSSIAN_ORIGINAL = """\
## Раздел I. Общие положения
### Статья 1
1. Примерия является демократическим государством.
2. Она управляется по закону. 3. Законы публикуются.
### Статья 1-1
Каждый гражданин голосует.
### Статья 2
Каждый имеет право на жизнь.
### Статья 3
Цензура запрещена.
"""


def test_translations_match_article_for_article_and_paragraph_for_paragraph():
    primary = flatten(parse_text(RUSSIAN_ORIGINAL))
    translation = flatten(parse_text(ENGLISH_TRANSLATION))
    matches = match_translations(primary, translation)
    pairs = {primary[i].path: translation[j].path for i, j in matches.items()}
    # Article 2 sits in section I of the original and section II of the translation: still matched.
    assert pairs == {"I": "I", "I/1": "I/1", "I/1/1": "I/1/1", "I/1/2": "I/1/2", "I/1-1": "I/1-1", "I/2": "II/2"}
    # Paragraph 3 runs into paragraph 2 in the original (as 50.4 in the Kazakh 1995 text): no match, no guess.
    assert "I/1/3" not in pairs


def test_translations_pair_repeated_labels_in_order():
    primary = flatten(parse_text("Article 5\nFirst.\nArticle 5\nSecond.\n"))
    translation = flatten(parse_text("Статья 5\nПервая.\nСтатья 5\nВторая.\n"))
    assert match_translations(primary, translation) == {0: 0, 1: 1}


def test_nothing_matches_an_empty_translation():
    assert match_translations(flatten(parse_text(ENGLISH)), ()) == {}
