"""Texts made comparable: whitespace-normalised for identity, words as characters for similarity.

Similarity is measured on words, not characters: each distinct lower-cased word becomes one
character of a private alphabet, so that rapidfuzz's string algorithms (longest common
subsequence, bit-parallel, in C++) compare texts word by word. Punctuation is ignored there;
it counts for identity ("unchanged" means the same text, punctuation included).
"""
from __future__ import annotations

import re

from rapidfuzz.distance import Indel, LCSseq

_WORD = re.compile(r"\w+")
_SURROGATES_START, _SURROGATES_END = 0xD800, 0xE000
_FIRST_CODE = 0x100


def normalise(text: str) -> str:
    """The text with every run of whitespace made one space, and no space at either end."""
    return " ".join(text.split())


class Vocabulary:
    """Words to characters, shared by both versions in one alignment."""

    def __init__(self) -> None:
        self._codes: dict[str, str] = {}

    def encode(self, text: str) -> str:
        codes = self._codes
        chars = []
        for word in _WORD.findall(text.lower()):
            code = codes.get(word)
            if code is None:
                code = codes[word] = _code_point(len(codes))
            chars.append(code)
        return "".join(chars)


def words(text: str) -> list[str]:
    """The words of `text` as written (case kept), punctuation and whitespace left out."""
    return _WORD.findall(text)


def similarity(a: str, b: str) -> float:
    """Word-level similarity of two encoded texts: 2 x common words / (words of a + words of b).

    Two empty texts are not similar (0.0): identity is decided on the exact text instead.
    """
    if not a or not b:
        return 0.0
    return Indel.normalized_similarity(a, b)


def common_words(a: str, b: str) -> int:
    """Length of the longest common subsequence of words of two encoded texts."""
    if not a or not b:
        return 0
    return LCSseq.similarity(a, b)


def _code_point(number: int) -> str:
    code = _FIRST_CODE + number
    if code >= _SURROGATES_START:
        code += _SURROGATES_END - _SURROGATES_START
    return chr(code)
