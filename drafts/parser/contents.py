"""A table of contents printed before the text: recognised by its headings coming again, and skipped.

A contents table lists the headings ("Chapter 1. General provisions .......... 3") with nothing under
them; the same headings then open the text itself. Parsed as text, its headings would become empty
provisions and the real ones duplicates, so its lines are set aside, and the parser says so.
"""
from __future__ import annotations

import re

from .classify import STRUCTURAL_KINDS, Classified, Heading, Item, OtherHeading
from .conventions import CONTENTS_WORDS
from .lines import SourceLine

# Lines of a contents table are headings and their titles, short; a longer line is the text's own.
_MAX_CONTENTS_LINE = 160
_MIN_CONTENTS_HEADINGS = 2
# Most headings listed must open the text after the table (some tables list only the larger divisions).
_MIN_SHARE_FOUND_AGAIN = 0.8
_CONTENTS_TITLE = re.compile(rf"^(?i:{CONTENTS_WORDS})\s*[.:]?$")


def table_of_contents(content: list[SourceLine], classified: dict[int, Classified]) -> set[int]:
    """The line numbers of the contents table before the text (with its "Contents" title), or an empty set."""
    headings = [(position, _key(classified[line.number])) for position, line in enumerate(content) if _key(classified[line.number])]
    if not headings:
        return set()
    first_position, first_key = headings[0]
    again = next((position for position, key in headings[1:] if key == first_key), None)
    if again is None:
        return set()
    listed = [key for position, key in headings if position < again]
    following = {key for position, key in headings if position >= again}
    if len(listed) < _MIN_CONTENTS_HEADINGS or sum(key in following for key in listed) < _MIN_SHARE_FOUND_AGAIN * len(listed):
        return set()
    table = content[first_position:again]
    if any(_is_text_of_its_own(line, classified[line.number]) for line in table):
        return set()
    start = first_position
    if start > 0 and _CONTENTS_TITLE.match(_plain(content[start - 1].text)):
        start -= 1
    return {line.number for line in content[start:again]}


def _key(what: Classified) -> tuple[str, str] | None:
    if isinstance(what, Heading) and what.kind in STRUCTURAL_KINDS:
        return what.kind, what.number
    return None


def _is_text_of_its_own(line: SourceLine, what: Classified) -> bool:
    """A numbered point, or a line too long for a contents entry: the listed heading has text under it."""
    return isinstance(what, Item) or (not isinstance(what, (Heading, OtherHeading)) and len(line.text) > _MAX_CONTENTS_LINE)


def _plain(text: str) -> str:
    return text.strip("*_#= ")
