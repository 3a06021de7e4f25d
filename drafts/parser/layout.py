"""Hard line wraps: telling a wrapped line from a new paragraph.

Three layouts occur in real uploads, and each leaves its own evidence:
- one paragraph per line (most .txt and .docx): a line is new unless the previous one
  plainly stops mid-sentence;
- hard wraps at a fixed width (Markdown from gesetze-im-internet): a line is a wrap when the
  previous one was too long to fit its first word;
- PDF extractions that indent the first line of each paragraph: the indentation decides.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# "...established by", "..., the", "Мы, народ Казахстана,": the sentence is not finished.
_SENTENCE_END = re.compile(r"[.!?:;…](?:[\"'»”’)\]]*)$|[)\]»”\"]$")
# "законодательную\n, исполнительную": punctuation that cannot open a paragraph.
_CONTINUATION_PUNCTUATION = ",.;:)]»”…"
_OPENING_MARKS = "(«\"„“'"
_NO_SPACE_AFTER = ("(", "[", "«", "„", "“")

# Evidence thresholds, taken from the corpora: PDF extractions indent a third of their lines,
# hand-typed texts a few; fixed-width wraps put 70% of lines within 80% of the width.
_MIN_LINES_FOR_EVIDENCE = 20
_INDENTED_SHARE = (0.15, 0.75)
_MAX_WRAP_WIDTH = 100
_FULL_LINE_SHARE = 0.5


@dataclass(frozen=True)
class Layout:
    """How this upload breaks its lines (see the module docstring)."""

    indented_paragraphs: bool = False
    wrap_width: int | None = None


def detect_layout(text_lines: list[tuple[str, int]], *, markdown: bool) -> Layout:
    """Guess the layout from the (text, indent) of running-text and numbered lines."""
    if len(text_lines) < _MIN_LINES_FOR_EVIDENCE:
        return Layout()
    indented = sum(1 for _text, indent in text_lines if indent >= 2) / len(text_lines)
    low, high = _INDENTED_SHARE
    lengths = sorted(len(text) for text, _indent in text_lines)
    width = lengths[int(len(lengths) * 0.95)]
    full = sum(1 for length in lengths if length >= 0.8 * width) / len(lengths)
    return Layout(
        # In Markdown, indentation marks lists and code, not paragraphs.
        indented_paragraphs=not markdown and low <= indented <= high,
        wrap_width=width if width <= _MAX_WRAP_WIDTH and full >= _FULL_LINE_SHARE else None,
    )


def continues(
    previous_line: str, line: str, *, previous_width: int, indent: int, after_blank: bool, layout: Layout
) -> bool:
    """Whether `line` continues the paragraph whose last line was `previous_line`.

    `previous_width` is that line's printed length, with any number it began with.
    """
    if _starts_mid_sentence(line):
        return True
    if layout.indented_paragraphs:
        return indent < 2
    if not _SENTENCE_END.search(previous_line):
        return True
    if layout.wrap_width and not after_blank:
        first_word = line.split(" ", 1)[0]
        return previous_width + 1 + len(first_word) > layout.wrap_width
    return False


def _starts_mid_sentence(line: str) -> bool:
    # A paragraph opens with a capital, a digit or a dash; "und", "(ohne", ", die" go on a sentence.
    if line[0] in _CONTINUATION_PUNCTUATION:
        return True
    opened = line.lstrip(_OPENING_MARKS)
    return bool(opened) and opened[0].islower()


def join_wrapped(lines: list[str]) -> str:
    """Re-join a paragraph's wrapped lines into one: a space between, none before "," or after "("."""
    joined = lines[0]
    for line in lines[1:]:
        if line[0] in _CONTINUATION_PUNCTUATION or joined.endswith(_NO_SPACE_AFTER):
            joined += line
        else:
            joined += " " + line
    return joined
