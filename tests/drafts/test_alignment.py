"""drafts.alignment on small documents, in English and in Russian: one change at a time.

The documents are built from the same fictional text (the Republic of Estria) in both
languages, rendered in the parser's Markdown and parsed with drafts.parser, as an upload
would be. No database.
"""
from __future__ import annotations

import copy

import pytest

from drafts.alignment import CHANGE_KINDS, AlignUnit, Match, align, comparison_figures
from drafts.diff import count_words
from tests.drafts.corpus.helpers import units_from_text

ESTRIA = {
    "en": {
        "title": "Constitution of the Republic of Estria",
        "section": "Section",
        "article": "Article",
        "preamble": ["We, the people of Estria, mindful of our common history,", "adopt this Constitution."],
        "sections": [
            ("General Provisions", [
                ["The Republic of Estria is a democratic state governed by the rule of law.",
                 "The people are the only source of state power and exercise it directly and through their representatives."],
                ["The state language of the Republic is Estrian.",
                 "The state takes care of the development of the languages spoken by the communities of Estria."],
                "The capital of the Republic is the city of Morwen.",
                ["Land, forests and waters belong to the people and are protected by the state.",
                 "Private ownership of land is permitted on the conditions and within the limits established by law."],
            ]),
            ("Rights of the Person", [
                ["Everyone has the right to life.",
                 "No one may be subjected to torture or to cruel or degrading treatment."],
                ["Everyone is guaranteed freedom of thought and speech.",
                 "Censorship is prohibited.",
                 "Propaganda of war and of hatred between nations is prohibited."],
                ["Everyone has the right to work freely chosen and to fair pay without discrimination.",
                 "Forced labour is prohibited.",
                 "The right to strike is recognised under the conditions established by law."],
                ["Everyone has the right to education.",
                 "Basic education in public schools is compulsory and free of charge.",
                 "Universities enjoy academic freedom and self-government."],
            ]),
            ("The Parliament", [
                ["The Parliament is the highest representative body of the Republic.",
                 "It consists of one hundred deputies elected for a term of five years."],
                [("The Parliament:", ["adopts laws;", "approves the state budget;", "ratifies international treaties."])],
                "A deputy may not be prosecuted for opinions expressed or votes cast in the Parliament.",
            ]),
        ],
    },
    "ru": {
        "title": "Конституция Республики Эстрия",
        "section": "Раздел",
        "article": "Статья",
        "preamble": ["Мы, народ Эстрии, помня о нашей общей истории,", "принимаем настоящую Конституцию."],
        "sections": [
            ("Общие положения", [
                ["Республика Эстрия является демократическим правовым государством.",
                 "Народ является единственным источником государственной власти и осуществляет ее непосредственно и через своих представителей."],
                ["Государственным языком Республики является эстрийский язык.",
                 "Государство заботится о развитии языков, на которых говорят общины Эстрии."],
                "Столицей Республики является город Морвен.",
                ["Земля, леса и воды принадлежат народу и охраняются государством.",
                 "Частная собственность на землю допускается на условиях и в пределах, установленных законом."],
            ]),
            ("Права человека", [
                ["Каждый имеет право на жизнь.",
                 "Никто не должен подвергаться пыткам, жестокому или унижающему достоинство обращению."],
                ["Каждому гарантируется свобода мысли и слова.",
                 "Цензура запрещается.",
                 "Пропаганда войны и вражды между народами запрещается."],
                ["Каждый имеет право на свободно избранный труд и на справедливую оплату без какой-либо дискриминации.",
                 "Принудительный труд запрещен.",
                 "Право на забастовку признается на условиях, установленных законом."],
                ["Каждый имеет право на образование.",
                 "Основное образование в государственных школах обязательно и бесплатно.",
                 "Университеты пользуются академической свободой и самоуправлением."],
            ]),
            ("Парламент", [
                ["Парламент является высшим представительным органом Республики.",
                 "Он состоит из ста депутатов, избираемых сроком на пять лет."],
                [("Парламент:", ["принимает законы;", "утверждает государственный бюджет;", "ратифицирует международные договоры."])],
                "Депутат не может быть преследуем за мнения, высказанные им, или за голосование в Парламенте.",
            ]),
        ],
    },
}

