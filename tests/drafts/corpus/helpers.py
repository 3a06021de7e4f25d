"""Turning parsed texts into AlignUnits, and matches back into article numbers, for the tests."""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from drafts.alignment import CHANGE_KINDS, AlignUnit, Match
from drafts.parser import FlatProvision, flatten, parse_text

CORPUS_DIR = Path(__file__).resolve().parent


def units_from_flat(flat: Iterable[FlatProvision]) -> list[AlignUnit]:
    """FlatProvision -> AlignUnit, the key being the provision's index."""
    return [
        AlignUnit(key=p.index, parent=p.parent, kind=p.kind, number=p.number, path=p.path, heading=p.heading, text=p.text)
        for p in flat
    ]


def units_from_text(text: str) -> list[AlignUnit]:
    return units_from_flat(flatten(parse_text(text)))


def corpus_units(version: str) -> list[AlignUnit]:
    return units_from_text((CORPUS_DIR / f"constitution_{version}.md").read_text(encoding="utf-8"))


def corpus_truth(old: str, new: str) -> dict:
    return json.loads((CORPUS_DIR / f"truth_{old}_{new}.json").read_text(encoding="utf-8"))


def article_mapping(matches: Sequence[Match], old: Sequence[AlignUnit], new: Sequence[AlignUnit]) -> set[tuple]:
    """Article-level matches as (kind, old article numbers, new article numbers)."""
    old_by_key = {u.key: u for u in old}
    new_by_key = {u.key: u for u in new}
    found = set()
    for match in matches:
        units = [old_by_key[k] for k in match.old] + [new_by_key[k] for k in match.new]
        if match.level != "article" or any(u.kind != "article" for u in units):
            continue
        found.add((match.kind, tuple(old_by_key[k].number for k in match.old), tuple(new_by_key[k].number for k in match.new)))
    return found


def truth_mapping(truth: dict) -> set[tuple]:
    return {(a["kind"], tuple(a["old"]), tuple(a["new"])) for a in truth["articles"]}


def precision_recall(found: set[tuple], expected: set[tuple]) -> dict[str, tuple[int, int, int, float, float]]:
    """Per change kind: (expected, found, correct, precision, recall); an absent kind scores 1.0."""
    table = {}
    for kind in CHANGE_KINDS:
        want = {m for m in expected if m[0] == kind}
        got = {m for m in found if m[0] == kind}
        correct = len(want & got)
        precision = correct / len(got) if got else 1.0
        recall = correct / len(want) if want else 1.0
        table[kind] = (len(want), len(got), correct, precision, recall)
    return table


def kind_counts(matches: Sequence[Match], level: str) -> dict[str, int]:
    return dict(Counter(m.kind for m in matches if m.level == level))
