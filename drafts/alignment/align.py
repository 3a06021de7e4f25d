"""align(): which provision of one version became which provision of the next.

Order of work:
1. Article level, across the whole document: the preamble(s) with the preamble(s), then
   the articles (see `matching` for the procedure: identical texts, a near-optimal
   assignment on word-level similarity, in-place rewrites, split and merged groups). An
   article is compared with everything inside it; its number and heading only add a little.
2. Containers (part, section, chapter): by where their articles went, and by heading
   (see `containers`). A container that kept its articles but changed its place among its
   siblings is "moved"; its articles are then unchanged or renumbered, not moved.
3. Article kinds, now that sections are aligned: identical text, same number, same
   (aligned) section: unchanged; identical text, another number: renumbered; another
   section: moved (whatever the changes to the text: the similarity says how much);
   otherwise modified.
4. Paragraphs and sub-paragraphs inside each aligned article, or group of articles, with
   the same procedure; what is left over anywhere is then matched across the whole
   document when nearly identical. Kinds as for articles, the parent standing for the
   section: a paragraph that went into another article, or a sub-paragraph that went
   under another paragraph, is "moved". An article's own text (an article without
   numbered paragraphs) is compared at article level only.
5. Everything else is added or removed: every provision appears in exactly one match. No
   article or paragraph is matched below `model.MATCH_FLOOR` but by its place (the preamble,
   a repealed placeholder under its number): a pair so unlike is a removal and an addition.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

from .containers import align_containers
from .link import Link, image, same_place
from .matching import PoolItem, PoolSettings, match_pool
from .model import AlignUnit, Match
from .text import Vocabulary, normalise, similarity
from .tree import ARTICLE, PARAGRAPH, Side

PREAMBLES = PoolSettings(accept=0.3, context_accept=0.1, gap_accept=0.1)
ARTICLES = PoolSettings(accept=0.5, context_accept=0.3, gap_accept=0.2, numbered_placeholders=True)
PARAGRAPHS = PoolSettings(accept=0.5, context_accept=0.3, gap_accept=0.3)
# Across articles only what is nearly identical, and not a few words ("Исключен.") that recur.
MOVED_PARAGRAPHS = PoolSettings(accept=0.75, groups=False, min_words=4)
# A changed text never reports 1.0, even when only punctuation or case changed.
_MAX_CHANGED_SIMILARITY = 0.9999


def align(
    old: Sequence[AlignUnit], new: Sequence[AlignUnit], *, progress: Callable[[float], None] | None = None
) -> list[Match]:
    """The mapping from the provisions of `old` to those of `new`, in the new reading order.

    Each sequence is one version's provisions in reading order. Every key of both appears
    in exactly one Match; a removed provision is placed where it stood (after the new
    counterpart of the provision that preceded it). `progress`, if given, is called with a
    share of the work done, from 0.0 to 1.0. Raises ValueError for a key given twice, a
    parent that is not among the provisions, or parents that form a cycle.
    """
    notify = progress or _ignore
    notify(0.0)
    old_side, new_side = Side(old, name="old version"), Side(new, name="new version")
    words = _Words()

    article_links = _align_article_level(old_side, new_side, old_side.preambles, new_side.preambles, PREAMBLES, words)
    notify(0.05)
    article_links += _align_article_level(old_side, new_side, old_side.articles, new_side.articles, ARTICLES, words)
    notify(0.5)
    container_links = align_containers(old_side, new_side, article_links)
    _classify_article_level(old_side, new_side, article_links, container_links)
    notify(0.6)
    paragraph_links = _align_paragraphs(old_side, new_side, article_links, words, notify)
    _classify_paragraphs(old_side, new_side, article_links + paragraph_links, paragraph_links)
    matches = _in_reading_order(old_side, new_side, container_links + article_links + paragraph_links)
    notify(1.0)
    return matches


def _ignore(share: float) -> None:
    pass


class _Words:
    """Each provision's words, encoded once (see text.Vocabulary); an article's are its own
    followed by those of everything inside it."""

    def __init__(self) -> None:
        self.vocabulary = Vocabulary()
        self.cache: dict[tuple[int, int], str] = {}

    def own(self, side: Side, key: int) -> str:
        found = self.cache.get((id(side), key))
        if found is None:
            found = self.cache[(id(side), key)] = self.vocabulary.encode(side.own_text(key))
        return found

    def whole(self, side: Side, key: int) -> str:
        return self.own(side, key) + "".join(self.own(side, child) for child in side.paragraphs_of.get(key, ()))


def _item(side: Side, key: int, words: _Words, *, whole: bool) -> PoolItem:
    text = side.full_text(key) if whole else side.own_text(key)
    encoded = words.whole(side, key) if whole else words.own(side, key)
    return PoolItem(exact=normalise(text), words=encoded, number=side.number(key), heading=side.heading(key))


def _links_from_pool(
    level: str, old_keys: Sequence[int], new_keys: Sequence[int], old_items, new_items, settings: PoolSettings
) -> tuple[list[Link], list[int], list[int]]:
    """Links for the pool's matches, and the keys left unmatched on each side."""
    links = []
    for pool_link in match_pool(old_items, new_items, settings):
        link = Link(
            level,
            tuple(old_keys[i] for i in pool_link.old),
            tuple(new_keys[j] for j in pool_link.new),
            round(pool_link.similarity, 4),
            identical=pool_link.identical,
        )
        if len(link.old) > 1:
            link.kind = "merged"
        elif len(link.new) > 1:
            link.kind = "split"
        links.append(link)
    matched_old = {key for link in links for key in link.old}
    matched_new = {key for link in links for key in link.new}
    return links, [k for k in old_keys if k not in matched_old], [k for k in new_keys if k not in matched_new]


