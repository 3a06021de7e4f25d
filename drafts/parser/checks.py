"""Checking what the parser found against the numbering itself, so that lost structure is said, not hidden.

A heading the patterns missed leaves traces: a gap in the article numbers, an article many times
longer than the others (it swallowed its neighbours), a preamble far longer than preambles are, the
missing heading's words inside running text. Each finding is a ParseWarning with the line to look at.
The thresholds come from the real constitutions in ../shared/corpora, none of which raises a warning:
there the longest article is under 14 times the median one, the longest preamble under 800 characters.
"""
from __future__ import annotations

import re
import statistics
from collections.abc import Sequence

from .conventions import HEADING_WORDS, NUMBER_WORD, REPEAL_WORDS, WORD_NUMBER
from .model import FlatProvision, ParseWarning
from .numbering import roman_value

# An article this many times longer than the median one, and at least this long, swallowed others.
LONG_ARTICLE_RATIO = 20
LONG_ARTICLE_MIN_CHARS = 8_000
# Preambles of constitutions run to a few hundred words; text before the first heading much longer
# than this is a text whose headings were not recognised (or a table of contents that was not).
LONG_PREAMBLE_CHARS = 3_000
_MIN_ARTICLES_FOR_LENGTHS = 5

_BASE_NUMBER = re.compile(r"^(\d+)")


def _article_words(order: str) -> str:
    return "|".join(sorted({row.word for row in HEADING_WORDS if row.kind == "article" and row.order == order}, key=len, reverse=True))


_WORDS_FIRST, _WORDS_LAST = _article_words(WORD_NUMBER), _article_words(NUMBER_WORD)


def numbering_warnings(flat: Sequence[FlatProvision]) -> list[ParseWarning]:
    """Every warning about `flat` (a flattened parse), in reading order of the lines they name."""
    articles = [provision for provision in flat if provision.kind == "article"]
    warnings = [
        *_sequence_warnings(articles, flat),
        *_duplicate_warnings(articles),
        *_length_warnings(articles, flat),
        *_preamble_warnings(flat),
    ]
    return sorted(warnings, key=lambda warning: warning.line or 0)


def _sequence_warnings(articles: list[FlatProvision], flat: Sequence[FlatProvision]) -> list[ParseWarning]:
    """Gaps ("72 then 74") and jumps back ("72 then 15") between consecutive articles."""
    warnings = []
    bases = _places(articles)
    for (previous, before), (current, after) in zip(zip(articles, bases), zip(articles[1:], bases[1:])):
        if before is None or after is None or after in (before, before + 1):
            continue
        if after > before + 1:
            missing = list(range(before + 1, after))
            if not _said_repealed(previous, missing, flat):
                warnings.append(_gap_warning(previous, current, missing, flat))
        else:
            warnings.append(ParseWarning(
                "numbering_goes_back",
                f"article {current.number} follows article {previous.number} (line {previous.line}): "
                "the numbering goes back",
                line=current.line,
            ))
    return warnings


def _gap_warning(previous: FlatProvision, current: FlatProvision, missing: list[int], flat: Sequence[FlatProvision]) -> ParseWarning:
    named = ", ".join(str(number) for number in missing[:5]) + (" …" if len(missing) > 5 else "")
    buried = _heading_in_running_text(previous, missing[0], flat)
    if buried is not None:
        return ParseWarning(
            "heading_in_running_text",
            f'"{buried}" is found only inside the text of article {previous.number}, not as a heading of its own: '
            "is a line break missing before it?",
            line=previous.line,
        )
    article_word = "article" if len(missing) == 1 else "articles"
    return ParseWarning(
        "numbering_gap",
        f"{article_word} {named} not found: article {previous.number} (line {previous.line}) "
        f"is followed by article {current.number}",
        line=current.line,
    )


