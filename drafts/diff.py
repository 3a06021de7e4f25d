"""Word-level diff of two provision texts, and its HTML rendering as a separate step.

A pure module: plain strings in, frozen dataclasses out, no Django. The texts are cut into
words, punctuation marks (each its own token) and whitespace; the words and marks are
compared (a longest common subsequence, computed by rapidfuzz), and whitespace rides along
with the token that follows it, so that joining the runs of a diff gives back both texts
exactly. `diff_html` escapes every piece it renders.
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Indel

OPS = ("equal", "insert", "delete", "replace")

# A word keeps its inner hyphens and apostrophes ("административно-территориальное",
# "10-1", "people's"); any other non-space character is a token of its own.
_WORD = r"\w+(?:[-‐‑'’]\w+)*"
_TOKEN = re.compile(rf"{_WORD}|[^\w\s]|\s+")
_WORD_ONLY = re.compile(_WORD)
# An unchanged stretch this short between two changes is shown inside the change: a diff
# that keeps "the" or a comma between two rewritten clauses is harder to read, not truer.
_MAX_ABSORBED_WORDS = 1
_MIN_WORDS_AROUND_ABSORBED = 3


@dataclass(frozen=True)
class DiffOp:
    """One run of a diff. `old` and `new` hold the run's text on each side, whitespace kept:
    "equal" has both (they differ at most in whitespace), "insert" only `new`, "delete" only
    `old`, "replace" both."""

    op: str
    old: str
    new: str


def word_diff(old: str, new: str) -> tuple[DiffOp, ...]:
    """The word-level diff of `old` and `new`: runs in text order, adjacent changes joined.

    Joining the `old` of every run gives `old` back, and the `new` of every run gives `new`.
    Identical texts give one "equal" run; two empty texts give no run.
    """
    if old == new:
        return (DiffOp("equal", old, new),) if old else ()
    old_units, new_units = _units(old), _units(new)
    if not old_units or not new_units:
        if not old_units and not new_units:  # whitespace only on both sides
            return (DiffOp("equal", old, new),)
        return (DiffOp("insert" if not old_units else "delete", old, new),)
    old_codes, new_codes = _encode(old_units, new_units)
    runs: list[list] = []  # [op, old_start, old_end, new_start, new_end]
    for opcode in Indel.opcodes(old_codes, new_codes):
        tag = opcode.tag
        if runs and tag != "equal" and runs[-1][0] != "equal":
            runs[-1][0] = "replace"
            runs[-1][2], runs[-1][4] = opcode.src_end, opcode.dest_end
        else:
            runs.append([tag, opcode.src_start, opcode.src_end, opcode.dest_start, opcode.dest_end])
    runs = _absorb_short_equal_runs(runs, old_units, new_units)
    ops = []
    for tag, old_start, old_end, new_start, new_end in runs:
        ops.append(DiffOp(tag, "".join(old_units[old_start:old_end]), "".join(new_units[new_start:new_end])))
    return tuple(ops)


def diff_counts(ops: Iterable[DiffOp]) -> tuple[int, int, int, int]:
    """(old words, new words, old words changed, new words new).

    Words are counted without punctuation. An old word is "changed" when it is deleted or
    replaced; a new word is "new" when it is inserted or replaces old words.
    """
    old_words = new_words = old_changed = new_new = 0
    for op in ops:
        old_count, new_count = count_words(op.old), count_words(op.new)
        old_words += old_count
        new_words += new_count
        if op.op in ("delete", "replace"):
            old_changed += old_count
        if op.op in ("insert", "replace"):
            new_new += new_count
    return old_words, new_words, old_changed, new_new


def diff_html(ops: Iterable[DiffOp]) -> str:
    """The diff as HTML: unchanged text as the new side reads it, <del>old</del>, <ins>new</ins>.

    Every piece of text is passed through html.escape; nothing from the texts is trusted.
    """
    parts = []
    for op in ops:
        if op.op == "equal":
            parts.append(html.escape(op.new))
        elif op.op == "insert":
            parts.append(f"<ins>{html.escape(op.new)}</ins>")
        elif op.op == "delete":
            parts.append(f"<del>{html.escape(op.old)}</del>")
        elif op.op == "replace":
            parts.append(f"<del>{html.escape(op.old)}</del><ins>{html.escape(op.new)}</ins>")
        else:
            raise ValueError(f"unknown diff op {op.op!r}")
    return "".join(parts)


def count_words(text: str) -> int:
    """Words in `text`, punctuation not counted ("10-1" and "people's" are one word each)."""
    return len(_WORD_ONLY.findall(text))


def _units(text: str) -> list[str]:
    """The text's words and marks, each with the whitespace before it; trailing whitespace
    goes with the last one, so that "".join(units) == text."""
    units: list[str] = []
    pending = ""
    for token in _TOKEN.findall(text):
        if token.isspace():
            pending += token
        else:
            units.append(pending + token)
            pending = ""
    if pending and units:
        units[-1] += pending
    return units


def _encode(old_units: Sequence[str], new_units: Sequence[str]) -> tuple[str, str]:
    """Each distinct token (whitespace aside) as one character, so that rapidfuzz diffs tokens."""
    codes: dict[str, str] = {}

    def encode(units: Sequence[str]) -> str:
        chars = []
        for unit in units:
            token = unit.strip()
            code = codes.get(token)
            if code is None:
                code = codes[token] = _code_point(len(codes))
            chars.append(code)
        return "".join(chars)

    return encode(old_units), encode(new_units)


def _code_point(number: int) -> str:
    # Skip the surrogate range, which cannot stand alone in a str.
    return chr(0x100 + number) if number < 0xD800 - 0x100 else chr(0xE000 + number - (0xD800 - 0x100))


def _absorb_short_equal_runs(runs: list[list], old_units: Sequence[str], new_units: Sequence[str]) -> list[list]:
    def words(units: Sequence[str], start: int, end: int) -> int:
        return sum(1 for unit in units[start:end] if _WORD_ONLY.search(unit))

    def changed_words(run: list) -> int:
        return words(old_units, run[1], run[2]) + words(new_units, run[3], run[4])

    merged: list[list] = []
    index = 0
    while index < len(runs):
        run = runs[index]
        if (
            run[0] == "equal"
            and merged
            and merged[-1][0] != "equal"
            and index + 1 < len(runs)
            and words(old_units, run[1], run[2]) <= _MAX_ABSORBED_WORDS
            and (
                words(old_units, run[1], run[2]) == 0
                or min(changed_words(merged[-1]), changed_words(runs[index + 1])) >= _MIN_WORDS_AROUND_ABSORBED
            )
        ):
            following = runs[index + 1]
            previous = merged[-1]
            previous[0] = "replace"
            previous[2], previous[4] = following[2], following[4]
            index += 2
            continue
        if run[0] != "equal" and merged and merged[-1][0] != "equal":
            merged[-1][0] = "replace"
            merged[-1][2], merged[-1][4] = run[2], run[4]
        else:
            merged.append(list(run))
        index += 1
    for run in merged:
        if run[0] == "replace" and run[1] == run[2]:
            run[0] = "insert"
        elif run[0] == "replace" and run[3] == run[4]:
            run[0] = "delete"
    return merged
