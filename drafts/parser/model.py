"""The parser's vocabulary: what a parsed draft is made of, and the one error it raises."""
from __future__ import annotations

from dataclasses import dataclass

KINDS = ("preamble", "part", "section", "chapter", "article", "paragraph", "subparagraph")

# Column sizes of the drafts tables: a value that would not fit is refused here, with its
# line, rather than truncated or rejected later by the database.
MAX_NUMBER_LENGTH = 32
MAX_HEADING_LENGTH = 500
MAX_PATH_LENGTH = 255


@dataclass(frozen=True)
class ParsedProvision:
    """One node of the provision tree, as printed in the source.

    `text` is the provision's own text (its children's excluded): paragraphs joined with
    "\\n", hard-wrapped lines re-joined, footnotes and editorial notes left out; those are in
    `notes`, in reading order. `number_printed` is False for a paragraph the source did not number
    (an article's unnumbered "parts", numbered by their place as lawyers cite them: "part 2 of article 5").
    """

    kind: str
    number: str
    heading: str
    text: str
    line: int
    children: tuple[ParsedProvision, ...] = ()
    notes: tuple[str, ...] = ()
    number_printed: bool = True


@dataclass(frozen=True)
class ParseWarning:
    """Something the parser found doubtful and says rather than hides: a gap in the numbering, an
    article much longer than the others, tracked changes accepted. `code` is stable (tests, the API),
    `message` is for people; `line` is the upload's line when there is one."""

    code: str
    message: str
    line: int | None = None


@dataclass(frozen=True)
class ParsedDocument:
    """A whole parsed text: its title, detected language, top-level provisions in order, and what
    the parser found doubtful in it (`warnings`, in reading order)."""

    title: str
    language: str
    provisions: tuple[ParsedProvision, ...]
    warnings: tuple[ParseWarning, ...] = ()


@dataclass(frozen=True)
class FlatProvision:
    """A provision in the pre-order list made by `flatten`, with its unique `path`."""

    index: int
    parent: int | None
    depth: int
    kind: str
    number: str
    heading: str
    text: str
    line: int
    path: str
    notes: tuple[str, ...] = ()
    number_printed: bool = True


class DraftParseError(ValueError):
    """The upload cannot be turned into a provision tree; says why, and where when known."""

    def __init__(self, message: str, *, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return f"Line {self.line}: {self.message}"
