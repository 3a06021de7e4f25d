"""drafts.parser on the numbering conventions of legal texts across Europe and Central Asia (issue 12, point 2).

A small corpus written by the team, one text per convention: the article counts are exact, headings
stand where they belong, no article is glued to another and unnumbered paragraphs are split into parts.
"""
from __future__ import annotations

import pytest

from drafts.parser import DraftParseError, flatten, parse_text
from drafts.parser.classify import match_heading
from drafts.parser.numbering import normalise_number


def _tree(text: str) -> dict[str, object]:
    return {provision.path: provision for provision in flatten(parse_text(text))}


def _articles(text: str) -> list[str]:
    return [provision.number for provision in flatten(parse_text(text)) if provision.kind == "article"]


FRENCH = """\
CONSTITUTION DE LA RÉPUBLIQUE

Préambule

Le peuple proclame solennellement son attachement aux droits de l'homme.

TITRE PREMIER - DE LA SOUVERAINETÉ

Article premier
La République est indivisible, laïque, démocratique et sociale.
Elle assure l'égalité devant la loi de tous les citoyens.

Article 2
La langue de la République est le français.

Titre II
Le Président de la République

Article 3
Le Président veille au respect de la Constitution.

Chapitre Ier
Des traités

Section 1
Des accords

ARTICLE 88-4
Le Gouvernement soumet au Parlement les projets d'actes européens.

Article 88-5
Tout projet de loi autorisant la ratification est soumis au référendum.
"""

UKRAINIAN = """\
КОНСТИТУЦІЯ

Розділ I
Загальні засади

Стаття 1
Держава є суверенна і незалежна, демократична, соціальна, правова.

Стаття 2
Суверенітет поширюється на всю її територію.
Держава є унітарною.
Територія в межах існуючого кордону є цілісною і недоторканною.

Розділ II
Права, свободи та обов'язки людини і громадянина

Стаття 3:
Людина, її життя і здоров'я визнаються найвищою соціальною цінністю.
"""

SUPERSCRIPT = """\
КОНСТИТУЦИЯ

ГЛАВА 3
ФЕДЕРАТИВНОЕ УСТРОЙСТВО

Статья 67
1. Территория включает в себя территории ее субъектов.

Статья 67¹
1. Федерация является правопреемником Союза.

Статья 68
1. Государственным языком является русский язык.

ГЛАВА 3¹
ПУБЛИЧНАЯ ВЛАСТЬ

Статья 89¹
1. Органы публичной власти действуют совместно.
"""

WIKI = """\
= Constitution of the Republic =
----
== Chapter I. Foundations ==
=== Article 1 ===
The Republic is a democratic state.
=== Article 2: ===
Power belongs to the people.
----
== '''Chapter II''' ==
'''Article 3.''' Everyone is equal before the law and the courts.
'''Article 4'''
Everyone is free.
"""

COLON_HEADINGS = """\
Chapter 1. The Parliament

Article 1. The Parliament consists of:
1) the Senate;
2) the Assembly.

Article 2. The Parliament shall have the power to:
1) adopt laws;
2) approve the budget.

Article 3:
The Parliament meets every year.
"""

CONTENTS = """\
CONSTITUTION OF THE REPUBLIC

Table of contents
Chapter 1. General provisions ............ 3
Chapter 2. Rights and freedoms ........... 5
Chapter 3. The Parliament ................ 9

Chapter 1. General provisions

Article 1
The Republic is a democratic state.

Chapter 2. Rights and freedoms

Article 2
Everyone has the right to life.

Chapter 3. The Parliament

Article 3
The Parliament consists of two chambers.
"""

EDITORIAL = """\
Chapter 1

Article 1
Everyone is equal. (as amended by Law No. 12 of 2019)
[Entry into force: 1 January 2027]

Article 2
(Article repealed)

Article 3
Исключена.

Article 4
Утратила силу в соответствии с Законом от 10.03.2017 № 51-VI.

Article 5
The law is repealed when the people decide so in a referendum, under the procedure of article 3.
"""

KAZAKH_LATIN = """\
1-bölim. Jalpy erejeler

1-bap
Respublika — demokratiyalyq memleket.

2-bap
Egemendik halyqqa tiesili.

II bölim. Adam quqyqtary

3-bap
Ärkimniń ómir súruge quqyğy bar.
"""


def test_french_premier_titre_chapitre_section_and_hyphenated_numbers():
    tree = _tree(FRENCH)
    assert _articles(FRENCH) == ["1", "2", "3", "88-4", "88-5"]
    assert tree["1"].kind == "part" and tree["1"].heading == "DE LA SOUVERAINETÉ"
    assert tree["II"].heading == "Le Président de la République"
    # The document opens its chapter before its section: the section nests inside the chapter.
    chapter = next(p for p in tree.values() if p.kind == "chapter")
    section = next(p for p in tree.values() if p.kind == "section")
    assert section.parent == chapter.index
    assert tree["II/I/1/88-4"].kind == "article"
    assert [p.text for p in tree.values() if p.path.startswith("1/1/")] == [
        "La République est indivisible, laïque, démocratique et sociale.",
        "Elle assure l'égalité devant la loi de tous les citoyens.",
    ]  # "Article premier"'s two unnumbered paragraphs are its parts 1 and 2


