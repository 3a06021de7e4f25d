"""Figures of a comparison between two versions: counts per change kind, shares of words changed.

A pure function over the provisions and the matches `align` returned; the definitions of
the figures travel with them, to be shown next to them ("84% changed" means nothing
without saying 84% of what).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..diff import count_words, diff_counts, word_diff
from .model import CHANGE_KINDS, LEVELS, MATCH_FLOOR, AlignUnit, Match
from .text import normalise, words
from .tree import ARTICLE, Side

DEFINITIONS = {
    "old_count": "Provisions of this level in the old version.",
    "new_count": "Provisions of this level in the new version.",
    "counts": (
        "Matches of each kind at this level. A split or a merge counts once, however many provisions it groups. "
        "Containers are parts, sections and chapters; the article level holds the articles and the preamble; "
        "the paragraph level holds paragraphs and sub-paragraphs."
    ),
    "changed": (
        "Matches at this level changed in any way: their words, their number or their place (every kind but "
        "unchanged). A split or a merge counts once."
    ),
    "words_changed": (
        "Matches at this level whose words changed: the words of the old provisions (an article with everything "
        "inside it) are not those of the new ones, punctuation aside; an added or removed provision counts if it "
        "has words. A provision renumbered or moved with its words intact, or one whose punctuation alone "
        "changed, changed in some way but not in its words."
    ),
    "changed_share": (
        "Share of the provisions of this level that did not stay unchanged: one minus the unchanged ones over "
        "the larger of the old and new counts. Renumbered, moved, modified, split, merged, added and removed "
        "provisions all count as changed."
    ),
    "matching": (
        f"An article or a paragraph is paired with a counterpart only when at least {MATCH_FLOOR:.0%} of their "
        "words are alike (twice the words in common, in order, over the words of both); a less similar pair is "
        "counted as one removed and one added provision. Two pairs stand by their place instead: the preamble "
        "with the preamble, and a repealed article kept as a numbered placeholder with the placeholder of the "
        "same number, never with another. Parts, sections and chapters are paired by where their articles went."
    ),
    "old_words": "Words of the old version: headings and texts of all provisions, punctuation not counted.",
    "new_words": "Words of the new version, counted the same way.",
    "old_words_changed_share": (
        "Share of the old version's words that were deleted or replaced: the words of removed provisions count "
        "in full, those of provisions aligned with a counterpart as the word-level comparison finds them."
    ),
    "new_words_new_share": (
        "Share of the new version's words that are new: the words of added provisions in full, and the words "
        "inserted into, or replacing words of, provisions aligned with a counterpart."
    ),
}


@dataclass(frozen=True)
class LevelFigures:
    level: str  # "container", "article", "paragraph"
    old_count: int
    new_count: int
    counts: dict[str, int]  # change kind -> matches of that kind at this level
    changed_share: float  # 1 - unchanged / max(old_count, new_count); 0.0 when both are empty
    changed: int  # matches of any kind but unchanged: words, number or place
    words_changed: int  # matches whose words differ (a renumbered article's did not)


@dataclass(frozen=True)
class ComparisonFigures:
    levels: tuple[LevelFigures, ...]
    old_words: int
    new_words: int
    old_words_changed_share: float
    new_words_new_share: float
    definitions: dict[str, str]  # figure name -> what it means, in words


def comparison_figures(old: Sequence[AlignUnit], new: Sequence[AlignUnit], matches: Sequence[Match]) -> ComparisonFigures:
    """The figures of the comparison of `old` with `new` that `matches` (from `align`) describes."""
    old_side, new_side = Side(old, name="old version"), Side(new, name="new version")
    levels = []
    for level in LEVELS:
        old_count = sum(1 for unit in old_side.units if old_side.level[unit.key] == level)
        new_count = sum(1 for unit in new_side.units if new_side.level[unit.key] == level)
        counts = dict.fromkeys(CHANGE_KINDS, 0)
        words_changed = 0
        for match in matches:
            if match.level == level:
                counts[match.kind] += 1
                if match.kind != "unchanged" and _words_changed(old_side, new_side, match):
                    words_changed += 1
        larger = max(old_count, new_count)
        changed = 1 - counts["unchanged"] / larger if larger else 0.0
        changed_matches = sum(counts.values()) - counts["unchanged"]
        levels.append(LevelFigures(level, old_count, new_count, counts, round(changed, 4), changed_matches, words_changed))

    old_words = new_words = old_changed = new_new = 0
    for old_text, new_text in _compared_texts(old_side, new_side, matches):
        if normalise(old_text) == normalise(new_text):
            count = count_words(old_text)
            old_words += count
            new_words += count
            continue
        counted = diff_counts(word_diff(old_text, new_text))
        old_words += counted[0]
        new_words += counted[1]
        old_changed += counted[2]
        new_new += counted[3]
    return ComparisonFigures(
        levels=tuple(levels),
        old_words=old_words,
        new_words=new_words,
        old_words_changed_share=round(old_changed / old_words, 4) if old_words else 0.0,
        new_words_new_share=round(new_new / new_words, 4) if new_words else 0.0,
        definitions=dict(DEFINITIONS),
    )


def _words_changed(old: Side, new: Side, match: Match) -> bool:
    """Whether the words on the two sides of `match` differ: an article-level provision with
    everything inside it, anything else by its own heading and text; punctuation aside."""
    def side_words(side: Side, keys: Sequence[int]) -> list[str]:
        texts = (side.full_text(key) if match.level == ARTICLE else side.own_text(key) for key in keys)
        return [word for text in texts for word in words(text)]

    return side_words(old, match.old) != side_words(new, match.new)


def _compared_texts(old: Side, new: Side, matches: Sequence[Match]) -> list[tuple[str, str]]:
    """The pairs of texts whose word diffs make the word figures; each provision in one.

    An article-level match is compared as a whole: the articles with everything inside them,
    so that an article's own text that became a numbered paragraph of its counterpart (or
    the other way round) is not counted as deleted and inserted. Paragraphs matched across
    articles (moved) are taken out of their articles and compared on their own, as are
    containers (their headings) and anything no article-level match covers.
    """
    article_match = {key: match for match in matches if match.level == "article" for key in match.old}
    apart: set[tuple[str, int]] = set()
    for match in matches:
        if match.level != "paragraph" or not (match.old and match.new):
            continue
        holder = article_match.get(old.anchor.get(match.old[0]))
        if holder is None or any(new.anchor.get(key) not in holder.new for key in match.new):
            apart.update(("old", key) for key in match.old)
            apart.update(("new", key) for key in match.new)

    covered: set[tuple[str, int]] = set()
    pairs = []
    for match in matches:
        if match.level != "article":
            continue
        old_keys = [k for a in match.old for k in (a, *old.paragraphs_of.get(a, ())) if ("old", k) not in apart]
        new_keys = [k for b in match.new for k in (b, *new.paragraphs_of.get(b, ())) if ("new", k) not in apart]
        covered.update(("old", k) for k in old_keys)
        covered.update(("new", k) for k in new_keys)
        pairs.append((_joined(old, old_keys), _joined(new, new_keys)))
    for match in matches:
        old_keys = [k for k in match.old if ("old", k) not in covered]
        new_keys = [k for k in match.new if ("new", k) not in covered]
        if old_keys or new_keys:
            pairs.append((_joined(old, old_keys), _joined(new, new_keys)))
    return pairs


def _joined(side: Side, keys: Sequence[int]) -> str:
    return "\n".join(text for text in (side.own_text(key) for key in keys) if text)
