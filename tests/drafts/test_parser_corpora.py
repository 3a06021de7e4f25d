"""drafts.parser on the real constitutions in ../shared/corpora (read in place, never copied here).

Each test skips where the corpora are absent; set CORPORA_DIR to point elsewhere.
"""
from __future__ import annotations

import io
import os
import re
import time
from collections import Counter
from functools import cache
from pathlib import Path

import docx
import pytest

from drafts.parser import FlatProvision, ParsedDocument, flatten, match_translations, parse_upload

pytestmark = pytest.mark.corpora

CORPORA_DIR = Path(os.environ.get("CORPORA_DIR", Path(__file__).resolve().parents[2].parent / "shared" / "corpora"))

KZ_1995_RU = "kazakhstan/kz_constitution_1995_as_of_2023-01-01_ru.md"
KZ_1995_RU_PDF = "kazakhstan/kz_constitution_1995_as_of_2023-01-01_ru_adilet.pdf.pypdf.txt"
KZ_1995_KK = "kazakhstan/kz_constitution_1995_as_amended_kk.txt"
KZ_1995_EN = "kazakhstan/kz_constitution_1995_as_amended_en.txt"
KZ_2026_RU = "kazakhstan/kz_constitution_2026_ru.md"
RU_2014 = "russia/ru_constitution_ed_2014-07-21.txt"
RU_2020 = "russia/ru_constitution_ed_2020-03-14.txt"
DE_2012 = "germany/de_grundgesetz_commit_2012-08-02.md"
DE_2018 = "germany/de_grundgesetz_commit_2018-11-08.md"

# From ../shared/corpora/README.md: article headings as printed, placeholders of deleted articles included.
ARTICLE_COUNTS = {
    KZ_1995_RU: 102,
    KZ_1995_KK: 102,
    KZ_1995_EN: 102,
    KZ_1995_RU_PDF: 102,
    KZ_2026_RU: 96,
    RU_2014: 137,
    RU_2020: 142,
    DE_2012: 195,
    DE_2018: 200,
}
LANGUAGES = {
    KZ_1995_RU: "ru", KZ_1995_KK: "kk", KZ_1995_EN: "en", KZ_1995_RU_PDF: "ru", KZ_2026_RU: "ru",
    RU_2014: "ru", RU_2020: "ru", DE_2012: "de", DE_2018: "de",
}
# What must not survive into any provision: footnotes, notes, amendment histories.
EDITORIAL_TRACES = re.compile(
    r"Сноска|Примечание|Footnote|\bNote[.:]|\(В редакции|\(Статья введена|\(Пункт введен|-НП\b|©"
)


def _corpora() -> Path:
    if not CORPORA_DIR.is_dir():
        pytest.skip("../shared/corpora not found: set CORPORA_DIR")
    return CORPORA_DIR


@cache
def _parsed(name: str) -> ParsedDocument:
    path = _corpora() / name
    return parse_upload(filename=path.name, data=path.read_bytes())


def _flat(name: str) -> tuple[FlatProvision, ...]:
    return flatten(_parsed(name))


def _article(name: str, number: str) -> FlatProvision:
    [article] = [p for p in _flat(name) if p.kind == "article" and p.number == number]
    return article


def _child(name: str, parent: FlatProvision, number: str) -> FlatProvision:
    [child] = [p for p in _flat(name) if p.parent == parent.index and p.number == number]
    return child


@pytest.mark.parametrize("name", sorted(ARTICLE_COUNTS))
def test_every_corpus_imports_with_the_expected_articles(name):
    flat = _flat(name)
    articles = [p for p in flat if p.kind == "article"]
    assert len(articles) == ARTICLE_COUNTS[name]
    assert len({p.path for p in flat}) == len(flat)
    assert _parsed(name).language == LANGUAGES[name]


@pytest.mark.parametrize("name", sorted(ARTICLE_COUNTS))
def test_no_footnote_or_editorial_note_inside_a_provision(name):
    leaks = [(p.path, p.text[:80]) for p in _flat(name) if EDITORIAL_TRACES.search(p.text + p.heading)]
    assert leaks == []


