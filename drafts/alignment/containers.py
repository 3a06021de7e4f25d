"""Aligning parts, sections and chapters: by where their articles went, and by heading.

A container's score with another is mostly the share of its articles that were aligned
with articles of the other (Dice: twice the aligned articles over the articles of both),
and partly the similarity of the headings, so that a renamed section that kept its
articles, and an emptied section that kept its name, are both found. Container kinds
may differ (a chapter that became a section) at a cost. The similarity reported for a
container is that of its heading (and own text, if any), character by character; for a
split or merged group, the share of the group's articles that went where the group says.

A container is "moved" when its parent container is not what its old parent became, or
when it left the order of its aligned siblings (of those out of order, the ones holding
fewer articles are said to have moved).
"""
from __future__ import annotations

from collections import defaultdict

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from .link import Link, image, same_place
from .text import normalise
from .tree import CONTAINER, Side

_ARTICLE_WEIGHT = 0.75
_HEADING_WEIGHT = 0.25
_NUMBER_BONUS = 0.05
_OTHER_KIND_FACTOR = 0.5
_ACCEPT = 0.3
# An unmatched container is part of a split (or merge) when this share of its articles
# comes from (or went to) one container that sits right next to it.
_GROUP_SHARE = 0.5


def align_containers(old: Side, new: Side, article_links: list[Link]) -> list[Link]:
    """Container links, each with its kind, in no particular order."""
    if not old.containers and not new.containers:
        return []
    old_size, new_size = _article_counts(old), _article_counts(new)
    votes: dict[tuple[int, int], float] = defaultdict(float)
    for link in article_links:
        if not (link.old and link.new):
            continue
        weight = 1 / max(len(link.old), len(link.new))
        for a in link.old:
            old_ancestors = old.container_ancestors(a)
            for b in link.new:
                for d in new.container_ancestors(b):
                    for c in old_ancestors:
                        votes[(c, d)] += weight

    headings_old = {c: normalise(old.by_key[c].heading).lower() for c in old.containers}
    headings_new = {d: normalise(new.by_key[d].heading).lower() for d in new.containers}
    scores = {}
    for c in old.containers:
        for d in new.containers:
            sizes = old_size[c] + new_size[d]
            overlap = 2 * votes.get((c, d), 0.0) / sizes if sizes else 0.0
            if headings_old[c] and headings_new[d]:
                heading = fuzz.ratio(headings_old[c], headings_new[d]) / 100
            else:
                heading = 0.5 if headings_old[c] == headings_new[d] else 0.0
            score = _ARTICLE_WEIGHT * overlap + _HEADING_WEIGHT * heading
            if old.number(c) == new.number(d):
                score += _NUMBER_BONUS
            if old.by_key[c].kind != new.by_key[d].kind:
                score *= _OTHER_KIND_FACTOR
            if score >= _ACCEPT:
                scores[(c, d)] = score

    match = _exchange(_greedy(scores), scores)
    links = [Link(CONTAINER, (c,), (d,), scores[(c, d)]) for c, d in match.items()]
    links += _groups(old, new, match, votes, old_size, new_size)
    grouped_old = {c for link in links if len(link.old) > 1 for c in link.old}
    grouped_new = {d for link in links if len(link.new) > 1 for d in link.new}
    links = [
        link for link in links
        if len(link.old) > 1 or len(link.new) > 1 or (link.old[0] not in grouped_old and link.new[0] not in grouped_new)
    ]
    matched_old = {c for link in links for c in link.old}
    matched_new = {d for link in links for d in link.new}
    links += [Link(CONTAINER, (c,), (), 0.0, kind="removed") for c in old.containers if c not in matched_old]
    links += [Link(CONTAINER, (), (d,), 0.0, kind="added") for d in new.containers if d not in matched_new]
    _classify(old, new, links, old_size)
    return links


def _article_counts(side: Side) -> dict[int, int]:
    counts = dict.fromkeys(side.containers, 0)
    for key in side.articles + side.preambles:
        for container in side.container_ancestors(key):
            counts[container] += 1
    return counts


def _greedy(scores: dict[tuple[int, int], float]) -> dict[int, int]:
    match: dict[int, int] = {}
    taken: set[int] = set()
    for (c, d), _ in sorted(scores.items(), key=lambda item: (-item[1], item[0])):
        if c not in match and d not in taken:
            match[c] = d
            taken.add(d)
    return match


