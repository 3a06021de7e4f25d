"""drafts.alignment on what real texts do (issue 12): a similarity floor below which nothing is a
match, renumbered runs that stay one-to-one, repealed placeholders that keep their number, and
figures that tell "words changed" from "changed in any way".

Pure: AlignUnits are written by hand, so that each case holds one change. The real corpora (the
loader of test_alignment_real) check that the floor costs none of their true pairs.
"""
from __future__ import annotations

import pytest

from drafts.alignment import AlignUnit, Match, align, comparison_figures
from drafts.alignment.model import MATCH_FLOOR
from drafts.alignment.text import Vocabulary, similarity

TEXTS = [
    "The Republic of Estria is a democratic state governed by the rule of law and by its Constitution.",
    "The people are the only source of state power and exercise it directly and through representatives.",
    "The state language of the Republic is Estrian; the state cares for the languages of all communities.",
    "Land, forests and waters belong to the people and are protected by the state for coming generations.",
    "Everyone has the right to life, and no one may be subjected to torture or to degrading treatment.",
    "Everyone is guaranteed freedom of thought and speech; censorship and propaganda of war are prohibited.",
    "Everyone has the right to freely chosen work and to fair pay without discrimination of any kind.",
    "Everyone has the right to education; basic education in public schools is compulsory and free.",
]
NEW_ARTICLE = "The Ombudsman for Human Rights is elected by the Parliament for six years and reports to it every year."
FILLER = (
    "Taxes and fees are set by law alone, and the budget of every region is adopted by its own council after a "
    "public hearing in which residents, municipalities and chambers of commerce may take part and submit opinions; "
)


def article(key: int, number: str, text: str, *, heading: str = "") -> AlignUnit:
    return AlignUnit(key=key, parent=None, kind="article", number=number, path=number, heading=heading, text=text)


def paragraph(key: int, parent: int, number: str, text: str) -> AlignUnit:
    return AlignUnit(key=key, parent=parent, kind="paragraph", number=number, path=f"{parent}/{number}", heading="", text=text)


def articles(first_key: int, numbered: list[tuple[str, str]]) -> list[AlignUnit]:
    return [article(first_key + index, number, text) for index, (number, text) in enumerate(numbered)]


def described(old: list[AlignUnit], new: list[AlignUnit], matches: list[Match], level: str = "article") -> set[tuple]:
    """(kind, old numbers, new numbers) of the matches at `level`."""
    old_numbers = {u.key: u.number for u in old}
    new_numbers = {u.key: u.number for u in new}
    return {
        (m.kind, tuple(old_numbers[k] for k in m.old), tuple(new_numbers[k] for k in m.new)) for m in matches if m.level == level
    }


def word_similarity(a: str, b: str) -> float:
    vocabulary = Vocabulary()
    return similarity(vocabulary.encode(a), vocabulary.encode(b))


def article_figures(old, new, matches):
    return next(level for level in comparison_figures(old, new, matches).levels if level.level == "article")


# --- the floor -----------------------------------------------------------------------------


def test_a_short_article_swallowed_by_a_long_new_one_is_removed_and_added_not_a_match_at_006():
    """The old Article 2 is found whole inside the new one, thirty times its length: its containment
    score is high, but only 6% of the words are alike. That is a removal and an addition."""
    short = TEXTS[1]
    long = FILLER * 14 + short
    assert word_similarity(short, long) < 0.1
    old = articles(0, [("1", TEXTS[0]), ("2", short), ("3", TEXTS[2])])
    new = articles(10, [("1", TEXTS[0]), ("2", long), ("3", TEXTS[2])])
    matches = align(old, new)
    assert described(old, new, matches) == {
        ("unchanged", ("1",), ("1",)), ("removed", ("2",), ()), ("added", (), ("2",)), ("unchanged", ("3",), ("3",)),
    }


def test_an_article_that_grew_fivefold_keeping_its_text_is_still_matched_above_the_floor():
    """The floor leaves the containment rule its purpose: an article kept whole inside a new one five
    times longer (a third of the words alike) is that article, modified."""
    short = TEXTS[1]
    grown = short + " " + FILLER * 2
    assert MATCH_FLOOR < word_similarity(short, grown) < 0.5
    old = articles(0, [("1", TEXTS[0]), ("2", short), ("3", TEXTS[2])])
    new = articles(10, [("1", TEXTS[0]), ("2", grown), ("3", TEXTS[2])])
    assert ("modified", ("2",), ("2",)) in described(old, new, align(old, new))