def test_ukrainian_rozdil_and_stattia_with_a_colon_heading():
    tree = _tree(UKRAINIAN)
    assert _articles(UKRAINIAN) == ["1", "2", "3"]
    assert tree["I"].heading == "Загальні засади" and tree["II"].kind == "section"
    assert [tree[f"I/2/{part}"].text for part in "123"] == [
        "Суверенітет поширюється на всю її територію.",
        "Держава є унітарною.",
        "Територія в межах існуючого кордону є цілісною і недоторканною.",
    ]
    assert not tree["I/2/1"].number_printed and tree["I/2"].text == ""
    assert tree["II/3"].text.startswith("Людина")


def test_superscript_numbers_mean_inserted_ones():
    tree = _tree(SUPERSCRIPT)
    assert _articles(SUPERSCRIPT) == ["67", "67-1", "68", "89-1"]
    assert [p.number for p in tree.values() if p.kind == "chapter"] == ["3", "3-1"]
    # 67, 67¹, 68 follow each other; from 68 to 89¹ twenty articles are missing, and that is said.
    assert [(w.code, w.line) for w in parse_text(SUPERSCRIPT).warnings] == [("numbering_gap", 18)]


@pytest.mark.parametrize("printed, number", [
    ("89¹", "89-1"), ("3²", "3-2"), ("1er", "1"), ("Ier", "I"), ("11 bis", "11bis"), ("91e", "91e"), ("IV a", "IVa"),
])
def test_numbers_as_printed_are_normalised(printed, number):
    assert normalise_number(printed) == number


@pytest.mark.parametrize("line, kind, number", [
    ("Article premier", "article", "1"),
    ("Article 1er", "article", "1"),
    ("ARTICLE 88-4", "article", "88-4"),
    ("Art. 12a", "article", "12a"),
    ("Стаття 1", "article", "1"),
    ("Статья 89¹", "article", "89-1"),
    ("Розділ I", "section", "I"),
    ("Раздел I", "section", "I"),
    ("Титул II", "part", "II"),
    ("Titre Ier", "part", "I"),
    ("Title I", "part", "I"),
    ("Chapitre 3", "chapter", "3"),
    ("Глава 3¹", "chapter", "3-1"),
    ("Kapitel 2", "chapter", "2"),
    ("I бөлім", "section", "I"),
    ("II Bölim", "section", "II"),
    ("5-тарау", "chapter", "5"),
    ("12-бап", "article", "12"),
    ("**Статья 5.**", "article", "5"),
    ("'''Article 7'''", "article", "7"),
    ("1-modda", "article", "1"),
])
def test_headings_of_many_traditions(line, kind, number):
    heading = match_heading(line, markdown=False)
    assert heading is not None and (heading.kind, heading.number) == (kind, number)


@pytest.mark.parametrize("line", [
    "Глава государства избирается народом.",
    "Part of the territory may be leased.",
    "Article 5 of this Constitution applies.",
    "Title to land is registered.",
    "Section 3 shall not apply to judges.",
])
def test_sentences_that_start_like_headings_stay_text(line):
    assert match_heading(line, markdown=False) is None


def test_wiki_markup_rules_and_bold_headings():
    tree = _tree(WIKI)
    assert _articles(WIKI) == ["1", "2", "3", "4"]
    assert tree["I"].heading == "Foundations"
    assert tree["II/4"].text == "Everyone is free."


def test_a_heading_line_ending_with_a_colon_is_still_a_heading():
    tree = _tree(COLON_HEADINGS)
    assert _articles(COLON_HEADINGS) == ["1", "2", "3"]
    assert tree["1/1"].text == "The Parliament consists of:"
    assert [tree["1/2/1"].text, tree["1/2/2"].text] == ["adopt laws;", "approve the budget."]
    assert tree["1/3"].text == "The Parliament meets every year."


def test_a_table_of_contents_is_recognised_and_skipped():
    document = parse_text(CONTENTS)
    tree = {p.path: p for p in flatten(document)}
    assert [p.path for p in tree.values() if p.kind == "chapter"] == ["1", "2", "3"]  # no duplicates "1~2"
    assert _articles(CONTENTS) == ["1", "2", "3"]
    assert [w.code for w in document.warnings] == ["table_of_contents_skipped"]
    assert document.warnings[0].line == 3


def test_editorial_notes_are_kept_apart_and_repealed_articles_stay_placeholders():
    tree = _tree(EDITORIAL)
    assert _articles(EDITORIAL) == ["1", "2", "3", "4", "5"]
    assert tree["1/1"].text == "Everyone is equal."
    assert tree["1/1"].notes == ("(as amended by Law No. 12 of 2019)", "[Entry into force: 1 January 2027]")
    for number, note in [("2", "(Article repealed)"), ("3", "Исключена."), ("4", "Утратила силу в соответствии с Законом от 10.03.2017 № 51-VI.")]:
        assert (tree[f"1/{number}"].text, tree[f"1/{number}"].notes) == ("", (note,))
    assert tree["1/5"].text.startswith("The law is repealed when")  # law that says "repealed" stays law


def test_number_first_languages_in_latin_letters():
    assert _articles(KAZAKH_LATIN) == ["1", "2", "3"]
    assert [p.number for p in flatten(parse_text(KAZAKH_LATIN)) if p.kind == "section"] == ["1", "II"]


def test_a_table_of_contents_alone_is_refused():
    with pytest.raises(DraftParseError, match="only headings"):
        parse_text("Chapter 1. General provisions\nChapter 2. Rights\nChapter 3. The Parliament\n")
