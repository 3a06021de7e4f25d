"""Matching two lists of texts (a pool): identical texts, then a near-optimal assignment, then groups.

The same procedure aligns the articles of two versions and the paragraphs of two aligned
articles:

1. Identical texts (whitespace-normalised) are paired first, in order.
2. Similarities (word-level, see `text.similarity`) are computed for candidate pairs: all
   pairs when the pool is small, otherwise the pairs that share rare word trigrams
   (an inverted index), so that 2,000 articles are never compared 4,000,000 times. A
   pair's score is its similarity, or, if larger, a containment score (a short article
   kept whole inside a much longer new one).
3. A one-to-one assignment maximises the total score: greedy on the global list sorted by
   score (so mutual best pairs are taken first, never first-come in document order),
   re-run once the first result gives each pair its context (the neighbouring pairs that
   agree with it), then improved by exchanging partners wherever that raises the total.
   A pair is eligible on its score alone above `accept`, or above `context_accept` when
   a neighbouring pair agrees or the numbers are equal, and never when its similarity is
   below `model.MATCH_FLOOR` (whatever its containment score). Numbers and headings add a
   little to the score; they never match anything alone, but for placeholders (below).
4. Between two consecutive pairs that keep their order, the unmatched items left on both
   sides are paired at a lower score (a provision rewritten in place) if each is the
   other's best candidate anywhere. A placeholder (a repealed provision: no words, or
   fewer than three) answers only a placeholder of the same number, by that number.
5. Split and merged: one item against the concatenation of consecutive items on the
   other side, each of which owes most of its words to it, when that concatenation is
   clearly more similar than its one-to-one partner.

Without scipy, step 3 is not guaranteed optimal; on legal texts the best partner of an
article is nearly always far ahead of the second best, where greedy-plus-exchange and the
Hungarian algorithm agree.
"""
from __future__ import annotations

import heapq
import math
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Indel

from .model import MATCH_FLOOR
from .text import common_words, similarity

# Pools up to this many candidate pairs are compared exhaustively (about 20 µs a pair).
_ALL_PAIRS_LIMIT = 60_000
# Pairs this similar are remembered as candidates: too little to match, enough for a
# small part of a split article to be found.
_CANDIDATE_FLOOR = 0.1
_SHINGLE = 3
_CANDIDATES_PER_ITEM = 8
_CONTEXT_BONUS = 0.1
_NUMBER_BONUS = 0.02
_HEADING_BONUS = 0.02
_MAX_GAP_PAIRS = 900
# A provision with fewer words than this is a placeholder ("(weggefallen)", "-", "Исключена").
# Two placeholders pair only by their number (see PoolSettings.numbered_placeholders).
_PLACEHOLDER_WORDS = 3
# A part of a split (or merged) group must owe this share of its words to the whole.
_PART_CONTAINMENT = 0.6
_GROUP_MARGIN = 0.05
_MAX_GROUP_SIZE = 8
_NEIGHBOURHOOD = 3
# An article that kept its text and grew fourfold is still that article: the score of a pair
# is the larger of its similarity and a containment score, which grows from 0 when half of
# the shorter text is found, in order, in the longer one (chance, for a long one) to
# _CONTAINMENT_WEIGHT when all of it is; texts shorter than _CONTAINMENT_MIN_WORDS words
# are contained by chance too easily to count.
_CONTAINMENT_WEIGHT = 0.6
_CONTAINMENT_CHANCE = 0.5
_CONTAINMENT_MIN_WORDS = 12


@dataclass(frozen=True)
class PoolItem:
    """One text of a pool: `exact` decides identity, `words` (encoded) similarity."""

    exact: str
    words: str
    number: str = ""
    heading: str = ""


@dataclass(frozen=True)
class PoolSettings:
    accept: float  # similarity enough on its own
    context_accept: float | None = None  # enough with a neighbouring pair agreeing, or the same number
    gap_accept: float | None = None  # enough between two pairs that keep their order
    groups: bool = True  # look for split and merged groups
    group_accept: float = 0.4  # similarity of a whole to its parts together, each mostly drawn from it
    min_words: int = 0  # shorter texts are never matched, not even when identical
    # Items of fewer than _PLACEHOLDER_WORDS words are repealed placeholders ("Исключена."): identical
    # only with the same number. Otherwise (paragraphs: "adopts laws;") only items without words are.
    numbered_placeholders: bool = False