def test_a_short_point_rewritten_beyond_recognition_under_its_number_is_removed_and_added():
    """A point of fewer than three words used to answer the point of its number whatever the new one
    said (similarity 0.0); now only above the floor."""
    old = [article(0, "5", "The Parliament:")] + [
        paragraph(1, 0, "a", "adopts laws;"), paragraph(2, 0, "b", "approves budgets;"), paragraph(3, 0, "c", "ratifies treaties.")
    ]
    new = [article(10, "5", "The Parliament:")] + [
        paragraph(11, 10, "a", "adopts laws;"),
        paragraph(12, 10, "b", "elects the Ombudsman for Human Rights on the proposal of the President;"),
        paragraph(13, 10, "c", "ratifies treaties."),
    ]
    found = described(old, new, align(old, new), level="paragraph")
    assert ("removed", ("b",), ()) in found and ("added", (), ("b",)) in found


def test_a_short_point_extended_under_its_number_is_still_modified():
    old = [article(0, "5", "The Parliament:"), paragraph(1, 0, "a", "adopts laws;"), paragraph(2, 0, "b", "the budget;")]
    new = [
        article(10, "5", "The Parliament:"),
        paragraph(11, 10, "a", "adopts laws;"),
        paragraph(12, 10, "b", "the budget, state loans and the state debt;"),
    ]
    assert ("modified", ("b",), ("b",)) in described(old, new, align(old, new), level="paragraph")


def test_no_article_or_paragraph_is_matched_below_the_floor():
    """Whatever the pool's rules, every reported pair but the placeholders' and the preamble's is at
    least MATCH_FLOOR alike; the comparison's definitions say so."""
    short = TEXTS[1]
    old = articles(0, [("1", TEXTS[0]), ("2", short), ("3", TEXTS[2]), ("4", TEXTS[3])])
    new = articles(10, [("1", TEXTS[0]), ("2", FILLER * 14 + short), ("3", TEXTS[5]), ("4", TEXTS[3])])
    matches = align(old, new)
    assert all(m.similarity >= MATCH_FLOOR for m in matches if m.old and m.new)
    definitions = comparison_figures(old, new, matches).definitions
    assert f"{MATCH_FLOOR:.0%}" in definitions["matching"] and "removed" in definitions["matching"]


# --- renumbering -------------------------------------------------------------------------------


def test_five_renumbered_articles_each_with_its_own_new_one_are_five_renumbered_matches():
    old = articles(0, [("9", TEXTS[0])] + [(str(10 + k), TEXTS[1 + k]) for k in range(5)])
    new = articles(10, [("9", TEXTS[0]), ("10", NEW_ARTICLE)] + [(str(11 + k), TEXTS[1 + k]) for k in range(5)])
    found = described(old, new, align(old, new))
    assert found == {("unchanged", ("9",), ("9",)), ("added", (), ("10",))} | {
        ("renumbered", (str(10 + k),), (str(11 + k),)) for k in range(5)
    }


def test_five_renumbered_and_reworded_articles_stay_one_to_one():
    """Renumbered and lightly reworded (each keeps most of its words): still five pairs, no merge."""
    reworded = [text.replace("the", "this", 1).replace(".", " as the law provides.") for text in TEXTS[1:6]]
    old = articles(0, [("9", TEXTS[0])] + [(str(10 + k), TEXTS[1 + k]) for k in range(5)])
    new = articles(10, [("9", TEXTS[0]), ("10", NEW_ARTICLE)] + [(str(11 + k), reworded[k]) for k in range(5)])
    found = described(old, new, align(old, new))
    assert {kind for kind, _, _ in found} == {"unchanged", "added", "modified"}
    assert {("modified", (str(10 + k),), (str(11 + k),)) for k in range(5)} <= found


def test_an_article_identical_but_for_its_number_is_renumbered_and_changed_but_not_in_its_words():
    old = articles(0, [("1", TEXTS[0]), ("2", TEXTS[1]), ("3", TEXTS[2])])
    new = articles(10, [("1", TEXTS[0]), ("2", NEW_ARTICLE), ("3", TEXTS[1]), ("4", TEXTS[2].replace(";", ","))])
    matches = align(old, new)
    assert described(old, new, matches) == {
        ("unchanged", ("1",), ("1",)), ("added", (), ("2",)), ("renumbered", ("2",), ("3",)), ("modified", ("3",), ("4",)),
    }
    figures = article_figures(old, new, matches)
    # Changed in any way: the addition, the renumbering, the punctuation; in words: the addition alone.
    assert (figures.changed, figures.words_changed) == (3, 1)


