"""One version's provisions as a tree: levels, parents, containers, and the texts to compare."""
from __future__ import annotations

from collections.abc import Sequence

from .model import CONTAINER_KINDS, AlignUnit
from .text import normalise

CONTAINER, ARTICLE, PARAGRAPH = "container", "article", "paragraph"


class Side:
    """The provisions of one version, indexed for the alignment.

    Levels: part, section and chapter are containers; an article, a preamble, or any other
    provision whose parent is a container (or that stands at the top) is at article level;
    what lies inside those is at paragraph level.
    """

    def __init__(self, units: Sequence[AlignUnit], *, name: str):
        self.units = list(units)
        self.by_key: dict[int, AlignUnit] = {}
        for unit in self.units:
            if unit.key in self.by_key:
                raise ValueError(f"{name}: the key {unit.key} is given twice")
            self.by_key[unit.key] = unit
        for unit in self.units:
            if unit.parent is not None and unit.parent not in self.by_key:
                raise ValueError(f"{name}: the parent {unit.parent} of {unit.key} is not among the provisions")
        for unit in self.units:
            ancestor, steps = unit.parent, 0
            while ancestor is not None:
                steps += 1
                if steps > len(self.units):
                    raise ValueError(f"{name}: the parents of {unit.key} form a cycle")
                ancestor = self.by_key[ancestor].parent
        self.position = {unit.key: index for index, unit in enumerate(self.units)}
        self.level: dict[int, str] = {}
        self.anchor: dict[int, int] = {}  # paragraph level: the article-level provision it belongs to
        for unit in self.units:
            self._classify(unit.key)

        self.containers = [u.key for u in self.units if self.level[u.key] == CONTAINER]
        self.preambles = [u.key for u in self.units if self.level[u.key] == ARTICLE and u.kind == "preamble"]
        self.articles = [u.key for u in self.units if self.level[u.key] == ARTICLE and u.kind != "preamble"]
        self.paragraphs_of: dict[int, list[int]] = {key: [] for key in self.preambles + self.articles}
        for unit in self.units:
            if self.level[unit.key] == PARAGRAPH:
                self.paragraphs_of[self.anchor[unit.key]].append(unit.key)

    def _classify(self, key: int) -> str:
        if key in self.level:
            return self.level[key]
        unit = self.by_key[key]
        parent = unit.parent
        if unit.kind in CONTAINER_KINDS:
            level = CONTAINER
        elif unit.kind in ("article", "preamble") or parent is None or self._classify(parent) == CONTAINER:
            level = ARTICLE
        else:
            level = PARAGRAPH
            self.anchor[key] = parent if self._classify(parent) == ARTICLE else self.anchor[parent]
        self.level[key] = level
        return level

    def container_of(self, key: int) -> int | None:
        """The nearest container above `key`, or None."""
        parent = self.by_key[key].parent
        while parent is not None and self.level[parent] != CONTAINER:
            parent = self.by_key[parent].parent
        return parent

    def container_ancestors(self, key: int) -> list[int]:
        found = []
        container = self.container_of(key)
        while container is not None:
            found.append(container)
            container = self.container_of(container)
        return found

    def own_text(self, key: int) -> str:
        """Heading and text of the provision itself, for identity and for word counts."""
        unit = self.by_key[key]
        return f"{unit.heading}\n{unit.text}" if unit.heading else unit.text

    def full_text(self, key: int) -> str:
        """The article-level provision with everything inside it, in reading order."""
        parts = [self.own_text(key)] + [self.own_text(child) for child in self.paragraphs_of.get(key, ())]
        return "\n".join(part for part in parts if part)

    def number(self, key: int) -> str:
        return self.by_key[key].number.strip().lower()

    def heading(self, key: int) -> str:
        return normalise(self.by_key[key].heading).lower()