@pytest.mark.parametrize("name", sorted(ARTICLE_COUNTS))
def test_sub_paragraphs_are_found(name):
    kinds = Counter(p.kind for p in _flat(name))
    assert kinds["paragraph"] > 200 and kinds["subparagraph"] > 90


def test_parsing_all_corpora_is_fast():
    _corpora()
    started = time.perf_counter()
    for name in ARTICLE_COUNTS:
        path = CORPORA_DIR / name
        parse_upload(filename=path.name, data=path.read_bytes())
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize("name", [KZ_1995_RU, KZ_1995_RU_PDF, KZ_1995_KK, KZ_1995_EN])
def test_kazakhstan_1995_structure_and_inserted_points(name):
    flat = _flat(name)
    sections = [p for p in flat if p.kind == "section"]
    assert [s.number for s in sections] == ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"]
    labels = [p.number for p in flat if p.kind == "article"]
    assert labels[:3] == ["1", "2", "3"] and labels[-1] == "99"
    assert {"83-1", "94-1", "94-2"} <= set(labels)
    article_2 = _article(name, "2")
    assert [p.number for p in flat if p.parent == article_2.index] == ["1", "2", "3", "3-1", "4"]
    assert _child(name, article_2, "3-1").path == "I/2/3-1"


@pytest.mark.parametrize(
    ("name", "article", "paragraph", "start"),
    [
        (KZ_1995_RU, "1", "1", "Республика Казахстан утверждает себя демократическим, светским"),
        (KZ_1995_RU_PDF, "1", "1", "Республика Казахстан утверждает себя демократическим, светским"),
        (KZ_1995_KK, "1", "1", "Қазақстан Республикасы өзін демократиялық, зайырлы"),
        (KZ_1995_EN, "1", "1", "The Republic of Kazakhstan proclaims itself a democratic, secular"),
        (KZ_1995_RU_PDF, "4", "4", "Все законы, международные договоры, участником которых является Республика, публ"),
        (KZ_2026_RU, "2", "6", "Национальная валюта (денежная единица) Республики Казахстан – теңге.\nРеспублике"),
        (RU_2020, "671", "1", "Российская Федерация является правопреемником Союза ССР"),
        (RU_2014, "3", "4", "Никто не может присваивать власть в Российской Федерации."),
        (DE_2012, "1", "1", "Die Würde des Menschen ist unantastbar. Sie zu achten und zu schützen ist"),
        (DE_2018, "143g", "", "Für die Regelung der Steuerertragsverteilung"),
    ],
)
def test_texts_start_with_the_right_words(name, article, paragraph, start):
    provision = _article(name, article)
    if paragraph:
        provision = _child(name, provision, paragraph)
    assert provision.text.startswith(start)


def test_kazakhstan_1995_pdf_extraction_rejoins_wraps_and_drops_notes():
    pdf = _flat(KZ_1995_RU_PDF)
    paragraph = _child(KZ_1995_RU_PDF, _article(KZ_1995_RU_PDF, "1"), "2")
    assert "\n" not in paragraph.text
    assert paragraph.text.endswith("включая голосование на республиканском референдуме или в Парламенте.")
    # Article 84 was repealed: its only words in the print are a footnote, so it stays, empty.
    assert _article(KZ_1995_RU_PDF, "84").text == ""
    assert pdf[0].kind == "preamble" and "Мы, народ Казахстана, объединенный общей исторической судьбой" in pdf[0].text


def test_kazakhstan_1995_pdf_has_the_same_tree_as_the_markdown_edition():
    assert [p.path for p in _flat(KZ_1995_RU_PDF)] == [p.path for p in _flat(KZ_1995_RU)]


def test_kazakhstan_2026_sections():
    flat = _flat(KZ_2026_RU)
    sections = [p for p in flat if p.kind == "section"]
    assert len(sections) == 11
    assert sections[0].heading == "Основы конституционного строя"
    assert sections[7].heading == "Правосудие. Прокуратура. Правозащитные механизмы"  # wrapped onto a second line


