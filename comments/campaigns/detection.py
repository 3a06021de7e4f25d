"""Campaign detection: which comments are one form letter sent by many people.

Procedure (the same for the batch `campaigns_detect` and the incremental `CampaignIndex`):
1. Normalise each text: Unicode NFKC, words are runs of letters and digits (Unicode-aware, so
   Cyrillic and Latin alike), case folded, "ё" read as "е"; punctuation, symbols and
   whitespace only separate words. A text without words belongs to no campaign.
2. Texts with the same words are one distinct text (exact duplicates). A text of fewer than
   `min_words` words is only ever grouped with its exact duplicates: "I agree." and "Нет."
   share too few shingles for a similarity to mean anything.
3. Each longer distinct text is the set of its word shingles (`shingle_size` consecutive
   words, each hashed to 32 bits with CRC-32, stable across processes), summarised by a
   MinHash signature (datasketch.MinHash, `num_perm` permutations, seed 1).
4. LSH: the signature is cut into bands (`lsh_bands`: chosen for the threshold so that a pair
   at the threshold is nearly always a candidate, since a missed pair costs recall and an
   extra candidate only one verification); two texts are candidates when a band is equal.
5. Each candidate pair is verified with the exact Jaccard similarity of the two shingle sets
   (at least `threshold`) and joined with union-find: a campaign is a connected group, so a
   member need be similar to one other member only (each adds its own words).
6. A group with at least `min_size` comments (duplicates counted) is a campaign. Its template
   is the member whose shingles are closest (Jaccard) to the group's common shingles, those
   found in more than half of its comments, trimmed to the span of those shingles in it (so
   the name or sentence its sender put before or after the letter is not part of it; what
   its sender put inside is). A comment's personal additions are its runs of
   words that no shingle of the template covers (a typo shows as a one-word addition).

Batch: candidates are found band by band, by sorting the band values; within a bucket each
text is verified against one representative of each group met there. Incremental: the new
text's bands are looked up by bisection in arrays sorted per band, plus a scan of the recent
texts not merged into them yet. Both rather than datasketch's MinHashLSH, whose dict of sets
per band costs about 8 KB per text (800 MB for 100,000); here a text costs 16 bytes per band
plus its shingles.
The campaign key is the smallest comment id of the group (in the index, where comments are
added in id order, the first comment); when a comment bridges two groups they become one,
under the smaller key. A CampaignIndex is not thread-safe.
"""
from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from functools import cache

import numpy as np

DEFAULT_THRESHOLD = 0.5
DEFAULT_NUM_PERM = 128
DEFAULT_SHINGLE_SIZE = 3
DEFAULT_MIN_WORDS = 8
SEED = 1
_SCHEME = "affine32"  # datasketch 2's default: 32-bit values, as the 32-bit shingle hashes
# Weight of a missed pair against an extra candidate when the bands are chosen (step 4).
_FALSE_NEGATIVE_WEIGHT = 0.9
# Within one LSH bucket a text is verified against at most this many groups: a bucket of many
# unrelated texts (a shared quotation) must not cost a verification per pair.
_MAX_BUCKET_GROUPS = 32
# ...and in the index against at most this many members of each candidate group.
_MAX_TRIES_PER_GROUP = 8
_WORD = re.compile(r"[^\W_]+")
_MIX = np.uint64(0x9E3779B97F4A7C15)


@dataclass(frozen=True)
class Member:
    """One comment of a campaign: its similarity to the template and its own words."""

    comment_id: int
    similarity: float  # Jaccard of its shingles with the template's
    additions: tuple[str, ...]  # its runs of words not in the template, as written (NFKC)


@dataclass(frozen=True)
class Campaign:
    key: int  # the smallest comment id of the group
    template_id: int  # the comment whose text is the template
    template: str
    members: tuple[Member, ...]  # in comment id order, the template's own included

    @property
    def comment_ids(self) -> tuple[int, ...]:
        return tuple(member.comment_id for member in self.members)

    @property
    def size(self) -> int:
        return len(self.members)


def normalise(text: str) -> str:
    """The words of `text`, normalised (step 1), joined by single spaces."""
    return " ".join(text_words(text))


