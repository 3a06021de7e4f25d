"""parse_text: a legal text (plain or Markdown) to a ParsedDocument."""
from __future__ import annotations

from dataclasses import replace

from .builder import TreeBuilder
from .checks import numbering_warnings
from .classify import (
    STRUCTURAL_KINDS,
    Classified,
    Heading,
    Item,
    OtherHeading,
    Text,
    classify,
    markdown_heading_kinds,
    match_heading,
    structure_levels,
)
from .contents import table_of_contents
from .flat import flatten
from .language import detect_language
from .layout import detect_layout
from .lines import SourceLine, drop_running_headers, looks_like_markdown, source_lines, split_lines
from .model import (
    MAX_HEADING_LENGTH,
    MAX_NUMBER_LENGTH,
    MAX_PATH_LENGTH,
    DraftParseError,
    ParsedDocument,
    ParseWarning,
)
from .notes import is_note

# The title is one of the first lines, or there is none (a preamble opens the text).
_TITLE_SEARCH_LINES = 3
_MAX_TITLE_LENGTH = 200
_MAX_QUOTED_LENGTH = 60


def parse_text(text: str) -> ParsedDocument:
    """Parse a plain-text or Markdown legal text (told apart by its markup) into a provision tree.

    Raises DraftParseError for an empty text, a text with no section, chapter or article
    headings (naming its first line), and values that exceed the database limits.
    """
    if not text.strip():
        raise DraftParseError("The file is empty")
    raw_lines = split_lines(text)
    markdown = looks_like_markdown(raw_lines)
    lines = source_lines(raw_lines, markdown=markdown)
    bare_heading_kinds = set(STRUCTURAL_KINDS - markdown_heading_kinds(lines))
    content = [line for line in lines if not line.blank]
    classified = {line.number: classify(line, bare_heading_kinds=bare_heading_kinds) for line in content}
    if not content:
        raise DraftParseError("The file is empty")  # only page numbers and rules
    contents_table = table_of_contents(content, classified)
    if contents_table:
        lines = [SourceLine(line.number, "") if line.number in contents_table else line for line in lines]
        content = [line for line in content if line.number not in contents_table]

    title_line = _title_line(content, classified)
    lines = drop_running_headers(lines, candidates=_running_header_candidates(classified, title_line))
    running_lines = [line for line in lines if not line.blank and isinstance(classified[line.number], (Text, Item))]
    layout = detect_layout([(line.text, line.indent) for line in running_lines], markdown=markdown)
    builder = TreeBuilder(layout, levels=structure_levels(classified[line.number] for line in content))
    for line in lines:
        if line.blank:
            builder.blank()
        elif title_line is None or line.number != title_line.number:
            builder.add(line, classified[line.number])
    if not builder.has_structure:
        raise DraftParseError(_no_structure_message(content[0].text), line=content[0].number)

    document = ParsedDocument(
        title=title_line.text if title_line else "",
        language=detect_language(text),
        provisions=builder.provisions(),
    )
    check_limits(document)
    flat = flatten(document)
    if not any(provision.text for provision in flat):
        raise DraftParseError(
            "only headings were found, and no text under any of them: is this the table of contents alone?",
            line=content[0].number,
        )
    notices = [_contents_notice(contents_table)] if contents_table else []
    return replace(document, warnings=(*notices, *numbering_warnings(flat)))


def check_limits(document: ParsedDocument) -> None:
    """Refuse, naming the line, a number, heading or path too long for the database."""
    for provision in flatten(document):
        if len(provision.number) > MAX_NUMBER_LENGTH:
            raise DraftParseError(
                f'the number "{_shortened(provision.number)}" is {len(provision.number)} characters long; '
                f"at most {MAX_NUMBER_LENGTH} are allowed",
                line=provision.line,
            )
        if len(provision.heading) > MAX_HEADING_LENGTH:
            raise DraftParseError(
                f'the heading "{_shortened(provision.heading)}" is {len(provision.heading)} characters long; '
                f"at most {MAX_HEADING_LENGTH} are allowed",
                line=provision.line,
            )
        if len(provision.path) > MAX_PATH_LENGTH:
            raise DraftParseError(
                f"the provision is nested too deeply: its path is {len(provision.path)} characters long; "
                f"at most {MAX_PATH_LENGTH} are allowed",
                line=provision.line,
            )


def _contents_notice(contents_table: set[int]) -> ParseWarning:
    first, last = min(contents_table), max(contents_table)
    return ParseWarning(
        "table_of_contents_skipped",
        f"lines {first}–{last} are a table of contents (its headings appear again below) and were not read as the text",
        line=first,
    )


def _running_header_candidates(classified: dict[int, Classified], title_line: SourceLine | None) -> set[int]:
    """Lines that may be page headers: running text, but not a note, the title, or a heading
    quoted as text ("Artikel 3" in an annex, five times over, is not a page header)."""
    return {
        number
        for number, what in classified.items()
        if isinstance(what, Text)
        and not is_note(what.text)
        and match_heading(what.text, markdown=False) is None
        and (title_line is None or number != title_line.number)
    }


def _title_line(content: list[SourceLine], classified: dict[int, Classified]) -> SourceLine | None:
    """The first title-like line: a top-level Markdown heading, or a short unpunctuated line."""
    for line in content[:_TITLE_SEARCH_LINES]:
        what = classified[line.number]
        if isinstance(what, (Heading, Item)) or (isinstance(what, OtherHeading) and line.heading_level > 1):
            return None
        if isinstance(what, OtherHeading):
            return line
        if not line.quoted and _is_title_text(line.text):
            return line
    return None


def _is_title_text(text: str) -> bool:
    return (
        len(text) <= _MAX_TITLE_LENGTH
        and (text[0].isupper() or text[0].isdigit())
        and text[-1] not in ".,;:"
        and not is_note(text)
    )


def _no_structure_message(first_line: str) -> str:
    return (
        'expected a section, chapter or article heading such as "Article 1", "Статья 1" or "1-бап", '
        f'found "{_shortened(first_line)}"'
    )


def _shortened(text: str) -> str:
    return text if len(text) <= _MAX_QUOTED_LENGTH else text[: _MAX_QUOTED_LENGTH - 1] + "…"
