"""From raw text to clean source lines: odd whitespace, Markdown markers, page furniture."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

# Characters that display as nothing: they would split "Статья" or "10-1" invisibly.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# Everything that displays as a space (non-breaking, thin, em, ideographic, tab, ...).
_ODD_SPACES = re.compile(r"[\t\v\f\x85\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")

_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
# A wiki's headings: "== Article 1 ==", "=== Статья 5 ===" (one "=" is the page title, as "#" is).
_WIKI_HEADING = re.compile(r"^(={1,6})\s*([^=].*?)\s*\1$")
_BLOCKQUOTE = re.compile(r"^(?:>\s?)+(.*)$")
_BULLET = re.compile(r"^[-*+]\s+(\S.*)$")
_THEMATIC_BREAK = re.compile(r"^([-*_=])(?:\s*\1){2,}$")

# Page furniture left by PDF and Word exports: "12", "- 12 -", "Page 3 of 40", "Стр. 3 из 40".
_PAGE_NUMBER = re.compile(r"^[-–—]?\s*\d{1,4}\s*[-–—]?$")
_PAGE_OF = re.compile(
    r"^(?:(?:page|p\.|pg\.|стр\.?|страница|seite|s\.|бет)\s*\d{1,4}(?:\s*(?:of|из|von|/)\s*\d{1,4})?"
    r"|\d{1,4}\s*(?:/|of|из|von)\s*\d{1,4})$",
    re.IGNORECASE,
)
# A line printed on every page is a running header. Laws repeat phrases, and a text wrapped
# the same way twice repeats a line, so a repeated line counts as a header only when most
# copies sit at a page break (next to a page number, or at the top or bottom of the text),
# or when it recurs more often than any wrapped phrase plausibly does.
_RUNNING_HEADER_MIN_COPIES = 4
_RUNNING_HEADER_ALWAYS_COPIES = 10
_PAGE_BREAK_REACH = 3


@dataclass(frozen=True)
class SourceLine:
    """One line of the upload, cleaned, with what its layout says.

    `number` is 1-based in the upload (a paragraph number for .docx); `indent` counts leading
    spaces; `heading_level` is the Markdown heading level (0: not a heading).
    """

    number: int
    text: str
    indent: int = 0
    heading_level: int = 0
    quoted: bool = False
    bullet: bool = False
    page_furniture: bool = False  # a page number or "Page 3 of 40", blanked

    @property
    def blank(self) -> bool:
        return not self.text


def split_lines(text: str) -> list[str]:
    """The upload's lines; only line feeds and carriage returns end a line, as in an editor."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def looks_like_markdown(raw_lines: list[str]) -> bool:
    """Whether the text uses Markdown (or wiki) headings or blockquotes (then indentation means nothing)."""
    return any(_MARKDOWN_HEADING.match(line) or _WIKI_HEADING.match(line.strip()) or line.startswith(">") for line in raw_lines)


def source_lines(raw_lines: list[str], *, markdown: bool) -> list[SourceLine]:
    """Clean every line, keeping its number; front matter, rules and page furniture become blank."""
    skipped = _front_matter_line_count(raw_lines) if markdown else 0
    lines = []
    for number, raw in enumerate(raw_lines, start=1):
        if number <= skipped:
            lines.append(SourceLine(number, ""))
            continue
        lines.append(_source_line(number, raw, markdown=markdown))
    return lines


def drop_running_headers(lines: list[SourceLine], *, candidates: set[int]) -> list[SourceLine]:
    """Blank out page headers and footers: lines repeated at page breaks (see above).

    Only lines in `candidates` (plain text lines, not headings or numbered points, chosen
    by the caller) are counted, so that "Статья 1" or a recurring "Президент:" survives.
    """
    keys = {
        position: _running_header_key(line.text)
        for position, line in enumerate(lines)
        if line.number in candidates and _may_be_running_header(line.text)
    }
    copies = Counter(keys.values())
    repeated = {key for key, count in copies.items() if count >= _RUNNING_HEADER_MIN_COPIES}
    content = [position for position, line in enumerate(lines) if not line.blank]
    edges = {content[0], content[-1]} if content else set()
    at_page_breaks = Counter(
        key for position, key in keys.items() if key in repeated and _at_page_break(lines, position, edges)
    )
    headers = {
        key
        for key in repeated
        if copies[key] >= _RUNNING_HEADER_ALWAYS_COPIES or at_page_breaks[key] * 2 >= copies[key]
    }
    if not headers:
        return lines
    return [
        SourceLine(line.number, "") if keys.get(position) in headers else line for position, line in enumerate(lines)
    ]


def _source_line(number: int, raw: str, *, markdown: bool) -> SourceLine:
    spaced = _ODD_SPACES.sub(" ", _INVISIBLE.sub("", raw))
    indent = len(spaced) - len(spaced.lstrip(" "))
    text = " ".join(spaced.split())
    if _is_page_furniture(text):
        return SourceLine(number, "", page_furniture=True)
    if not text or _THEMATIC_BREAK.match(text):
        return SourceLine(number, "")
    heading = _MARKDOWN_HEADING.match(text) or _WIKI_HEADING.match(text)
    if heading:
        return SourceLine(number, heading.group(2), indent, heading_level=len(heading.group(1)))
    if text.startswith(">"):
        quoted = _BLOCKQUOTE.match(text).group(1).strip()
        return SourceLine(number, quoted, indent, quoted=True)
    bullet = _BULLET.match(text) if markdown else None
    if bullet:
        return SourceLine(number, bullet.group(1), indent, bullet=True)
    return SourceLine(number, text, indent)


def _is_page_furniture(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(text) or _PAGE_OF.match(text))


def _at_page_break(lines: list[SourceLine], position: int, edges: set[int]) -> bool:
    """Whether a page number is near `position`, or it is the first or last line of the text."""
    nearby = lines[max(0, position - _PAGE_BREAK_REACH) : position + _PAGE_BREAK_REACH + 1]
    return position in edges or any(line.page_furniture for line in nearby)


def _front_matter_line_count(raw_lines: list[str]) -> int:
    """Lines of a YAML front-matter block ("---" ... "---") at the very top, else 0."""
    if not raw_lines or raw_lines[0].strip() != "---":
        return 0
    for index, line in enumerate(raw_lines[1:60], start=2):
        if line.strip() in ("---", "..."):
            return index
    return 0


def _may_be_running_header(text: str) -> bool:
    # A header is a short label: capitalised, not a sentence, not an introduction to a list.
    return 4 <= len(text) <= 120 and text[0].isupper() and text[-1] not in ".,;:"


def _running_header_key(text: str) -> str:
    # Headers often carry the page number: "Constitution - 3", "Constitution - 4".
    return re.sub(r"\d+", "#", text.casefold())
