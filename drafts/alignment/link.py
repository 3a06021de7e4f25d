"""The alignment's working record of one match, before it is frozen into a Match."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Link:
    level: str
    old: tuple[int, ...]
    new: tuple[int, ...]
    similarity: float
    identical: bool = False  # the same text (whitespace-normalised), whatever the number
    kind: str = ""


def image(links: list[Link]) -> dict[int, set[int]]:
    """Old key -> the new keys it became (in any kind of match but added and removed)."""
    found: dict[int, set[int]] = {}
    for link in links:
        if link.old and link.new:
            for key in link.old:
                found.setdefault(key, set()).update(link.new)
    return found


def same_place(old_parent: int | None, new_parent: int | None, images: dict[int, set[int]]) -> bool:
    """Whether `new_parent` is what `old_parent` became (both None: the top of the document)."""
    if old_parent is None or new_parent is None:
        return old_parent is None and new_parent is None
    return new_parent in images.get(old_parent, ())
