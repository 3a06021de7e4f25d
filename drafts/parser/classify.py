"""What a line is: a structural heading, a numbered point, or running text.

Headings are recognised by the words of drafts.parser.conventions (a table per language or tradition):
"Article 10-1", "Статья 89¹", "РАЗДЕЛ ПЕРВЫЙ", "Article premier", "10-бап", "I бөлім", "Art 12a",
"## I. - Die Grundrechte".
Numbered points: "1.", "3-1.", "(1)" (paragraphs), "1)", "10-1)", "а)", "(a)" (sub-paragraphs).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .conventions import (
    ANNEX_WORDS,
    HEADING_WORDS,
    INSERTION_WORDS,
    NUMBER_WORD,
    ORDINAL_SUFFIXES,
    PREAMBLE_WORDS,
    WORD_NUMBER,
)
from .lines import SourceLine
from .numbering import SUPERSCRIPTS, normalise_number, ordinal_value, roman_value

# Levels of the structural kinds, outermost first: a heading closes every open one at its level or below.
# These are the usual ones; a document that uses the divisions in another order gets its own
# (`structure_levels`): French "Chapitre" holds "Section", Russian "Раздел" holds "Глава".
STRUCTURE_LEVELS = {"preamble": 0, "part": 1, "section": 2, "chapter": 3, "article": 4}
STRUCTURAL_KINDS = frozenset(STRUCTURE_LEVELS) - {"preamble"}
_DIVISIONS = ("part", "section", "chapter")

# A title after the number on the same line longer than this is the article's first words,
# as in "Article 5. Everyone has the right ...", not its heading.
_MAX_INLINE_TITLE = 200
_MAX_ROMAN_SECTION_TITLE = 120

_SUPERSCRIPT = f"[{SUPERSCRIPTS}]+"
_ARABIC = (
    rf"\d{{1,4}}(?:[-‐‑–.]\d{{1,4}})*(?:{_SUPERSCRIPT})?"
    rf"(?:{ORDINAL_SUFFIXES}(?!\w)|[a-z](?!\w))?(?:\s?{INSERTION_WORDS}(?!\w))?"
)
_ROMAN_TOKEN = rf"[IVXLCІХ]+(?:{_SUPERSCRIPT}|(?:er|re)(?!\w)|\s?[a-z](?!\w))?"
_WORD = r"[^\W\d_]+"


def _words(kind: str, order: str) -> str:
    """The heading words of `kind` printed in `order`, longest first, as one alternation."""
    words = {row.word for row in HEADING_WORDS if row.kind == kind and row.order == order}
    return "|".join(sorted(words, key=len, reverse=True))


_KINDS = ("part", "section", "chapter", "article")
_HEADING_PATTERNS = [
    # "Article 10-1", "Статья 89¹", "РАЗДЕЛ ПЕРВЫЙ", "Titre Ier", "Section I. General Provisions", "Art. 12a".
    (kind, re.compile(
        rf"^(?i:{_words(kind, WORD_NUMBER)})(?:\s+|(?<=\.))(?P<number>{_ARABIC}|{_ROMAN_TOKEN}|{_WORD})(?P<rest>.*)$"
    ))
    for kind in _KINDS if _words(kind, WORD_NUMBER)
] + [
    # "§ 12a": German and Austrian statutes number their articles so.
    ("article", re.compile(rf"^§\s*(?P<number>{_ARABIC})(?P<rest>.*)$")),
] + [
    # Number first: "10-бап", "83-1-бап", "2-тарау", "1-modda".
    (kind, re.compile(rf"^(?P<number>\d{{1,4}}(?:-\d{{1,4}})*)\s*-\s*(?i:{_words(kind, NUMBER_WORD)})(?!\w)(?P<rest>.*)$"))
    for kind in _KINDS if _words(kind, NUMBER_WORD)
] + [
    # "I бөлім", "БІРІНШІ БӨЛІМ", "1 straipsnis", "1. pants".
    (kind, re.compile(
        rf"^(?P<number>{_ROMAN_TOKEN}|{_WORD}|\d{{1,4}}\.?)\s+(?i:{_words(kind, NUMBER_WORD)})(?!\w)(?P<rest>.*)$"
    ))
    for kind in _KINDS if _words(kind, NUMBER_WORD)
]
# German sections carry only a Roman numeral and a title: "I. Die Grundrechte", "IV a. - Gemeinsamer Ausschuß".
_ROMAN_SECTION = re.compile(rf"^(?P<number>{_ROMAN_TOKEN})\.\s*(?:[-–—]\s*)?(?P<rest>\S.*)$")
_ALL_WORDS_FIRST = "|".join(_words(kind, WORD_NUMBER) for kind in _KINDS if _words(kind, WORD_NUMBER))
_ALL_WORDS_LAST = "|".join(_words(kind, NUMBER_WORD) for kind in _KINDS if _words(kind, NUMBER_WORD))
# What a heading can start with; most lines start otherwise, and are spared the patterns above.
_HEADING_START = re.compile(
    rf"^(?:[IVXLCІХ\d§]|(?i:{_ALL_WORDS_FIRST})|(?i:{PREAMBLE_WORDS})|[^\W\d_]+\s+(?i:{_ALL_WORDS_LAST}))"
)
_PREAMBLE = re.compile(rf"^(?i:{PREAMBLE_WORDS})\.?$")
_EMPHASISED_START = re.compile(r"^(?P<mark>\*\*|__|''')(?P<inner>[^*_']+?)(?P=mark)(?P<after>.*)$")
_ANNEX = re.compile(rf"^(?i:{ANNEX_WORDS})(?!\w)")

# After the number: nothing, or a separator and a title ("Раздел I. Общие положения",
# "Art 1 - Title", "Section I: ...", "Статья 5 (исключена)"), or for Roman numerals and
# Markdown headings just a space.
_SEPARATED_TITLE = re.compile(
    r"^\s*(?:[.:]\s*(?:[-–—]\s*)?|\s[-–—]\s*|(?=\([^()]*\)\.?$))(?P<title>.*)$"
)

_ITEM_PATTERNS = (
    # (rank, pattern): the rank orders numbering styles, "(1)" outermost, "1)" and "а)" innermost.
    (1, re.compile(r"^\((?P<number>\d{1,3}[a-z]?)\)(?P<text>.*)$")),
    (2, re.compile(r"^(?P<number>\d{1,3}(?:-\d{1,3})*)\.(?!\d)(?P<text>.*)$")),
    (3, re.compile(r"^(?P<number>\d{1,3}(?:-\d{1,3})*)\)(?P<text>.*)$")),
    (3, re.compile(r"^\(?(?P<number>[a-zа-яёәғқңөұүһі]\d{0,2})\)(?P<text>\s.*)$")),
)
# "9), das Brief-..." is a wrapped reference "(Artikel\n9)", not a point: a point starts with words.
_ITEM_TEXT_START = re.compile(r"^(?:\s+|(?=[^\W\d_])|$)(?![,.;:)])")


@dataclass(frozen=True)
class Heading:
    """A structural heading; `text` holds words printed after the number that are not a title."""

    kind: str
    number: str
    title: str
    text: str = ""


@dataclass(frozen=True)
class OtherHeading:
    """A Markdown heading that names no provision ("## Eingangsformel", "### Anhang EV")."""

    title: str
    annex: bool


@dataclass(frozen=True)
class Item:
    """A numbered point: paragraph or sub-paragraph, decided by the builder from the rank."""

    rank: int
    number: str
    text: str


@dataclass(frozen=True)
class Text:
    """Running text."""

    text: str


Classified = Heading | OtherHeading | Item | Text


def markdown_heading_kinds(lines: list[SourceLine]) -> set[str]:
    """Structural kinds that this document marks with Markdown headings ("### Статья 1")."""
    kinds = set()
    for line in lines:
        if line.heading_level:
            found = match_heading(line.text, markdown=True)
            if found:
                kinds.add(found.kind)
    return kinds


def structure_levels(classified: Iterable[Classified]) -> dict[str, int]:
    """Levels of the divisions as this document nests them: the one it uses first is the outermost.

    Articles are always innermost and the preamble outside everything; divisions the document never
    uses keep their usual order after the ones it does.
    """
    used: list[str] = []
    for what in classified:
        if isinstance(what, Heading) and what.kind in _DIVISIONS and what.kind not in used:
            used.append(what.kind)
    ranked = used + [kind for kind in _DIVISIONS if kind not in used]
    return {"preamble": 0, **{kind: level for level, kind in enumerate(ranked, start=1)}, "article": len(ranked) + 1}


def classify(line: SourceLine, *, bare_heading_kinds: set[str]) -> Classified:
    """Say what `line` is. Plain lines are headings only for kinds in `bare_heading_kinds`.

    A document that marks its articles with Markdown headings quotes "Artikel 3" in plain
    lines inside an annex; those must stay text, hence the per-document set.
    """
    if line.heading_level:
        heading = match_heading(line.text, markdown=True)
        if heading:
            return heading
        return OtherHeading(line.text, annex=bool(_ANNEX.match(line.text)))
    if line.quoted or line.bullet:
        return Text(line.text)
    emphasised = _emphasised_heading(line.text)
    if emphasised:
        return emphasised
    heading = match_heading(line.text, markdown=False)
    if heading and (heading.kind in bare_heading_kinds or heading.kind == "preamble"):
        return heading
    item = match_item(line.text)
    if item:
        return item
    return Text(line.text)


def _emphasised_heading(text: str) -> Heading | None:
    """A heading set in bold at the start of a line ("**Статья 1.** Text", "'''Article 4'''"), marked
    as deliberately as a Markdown heading is; the words after it are the provision's first words."""
    found = _EMPHASISED_START.match(text)
    if not found:
        return None
    whole = match_heading(text, markdown=False)  # "**Article 1.** Sovereignty": a title after the number
    if whole:
        return whole
    heading = match_heading(found.group("inner"), markdown=True)
    if heading is None or heading.kind == "preamble":
        return heading
    after = found.group("after").strip()
    return Heading(heading.kind, heading.number, heading.title, text=after) if after else heading