# Extra provisions used by the cases below, in both languages.
EXTRA = {
    "en": {
        "new_article": ["Everyone has the right to a healthy environment.",
                        "The state protects nature and the climate for future generations."],
        "new_paragraph": "Everyone may freely use his or her native language.",
        "changed_pay": "Everyone has the right to work freely chosen and to fair pay without any discrimination whatsoever.",
        "renamed_section": "The National Parliament",
    },
    "ru": {
        "new_article": ["Каждый имеет право на благоприятную окружающую среду.",
                        "Государство охраняет природу и климат для будущих поколений."],
        "new_paragraph": "Каждый вправе свободно пользоваться родным языком.",
        "changed_pay": "Каждый имеет право на свободно избранный труд и на справедливую оплату без всякой дискриминации.",
        "renamed_section": "Национальный Парламент",
    },
}
ROMAN = ["I", "II", "III", "IV", "V"]
LANGUAGES = pytest.mark.parametrize("language", ["en", "ru"])


def render(language: str, sections, preamble=None) -> str:
    """Markdown in the parser's format. An article is a string (its own text, no numbered
    paragraphs) or a list of paragraphs, each a string or (intro, [sub-paragraphs])."""
    words = ESTRIA[language]
    lines = [f"# {words['title']}", ""]
    lines += [f"> {line}" for line in (preamble or words["preamble"])]
    number = 0
    for position, (title, articles) in enumerate(sections):
        lines += ["", f"## {words['section']} {ROMAN[position]}. {title}"]
        for article in articles:
            number += 1
            lines += ["", f"### {words['article']} {number}", ""]
            if isinstance(article, str):
                lines.append(article)
                continue
            for index, paragraph in enumerate(article, start=1):
                if isinstance(paragraph, tuple):
                    lines.append(f"{index}. {paragraph[0]}")
                    lines += [f"{k}) {sub}" for k, sub in enumerate(paragraph[1], start=1)]
                else:
                    lines.append(f"{index}. {paragraph}")
    return "\n".join(lines) + "\n"


def base(language: str):
    return copy.deepcopy(ESTRIA[language]["sections"])


def aligned(language: str, old_sections, new_sections, **render_options):
    old = units_from_text(render(language, old_sections))
    new = units_from_text(render(language, new_sections, **render_options))
    matches = align(old, new)
    assert_complete(old, new, matches)
    return old, new, matches


def described(old: list[AlignUnit], new: list[AlignUnit], matches: list[Match]) -> set[tuple]:
    """(level, kind, old paths, new paths) for every match."""
    old_paths = {u.key: u.path for u in old}
    new_paths = {u.key: u.path for u in new}
    return {
        (m.level, m.kind, tuple(old_paths[k] for k in m.old), tuple(new_paths[k] for k in m.new)) for m in matches
    }


def at_level(old, new, matches, level: str) -> set[tuple]:
    return {d[1:] for d in described(old, new, matches) if d[0] == level}


def not_unchanged(old, new, matches, level: str) -> set[tuple]:
    return {d for d in at_level(old, new, matches, level) if d[0] != "unchanged"}


def assert_complete(old, new, matches) -> None:
    """Every key of both versions in exactly one match; kinds, levels and sides consistent."""
    old_keys = [k for m in matches for k in m.old]
    new_keys = [k for m in matches for k in m.new]
    assert sorted(old_keys) == sorted(u.key for u in old)
    assert sorted(new_keys) == sorted(u.key for u in new)
    for match in matches:
        assert match.kind in CHANGE_KINDS
        assert match.level in ("container", "article", "paragraph")
        assert 0.0 <= match.similarity <= 1.0
        assert bool(match.old) == (match.kind != "added")
        assert bool(match.new) == (match.kind != "removed")
        assert (len(match.new) > 1) == (match.kind == "split")
        assert (len(match.old) > 1) == (match.kind == "merged")
        if match.kind in ("unchanged", "renumbered"):
            assert match.similarity == 1.0
        if match.kind == "modified":
            assert match.similarity < 1.0


# --- article level --------------------------------------------------------------------


@LANGUAGES
def test_identical_versions_are_unchanged_everywhere(language):
    old, new, matches = aligned(language, base(language), base(language))
    assert {m.kind for m in matches} == {"unchanged"}
    assert all(m.similarity == 1.0 for m in matches)