def test_figures_count_words_changed_and_changed_in_any_way_per_level():
    old = articles(0, [("1", TEXTS[0]), ("2", TEXTS[1]), ("3", TEXTS[2]), ("4", TEXTS[3])])
    new = articles(10, [("1", TEXTS[0]), ("2", TEXTS[1] + " Elections are free."), ("4", TEXTS[2]), ("5", TEXTS[3])])
    matches = align(old, new)
    figures = comparison_figures(old, new, matches)
    level = next(level for level in figures.levels if level.level == "article")
    assert level.counts["renumbered"] == 2 and level.counts["modified"] == 1
    assert (level.changed, level.words_changed) == (3, 1)
    assert {"changed", "words_changed"} <= set(figures.definitions)


def test_identical_versions_change_nothing_in_any_way():
    old = articles(0, [("1", TEXTS[0]), ("2", TEXTS[1])])
    new = articles(10, [("1", TEXTS[0]), ("2", TEXTS[1])])
    figures = article_figures(old, new, align(old, new))
    assert (figures.changed, figures.words_changed) == (0, 0)


# --- repealed placeholders -------------------------------------------------------------------


@pytest.mark.parametrize("stub", ["", "-", "Исключена.", "(Article repealed)"])
def test_two_repealed_placeholders_of_different_numbers_are_not_paired(stub):
    """Old Article 5 is repealed; the new version no longer has it but has a repealed Article 7 (a
    number the old version did not use): two different repealed articles."""
    old = articles(0, [("4", TEXTS[0]), ("5", stub), ("6", TEXTS[1])])
    new = articles(10, [("4", TEXTS[0]), ("6", TEXTS[1]), ("7", stub), ("8", TEXTS[2])])
    found = described(old, new, align(old, new))
    assert ("removed", ("5",), ()) in found and ("added", (), ("7",)) in found


@pytest.mark.parametrize(
    "before, after, kind",
    [("", "", "unchanged"), ("Исключена.", "Исключена.", "unchanged"), ("-", "", "modified"), ("-", "(weggefallen)", "modified")],
)
def test_a_repealed_placeholder_answers_the_placeholder_of_the_same_number(before, after, kind):
    old = articles(0, [("4", TEXTS[0]), ("5", before), ("6", TEXTS[1])])
    new = articles(10, [("4", TEXTS[0]), ("5", after), ("6", TEXTS[1])])
    matches = align(old, new)
    assert (kind, ("5",), ("5",)) in described(old, new, matches)
    [pair] = [m for m in matches if m.old == (1,)]
    if not before.strip("-") and not after:  # no words on either side: no word was lost
        assert pair.similarity >= 0.99


def test_a_repealed_placeholder_is_not_paired_with_a_new_article_of_its_number():
    """Article 5 was repealed, and a new, unrelated Article 5 takes the vacant number."""
    old = articles(0, [("4", TEXTS[0]), ("5", ""), ("6", TEXTS[1])])
    new = articles(10, [("4", TEXTS[0]), ("5", NEW_ARTICLE), ("6", TEXTS[1])])
    found = described(old, new, align(old, new))
    assert ("removed", ("5",), ()) in found and ("added", (), ("5",)) in found


def test_the_preamble_still_answers_the_preamble_below_the_floor():
    """The stated exception: there is one preamble on each side."""
    old = [AlignUnit(0, None, "preamble", "", "preamble", "", "We, the people of Estria, adopt this Constitution.")]
    new = [AlignUnit(1, None, "preamble", "", "preamble", "", "An entirely different opening text.")]
    [match] = align(old, new)
    assert match.kind == "modified" and match.similarity < MATCH_FLOOR


# --- the real corpora ----------------------------------------------------------------------------


@pytest.mark.corpora
@pytest.mark.parametrize("pair", ["germany", "kazakhstan", "russia"])
def test_real_pairs_are_all_above_the_floor_but_preambles_and_placeholders(pair):
    from tests.drafts.test_alignment_real import _aligned

    old, new, matches, figures, _ = _aligned(pair)
    old_by_key, new_by_key = {u.key: u for u in old}, {u.key: u for u in new}
    for match in matches:
        if match.level == "container" or not (match.old and match.new) or match.similarity >= MATCH_FLOOR:
            continue
        units = [old_by_key[k] for k in match.old] + [new_by_key[k] for k in match.new]
        assert all(u.kind == "preamble" for u in units) or all(len(f"{u.heading} {u.text}".split()) < 3 for u in units), match
    article_level = next(level for level in figures.levels if level.level == "article")
    assert article_level.words_changed <= article_level.changed
