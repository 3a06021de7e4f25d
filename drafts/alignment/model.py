"""The alignment's vocabulary: what goes in (AlignUnit), what comes out (Match)."""
from __future__ import annotations

from dataclasses import dataclass

CHANGE_KINDS = ("unchanged", "modified", "renumbered", "moved", "split", "merged", "added", "removed")
LEVELS = ("container", "article", "paragraph")

CONTAINER_KINDS = frozenset({"part", "section", "chapter"})

MATCH_FLOOR = 0.2
"""No article or paragraph is matched with a counterpart whose words are less alike than this
(`text.similarity`): such a pair is reported as one removed and one added provision, never as a
"modified" pair at a similarity of 0.06. Measured on the corpora (Kazakhstan 1995 -> 2026,
Russia 2014 -> 2020, Germany 2012 -> 2018): the least similar true pairs are rewritten or much
enlarged articles and points at 0.24-0.26 (Russia's Article 112 grew from 40 to 264 words);
nothing true lies below 0.2. Two exceptions, where identity does not rest on words: the preamble
answers the preamble however rewritten, and a numbered placeholder (a repealed article, with no
text or only a word or two) answers the placeholder of the same number, and no other.
"""


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