@LANGUAGES
def test_an_article_inserted_before_others_renumbers_them(language):
    sections = base(language)
    sections[0][1].insert(1, EXTRA[language]["new_article"])
    old, new, matches = aligned(language, base(language), sections)
    articles = not_unchanged(old, new, matches, "article")
    assert ("added", (), ("I/2",)) in articles
    assert ("renumbered", ("I/2",), ("I/3",)) in articles
    assert ("renumbered", ("III/11",), ("III/12",)) in articles
    assert ("unchanged", ("I/1",), ("I/1",)) in at_level(old, new, matches, "article")
    # The paragraphs of a renumbered article stay in place: unchanged, under their new article.
    assert ("unchanged", ("I/2/1",), ("I/3/1",)) in at_level(old, new, matches, "paragraph")
    # Sections keep their numerals and headings.
    assert not_unchanged(old, new, matches, "container") == set()


@LANGUAGES
def test_articles_reordered_inside_a_section_are_renumbered(language):
    sections = base(language)
    rights = sections[1][1]
    rights[1], rights[3] = rights[3], rights[1]
    old, new, matches = aligned(language, base(language), sections)
    assert not_unchanged(old, new, matches, "article") == {
        ("renumbered", ("II/6",), ("II/8",)),
        ("renumbered", ("II/8",), ("II/6",)),
    }


@LANGUAGES
def test_an_article_moved_to_another_section_is_moved(language):
    sections = base(language)
    deputy = sections[2][1].pop(2)
    sections[1][1].append(deputy)
    old, new, matches = aligned(language, base(language), sections)
    assert not_unchanged(old, new, matches, "article") == {("moved", ("III/11",), ("II/9",)), *{
        ("renumbered", (f"III/{n}",), (f"III/{n + 1}",)) for n in (9, 10)
    }}
    [moved] = [m for m in matches if m.kind == "moved"]
    assert moved.similarity == 1.0


@LANGUAGES
def test_a_whole_section_relocated_is_moved_and_its_articles_only_renumbered(language):
    sections = base(language)
    sections[1], sections[2] = sections[2], sections[1]  # "The Parliament" now comes before the rights
    old, new, matches = aligned(language, base(language), sections)
    containers = not_unchanged(old, new, matches, "container")
    # The smaller section is the one that moved; the other only changed its numeral.
    assert containers == {("moved", ("III",), ("II",)), ("renumbered", ("II",), ("III",))}
    articles = not_unchanged(old, new, matches, "article")
    assert {kind for kind, _, _ in articles} == {"renumbered"}
    assert ("renumbered", ("III/9",), ("II/5",)) in articles
    assert ("renumbered", ("II/5",), ("III/8",)) in articles


@LANGUAGES
def test_one_article_split_into_two(language):
    sections = base(language)
    education = sections[1][1][3]
    sections[1][1][3:4] = [education[:2], education[2:]]
    old, new, matches = aligned(language, base(language), sections)
    articles = not_unchanged(old, new, matches, "article")
    assert ("split", ("II/8",), ("II/8", "II/9")) in articles
    assert {kind for kind, _, _ in articles} == {"split", "renumbered"}
    [split] = [m for m in matches if m.kind == "split" and m.level == "article"]
    assert split.similarity == 1.0
    # The third paragraph went on as the first of the second article: same lineage, new number.
    assert not_unchanged(old, new, matches, "paragraph") == {("renumbered", ("II/8/3",), ("II/9/1",))}


@LANGUAGES
def test_two_articles_merged_into_one(language):
    sections = base(language)
    life, speech = sections[1][1][0], sections[1][1][1]
    sections[1][1][0:2] = [life + speech]
    old, new, matches = aligned(language, base(language), sections)
    articles = not_unchanged(old, new, matches, "article")
    assert ("merged", ("II/5", "II/6"), ("II/5",)) in articles
    assert {kind for kind, _, _ in articles} == {"merged", "renumbered"}
    paragraphs = not_unchanged(old, new, matches, "paragraph")
    assert paragraphs == {
        ("renumbered", ("II/6/1",), ("II/5/3",)),
        ("renumbered", ("II/6/2",), ("II/5/4",)),
        ("renumbered", ("II/6/3",), ("II/5/5",)),
    }