def _align_article_level(
    old: Side, new: Side, old_keys: list[int], new_keys: list[int], settings: PoolSettings, words: _Words
) -> list[Link]:
    old_items = [_item(old, key, words, whole=True) for key in old_keys]
    new_items = [_item(new, key, words, whole=True) for key in new_keys]
    links, old_left, new_left = _links_from_pool(ARTICLE, old_keys, new_keys, old_items, new_items, settings)
    if len(old_keys) == len(new_keys) == 1 and old_left and new_left and old.by_key[old_keys[0]].kind == "preamble":
        # The preamble aligns to the preamble, however rewritten.
        links.append(Link(ARTICLE, (old_keys[0],), (new_keys[0],), round(similarity(old_items[0].words, new_items[0].words), 4)))
        old_left, new_left = [], []
    links += [Link(ARTICLE, (key,), (), 0.0, kind="removed") for key in old_left]
    links += [Link(ARTICLE, (), (key,), 0.0, kind="added") for key in new_left]
    return links


def _classify_article_level(old: Side, new: Side, links: list[Link], container_links: list[Link]) -> None:
    images = image(container_links)
    for link in links:
        if link.kind:
            continue
        a, b = link.old[0], link.new[0]
        if old.by_key[a].kind == "preamble" or new.by_key[b].kind == "preamble":
            link.kind = "unchanged" if link.identical else "modified"
        elif not same_place(old.container_of(a), new.container_of(b), images):
            link.kind = "moved"
        else:
            link.kind = _kind_in_place(old, new, a, b, link.identical)
        _settle_similarity(link)


def _kind_in_place(old: Side, new: Side, a: int, b: int, identical: bool) -> str:
    if not identical:
        return "modified"
    return "unchanged" if old.number(a) == new.number(b) else "renumbered"


def _settle_similarity(link: Link) -> None:
    link.similarity = 1.0 if link.identical else min(link.similarity, _MAX_CHANGED_SIMILARITY)


def _align_paragraphs(
    old: Side, new: Side, article_links: list[Link], words: _Words, notify: Callable[[float], None]
) -> list[Link]:
    links: list[Link] = []
    old_left: list[int] = []
    new_left: list[int] = []
    for count, article_link in enumerate(article_links, start=1):
        old_keys = [key for a in article_link.old for key in old.paragraphs_of[a]]
        new_keys = [key for b in article_link.new for key in new.paragraphs_of[b]]
        if not old_keys or not new_keys:
            old_left += old_keys
            new_left += new_keys
            continue
        old_items = [_item(old, key, words, whole=False) for key in old_keys]
        new_items = [_item(new, key, words, whole=False) for key in new_keys]
        found, old_rest, new_rest = _links_from_pool(PARAGRAPH, old_keys, new_keys, old_items, new_items, PARAGRAPHS)
        links += found
        old_left += old_rest
        new_left += new_rest
        if count % 200 == 0:
            notify(0.6 + 0.3 * count / len(article_links))
    old_left.sort(key=old.position.__getitem__)
    new_left.sort(key=new.position.__getitem__)
    old_items = [_item(old, key, words, whole=False) for key in old_left]
    new_items = [_item(new, key, words, whole=False) for key in new_left]
    found, old_rest, new_rest = _links_from_pool(PARAGRAPH, old_left, new_left, old_items, new_items, MOVED_PARAGRAPHS)
    links += found
    links += [Link(PARAGRAPH, (key,), (), 0.0, kind="removed") for key in old_rest]
    links += [Link(PARAGRAPH, (), (key,), 0.0, kind="added") for key in new_rest]
    notify(0.9)
    return links


def _classify_paragraphs(old: Side, new: Side, all_links: list[Link], paragraph_links: list[Link]) -> None:
    images = image(all_links)
    matched_new = {key for link in all_links if link.old for key in link.new}
    for link in paragraph_links:
        if link.kind:
            continue
        p, q = link.old[0], link.new[0]
        if not _paragraph_in_place(old, new, p, q, images, matched_new):
            link.kind = "moved"
        else:
            link.kind = _kind_in_place(old, new, p, q, link.identical)
        _settle_similarity(link)


def _paragraph_in_place(old: Side, new: Side, p: int, q: int, images: dict[int, set[int]], matched_new: set[int]) -> bool:
    """Whether paragraph `p` became `q` where it was: under what its parent became; or at
    least inside what its article became, unless it is a sub-paragraph that went under
    another paragraph of the article (its own paragraph being found elsewhere)."""
    parent_old, parent_new = old.by_key[p].parent, new.by_key[q].parent
    if same_place(parent_old, parent_new, images):
        return True
    if not same_place(old.anchor[p], new.anchor[q], images):
        return False
    under_paragraphs = old.level[parent_old] == PARAGRAPH and new.level[parent_new] == PARAGRAPH
    return not (under_paragraphs and parent_old in images and parent_new in matched_new)


def _in_reading_order(old: Side, new: Side, links: list[Link]) -> list[Match]:
    """Matches by their first new provision; a removed one right after the new counterpart
    of the old provision before it (or at the start)."""
    link_of_old = {key: link for link in links for key in link.old}
    anchor_before: dict[int, int] = {}
    last = -1
    for unit in old.units:
        anchor_before[unit.key] = last
        link = link_of_old[unit.key]
        if link.new:
            last = max(new.position[key] for key in link.new)

    def place(link: Link) -> tuple[int, int, int]:
        if link.new:
            return (min(new.position[key] for key in link.new), 0, 0)
        first = min(link.old, key=old.position.__getitem__)
        return (anchor_before[first], 1, old.position[first])

    return [
        Match(kind=link.kind, old=link.old, new=link.new, similarity=link.similarity, level=link.level)
        for link in sorted(links, key=place)
    ]
