"""Assembling classified lines into the provision tree.

Structure (part > section > chapter > article) nests by level: a heading closes every open
heading at its level or below. Inside, numbered points nest by numbering style, ranked
"(1)" > "1." > "1)", "а)": a point ranked below an open paragraph is its sub-paragraph
("1." then "1)"; German "(1)" then "1."), a "1)" list straight under an article is made of
sub-paragraphs, and a third level (German "a)") stays words of its sub-paragraph.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .classify import STRUCTURE_LEVELS, Classified, Heading, Item, OtherHeading, Text
from .layout import Layout, continues, join_wrapped
from .lines import SourceLine
from .model import ParsedProvision
from .notes import is_editorial_paragraph, is_note, split_editorial_notes

_SUBPARAGRAPH_RANK = 3
_MAX_POINT_DEPTH = 2
# Section and chapter titles are short labels; longer lines after "Section I" are its text.
_MAX_TITLE_LENGTH = 200
# "Правосудие. Прокуратура." is a title; "This Part applies to every public body." is text.
_MAX_TITLE_WORDS_WITH_FULL_STOP = 6
_MAX_SECOND_TITLE_LINE = 100
_TITLED_ON_NEXT_LINE = ("part", "section", "chapter")


@dataclass
class _Block:
    """One paragraph of a provision's own text, as its physical lines."""

    lines: list[str]
    note: bool = False
    quoted: bool = False
    last_width: int = 0  # of the last physical line, with its number ("(1) ..."): what the wrap measured


@dataclass
class _Node:
    kind: str
    number: str
    heading: str
    line: int
    rank: int = 0
    blocks: list[_Block] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)


class TreeBuilder:
    """Feed it the document's lines in order (`add`), then take `provisions()`."""

    def __init__(self, layout: Layout, *, levels: dict[str, int] = STRUCTURE_LEVELS):
        self._layout = layout
        self._levels = levels
        self._roots: list[_Node] = []
        self._structure: list[_Node] = []  # open preamble/part/section/chapter/article, outermost first
        self._points: list[_Node] = []  # open paragraph and sub-paragraph of the innermost structure
        self._block: _Block | None = None
        self._awaiting_title: _Node | None = None
        self._after_blank = False
        self.has_structure = False

    def add(self, line: SourceLine, what: Classified) -> None:
        """Place one non-blank line."""
        if isinstance(what, Heading):
            self._add_heading(line, what)
        elif isinstance(what, OtherHeading):
            self._add_other_heading(line, what)
        elif isinstance(what, Item):
            self._add_point(line, what)
        else:
            self._add_text(line, what)
        self._after_blank = False

    def blank(self) -> None:
        """Note a blank line: it separates paragraphs in fixed-width wrapped text."""
        self._after_blank = True

    def provisions(self) -> tuple[ParsedProvision, ...]:
        """The finished tree; a preamble with no words at all is left out."""
        return tuple(_freeze(node) for node in self._roots if not _is_empty_preamble(node))

    def _add_heading(self, line: SourceLine, heading: Heading) -> None:
        node = _Node(heading.kind, heading.number, heading.title, line.number)
        self._open(node)
        if heading.kind != "preamble":
            self.has_structure = True
        if heading.text:
            self._start_block(node, heading.text, line)
        if not heading.title and heading.kind in _TITLED_ON_NEXT_LINE:
            self._awaiting_title = node

    def _add_other_heading(self, line: SourceLine, heading: OtherHeading) -> None:
        if not self.has_structure:
            # "## Eingangsformel", "## Präambel": introductory matter before the first section.
            self._open(_Node("preamble", "", heading.title, line.number))
        elif heading.annex:
            # An annex follows the body; it is the body's last section, unnumbered.
            self._open(_Node("section", "", heading.title, line.number))
        else:
            # An unrecognised heading inside the body ("### (XXXX) Art 74a und 75 (weggefallen)")
            # is kept as words of the provision it stands in, so nothing is lost.
            self._points.clear()
            self._start_block(self._container(line), heading.title, line)

    def _add_point(self, line: SourceLine, item: Item) -> None:
        self._awaiting_title = None
        container = self._container(line)
        while self._points and self._points[-1].rank >= item.rank:
            self._points.pop()
        if len(self._points) >= _MAX_POINT_DEPTH:
            # German "a)" under "1." under "(1)": deeper than a sub-paragraph, so words of it.
            self._start_block(self._points[-1], line.text, line)
            return
        parent = self._points[-1] if self._points else container
        kind = "subparagraph" if self._points or item.rank >= _SUBPARAGRAPH_RANK else "paragraph"
        node = _Node(kind, item.number, "", line.number, rank=item.rank)
        parent.children.append(node)
        self._points.append(node)
        self._start_block(node, item.text, line)

    def _add_text(self, line: SourceLine, text: Text) -> None:
        if self._awaiting_title is not None:
            node, self._awaiting_title = self._awaiting_title, None
            if _is_title(text.text):
                node.heading = text.text
                return
        if self._continues_block(line):
            self._block.lines.append(text.text)
            self._block.last_width = len(line.text)
            return
        self._start_block(self._text_owner(line), text.text, line)

    def _continues_block(self, line: SourceLine) -> bool:
        block = self._block
        if block is None or line.bullet or line.quoted != block.quoted or is_note(line.text):
            return False
        if not block.lines:
            return True  # a number alone on its line ("1."), its words on the next
        return continues(
            block.lines[-1],
            line.text,
            previous_width=block.last_width,
            indent=line.indent,
            after_blank=self._after_blank,
            layout=self._layout,
        )

    def _text_owner(self, line: SourceLine) -> _Node:
        """Who owns an unnumbered paragraph: the open paragraph, else the heading's provision.

        After a sub-paragraph, a new sentence closes the list: "1) ...; 2) ... . All other
        matters are regulated by ..." belongs to the paragraph that introduced the list.
        """
        if not self._points:
            return self._container(line)
        if self._points[-1].kind != "subparagraph":
            return self._points[-1]
        return self._points[-2] if len(self._points) >= 2 else self._container(line)

    def _container(self, line: SourceLine) -> _Node:
        """The innermost open heading's provision; text before any heading makes a preamble."""
        if not self._structure:
            self._open(_Node("preamble", "", "", line.number))
        return self._structure[-1]

    def _open(self, node: _Node) -> None:
        self._block = None
        self._awaiting_title = None
        self._points.clear()
        level = self._levels[node.kind]
        while self._structure and (
            self._structure[-1].kind == "preamble" or self._levels[self._structure[-1].kind] >= level
        ):
            self._structure.pop()
        siblings = self._structure[-1].children if self._structure else self._roots
        siblings.append(node)
        self._structure.append(node)

    def _start_block(self, owner: _Node, first_line: str, line: SourceLine) -> None:
        block = _Block(
            [first_line] if first_line else [], note=is_note(first_line), quoted=line.quoted, last_width=len(line.text)
        )
        owner.blocks.append(block)
        self._block = block


