"""What a line is: a structural heading, a numbered point, or running text.

Headings are recognised in English, Russian, Kazakh and German: "Article 10-1",
"Статья 671", "РАЗДЕЛ ПЕРВЫЙ", "10-бап", "I бөлім", "Art 12a", "## I. - Die Grundrechte".
Numbered points: "1.", "3-1.", "(1)" (paragraphs), "1)", "10-1)", "а)", "(a)" (sub-paragraphs).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .lines import SourceLine
from .numbering import normalise_number, ordinal_value, roman_value

# Levels of the structural kinds, outermost first: a heading closes every open one at its level or below.
STRUCTURE_LEVELS = {"preamble": 0, "part": 1, "section": 2, "chapter": 3, "article": 4}
STRUCTURAL_KINDS = frozenset(STRUCTURE_LEVELS) - {"preamble"}

# A title after the number on the same line longer than this is the article's first words,
# as in "Article 5. Everyone has the right ...", not its heading.
_MAX_INLINE_TITLE = 200
_MAX_ROMAN_SECTION_TITLE = 120

_KEYWORD_FIRST = {
    "part": r"part|часть|teil",
    "section": r"section|раздел|abschnitt",
    "chapter": r"chapter|глава|kapitel",
    "article": r"article|artikel|art\.?|статья",
}
_KEYWORD_LAST = {"part": r"бөлік", "section": r"бөлім", "chapter": r"тарау", "article": r"бап"}
_ARABIC = r"\d{1,4}(?:[-‐‑–.]\d{1,4})*[a-z]?"
_ROMAN_TOKEN = r"[IVXLCІХ]+(?:\s?[a-z](?!\w))?"
_WORD = r"[^\W\d_]+"

_HEADING_PATTERNS = [
    # "Article 10-1", "Статья 671", "РАЗДЕЛ ПЕРВЫЙ", "Section I. General Provisions", "Art 12a".
    (kind, re.compile(rf"^(?i:{keywords})\s+(?P<number>{_ARABIC}|{_ROMAN_TOKEN}|{_WORD})(?P<rest>.*)$"))
    for kind, keywords in _KEYWORD_FIRST.items()
] + [
    # "§ 12a": German and Austrian statutes number their articles so.
    ("article", re.compile(rf"^§\s*(?P<number>{_ARABIC})(?P<rest>.*)$")),
] + [
    # Kazakh: "10-бап", "83-1-бап", "2-тарау", "I бөлім", "БІРІНШІ БӨЛІМ".
    (kind, re.compile(rf"^(?P<number>\d{{1,4}}(?:-\d{{1,4}})*)\s*-\s*(?i:{keyword})(?!\w)(?P<rest>.*)$"))
    for kind, keyword in _KEYWORD_LAST.items()
] + [
    (kind, re.compile(rf"^(?P<number>{_ROMAN_TOKEN}|{_WORD})\s+(?i:{keyword})(?!\w)(?P<rest>.*)$"))
    for kind, keyword in _KEYWORD_LAST.items()
]
# German sections carry only a Roman numeral and a title: "I. Die Grundrechte", "IV a. - Gemeinsamer Ausschuß".
_ROMAN_SECTION = re.compile(rf"^(?P<number>{_ROMAN_TOKEN})\.\s*(?:[-–—]\s*)?(?P<rest>\S.*)$")
# What a heading can start with; most lines start otherwise, and are spared the patterns above.
_HEADING_START = re.compile(
    r"^(?:[IVXLCІХ\d§]|(?i:part|часть|teil|section|раздел|abschnitt|chapter|глава|kapitel|art|статья)"
    r"|(?i:preamble|преамбула|präambel|кіріспе)|[^\W\d_]+\s+(?i:бөлім|тарау|бөлік|бап))"
)
_PREAMBLE = re.compile(r"^(?i:preamble|преамбула|präambel|кіріспе)\.?$")
_ANNEX = re.compile(r"^(?i:annex|appendix|schedule|anhang|anlage|приложение|қосымша)(?!\w)")

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
    heading = match_heading(line.text, markdown=False)
    if heading and (heading.kind in bare_heading_kinds or heading.kind == "preamble"):
        return heading
    item = match_item(line.text)
    if item:
        return item
    return Text(line.text)


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
            return None  # a sentence that goes on, not a title
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
    return text.replace("**", "").replace("__", "").strip("*_ ")
