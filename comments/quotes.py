"""Locating a quoted span in a provision's text (pure, no Django).

A quote is stored as the exact words plus up to 32 characters before and after, and the
offsets where they stood (the W3C Web Annotation "TextQuoteSelector" + "TextPositionSelector").
"""
from __future__ import annotations

from dataclasses import dataclass

CONTEXT = 32


@dataclass(frozen=True)
class QuoteSpan:
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


def quote_locate(text: str, exact: str, *, prefix: str = "", suffix: str = "", start: int | None = None) -> QuoteSpan | None:
    """Where `exact` stands in `text`: at `start` if it is there, else the occurrence whose context fits best.

    Returns None when the words are not in the text at all.
    """
    if not exact or exact not in text:
        return None
    if start is not None and text[start : start + len(exact)] == exact:
        return _span(text, start, exact)
    occurrences = _occurrences(text, exact)
    best = max(occurrences, key=lambda at: (_context_score(text, at, exact, prefix, suffix), -abs(at - (start or 0))))
    return _span(text, best, exact)


def _span(text: str, at: int, exact: str) -> QuoteSpan:
    end = at + len(exact)
    return QuoteSpan(exact=exact, prefix=text[max(0, at - CONTEXT) : at], suffix=text[end : end + CONTEXT], start=at, end=end)


def _occurrences(text: str, exact: str) -> list[int]:
    found, at = [], text.find(exact)
    while at != -1:
        found.append(at)
        at = text.find(exact, at + 1)
    return found


def _context_score(text: str, at: int, exact: str, prefix: str, suffix: str) -> int:
    """How many characters of the given prefix and suffix agree with the text around `at`."""
    before = text[:at]
    after = text[at + len(exact) :]
    score = 0
    for a, b in zip(reversed(before), reversed(prefix)):
        if a != b:
            break
        score += 1
    for a, b in zip(after, suffix):
        if a != b:
            break
        score += 1
    return score


@dataclass(frozen=True)
class Anchoring:
    """Where a quote made on an earlier version stands in a later text.

    status: "exact" (the same words are there), "approximate" (words close to them are there:
    re-anchored by fuzzy match), "gone" (the provision changed and the words are no longer in it).
    """

    status: str
    span: QuoteSpan | None
    score: float


APPROXIMATE_THRESHOLD = 80.0


def quote_reanchor(text: str, exact: str, *, prefix: str = "", suffix: str = "", start: int | None = None) -> Anchoring:
    """Find a quote made on an earlier version in `text`: exactly (using its context), else approximately."""
    from rapidfuzz import fuzz

    span = quote_locate(text, exact, prefix=prefix, suffix=suffix, start=start)
    if span is not None:
        return Anchoring("exact", span, 100.0)
    if not exact.strip() or not text.strip():
        return Anchoring("gone", None, 0.0)
    alignment = fuzz.partial_ratio_alignment(exact, text)
    if alignment is None or alignment.score < APPROXIMATE_THRESHOLD:
        return Anchoring("gone", None, alignment.score if alignment else 0.0)
    at, end = alignment.dest_start, alignment.dest_end
    while at < end and text[at].isspace():
        at += 1
    while end > at and text[end - 1].isspace():
        end -= 1
    found = QuoteSpan(exact=text[at:end], prefix=text[max(0, at - CONTEXT) : at], suffix=text[end : end + CONTEXT], start=at, end=end)
    return Anchoring("approximate", found, alignment.score)
