"""Matches between two versions that are not neighbours, by following lineages (pure).

Between neighbours the aligner decides (and an admin may correct it); further apart, "the same
provision" is whatever kept its lineage through the versions in between. Two provisions with
one lineage are a match; the kind says what happened to it on the way. A split or a merge in
between shows as the part that continued the lineage plus added or removed parts.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from drafts.diff import word_diff

from .model import AlignUnit, Match
from .text import normalise
from .tree import PARAGRAPH, Side


def matches_by_lineage(
    old: Sequence[AlignUnit], new: Sequence[AlignUnit], old_lineage: Mapping[int, int], new_lineage: Mapping[int, int]
) -> list[Match]:
    """Pair provisions of `old` and `new` sharing a lineage; the rest are removed or added. Reading order of `new`."""
    old_side, new_side = Side(old, name="old version"), Side(new, name="new version")
    old_by_lineage = {old_lineage[u.key]: u.key for u in old}
    paired_old: set[int] = set()
    matches: list[Match] = []
    for unit in new:
        partner = old_by_lineage.get(new_lineage[unit.key])
        level = new_side.level[unit.key]
        if partner is None or old_side.level[partner] != level:
            matches.append(Match("added", (), (unit.key,), 0.0, level))
            continue
        paired_old.add(partner)
        kind, similarity = _kind(old_side, new_side, partner, unit.key, old_lineage, new_lineage)
        matches.append(Match(kind, (partner,), (unit.key,), similarity, level))
    for unit in old:
        if unit.key not in paired_old:
            matches.append(Match("removed", (unit.key,), (), 0.0, old_side.level[unit.key]))
    return matches


def _kind(old_side: Side, new_side: Side, a: int, b: int, old_lineage, new_lineage) -> tuple[str, float]:
    before, after = old_side.by_key[a], new_side.by_key[b]
    old_words, new_words = _words(old_side, a), _words(new_side, b)
    same_words = normalise(old_words) == normalise(new_words)
    similarity = 1.0 if same_words else _similarity(old_words, new_words)
    if _place(old_side, a, old_lineage) != _place(new_side, b, new_lineage):
        return "moved", similarity
    if not same_words:
        return "modified", similarity
    return ("unchanged" if before.number == after.number else "renumbered"), similarity


def _words(side: Side, key: int) -> str:
    """An article is compared with its paragraphs (as the aligner does); anything else by its own words."""
    unit = side.by_key[key]
    parts = [unit.heading, unit.text] + [side.by_key[p].text for p in side.paragraphs_of.get(key, [])]
    return " ".join(part for part in parts if part)


def _place(side: Side, key: int, lineage) -> int | None:
    """The lineage of what a provision stands in: its article for a paragraph, its container otherwise."""
    owner = side.anchor.get(key) if side.level[key] == PARAGRAPH else side.container_of(key)
    return lineage.get(owner) if owner is not None else None


def _similarity(a: str, b: str) -> float:
    ops = word_diff(a, b)
    kept = sum(len(op.old.split()) for op in ops if op.op == "equal")
    total = max(len(a.split()), len(b.split()), 1)
    return round(kept / total, 4)
