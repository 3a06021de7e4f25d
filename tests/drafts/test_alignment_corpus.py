"""drafts.alignment against a corpus with a known answer: three versions of a fictional
constitution (tests/drafts/corpus, written for these tests) and the true article-level
mapping between consecutive versions. Run with -s to see the precision/recall table.
"""
from __future__ import annotations

import importlib.util
import re

import pytest

from drafts.alignment import CHANGE_KINDS, align
from tests.drafts.corpus.helpers import (
    CORPUS_DIR,
    article_mapping,
    corpus_truth,
    corpus_units,
    precision_recall,
    truth_mapping,
    units_from_text,
)

PAIRS = [("v1", "v2"), ("v2", "v3")]
MINIMUM = 0.95


@pytest.mark.parametrize("old, new", PAIRS)
def test_precision_and_recall_per_change_kind(old, new):
    old_units, new_units = corpus_units(old), corpus_units(new)
    matches = align(old_units, new_units)
    found = article_mapping(matches, old_units, new_units)
    expected = truth_mapping(corpus_truth(old, new))
    table = precision_recall(found, expected)

    print(f"\n{old} -> {new}, article level")
    print(f"{'kind':<12}{'true':>6}{'found':>7}{'right':>7}{'precision':>11}{'recall':>8}")
    for kind, (want, got, correct, precision, recall) in table.items():
        print(f"{kind:<12}{want:>6}{got:>7}{correct:>7}{precision:>11.3f}{recall:>8.3f}")
    missed = sorted(expected - found, key=str)
    wrong = sorted(found - expected, key=str)
    assert all(p >= MINIMUM and r >= MINIMUM for _, _, _, p, r in table.values()), (missed, wrong)


@pytest.mark.parametrize("old, new", PAIRS)
def test_the_corpus_has_every_change_kind_several_times(old, new):
    truth = corpus_truth(old, new)
    assert all(truth["counts"].get(kind, 0) >= 3 for kind in CHANGE_KINDS), truth["counts"]
    for version in (old, new):
        assert sum(1 for u in corpus_units(version) if u.kind == "article") >= 60


@pytest.mark.parametrize("old, new", PAIRS)
def test_sections_are_aligned_by_identity_not_numeral(old, new):
    old_units, new_units = corpus_units(old), corpus_units(new)
    matches = align(old_units, new_units)
    old_by_key = {u.key: u for u in old_units}
    new_by_key = {u.key: u for u in new_units}
    found = {
        (tuple(old_by_key[k].number for k in m.old), tuple(new_by_key[k].number for k in m.new))
        for m in matches
        if m.level == "container"
    }
    expected = {
        ((s["old"],) if s["old"] else (), (s["new"],) if s["new"] else ()) for s in corpus_truth(old, new)["sections"]
    }
    assert found == expected


def test_the_corpus_files_are_what_the_script_writes():
    """The data files are committed; this only checks they were not edited by hand."""
    spec = importlib.util.spec_from_file_location("build_corpus", CORPUS_DIR / "build_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name, draft in zip(("v1", "v2", "v3"), module.build()):
        assert (CORPUS_DIR / f"constitution_{name}.md").read_text(encoding="utf-8") == draft.markdown()


DEMO_DIR = CORPUS_DIR.parents[2] / "consult" / "demo"
_DEMO_LINE = re.compile(r"^(?:v0 Articles? (?P<old>[\d\-, ]+) )?-> (?:v1 Articles? (?P<new>[\d, ]+))?: (?P<kind>\w+)")


def test_the_demo_constitution_against_its_written_ground_truth():
    """An independent check: the demo's v0 -> v1 mapping, written by hand in consult/demo/CHANGES.md."""
    changes = DEMO_DIR / "CHANGES.md"
    if not changes.is_file():
        pytest.skip(f"{changes} not found")
    expected = set()
    for line in changes.read_text(encoding="utf-8").splitlines():
        found = _DEMO_LINE.match(line.strip())
        if found:
            numbers = [tuple(n.strip() for n in (found.group(side) or "").split(",") if n.strip()) for side in ("old", "new")]
            expected.add((found.group("kind"), *numbers))
    assert len(expected) >= 40
    old = units_from_text((DEMO_DIR / "constitution_v0.en.md").read_text(encoding="utf-8"))
    new = units_from_text((DEMO_DIR / "constitution_v1.en.md").read_text(encoding="utf-8"))
    found = article_mapping(align(old, new), old, new)
    table = precision_recall(found, expected)
    assert all(p >= MINIMUM and r >= MINIMUM for _, _, _, p, r in table.values()), (expected - found, found - expected)