def test_russia_sections_chapters_and_lettered_points():
    flat = _flat(RU_2020)
    assert _parsed(RU_2020).title == "КОНСТИТУЦИЯ РОССИЙСКОЙ ФЕДЕРАЦИИ"
    assert [p.number for p in flat if p.kind == "section"] == ["1", "2"]
    assert len([p for p in flat if p.kind == "chapter"]) == 9
    assert {"671", "751", "791", "921", "1031"} <= {p.number for p in flat if p.kind == "article"}
    article_71 = _article(RU_2020, "71")
    assert [p.number for p in flat if p.parent == article_71.index][:3] == ["а", "б", "в"]
    assert article_71.path == "1/3/71"
    transitional = [p for p in flat if p.kind == "section" and p.number == "2"][0]
    assert transitional.heading == "Заключительные и переходные положения"
    assert [p.kind for p in flat if p.parent == transitional.index] == ["paragraph"] * 9


def test_germany_sections_articles_and_absatz():
    flat = _flat(DE_2018)
    sections = [p.number for p in flat if p.kind == "section"]
    assert sections[:5] == ["I", "II", "III", "IV", "IVa"] and "VIIIa" in sections and "Xa" in sections
    assert {"12a", "104c", "104d", "143e", "143f", "143g"} <= {p.number for p in flat if p.kind == "article"}
    assert _article(DE_2018, "45d").heading == "Parlamentarisches Kontrollgremium"
    assert [p.heading for p in flat if p.kind == "preamble"] == ["", "Eingangsformel", "Präambel"]
    assert _article(DE_2018, "1").path == "I/1"


def test_three_parallel_texts_of_1995_match_article_for_article(record_property):
    primary = _flat(KZ_1995_RU)
    primary_articles = [p for p in primary if p.kind == "article"]
    primary_paragraphs = [p for p in primary if p.kind in ("paragraph", "subparagraph")]
    for name, language in ((KZ_1995_KK, "kk"), (KZ_1995_EN, "en")):
        translation = _flat(name)
        matches = match_translations(primary, translation)
        article_share = sum(p.index in matches for p in primary_articles) / len(primary_articles)
        paragraph_share = sum(p.index in matches for p in primary_paragraphs) / len(primary_paragraphs)
        record_property(f"ru_{language}_article_match_share", article_share)
        record_property(f"ru_{language}_paragraph_match_share", paragraph_share)
        print(f"ru -> {language}: articles {article_share:.1%}, paragraphs and sub-paragraphs {paragraph_share:.1%}")
        assert article_share == 1.0
        assert paragraph_share >= 0.99
        for primary_index, translation_index in matches.items():
            assert primary[primary_index].number == translation[translation_index].number
        # The one point the Kazakh source runs into its neighbour (50.4) is left unmatched, not guessed.
        unmatched = [p.path for p in primary if p.index not in matches]
        assert unmatched == (["IV/50/4"] if language == "kk" else [])


def test_the_same_text_as_word_document_or_windows_file_gives_the_same_tree():
    markdown = (_corpora() / KZ_1995_RU).read_text(encoding="utf-8")
    document = docx.Document()
    for line in markdown.splitlines():
        if line.startswith("#"):
            marks, _space, title = line.partition(" ")
            document.add_heading(title, level=len(marks))
        elif line.startswith(">"):
            document.add_paragraph(line.lstrip("> "), style="Quote")
        elif line.strip():
            document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    from_word = parse_upload(filename="constitution.docx", data=buffer.getvalue())
    assert [(p.path, p.heading, p.text) for p in flatten(from_word)] == [
        (p.path, p.heading, p.text) for p in _flat(KZ_1995_RU)
    ]

    windows = (_corpora() / RU_2020).read_text(encoding="utf-8").replace("\n", "\r\n").encode("cp1251")
    from_windows = parse_upload(filename="constitution.txt", data=windows)
    assert [(p.path, p.text) for p in flatten(from_windows)] == [(p.path, p.text) for p in _flat(RU_2020)]