def _is_title(text: str) -> bool:
    """Whether the line after "Section I" is its title ("General Provisions") rather than its text."""
    is_sentence = text.endswith(".") and len(text.split()) > _MAX_TITLE_WORDS_WITH_FULL_STOP
    return (
        len(text) <= _MAX_TITLE_LENGTH
        and not text[0].islower()
        and text[-1] not in ",;:"
        and not is_sentence
        and not is_note(text)
    )


def _is_title_second_line(node: _Node, text: str) -> bool:
    """Whether a section's only words are the rest of its title, wrapped onto the next line.

    "## Раздел VIII. Правосудие. Прокуратура." + "Правозащитные механизмы" + "### Статья 76":
    a short unpunctuated line between a heading and the first article is title, not text.
    """
    return (
        node.kind in _TITLED_ON_NEXT_LINE
        and bool(node.children)
        and 0 < len(text) <= _MAX_SECOND_TITLE_LINE
        and "\n" not in text
        and text[0].isupper()
        and text[-1] not in ".,;:!?"
    )


def _is_empty_preamble(node: _Node) -> bool:
    paragraphs, notes = _own_paragraphs(node)
    return node.kind == "preamble" and not node.heading and not node.children and not paragraphs and not notes


def _own_paragraphs(node: _Node) -> tuple[list[str], list[str]]:
    """The provision's own paragraphs of law, and the editorial notes found among and inside them."""
    paragraphs, notes = [], []
    for block in node.blocks:
        if not block.lines:
            continue
        joined = join_wrapped(block.lines).strip()
        if block.note or is_editorial_paragraph(joined):
            notes.append(joined)
            continue
        law, inline_notes = split_editorial_notes(joined)
        notes.extend(inline_notes)
        if law.strip():
            paragraphs.append(law.strip())
    return paragraphs, notes


def _freeze(node: _Node) -> ParsedProvision:
    paragraphs, notes = _own_paragraphs(node)
    heading, text = node.heading, "\n".join(paragraphs)
    if _is_title_second_line(node, text):
        heading, text = f"{heading} {text}".strip(), ""
    children = tuple(_freeze(child) for child in node.children)
    if node.kind == "article" and not children and len(paragraphs) > 1:
        # Unnumbered paragraphs are the article's "parts", cited by their place: "part 2 of article 5".
        text, children = "", tuple(
            ParsedProvision("paragraph", str(place), "", paragraph, node.line, number_printed=False)
            for place, paragraph in enumerate(paragraphs, start=1)
        )
    return ParsedProvision(
        kind=node.kind,
        number=node.number,
        heading=heading,
        text=text,
        line=node.line,
        children=children,
        notes=tuple(notes),
    )