def text_words(text: str) -> list[str]:
    return [_fold(match.group()) for match in _WORD.finditer(unicodedata.normalize("NFKC", text))]


def _fold(word: str) -> str:
    return word.casefold().replace("ё", "е")


def shingle_hashes(words: Sequence[str], size: int = DEFAULT_SHINGLE_SIZE) -> np.ndarray:
    """The sorted distinct CRC-32 hashes (uint32) of the word shingles; a text shorter than a
    shingle is one shingle."""
    return np.unique(np.fromiter(_shingle_hash_list(words, size), dtype=np.uint32))


def _shingle_hash_list(words: Sequence[str], size: int) -> list[int]:
    if len(words) <= size:
        return [zlib.crc32(" ".join(words).encode())] if words else []
    return [zlib.crc32(" ".join(words[i : i + size]).encode()) for i in range(len(words) - size + 1)]


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard similarity of two sorted arrays of distinct hashes."""
    if not a.size or not b.size:
        return 0.0
    common = np.intersect1d(a, b, assume_unique=True).size
    return common / (a.size + b.size - common)


@cache
def lsh_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) with bands * rows <= num_perm, minimising the weighted area of false
    candidates below the threshold and of missed pairs above it."""
    xs = np.linspace(0.0, 1.0, 2001)
    below, above = xs < threshold, xs >= threshold
    best, best_cost = (1, num_perm), float("inf")
    for rows in range(1, num_perm + 1):
        bands = num_perm // rows
        chance = 1.0 - (1.0 - xs**rows) ** bands
        false_positive = np.trapezoid(chance[below], xs[below]) if below.any() else 0.0
        false_negative = np.trapezoid(1.0 - chance[above], xs[above]) if above.any() else 0.0
        cost = (1 - _FALSE_NEGATIVE_WEIGHT) * false_positive + _FALSE_NEGATIVE_WEIGHT * false_negative
        if cost < best_cost:
            best, best_cost = (bands, rows), cost
    return best


@cache
def _permutations(num_perm: int) -> np.ndarray:
    from datasketch import MinHash  # here, not above: it loads scipy (0.5 s), which the web pages' templates do not need

    return MinHash(num_perm=num_perm, seed=SEED, scheme=_SCHEME).permutations


def minhash_signature(hashes: np.ndarray, num_perm: int = DEFAULT_NUM_PERM) -> np.ndarray:
    """The MinHash signature (uint32, `num_perm` values) of a set of 32-bit shingle hashes."""
    from datasketch import MinHash

    # The shingles are hashed already: datasketch only applies its permutations (hashfunc=int).
    minhash = MinHash(
        num_perm=num_perm, seed=SEED, hashfunc=int, permutations=_permutations(num_perm), scheme=_SCHEME
    )
    minhash.update_batch(hashes.tolist())
    return minhash.hashvalues