@LANGUAGES
def test_added_and_removed_articles(language):
    sections = base(language)
    del sections[0][1][3]  # land
    sections[2][1].append(EXTRA[language]["new_article"])
    old, new, matches = aligned(language, base(language), sections)
    articles = not_unchanged(old, new, matches, "article")
    assert ("removed", ("I/4",), ()) in articles
    assert ("added", (), ("III/11",)) in articles
    assert {kind for kind, _, _ in articles} == {"removed", "added", "renumbered"}
    paragraphs = not_unchanged(old, new, matches, "paragraph")
    assert ("removed", ("I/4/1",), ()) in paragraphs and ("added", (), ("III/11/1",)) in paragraphs


@LANGUAGES
def test_a_modified_article_keeps_its_lineage(language):
    sections = base(language)
    sections[1][1][2][0] = EXTRA[language]["changed_pay"]
    old, new, matches = aligned(language, base(language), sections)
    assert not_unchanged(old, new, matches, "article") == {("modified", ("II/7",), ("II/7",))}
    assert not_unchanged(old, new, matches, "paragraph") == {("modified", ("II/7/1",), ("II/7/1",))}
    [modified] = [m for m in matches if m.kind == "modified" and m.level == "article"]
    assert 0.8 < modified.similarity < 1.0


@LANGUAGES
def test_the_preamble_aligns_to_the_preamble_however_rewritten(language):
    rewritten = ["Совершенно иной текст вступления." if language == "ru" else "An entirely different opening text."]
    old, new, matches = aligned(language, base(language), base(language), preamble=rewritten)
    assert at_level(old, new, matches, "article") >= {("modified", ("preamble",), ("preamble",))}


@LANGUAGES
def test_a_renamed_section_is_modified_and_keeps_its_articles(language):
    sections = base(language)
    sections[2] = (EXTRA[language]["renamed_section"], sections[2][1])
    old, new, matches = aligned(language, base(language), sections)
    assert not_unchanged(old, new, matches, "container") == {("modified", ("III",), ("III",))}
    assert not_unchanged(old, new, matches, "article") == set()


# --- paragraph level ------------------------------------------------------------------


@LANGUAGES
def test_paragraphs_inside_an_article(language):
    sections = base(language)
    education = sections[1][1][3]
    education.insert(1, EXTRA[language]["new_paragraph"])  # a new paragraph 2
    del education[3]  # the universities
    parliament = sections[2][1][1][0]
    parliament[1].insert(2, "принимает решение о проведении референдума;" if language == "ru" else "calls referendums;")
    old, new, matches = aligned(language, base(language), sections)
    assert not_unchanged(old, new, matches, "article") == {
        ("modified", ("II/8",), ("II/8",)),
        ("modified", ("III/10",), ("III/10",)),
    }
    assert not_unchanged(old, new, matches, "paragraph") == {
        ("added", (), ("II/8/2",)),
        ("renumbered", ("II/8/2",), ("II/8/3",)),
        ("removed", ("II/8/3",), ()),
        ("added", (), ("III/10/1/3",)),
        ("renumbered", ("III/10/1/3",), ("III/10/1/4",)),
    }


@LANGUAGES
def test_a_paragraph_moved_to_another_article_is_moved(language):
    sections = base(language)
    strike = sections[1][1][2].pop(2)  # from the article on work ...
    sections[1][1][0].append(strike)  # ... to the article on life
    old, new, matches = aligned(language, base(language), sections)
    assert ("moved", ("II/7/3",), ("II/5/3",)) in at_level(old, new, matches, "paragraph")


# --- the result as a whole ------------------------------------------------------------


@LANGUAGES
def test_matches_come_in_new_reading_order_with_removed_ones_where_they_stood(language):
    sections = base(language)
    del sections[1][1][1]  # II/6, between II/5 and II/7
    sections[0][1].insert(0, EXTRA[language]["new_article"])
    old, new, matches = aligned(language, base(language), sections)
    old_paths = {u.key: u.path for u in old}
    new_position = {u.key: index for index, u in enumerate(new)}
    firsts = [min(new_position[k] for k in m.new) for m in matches if m.new]
    assert firsts == sorted(firsts)
    order = [(m.kind, old_paths[m.old[0]] if m.old else None) for m in matches]
    removed = order.index(("removed", "II/6"))
    # Right after the last paragraph of old II/5 (now II/6), before old II/7.
    assert order[removed - 1] == ("unchanged", "II/5/2")
    assert [o for o in order[removed:] if o[1] and o[1].startswith("II/6")][:4] == [
        ("removed", "II/6"), ("removed", "II/6/1"), ("removed", "II/6/2"), ("removed", "II/6/3")
    ]
    assert order[0] == ("unchanged", "preamble")