def _exchange(match: dict[int, int], scores: dict[tuple[int, int], float]) -> dict[int, int]:
    owner = {d: c for c, d in match.items()}
    for _ in range(3):
        changed = False
        for (c, other_d), score in scores.items():
            d, other_c = match.get(c), owner.get(other_d)
            if d is None or other_c is None or other_c == c or (other_c, d) not in scores:
                continue
            if score + scores[(other_c, d)] > scores[(c, d)] + scores[(other_c, other_d)] + 1e-9:
                match[c], match[other_c] = other_d, d
                owner[other_d], owner[d] = c, other_c
                changed = True
        if not changed:
            break
    return match


def _groups(old: Side, new: Side, match: dict[int, int], votes, old_size, new_size) -> list[Link]:
    """Split: an unmatched new container right next to what the old container that gave it
    most of its articles became (and merged, the other way round)."""
    links = []
    owner = {d: c for c, d in match.items()}
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    for side, other, sizes, matched, counterpart, merging in (
        (new, old, new_size, owner, match, False),
        (old, new, old_size, match, owner, True),
    ):
        def voted(key: int, other_key: int, merging: bool = merging) -> float:
            return votes.get((key, other_key) if merging else (other_key, key), 0.0)

        groups: dict[int, list[int]] = {}
        for key in side.containers:
            if key in matched or not sizes[key]:
                continue
            kind = side.by_key[key].kind
            best = max((k for k in other.containers if other.by_key[k].kind == kind), key=lambda k: voted(key, k), default=None)
            if best is None or best not in counterpart or voted(key, best) < _GROUP_SHARE * sizes[key]:
                continue
            members = groups.setdefault(best, [counterpart[best]])
            siblings = [k for k in side.containers if side.by_key[k].kind == kind]
            adjacent = any(abs(siblings.index(member) - siblings.index(key)) == 1 for member in members)
            if adjacent and side.container_of(key) == side.container_of(members[0]):
                members.append(key)
        for whole, members in groups.items():
            olds, news = (members, [whole]) if merging else ([whole], members)
            if len(members) < 2 or taken_old.intersection(olds) or taken_new.intersection(news):
                continue
            taken_old.update(olds)
            taken_new.update(news)
            members = tuple(sorted(members, key=side.position.__getitem__))
            share = sum(voted(member, whole) for member in members) / max(1, sum(sizes[m] for m in members))
            if merging:
                links.append(Link(CONTAINER, members, (whole,), round(share, 4), kind="merged"))
            else:
                links.append(Link(CONTAINER, (whole,), members, round(share, 4), kind="split"))
    return links


def _classify(old: Side, new: Side, links: list[Link], old_size: dict[int, int]) -> None:
    images = image(links)
    pairs_by_kind: dict[str, list[Link]] = defaultdict(list)
    for link in links:
        if not link.kind:
            pairs_by_kind[old.by_key[link.old[0]].kind].append(link)
    in_order: set[int] = set()
    for pairs in pairs_by_kind.values():
        in_order.update(_heaviest_chain(old, new, pairs, old_size))
    for link in links:
        if link.kind:
            continue
        c, d = link.old[0], link.new[0]
        same_text = normalise(old.own_text(c)) == normalise(new.own_text(d))
        link.identical = same_text
        if c not in in_order or not same_place(old.container_of(c), new.container_of(d), images):
            link.kind = "moved"
        elif same_text:
            link.kind = "unchanged" if old.number(c) == new.number(d) else "renumbered"
        else:
            link.kind = "modified"
        link.similarity = 1.0 if same_text else round(
            Indel.normalized_similarity(normalise(old.own_text(c)).lower(), normalise(new.own_text(d)).lower()), 4
        )


def _heaviest_chain(old: Side, new: Side, pairs: list[Link], old_size: dict[int, int]) -> set[int]:
    """Old keys of the pairs that keep their order; when some must be called moved, the
    ones with fewer articles are (moving one small section is the likelier story)."""
    ordered = sorted(pairs, key=lambda link: old.position[link.old[0]])
    weights = [1 + old_size[link.old[0]] for link in ordered]
    best = list(weights)
    previous = [-1] * len(ordered)
    for index, link in enumerate(ordered):
        for before in range(index):
            if new.position[ordered[before].new[0]] < new.position[link.new[0]] and best[before] + weights[index] > best[index]:
                best[index] = best[before] + weights[index]
                previous[index] = before
    if not ordered:
        return set()
    index = max(range(len(ordered)), key=lambda k: (best[k], -k))
    chain = set()
    while index >= 0:
        chain.add(ordered[index].old[0])
        index = previous[index]
    return chain
