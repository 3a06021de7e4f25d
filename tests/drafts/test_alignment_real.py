"""drafts.alignment on real constitutions (../shared/corpora, read in place, never copied).

Kazakhstan 1995 (as amended to 2022) -> the 2026 Constitution, Russia 2014 -> 2020,
Germany 2012 -> 2018. Skipped where the corpora are absent (set CORPORA_DIR). Run with -s
to see what the alignment found and the comparison figures.
"""
from __future__ import annotations

import os
import time
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from drafts.alignment import AlignUnit, ComparisonFigures, Match, align, comparison_figures
from drafts.parser import flatten, parse_upload
from tests.drafts.corpus.helpers import units_from_flat

pytestmark = pytest.mark.corpora

CORPORA_DIR = Path(os.environ.get("CORPORA_DIR", Path(__file__).resolve().parents[2].parent / "shared" / "corpora"))
PAIRS = {
    "kazakhstan": ("kazakhstan/kz_constitution_1995_as_of_2023-01-01_ru.md", "kazakhstan/kz_constitution_2026_ru.md"),
    "russia": ("russia/ru_constitution_ed_2014-07-21.txt", "russia/ru_constitution_ed_2020-03-14.txt"),
    "germany": ("germany/de_grundgesetz_commit_2012-08-02.md", "germany/de_grundgesetz_commit_2018-11-08.md"),
}
# Generous: the pairs align in well under a second on one core.
MAX_SECONDS = 10


def _units(name: str) -> list[AlignUnit]:
    path = CORPORA_DIR / name
    if not path.is_file():
        pytest.skip(f"{path} not found: set CORPORA_DIR to the shared corpora (../shared/corpora) to run this test")
    return units_from_flat(flatten(parse_upload(filename=path.name, data=path.read_bytes())))


@cache
def _aligned(pair: str) -> tuple[list[AlignUnit], list[AlignUnit], list[Match], ComparisonFigures, float]:
    old, new = (_units(name) for name in PAIRS[pair])
    started = time.perf_counter()
    matches = align(old, new)
    seconds = time.perf_counter() - started
    figures = comparison_figures(old, new, matches)
    _report(pair, old, new, matches, figures, seconds)
    return old, new, matches, figures, seconds


def _report(pair, old, new, matches, figures, seconds) -> None:
    print(f"\n{pair}: aligned in {seconds:.2f} s")
    for level in figures.levels:
        counts = ", ".join(f"{kind} {count}" for kind, count in level.counts.items() if count)
        print(f"  {level.level:<10} old {level.old_count:>4} new {level.new_count:>4}  changed {level.changed_share:.1%}  {counts}")
    print(
        f"  words: old {figures.old_words}, new {figures.new_words}; "
        f"old words deleted or replaced {figures.old_words_changed_share:.1%}, "
        f"new words inserted or replacing {figures.new_words_new_share:.1%}"
    )
    old_by_key = {u.key: u for u in old}
    new_by_key = {u.key: u for u in new}
    for match in matches:
        if match.level != "paragraph" and match.kind not in ("unchanged", "modified", "renumbered"):
            print(
                f"    {match.level:<9} {match.kind:<10} {[old_by_key[k].path for k in match.old]} -> "
                f"{[new_by_key[k].path for k in match.new]} {match.similarity:.2f}"
            )


def _articles(pair: str) -> set[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    old, new, matches, _, _ = _aligned(pair)
    old_by_key = {u.key: u for u in old}
    new_by_key = {u.key: u for u in new}
    return {
        (m.kind, tuple(old_by_key[k].number for k in m.old), tuple(new_by_key[k].number for k in m.new))
        for m in matches
        if m.level == "article" and all(old_by_key[k].kind == "article" for k in m.old)
        and all(new_by_key[k].kind == "article" for k in m.new)
    }


def _kinds(pair: str) -> Counter:
    return Counter(kind for kind, _, _ in _articles(pair))


@pytest.mark.parametrize("pair", sorted(PAIRS))
def test_every_provision_is_in_exactly_one_match_and_alignment_is_fast(pair):
    old, new, matches, _, seconds = _aligned(pair)
    assert sorted(k for m in matches for k in m.old) == sorted(u.key for u in old)
    assert sorted(k for m in matches for k in m.new) == sorted(u.key for u in new)
    assert seconds < MAX_SECONDS


def test_germany_2012_2018_finds_the_new_articles_and_little_else():
    articles = _articles("germany")
    assert {new for kind, _, new in articles if kind == "added"} == {("104c",), ("104d",), ("143e",), ("143f",), ("143g",)}
    kinds = _kinds("germany")
    assert kinds["removed"] == 0 and kinds["moved"] == 0
    assert kinds["unchanged"] >= 175
    # Repealed articles printed as "-" in 2012 and "(weggefallen)" in 2018 stay the same articles.
    assert ("modified", ("59a",), ("59a",)) in articles and ("modified", ("142a",), ("142a",)) in articles
    # Article 143d (consolidation aid) was amended in 2017.
    assert ("modified", ("143d",), ("143d",)) in articles
    _, _, _, figures, _ = _aligned("germany")
    assert figures.old_words_changed_share < 0.02


def test_russia_2014_2020_finds_the_inserted_articles_and_the_amended_ones():
    articles = _articles("russia")
    assert {new for kind, _, new in articles if kind == "added"} == {("671",), ("751",), ("791",), ("921",), ("1031",)}
    kinds = _kinds("russia")
    assert kinds["removed"] == 0
    assert kinds["unchanged"] >= 95
    # Amended in 2020: the President's powers, the Government, the Constitutional Court.
    for number in ("83", "110", "125"):
        assert ("modified", (number,), (number,)) in articles
    _, _, _, figures, _ = _aligned("russia")
    assert figures.new_words_new_share > figures.old_words_changed_share  # mostly additions


def test_kazakhstan_1995_2026_is_largely_changed_but_keeps_its_lineage():
    articles = _articles("kazakhstan")
    kinds = _kinds("kazakhstan")
    _, _, _, figures, _ = _aligned("kazakhstan")
    levels = {level.level: level for level in figures.levels}
    # Nearly every article changed, but most have a counterpart (renumbered from Article 10 on).
    assert levels["article"].changed_share > 0.9
    assert kinds["modified"] + kinds["renumbered"] + kinds["moved"] >= 75
    assert ("modified", ("13",), ("12",)) in articles  # judicial protection, now before citizenship
    assert ("modified", ("90",), ("94",)) in articles  # the Constitution adopted by referendum
    # The bicameral Parliament's articles on the Senate and the chambers' separate powers are gone.
    assert {("removed", (number,), ()) for number in ("54", "55", "56", "57")} <= articles
    # The People's Council of Kazakhstan (Section VI) is new.
    assert {("added", (), (number,)) for number in ("70", "71")} <= articles
    # The amendment procedure (old 91) went on as the new Section X, Articles 92 and 93.
    assert ("split", ("91",), ("92", "93")) in articles
    assert figures.old_words_changed_share > 0.3 and figures.new_words_new_share > 0.3