def test_progress_is_reported_from_zero_to_one():
    seen = []
    old = units_from_text(render("en", base("en")))
    align(old, old, progress=seen.append)
    assert seen[0] == 0.0 and seen[-1] == 1.0
    assert seen == sorted(seen)


@pytest.mark.parametrize(
    "units, message",
    [
        ([AlignUnit(1, None, "article", "1", "1", "", "A."), AlignUnit(1, None, "article", "2", "2", "", "B.")], "given twice"),
        ([AlignUnit(1, 5, "article", "1", "1", "", "A.")], "not among the provisions"),
        ([AlignUnit(1, 2, "paragraph", "1", "1", "", "A."), AlignUnit(2, 1, "paragraph", "2", "2", "", "B.")], "cycle"),
    ],
)
def test_malformed_provisions_are_refused(units, message):
    with pytest.raises(ValueError, match=message):
        align(units, [])


def test_empty_versions():
    assert align([], []) == []
    new = units_from_text(render("en", base("en")))
    matches = align([], new)
    assert {m.kind for m in matches} == {"added"}
    assert_complete([], new, matches)


def test_units_need_not_be_articles_under_sections():
    # Articles at the top, with no section, and keys that are not positions.
    old = [
        AlignUnit(10, None, "article", "1", "1", "", "The first article of the text."),
        AlignUnit(20, None, "article", "2", "2", "", "The second article of the text, which is removed."),
        AlignUnit(30, None, "article", "3", "3", "", "The third article of the text."),
    ]
    new = [
        AlignUnit(7, None, "article", "1", "1", "", "The first article of the text."),
        AlignUnit(8, None, "article", "2", "2", "", "The third article of the text."),
    ]
    matches = align(old, new)
    assert [(m.kind, m.old, m.new) for m in matches] == [
        ("unchanged", (10,), (7,)),
        ("removed", (20,), ()),
        ("renumbered", (30,), (8,)),
    ]


# --- figures --------------------------------------------------------------------------


def test_comparison_figures_count_kinds_and_words():
    sections = base("en")
    sections[1][1][2][0] = EXTRA["en"]["changed_pay"]  # "without discrimination" -> "without any discrimination whatsoever"
    immunity = sections[2][1].pop(2)
    removed_words = count_words(immunity)  # 15
    old = units_from_text(render("en", base("en")))
    new = units_from_text(render("en", sections))
    matches = align(old, new)
    figures = comparison_figures(old, new, matches)
    levels = {f.level: f for f in figures.levels}
    assert levels["article"].old_count == 12 and levels["article"].new_count == 11  # with the preamble
    assert levels["article"].counts["removed"] == 1 and levels["article"].counts["modified"] == 1
    assert levels["article"].changed_share == pytest.approx(2 / 12, abs=1e-4)
    assert levels["container"].changed_share == 0.0
    assert figures.old_words - figures.new_words == removed_words - 2
    assert figures.old_words_changed_share == pytest.approx(removed_words / figures.old_words, abs=1e-4)
    assert figures.new_words_new_share == pytest.approx(2 / figures.new_words, abs=1e-4)
    assert set(figures.definitions) >= {"changed_share", "old_words_changed_share", "new_words_new_share"}


def test_comparison_figures_count_an_article_text_that_became_paragraphs_as_unchanged_words():
    sections = base("en")
    capital = sections[0][1][2]  # an article with no numbered paragraphs ...
    sections[0][1][2] = [capital, "The seat of the Parliament is the city of Morwen."]  # ... gets two
    old = units_from_text(render("en", base("en")))
    new = units_from_text(render("en", sections))
    figures = comparison_figures(old, new, align(old, new))
    assert figures.old_words_changed_share == 0.0
    assert figures.new_words - figures.old_words == 10
