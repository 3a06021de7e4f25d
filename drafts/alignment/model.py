"""The alignment's vocabulary: what goes in (AlignUnit), what comes out (Match)."""
from __future__ import annotations

from dataclasses import dataclass

CHANGE_KINDS = ("unchanged", "modified", "renumbered", "moved", "split", "merged", "added", "removed")
LEVELS = ("container", "article", "paragraph")

CONTAINER_KINDS = frozenset({"part", "section", "chapter"})


@dataclass(frozen=True)
class AlignUnit:
    """One provision of one version, as the caller stores it.

    `key` is the caller's id; `parent` the key of the parent provision on the same side
    (None at the top). `text` is the provision's own text, its children's excluded.
    The sequence given to `align` is the reading order.
    """

    key: int
    parent: int | None
    kind: str  # "preamble", "part", "section", "chapter", "article", "paragraph", "subparagraph"
    number: str  # as printed ("10", "10-1", "IV")
    path: str  # "II/10/3"
    heading: str
    text: str


@dataclass(frozen=True)
class Match:
    """What became of one provision, or of a group of consecutive ones (split, merged).

    `old` is empty for "added", `new` for "removed". `similarity` is 1.0 for identical
    text; `level` is "container" (part, section, chapter), "article" (articles, the
    preamble, and numbered points that stand outside any article) or "paragraph"
    (paragraphs and sub-paragraphs inside an article).
    """

    kind: str
    old: tuple[int, ...]
    new: tuple[int, ...]
    similarity: float
    level: str