def match_heading(text: str, *, markdown: bool) -> Heading | None:
    """The heading `text` prints, or None. `markdown`: the line is a "#" heading."""
    text = _without_emphasis(text)
    if not text or text[0].islower() or not _HEADING_START.match(text):
        return None  # "статьи 72 Конституции" continues a wrapped sentence
    if _PREAMBLE.match(text):
        return Heading("preamble", "", text.rstrip("."))
    for kind, pattern in _HEADING_PATTERNS:
        found = pattern.match(text)
        if found:
            heading = _heading(kind, found.group("number"), found.group("rest"), markdown=markdown)
            if heading:
                return heading
    found = _ROMAN_SECTION.match(text)
    if found:
        title = found.group("rest")
        if not markdown and (title[-1] in ".,;:" or len(title) > _MAX_ROMAN_SECTION_TITLE):
            return None  # "I. The President shall ...": a point numbered in Roman, not a section
        return _heading("section", found.group("number"), ". " + title, markdown=markdown)
    return None


def match_item(text: str) -> Item | None:
    """The numbered point `text` starts with ("3-1. ...", "(2) ...", "10-1) ...", "б) ..."), or None."""
    for rank, pattern in _ITEM_PATTERNS:
        found = pattern.match(text)
        if found and _ITEM_TEXT_START.match(found.group("text")):
            return Item(rank, found.group("number"), found.group("text").strip())
    return None