def _places(articles: list[FlatProvision]) -> list[int | None]:
    """Each article's place in the sequence (`_base_value`), reading an inserted article whose
    superscript was lost in a plain-text copy ("671" for 67¹, between 67 and 68) as its base's."""
    places: list[int | None] = []
    for article in articles:
        place = _base_value(article.number)
        previous = places[-1] if places else None
        if place is not None and previous is not None and place > previous + 1 and _flattened_insertion(article.number, previous):
            place = previous
        places.append(place)
    return places


def _flattened_insertion(number: str, previous: int) -> bool:
    return number.isdigit() and number.startswith(str(previous)) and len(number) == len(str(previous)) + 1


def _said_repealed(article: FlatProvision, missing: list[int], flat: Sequence[FlatProvision]) -> bool:
    """Whether `article`'s text carries a note that the missing articles were repealed
    ("Art 74a und 75 (weggefallen)"): then the text itself accounts for the gap."""
    text = "\n".join(provision.text for provision in _subtree(article, flat))
    if not re.search(rf"(?i:{REPEAL_WORDS})", text):
        return False
    return all(re.search(rf"(?<![\w-]){number}(?![\w-])", text) for number in missing)


def _heading_in_running_text(article: FlatProvision, number: int, flat: Sequence[FlatProvision]) -> str | None:
    """The words "Article <number>" standing after the end of a sentence in `article`'s text, if any."""
    heading = rf"(?i:{_WORDS_FIRST})\s*{number}(?![\w-])|{number}\s*-?\s*(?i:{_WORDS_LAST})(?!\w)"
    pattern = re.compile(rf"(?:^|(?<=[.;:!?»\"]\s))({heading})", re.MULTILINE)
    for provision in _subtree(article, flat):
        found = pattern.search(provision.text)
        if found:
            return found.group(1)
    return None


def _duplicate_warnings(articles: list[FlatProvision]) -> list[ParseWarning]:
    first_seen: dict[str, FlatProvision] = {}
    warnings = []
    for article in articles:
        if not article.number:
            continue
        if article.number in first_seen:
            warnings.append(ParseWarning(
                "number_repeated",
                f"article {article.number} appears twice (first at line {first_seen[article.number].line})",
                line=article.line,
            ))
        else:
            first_seen[article.number] = article
    return warnings


def _length_warnings(articles: list[FlatProvision], flat: Sequence[FlatProvision]) -> list[ParseWarning]:
    if len(articles) < _MIN_ARTICLES_FOR_LENGTHS:
        return []
    lengths = {article.index: sum(len(p.text) for p in _subtree(article, flat)) for article in articles}
    median = statistics.median(lengths.values()) or 1
    return [
        ParseWarning(
            "article_too_long",
            f"article {article.number} is {lengths[article.index]:,} characters long, {lengths[article.index] / median:.0f} "
            "times the median article: it may hold articles whose headings were not recognised",
            line=article.line,
        )
        for article in articles
        if lengths[article.index] >= LONG_ARTICLE_MIN_CHARS and lengths[article.index] >= LONG_ARTICLE_RATIO * median
    ]


def _preamble_warnings(flat: Sequence[FlatProvision]) -> list[ParseWarning]:
    return [
        ParseWarning(
            "preamble_too_long",
            f"the text before the first heading is {len(provision.text):,} characters long, far longer than a "
            "preamble usually is: its headings may not have been recognised",
            line=provision.line,
        )
        for provision in flat
        if provision.kind == "preamble" and provision.depth == 0 and len(provision.text) > LONG_PREAMBLE_CHARS
    ]


def _subtree(provision: FlatProvision, flat: Sequence[FlatProvision]) -> list[FlatProvision]:
    """`provision` and everything under it: in pre-order, the run of deeper provisions that follows it."""
    subtree = [provision]
    for following in flat[provision.index + 1 :]:
        if following.depth <= provision.depth:
            break
        subtree.append(following)
    return subtree


def _base_value(number: str) -> int | None:
    """The article's place in the sequence: 72 for "72", "72-1", "72a"; Roman numerals by value."""
    found = _BASE_NUMBER.match(number)
    if found:
        return int(found.group(1))
    return roman_value(number.rstrip("abcdefghijklmnopqrstuvwxyz"))
