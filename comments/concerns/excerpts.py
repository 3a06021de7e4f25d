"""A short word diff: the changed runs of a diff with a few unchanged words around each, for lists of changes.

Pure: drafts.diff.DiffOp runs in, DiffOp runs out; rendering stays with templates/drafts/_diff.html,
which escapes every run. The changed runs are kept whole; an unchanged run keeps at most `context`
words at each end that touches a change, the rest becomes "…". Without any change (an unchanged
provision) the excerpt is the first `2 * context` words.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from drafts.diff import DiffOp

ELLIPSIS = "…"
# A word with the whitespace before it, as drafts.diff cuts texts (punctuation rides with its word here).
_WORD_WITH_SPACE = re.compile(r"\s*\S+")
_HAS_WORD = re.compile(r"\w")


def diff_excerpt(ops: Sequence[DiffOp], *, context: int = 8) -> tuple[DiffOp, ...]:
    """The diff with long unchanged runs shortened to `context` words next to each change."""
    if context < 1:
        raise ValueError("context must be at least 1 word")
    if not any(op.op != "equal" for op in ops):
        text = "".join(op.new for op in ops)
        words = _WORD_WITH_SPACE.findall(text)
        head = _first_words(words, 2 * context)
        if len(head) == len(words):
            return tuple(ops)
        return (DiffOp("equal", "", "".join(head).lstrip() + " " + ELLIPSIS),)
    shortened = []
    last = len(ops) - 1
    for index, op in enumerate(ops):
        if op.op != "equal":
            shortened.append(op)
            continue
        text = _shorten(op.new, keep_start=index > 0, keep_end=index < last, context=context)
        shortened.append(DiffOp("equal", text, text))
    return tuple(shortened)


def _shorten(text: str, *, keep_start: bool, keep_end: bool, context: int) -> str:
    """An unchanged run, keeping `context` words at the ends that touch a change (the start follows the
    change before it, the end precedes the change after it)."""
    words = _WORD_WITH_SPACE.findall(text)
    kept = (context if keep_start else 0) + (context if keep_end else 0)
    if sum(1 for word in words if _HAS_WORD.search(word)) <= kept + 1:  # shortening would save at most one word
        return text
    head = "".join(_first_words(words, context)) if keep_start else ""
    tail = "".join(reversed(_first_words(list(reversed(words)), context))) if keep_end else ""
    trailing = text[len(text.rstrip()):] if keep_end else ""  # the space before the next change
    if keep_start and keep_end:
        return f"{head} {ELLIPSIS}{tail}{trailing}"
    if keep_start:
        return f"{head} {ELLIPSIS}"
    return f"{ELLIPSIS}{tail}{trailing}"


def _first_words(tokens: list[str], count: int) -> list[str]:
    """The tokens up to the `count`-th that holds a word: a lone punctuation mark is not counted as one."""
    taken, words = [], 0
    for token in tokens:
        if words == count:
            break
        taken.append(token)
        words += bool(_HAS_WORD.search(token))
    return taken