def band_hashes(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One uint64 per band of each signature (the last axis), so that bands compare as numbers."""
    cut = signatures[..., : bands * rows].reshape(*signatures.shape[:-1], bands, rows).astype(np.uint64)
    combined = np.zeros(cut.shape[:-1], dtype=np.uint64)
    for row in range(rows):
        combined = combined * _MIX + cut[..., row]  # wraps around modulo 2**64, as intended
    return combined


@dataclass(frozen=True)
class _Settings:
    threshold: float
    num_perm: int
    shingle_size: int
    min_words: int

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], not {self.threshold}")
        if self.num_perm < 1 or self.shingle_size < 1 or self.min_words < 1:
            raise ValueError("num_perm, shingle_size and min_words must be positive")

    @property
    def bands(self) -> tuple[int, int]:
        return lsh_bands(self.threshold, self.num_perm)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: list[int] = []

    def add(self) -> int:
        self.parent.append(len(self.parent))
        return len(self.parent) - 1

    def find(self, node: int) -> int:
        parent = self.parent
        root = node
        while parent[root] != root:
            root = parent[root]
        while parent[node] != root:
            parent[node], node = root, parent[node]
        return root


def campaigns_detect(
    texts: Mapping[int, str],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    min_size: int = 2,
    num_perm: int = DEFAULT_NUM_PERM,
    shingle_size: int = DEFAULT_SHINGLE_SIZE,
    min_words: int = DEFAULT_MIN_WORDS,
) -> list[Campaign]:
    """The campaigns among `texts` (comment id -> text), largest first, then by key.

    Every comment is in at most one campaign; a campaign has at least `min_size` comments.
    Deterministic: the same texts give the same campaigns whatever the mapping's order.
    """
    settings = _Settings(threshold, num_perm, shingle_size, min_words)
    bands, rows = settings.bands
    ids, hashes = _distinct_texts(texts, shingle_size=shingle_size, min_words=min_words)

    groups = _UnionFind()
    for _ in ids:
        groups.add()
    long = list(hashes)
    if long:
        signatures = np.vstack([minhash_signature(hashes[node], num_perm) for node in long])
        values = band_hashes(signatures, bands, rows)
        nodes = np.asarray(long)
        for band in range(bands):
            order = np.argsort(values[:, band], kind="stable")
            ordered = values[order, band]
            bounds = np.concatenate(([0], np.flatnonzero(ordered[1:] != ordered[:-1]) + 1, [len(long)]))
            for start in np.flatnonzero(np.diff(bounds) >= 2):
                bucket = nodes[order[bounds[start] : bounds[start + 1]]].tolist()
                _join_bucket(bucket, hashes, groups, threshold)

    by_root: dict[int, list[int]] = {}
    for node in range(len(ids)):
        by_root.setdefault(groups.find(node), []).append(node)
    campaigns = [
        _campaign(nodes, ids, hashes, texts, shingle_size)
        for nodes in by_root.values()
        if sum(len(ids[node]) for node in nodes) >= min_size
    ]
    campaigns.sort(key=lambda campaign: (-campaign.size, campaign.key))
    return campaigns


def _distinct_texts(texts: Mapping[int, str], *, shingle_size: int, min_words: int) -> tuple[list[list[int]], dict[int, np.ndarray]]:
    """Steps 1-3: the distinct texts (node -> its comment ids, ascending; texts without words left out) and the
    shingles of each distinct text of at least `min_words` words (node -> its shingle hashes)."""
    distinct: dict[str, int] = {}
    ids: list[list[int]] = []
    hashes: dict[int, np.ndarray] = {}
    for comment_id in sorted(texts):
        words = text_words(texts[comment_id])
        if not words:
            continue
        node = distinct.setdefault(" ".join(words), len(ids))
        if node == len(ids):
            ids.append([])
            if len(words) >= min_words:
                hashes[node] = shingle_hashes(words, shingle_size)
        ids[node].append(comment_id)
    return ids, hashes


def _join_bucket(bucket: list[int], hashes: dict[int, np.ndarray], groups: _UnionFind, threshold: float) -> None:
    representatives: list[int] = []
    for node in bucket:
        joined = False
        for other in representatives:
            root, other_root = groups.find(node), groups.find(other)
            if root == other_root:
                joined = True
            elif jaccard(hashes[node], hashes[other]) >= threshold:
                groups.parent[max(root, other_root)] = min(root, other_root)
                joined = True
        if not joined and len(representatives) < _MAX_BUCKET_GROUPS:
            representatives.append(node)


def _campaign(
    nodes: list[int],
    ids: list[list[int]],
    hashes: Mapping[int, np.ndarray],
    texts: Mapping[int, str],
    shingle_size: int,
) -> Campaign:
    template_id, template = _template(nodes, ids, hashes, texts, shingle_size)
    covered = template_shingles(template, shingle_size)
    template_hashes = np.fromiter(sorted(covered), dtype=np.uint32)
    members = []
    for node in nodes:
        if len(nodes) == 1:  # exact duplicates
            similarity, additions = 1.0, ()
        else:
            similarity = jaccard(hashes[node], template_hashes)
            additions = personal_additions(texts[ids[node][0]], covered, shingle_size)
        members.extend(Member(comment_id, similarity, additions) for comment_id in ids[node])
    members.sort(key=lambda member: member.comment_id)
    return Campaign(key=members[0].comment_id, template_id=template_id, template=template, members=tuple(members))


def _template(
    nodes: list[int], ids: list[list[int]], hashes: Mapping[int, np.ndarray], texts: Mapping[int, str], shingle_size: int
) -> tuple[int, str]:
    """The comment whose text is the template of a group (step 6), and that text, trimmed."""
    if len(nodes) == 1:  # exact duplicates: the text as its first sender wrote it
        return ids[nodes[0]][0], texts[ids[nodes[0]][0]]
    template_node, common = _template_node(nodes, ids, hashes)
    template_id = ids[template_node][0]
    return template_id, _trimmed(texts[template_id], common, shingle_size)


@dataclass(frozen=True)
class Template:
    comment_id: int  # the comment whose text, trimmed, is the template
    text: str


def campaign_template(texts: Mapping[int, str], *, shingle_size: int = DEFAULT_SHINGLE_SIZE) -> Template | None:
    """The template of one campaign (step 6) from the texts of its comments, or of a sample of them
    (comment id -> text): what campaigns_detect gives the same group. None when no text has words.

    A sample of a few hundred is enough (the common shingles are those of more than half of it), which
    bounds the cost for a campaign of any size: what the database-backed campaigns store.
    """
    ids, hashes = _distinct_texts(texts, shingle_size=shingle_size, min_words=1)
    if not ids:
        return None
    template_id, template = _template(list(range(len(ids))), ids, hashes, texts, shingle_size)
    return Template(comment_id=template_id, text=template)


def template_shingles(template: str, shingle_size: int = DEFAULT_SHINGLE_SIZE) -> frozenset[int]:
    """The shingle hashes of a template, as personal_additions takes them."""
    return frozenset(_shingle_hash_list(text_words(template), shingle_size))


def _trimmed(text: str, common: np.ndarray, shingle_size: int) -> str:
    """`text` from its first to its last word covered by a common shingle, as written (NFKC):
    the template without the name or the sentence its sender put before or after it."""
    written = unicodedata.normalize("NFKC", text)
    spans = [match.span() for match in _WORD.finditer(written)]
    words = [_fold(written[start:end]) for start, end in spans]
    shared = set(common.tolist())
    starts = [first for first, value in enumerate(_shingle_hash_list(words, shingle_size)) if value in shared]
    if not starts:
        return text
    last = min(starts[-1] + shingle_size, len(words)) - 1
    end = spans[last][1]
    # The sentence's closing punctuation belongs to the template.
    while end < len(written) and not written[end].isspace() and _WORD.match(written, end) is None:
        end += 1
    return written[spans[starts[0]][0] : end]


def _template_node(nodes: list[int], ids: list[list[int]], hashes: Mapping[int, np.ndarray]) -> tuple[int, np.ndarray]:
    """The node closest to the shingles found in more than half of the group's comments, and those."""
    weights = np.array([len(ids[node]) for node in nodes], dtype=np.float64)
    arrays = [hashes[node] for node in nodes]
    values, inverse = np.unique(np.concatenate(arrays), return_inverse=True)
    counts = np.bincount(inverse, weights=np.repeat(weights, [array.size for array in arrays]))
    common = values[counts * 2 > weights.sum()]
    # Ties: the text sent most often, then the earliest.
    node = max(nodes, key=lambda node: (jaccard(hashes[node], common), len(ids[node]), -ids[node][0]))
    return node, common


def personal_additions(text: str, template_shingles: Set[int], shingle_size: int = DEFAULT_SHINGLE_SIZE) -> tuple[str, ...]:
    """The runs of words of `text` that no shingle of the template covers, as written (NFKC)."""
    written = unicodedata.normalize("NFKC", text)
    spans = [match.span() for match in _WORD.finditer(written)]
    words = [_fold(written[start:end]) for start, end in spans]
    if len(words) <= shingle_size:
        return () if set(_shingle_hash_list(words, shingle_size)) & template_shingles else (written.strip(),)
    covered = [False] * len(words)
    for first, value in enumerate(_shingle_hash_list(words, shingle_size)):
        if value in template_shingles:
            covered[first : first + shingle_size] = [True] * shingle_size
    runs, start = [], None
    for position, is_covered in enumerate([*covered, True]):
        if not is_covered and start is None:
            start = position
        elif is_covered and start is not None:
            runs.append(written[spans[start][0] : spans[position - 1][1]])
            start = None
    return tuple(runs)


class CampaignIndex:
    """The incremental path: `add` one comment at a time, in the order they arrive.

    Holds, per distinct text, its shingle hashes and its LSH bands; per comment, its distinct
    text. `add` is the procedure of the module docstring for one new text against all stored.
    """

    def __init__(
        self,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        num_perm: int = DEFAULT_NUM_PERM,
        shingle_size: int = DEFAULT_SHINGLE_SIZE,
        min_words: int = DEFAULT_MIN_WORDS,
    ) -> None:
        self._settings = _Settings(threshold, num_perm, shingle_size, min_words)
        self._bands, self._rows = self._settings.bands
        self._distinct: dict[str, int] = {}  # normalised text -> node
        self._node_of: dict[int, int] = {}  # comment id -> node
        self._groups = _UnionFind()
        self._key: list[int] = []  # root node -> the campaign key (its smallest comment id)
        self._members: dict[int, list[int]] = {}  # root node -> comment ids, in the order added
        self._hashes: list[np.ndarray | None] = []  # node -> shingle hashes (None: a short text)
        # The bands of the texts stored: a part sorted per band (searched by bisection) and the
        # recent ones (scanned), merged into the sorted part when they reach an eighth of it, so
        # that an add costs O(bands * log n) plus a scan of at most n / 8 rows.
        self._sorted_values = np.zeros((self._bands, 0), dtype=np.uint64)
        self._sorted_nodes = np.zeros((self._bands, 0), dtype=np.int64)
        self._recent_values = np.zeros((1024, self._bands), dtype=np.uint64)  # grows by doubling
        self._recent_nodes = np.zeros(1024, dtype=np.int64)
        self._recent = 0

    def __len__(self) -> int:
        return len(self._node_of)

    def add(self, comment_id: int, text: str) -> int | None:
        """The key of the campaign the new comment joins (or forms with an earlier one), or None.

        A comment without words is not indexed. Raises ValueError for an id added before.
        """
        if comment_id in self._node_of:
            raise ValueError(f"comment {comment_id} is already in the index")
        words = text_words(text)
        if not words:
            return None
        normalised = " ".join(words)
        node = self._distinct.get(normalised)
        if node is None:
            node = self._new_node(normalised, comment_id)
            if len(words) >= self._settings.min_words:
                self._join_similar(node, shingle_hashes(words, self._settings.shingle_size))
        root = self._groups.find(node)
        self._node_of[comment_id] = node
        self._members[root].append(comment_id)
        self._key[root] = min(self._key[root], comment_id)
        return self._key[root] if len(self._members[root]) >= 2 else None

    def campaign_of(self, comment_id: int) -> int | None:
        """The key of the comment's campaign, or None (not indexed, or alone so far)."""
        node = self._node_of.get(comment_id)
        if node is None:
            return None
        root = self._groups.find(node)
        return self._key[root] if len(self._members[root]) >= 2 else None

    def campaigns(self, *, min_size: int = 2) -> dict[int, tuple[int, ...]]:
        """Every campaign of at least `min_size` comments: key -> comment ids, ascending."""
        return {
            self._key[root]: tuple(sorted(members))
            for root, members in self._members.items()
            if len(members) >= min_size
        }

    def _new_node(self, normalised: str, comment_id: int) -> int:
        node = self._groups.add()
        self._distinct[normalised] = node
        self._key.append(comment_id)
        self._members[node] = []
        self._hashes.append(None)
        return node

    def _join_similar(self, node: int, hashes: np.ndarray) -> None:
        self._hashes[node] = hashes
        values = band_hashes(minhash_signature(hashes, self._settings.num_perm), self._bands, self._rows)
        candidates = self._candidates(values)
        tried: dict[int, int] = {}
        for candidate in candidates:
            root, other_root = self._groups.find(node), self._groups.find(candidate)
            if root == other_root or tried.get(other_root, 0) >= _MAX_TRIES_PER_GROUP:
                continue
            tried[other_root] = tried.get(other_root, 0) + 1
            if jaccard(hashes, self._hashes[candidate]) >= self._settings.threshold:
                self._union(root, other_root)
        self._store_bands(node, values)

    def _union(self, root: int, other_root: int) -> None:
        if len(self._members[root]) > len(self._members[other_root]):
            root, other_root = other_root, root
        self._groups.parent[root] = other_root
        self._members[other_root].extend(self._members.pop(root))
        self._key[other_root] = min(self._key[other_root], self._key[root])

    def _candidates(self, values: np.ndarray) -> list[int]:
        found = []
        if self._sorted_values.shape[1]:
            for band in range(self._bands):
                column = self._sorted_values[band]
                low = np.searchsorted(column, values[band], side="left")
                high = np.searchsorted(column, values[band], side="right")
                if high > low:
                    found.extend(self._sorted_nodes[band, low:high].tolist())
        recent = self._recent_values[: self._recent]
        found.extend(self._recent_nodes[: self._recent][(recent == values).any(axis=1)].tolist())
        return list(dict.fromkeys(found))

    def _store_bands(self, node: int, values: np.ndarray) -> None:
        if self._recent == len(self._recent_nodes):
            self._recent_values = np.concatenate([self._recent_values, np.zeros_like(self._recent_values)])
            self._recent_nodes = np.concatenate([self._recent_nodes, np.zeros_like(self._recent_nodes)])
        self._recent_values[self._recent] = values
        self._recent_nodes[self._recent] = node
        self._recent += 1
        if self._recent >= max(1024, self._sorted_values.shape[1] // 8):
            self._merge_recent()

    def _merge_recent(self) -> None:
        values = np.concatenate([self._sorted_values, self._recent_values[: self._recent].T], axis=1)
        nodes = np.concatenate(
            [self._sorted_nodes, np.broadcast_to(self._recent_nodes[: self._recent], (self._bands, self._recent))], axis=1
        )
        order = np.argsort(values, axis=1, kind="stable")
        self._sorted_values = np.take_along_axis(values, order, axis=1)
        self._sorted_nodes = np.take_along_axis(nodes, order, axis=1)
        self._recent = 0


@dataclass(frozen=True)
class Fingerprint:
    """What a stored comment needs for the incremental path in a database: its LSH keys and its shingles.

    `keys` are strings, one per LSH band ("b<band>:<value>") plus one for the exact text ("x:<crc>"):
    two comments are candidates when they share a key. A short text has only its exact key (step 2).
    """

    keys: tuple[str, ...]
    shingles: np.ndarray  # sorted distinct uint32; empty for a short text
    exact: str


def fingerprint(
    text: str, *, threshold: float = DEFAULT_THRESHOLD, num_perm: int = DEFAULT_NUM_PERM,
    shingle_size: int = DEFAULT_SHINGLE_SIZE, min_words: int = DEFAULT_MIN_WORDS,
) -> Fingerprint | None:
    """The fingerprint of one text (None for a text without words)."""
    words = text_words(text)
    if not words:
        return None
    exact = f"x:{zlib.crc32(' '.join(words).encode()):08x}"
    if len(words) < min_words:
        return Fingerprint(keys=(exact,), shingles=np.empty(0, dtype=np.uint32), exact=exact)
    shingles = shingle_hashes(words, shingle_size)
    bands, rows = lsh_bands(threshold, num_perm)
    values = band_hashes(minhash_signature(shingles, num_perm), bands, rows)
    return Fingerprint(keys=(exact, *(f"b{band}:{int(value):x}" for band, value in enumerate(values))), shingles=shingles, exact=exact)


def fingerprints_similar(a: Fingerprint, b: Fingerprint, *, threshold: float = DEFAULT_THRESHOLD) -> bool:
    """Exact duplicates, or two long texts whose shingles' Jaccard similarity reaches the threshold."""
    if a.exact == b.exact:
        return True
    return bool(a.shingles.size and b.shingles.size) and jaccard(a.shingles, b.shingles) >= threshold
