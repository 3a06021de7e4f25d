"""drafts.alignment and drafts.diff at scale: generated documents of 200 and 2,000 articles
(about six paragraphs each), with a third of the articles edited (or, as in the Kazakh
draft, 85% of them) and a few of every other change. 2,000 articles must align in under
30 seconds on one core; run with -s for timings.
"""
from __future__ import annotations

import random
import resource
import time

import pytest

from drafts.alignment import AlignUnit, align, comparison_figures
from drafts.diff import diff_html, word_diff

MAX_SECONDS = 30
_COMMON = (
    "the of and to in a is by or on for with as be may not shall any its which law state "
    "court citizens rights public authority procedure established provided"
).split()
_SYLLABLES = "ka ro mi te lu sa ven dor pil ast que nor bel tra gen los mur fel ix ol".split()


class Generated:
    """A document as sections of articles; each article an id and its paragraphs."""

    def __init__(self, rng: random.Random, articles: int):
        self.rng = rng
        words: set[str] = set()
        while len(words) < 3000:
            words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))))
        self.vocabulary = sorted(words)
        sections = max(5, articles // 100)
        self.sections = [
            [(f"a{s}-{k}", [self.paragraph() for _ in range(rng.randint(4, 8))]) for k in range(articles // sections)]
            for s in range(sections)
        ]
        self.titles = [self.sentence(3, 5).rstrip(".") for _ in range(sections)]

    def sentence(self, shortest: int = 8, longest: int = 25) -> str:
        rng = self.rng
        words = [rng.choice(_COMMON) if rng.random() < 0.35 else rng.choice(self.vocabulary)
                 for _ in range(rng.randint(shortest, longest))]
        return " ".join(words).capitalize() + "."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(1, 2)))

    def next_version(self, edited: float) -> tuple[list, dict[str, str]]:
        """The sections of a new version, and each new article's origin (old id, or "" if added)."""
        rng = self.rng
        origin: dict[str, str] = {}
        sections = []
        for articles in self.sections:
            new = []
            for aid, paragraphs in articles:
                roll = rng.random()
                if roll < edited:  # modified: one word in eight replaced, sometimes a paragraph added
                    changed = [" ".join(w if rng.random() > 0.12 else rng.choice(self.vocabulary) for w in p.split())
                               for p in paragraphs]
                    if rng.random() < 0.3:
                        changed.append(self.paragraph())
                    new.append((aid, changed))
                    origin[aid] = aid
                elif roll < edited + 0.02:  # removed
                    continue
                elif roll < edited + 0.04:  # split
                    half = len(paragraphs) // 2
                    new += [(aid, paragraphs[:half]), (aid + "/2", paragraphs[half:])]
                elif roll < edited + 0.06:  # added after it
                    new += [(aid, paragraphs), (aid + "+", [self.paragraph() for _ in range(5)])]
                    origin[aid], origin[aid + "+"] = aid, ""
                else:
                    new.append((aid, paragraphs))
                    origin[aid] = aid
            sections.append(new)
        for _ in range(sum(len(s) for s in sections) // 100):  # moved to another section
            source, target = rng.randrange(len(sections)), rng.randrange(len(sections))
            if sections[source]:
                sections[target].insert(rng.randrange(len(sections[target]) + 1),
                                        sections[source].pop(rng.randrange(len(sections[source]))))
        return sections, origin

    def units(self, sections) -> tuple[list[AlignUnit], dict[int, str]]:
        units, ids = [], {}
        number = 0
        for position, articles in enumerate(sections, start=1):
            section_key = len(units)
            units.append(AlignUnit(section_key, None, "section", str(position), str(position), self.titles[position - 1], ""))
            for aid, paragraphs in articles:
                number += 1
                article_key = len(units)
                ids[article_key] = aid
                units.append(AlignUnit(article_key, section_key, "article", str(number), f"{position}/{number}", "", ""))
                for k, text in enumerate(paragraphs, start=1):
                    units.append(AlignUnit(len(units), article_key, "paragraph", str(k), f"{position}/{number}/{k}", "", text))
        return units, ids


@pytest.mark.parametrize("articles, edited", [(200, 0.3), (2000, 0.3), (2000, 0.85)])
def test_generated_documents_align_and_diff_fast(articles, edited):
    rng = random.Random(articles)
    document = Generated(rng, articles)
    old, old_ids = document.units(document.sections)
    new_sections, origin = document.next_version(edited)
    new, new_ids = document.units(new_sections)

    started = time.perf_counter()
    matches = align(old, new)
    aligned = time.perf_counter() - started
    started = time.perf_counter()
    figures = comparison_figures(old, new, matches)
    old_text = {u.key: u.text for u in old}
    new_text = {u.key: u.text for u in new}
    rendered = sum(
        len(diff_html(word_diff("\n".join(old_text[k] for k in m.old), "\n".join(new_text[k] for k in m.new))))
        for m in matches
        if m.level == "paragraph" and m.kind != "unchanged"
    )
    diffed = time.perf_counter() - started

    # The planted lineage of the articles that stayed one-to-one is found.
    planted = {(aid, aid) for aid, source in origin.items() if source}
    found = {(old_ids[m.old[0]], new_ids[m.new[0]]) for m in matches
             if m.level == "article" and len(m.old) == len(m.new) == 1}
    recall = len(planted & found) / len(planted)
    print(
        f"\n{articles} articles, {edited:.0%} edited ({len(old)} and {len(new)} provisions): aligned in {aligned:.2f} s, "
        f"figures and {rendered} characters of diff HTML in {diffed:.2f} s; lineage recall {recall:.3f}; "
        f"old words changed {figures.old_words_changed_share:.1%}; "
        f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )
    assert aligned < MAX_SECONDS
    assert recall > 0.97
    assert sorted(k for m in matches for k in m.new) == sorted(u.key for u in new)