def _heading(kind: str, raw_number: str, rest: str, *, markdown: bool) -> Heading | None:
    number = _valid_number(raw_number)
    if number is None:
        return None
    loose = markdown or not number[0].isdigit()
    title = _title(rest, loose=loose)
    if title is None:
        return None
    if not markdown and title:
        if title[0].islower():
            return None  # "Article 5: applies ..." is a sentence that happens to start a line
        if len(title) > _MAX_INLINE_TITLE:
            return Heading(kind, number, "", text=title)
        if title[-1] in ",;:":
            # "Article 5. Everyone has the right to:": the article's first words, introducing a list.
            return Heading(kind, number, "", text=title)
    return Heading(kind, number, title)


def _valid_number(raw: str) -> str | None:
    """The normalised number, or None if `raw` is a word that only looks like one ("Introduction")."""
    token = raw.strip()
    if token[0].isdigit():
        return normalise_number(token)
    if ordinal_value(token) is not None:
        return normalise_number(token)
    roman = token.split()[0] if " " in token else token.rstrip("abcdefghijklmnopqrstuvwxyz")  # "IV a", "VIIIa"
    if roman_value(roman) is not None:
        return normalise_number(token)
    return None


def _title(rest: str, *, loose: bool) -> str | None:
    """The title printed after the number; "" for none; None when `rest` is not a title at all."""
    if not rest.strip(" .:"):
        return ""
    separated = _SEPARATED_TITLE.match(rest)
    if separated:
        return _without_emphasis(separated.group("title").strip())
    if loose and rest[0] == " ":
        return _without_emphasis(rest.strip())
    return None


def _without_emphasis(text: str) -> str:
    # "**Статья 1.**" in Markdown or a Word export: the asterisks are formatting, not words.
    # "'''Article 1'''" is the same in a wiki's markup.
    return text.replace("**", "").replace("__", "").replace("'''", "").strip("*_ ")