@dataclass(frozen=True)
class PoolLink:
    """Indexes into the old and new lists of the pool: 1:1, or a group (split or merged)."""

    old: tuple[int, ...]
    new: tuple[int, ...]
    similarity: float
    identical: bool = False


def match_pool(old: Sequence[PoolItem], new: Sequence[PoolItem], settings: PoolSettings) -> list[PoolLink]:
    """Links between the items of `old` and `new`; items in no link have no counterpart."""
    return _Pool(old, new, settings).run()


def increasing_chain(pairs: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest chain of `pairs` increasing on both sides (pairs given in any order)."""
    ordered = sorted(pairs)
    tails: list[int] = []
    tail_index: list[int] = []
    previous: list[int] = [-1] * len(ordered)
    for index, (_, new) in enumerate(ordered):
        position = bisect_left(tails, new)
        if position == len(tails):
            tails.append(new)
            tail_index.append(index)
        else:
            tails[position] = new
            tail_index[position] = index
        previous[index] = tail_index[position - 1] if position else -1
    chain = []
    index = tail_index[-1] if tail_index else -1
    while index >= 0:
        chain.append(ordered[index])
        index = previous[index]
    return chain[::-1]


class _Pool:
    def __init__(self, old: Sequence[PoolItem], new: Sequence[PoolItem], settings: PoolSettings):
        self.old, self.new, self.settings = old, new, settings
        self.sims: dict[tuple[int, int], float] = {}
        self.candidates_of_old: dict[int, set[int]] = defaultdict(set)
        self.candidates_of_new: dict[int, set[int]] = defaultdict(set)
        self.match: dict[int, int] = {}
        self.identical: set[int] = set()
        self.floor = min(
            x for x in (settings.accept, settings.context_accept, settings.gap_accept, _CANDIDATE_FLOOR) if x is not None
        )
        self._common: dict[tuple[int, int], int] = {}

    def run(self) -> list[PoolLink]:
        self._identical_texts()
        self._candidate_similarities()
        self._assign()
        if self.settings.gap_accept is not None:
            self._fill_gaps()
        groups = self._groups() if self.settings.groups else []
        grouped_old = {i for group in groups for i in group.old}
        links = [
            PoolLink((i,), (j,), 1.0 if i in self.identical else self.sim(i, j), identical=i in self.identical)
            for i, j in self.match.items()
            if i not in grouped_old
        ]
        return links + groups

    # --- similarities -------------------------------------------------------------------

    def sim(self, i: int, j: int) -> float:
        found = self.sims.get((i, j))
        if found is None:
            found = self.sims[(i, j)] = similarity(self.old[i].words, self.new[j].words)
        return found

    def score(self, i: int, j: int) -> float:
        """The pair's similarity, or its containment score if larger (see _CONTAINMENT_WEIGHT)."""
        found = self.sim(i, j)
        shorter, longer = sorted((len(self.old[i].words), len(self.new[j].words)))
        if shorter >= _CONTAINMENT_MIN_WORDS:
            contained = found * (shorter + longer) / 2 / shorter
            found = max(found, _CONTAINMENT_WEIGHT * (contained - _CONTAINMENT_CHANCE) / (1 - _CONTAINMENT_CHANCE))
        return found

    def common(self, i: int, j: int) -> int:
        found = self._common.get((i, j))
        if found is None:
            found = self._common[(i, j)] = common_words(self.old[i].words, self.new[j].words)
        return found

    def _long_enough(self, item: PoolItem) -> bool:
        return len(item.words) >= max(self.settings.min_words, 1)

    def _placeholder(self, item: PoolItem) -> bool:
        """A repealed provision's stub: no words ("-", or nothing), or, where numbered
        placeholders are expected, a word or two ("Исключена.", "(weggefallen)")."""
        return not item.words or (self.settings.numbered_placeholders and len(item.words) < _PLACEHOLDER_WORDS)

    def _identity(self, item: PoolItem) -> tuple[str, str | None] | None:
        """What makes two items identical: their text, and for placeholders their number as
        well (two repealed articles are the same one only under the same number); None for
        an item that is never matched."""
        if len(item.words) < self.settings.min_words:
            return None
        if self._placeholder(item):
            return (item.exact, item.number) if item.exact or item.number else None
        return (item.exact, None)

    def _identical_texts(self) -> None:
        waiting: dict[tuple, list[int]] = defaultdict(list)
        for j, item in enumerate(self.new):
            identity = self._identity(item)
            if identity is not None:
                waiting[identity].append(j)
        for queue in waiting.values():
            queue.reverse()
        for i, item in enumerate(self.old):
            identity = self._identity(item)
            queue = waiting.get(identity) if identity is not None else None
            if queue:
                self.match[i] = queue.pop()
                self.identical.add(i)

    def _candidate_similarities(self) -> None:
        matched_new = set(self.match.values())
        old_left = [i for i, item in enumerate(self.old) if i not in self.match and self._long_enough(item)]
        new_left = [j for j, item in enumerate(self.new) if j not in matched_new and self._long_enough(item)]
        if not old_left or not new_left:
            return
        if len(old_left) * len(new_left) <= _ALL_PAIRS_LIMIT:
            choices = {j: self.new[j].words for j in new_left}
            for i in old_left:
                for _, score, j in process.extract(
                    self.old[i].words, choices, scorer=Indel.normalized_similarity, score_cutoff=self.floor, limit=None
                ):
                    self._record(i, j, score)
            return
        for i, j in self._shared_trigram_pairs(old_left, new_left):
            score = self.sim(i, j)
            if score >= self.floor:
                self._record(i, j, score)

    def _record(self, i: int, j: int, score: float) -> None:
        self.sims[(i, j)] = score
        self.candidates_of_old[i].add(j)
        self.candidates_of_new[j].add(i)

    def _shared_trigram_pairs(self, old_left: list[int], new_left: list[int]) -> set[tuple[int, int]]:
        """Pairs sharing the most word trigrams, for each item on either side; trigrams found
        in many items (formulae repeated throughout the text) are not used."""

        def shingles(words: str) -> set[str]:
            if len(words) < _SHINGLE:
                return {words}
            return {words[k : k + _SHINGLE] for k in range(len(words) - _SHINGLE + 1)}

        old_shingles = {i: shingles(self.old[i].words) for i in old_left}
        new_shingles = {j: shingles(self.new[j].words) for j in new_left}
        postings: dict[str, list[int]] = defaultdict(list)
        for i, found in old_shingles.items():
            for shingle in found:
                postings[shingle].append(i)
        too_common = max(10, int(math.sqrt(len(old_left) + len(new_left))))
        shared_by_old: dict[int, list[tuple[float, int]]] = defaultdict(list)
        pairs: set[tuple[int, int]] = set()
        for j, found in new_shingles.items():
            counts: dict[int, int] = defaultdict(int)
            for shingle in found:
                holders = postings.get(shingle)
                if holders is not None and len(holders) <= too_common:
                    for i in holders:
                        counts[i] += 1
            scored = [(count / math.sqrt(len(old_shingles[i]) * len(found)), i) for i, count in counts.items()]
            contained = [(count / min(len(old_shingles[i]), len(found)), i) for i, count in counts.items()]
            for _, i in heapq.nlargest(_CANDIDATES_PER_ITEM, scored):
                pairs.add((i, j))
            for _, i in heapq.nlargest(_CANDIDATES_PER_ITEM // 2, contained):
                pairs.add((i, j))
            for score, i in scored:
                shared_by_old[i].append((score, j))
        for i, scored in shared_by_old.items():
            for _, j in heapq.nlargest(_CANDIDATES_PER_ITEM, scored):
                pairs.add((i, j))
        return pairs

    # --- one-to-one assignment ------------------------------------------------------------

    def _agreement(self, i: int, j: int, match: dict[int, int]) -> int:
        return int(i > 0 and j > 0 and match.get(i - 1) == j - 1) + int(match.get(i + 1, -1) == j + 1 and j + 1 < len(self.new))

    def _same_number(self, i: int, j: int) -> bool:
        return bool(self.old[i].number) and self.old[i].number == self.new[j].number

    def _scores(self, context: dict[int, int]) -> dict[tuple[int, int], float]:
        settings = self.settings
        scores = {}
        for i, j in self.sims:
            if i in self.identical or not self._by_words(i, j):
                continue
            score = self.score(i, j)
            agreement = self._agreement(i, j, context)
            same_number = self._same_number(i, j)
            if score >= settings.accept or (
                settings.context_accept is not None and score >= settings.context_accept and (agreement or same_number)
            ):
                bonus = _CONTEXT_BONUS * agreement + _NUMBER_BONUS * same_number
                if self.old[i].heading and self.old[i].heading == self.new[j].heading:
                    bonus += _HEADING_BONUS
                scores[(i, j)] = score + bonus
        return scores

    def _assign(self) -> None:
        fixed = {i: self.match[i] for i in self.identical}
        # First without context, then again with each pair's neighbours as the first round left them.
        match = self._greedy(self._scores(fixed), fixed)
        scores = self._scores(match)
        self.match = self._exchange(self._greedy(scores, fixed), scores)

    @staticmethod
    def _greedy(scores: dict[tuple[int, int], float], fixed: dict[int, int]) -> dict[int, int]:
        match = dict(fixed)
        taken = set(fixed.values())
        for (i, j), _ in sorted(scores.items(), key=lambda item: (-item[1], item[0])):
            if i not in match and j not in taken:
                match[i] = j
                taken.add(j)
        return match

    def _exchange(self, match: dict[int, int], scores: dict[tuple[int, int], float]) -> dict[int, int]:
        """Exchange partners of two pairs wherever that raises the total score."""
        owner = {j: i for i, j in match.items()}
        candidates: dict[int, list[int]] = defaultdict(list)
        for i, j in scores:
            candidates[i].append(j)
        for _ in range(3):
            changed = False
            for i in list(match):
                j = match[i]
                if i in self.identical:
                    continue
                for other_j in candidates[i]:
                    other_i = owner.get(other_j)
                    if other_i is None or other_i == i or other_i in self.identical:
                        continue
                    swapped = scores.get((other_i, j))
                    if swapped is None:
                        continue
                    gain = scores[(i, other_j)] + swapped - scores[(i, j)] - scores[(other_i, other_j)]
                    if gain > 1e-9:
                        match[i], match[other_i] = other_j, j
                        owner[other_j], owner[j] = i, other_i
                        j = other_j
                        changed = True
            if not changed:
                break
        return match

    def _fill_gaps(self) -> None:
        """Pair what is left between two consecutive pairs that keep their order: a provision
        rewritten in place. Below `context_accept`, only pairs that are each other's best
        candidate anywhere; never below MATCH_FLOOR. Then items with the same number: two
        placeholders ("Art 49 -" and "Art 49 (weggefallen)"), whatever their words, or a
        short item and its rewriting ("budget;" -> "budget, loans and debt;") above the floor."""
        best_of_old: dict[int, float] = defaultdict(float)
        best_of_new: dict[int, float] = defaultdict(float)
        for i, j in self.sims:
            score = self.score(i, j)
            best_of_old[i] = max(best_of_old[i], score)
            best_of_new[j] = max(best_of_new[j], score)
        chain = increasing_chain(list(self.match.items()))
        chain = [(-1, -1), *chain, (len(self.old), len(self.new))]
        matched_new = set(self.match.values())
        strong = self.settings.context_accept if self.settings.context_accept is not None else self.settings.accept
        for (old_start, new_start), (old_end, new_end) in zip(chain, chain[1:]):
            old_gap = [i for i in range(old_start + 1, old_end) if i not in self.match]
            new_gap = [j for j in range(new_start + 1, new_end) if j not in matched_new]
            if not old_gap or not new_gap or len(old_gap) * len(new_gap) > _MAX_GAP_PAIRS:
                continue
            scored = sorted(
                (
                    (self.score(i, j), i, j)
                    for i in old_gap
                    if len(self.old[i].words) >= self.settings.min_words
                    for j in new_gap
                    if len(self.new[j].words) >= self.settings.min_words
                ),
                key=lambda item: (-item[0], item[1], item[2]),
            )
            for score, i, j in scored:
                if score < self.settings.gap_accept:
                    break
                if i in self.match or j in matched_new or not self._by_words(i, j):
                    continue
                if score >= strong or (score >= best_of_old[i] and score >= best_of_new[j]):
                    self.match[i] = j
                    matched_new.add(j)
                    self._record(i, j, self.sim(i, j))
            for i in old_gap:
                if i in self.match or not self.old[i].number:
                    continue
                for j in new_gap:
                    if j not in matched_new and self.new[j].number == self.old[i].number and self._same_by_number(i, j):
                        self.match[i] = j
                        matched_new.add(j)
                        # Two stubs without words ("-", "(weggefallen)" once its note is set apart) lost no word.
                        wordless = not self.old[i].words and not self.new[j].words
                        self.sims[(i, j)] = 1.0 if wordless else self.sim(i, j)
                        break

    def _by_words(self, i: int, j: int) -> bool:
        """Whether a pair may be matched on its words: at least MATCH_FLOOR alike, and neither a
        placeholder ("Исключена." under another number is another repealed article)."""
        return self.sim(i, j) >= MATCH_FLOOR and not self._placeholder(self.old[i]) and not self._placeholder(self.new[j])

    def _same_by_number(self, i: int, j: int) -> bool:
        old, new = self.old[i], self.new[j]
        if self._placeholder(old) and self._placeholder(new):
            return True
        return min(len(old.words), len(new.words)) < _PLACEHOLDER_WORDS and self.sim(i, j) >= MATCH_FLOOR

    # --- split and merged ----------------------------------------------------------------

    def _groups(self) -> list[PoolLink]:
        owner = {j: i for i, j in self.match.items()}
        proposals = []
        for i in range(len(self.old)):
            proposal = self._proposal(i, self.match.get(i), owner, split=True)
            if proposal:
                proposals.append((proposal[0], (i,), proposal[1]))
        for j in range(len(self.new)):
            proposal = self._proposal(j, owner.get(j), self.match, split=False)
            if proposal:
                proposals.append((proposal[0], proposal[1], (j,)))

        groups = []
        used_old: set[int] = set()
        used_new: set[int] = set()
        for score, olds, news in sorted(proposals, key=lambda p: (-p[0], p[1], p[2])):
            if used_old.intersection(olds) or used_new.intersection(news):
                continue
            used_old.update(olds)
            used_new.update(news)
            groups.append(PoolLink(olds, news, score))
        # The members' one-to-one pairs give way to the group; their other members are left unmatched.
        self.match = {i: j for i, j in self.match.items() if i not in used_old and j not in used_new}
        return groups

    def _proposal(
        self, whole: int, partner: int | None, holders: dict[int, int], *, split: bool
    ) -> tuple[float, tuple[int, ...]] | None:
        """The best run of consecutive items on the other side that `whole` (old for a split,
        new for a merge) became or came from, with its similarity; None if no run beats
        `whole`'s one-to-one `partner` clearly. Each member must owe most of its words to
        `whole`, and be free, or held by `whole` or by a partner less similar to it."""
        items, others = (self.old, self.new) if split else (self.new, self.old)
        if self._placeholder(items[whole]) or (partner is not None and (whole if split else partner) in self.identical):
            return None

        def pair(part: int) -> tuple[int, int]:
            return (whole, part) if split else (part, whole)

        nearby = set((self.candidates_of_old if split else self.candidates_of_new).get(whole, ()))
        if partner is not None:
            nearby.update(range(partner - _NEIGHBOURHOOD, partner + _NEIGHBOURHOOD + 1))
        parts = []
        for part in sorted(nearby):
            if not 0 <= part < len(others) or self._placeholder(others[part]):
                continue
            if self.common(*pair(part)) / len(others[part].words) < _PART_CONTAINMENT:
                continue
            holder = holders.get(part)
            if holder is not None and holder != whole:
                held = (holder, part) if split else (part, holder)
                if self.sim(*held) >= self.sim(*pair(part)):
                    continue
            parts.append(part)

        def together(run: tuple[int, ...]) -> float:
            joined = "".join(others[part].words for part in run)
            return similarity(items[whole].words, joined) if split else similarity(joined, items[whole].words)

        best = self._best_run(parts, together)
        current = self.sim(*pair(partner)) if partner is not None else 0.0
        if best and best[0] >= self.settings.group_accept and best[0] >= current + _GROUP_MARGIN:
            return best
        return None

    @staticmethod
    def _best_run(parts: list[int], score_of) -> tuple[float, tuple[int, ...]] | None:
        best = None
        runs: list[list[int]] = []
        for index in parts:
            if runs and runs[-1][-1] == index - 1:
                runs[-1].append(index)
            else:
                runs.append([index])
        for run in runs:
            run = run[: _MAX_GROUP_SIZE * 2]
            for start in range(len(run) - 1):
                for end in range(start + 2, min(len(run), start + _MAX_GROUP_SIZE) + 1):
                    members = tuple(run[start:end])
                    score = score_of(members)
                    if best is None or score > best[0]:
                        best = (score, members)
        return best
