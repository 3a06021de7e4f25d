"""Provision numbers as legal texts print them: Arabic, Roman, ordinal words, inserted "10-1", "89¹", "1er"."""
from __future__ import annotations

import re

from .conventions import ORDINAL_SUFFIXES, ORDINAL_WORDS

_ROMAN = re.compile(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
# Kazakh and Russian typists sometimes type Roman numerals with the look-alike Cyrillic letters.
_CYRILLIC_LOOKALIKES = str.maketrans({"І": "I", "Х": "X", "С": "C", "М": "M"})
# Hyphen-like characters that word processors put into "10-1".
_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2212"})

_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_ORDINAL_SUFFIX = re.compile(rf"^(\d+|[IVXLCDM]+){ORDINAL_SUFFIXES}$")

ORDINALS: dict[str, int] = {word: value for value, words in ORDINAL_WORDS.items() for word in words.split()}


def roman_value(token: str) -> int | None:
    """The value of an upper-case Roman numeral ("XIV" -> 14), or None if `token` is not one."""
    token = token.translate(_CYRILLIC_LOOKALIKES)
    if not token or not _ROMAN.fullmatch(token):
        return None
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    total = 0
    for current, following in zip(token, token[1:] + " "):
        value = values[current]
        total += -value if following != " " and values[following] > value else value
    return total


def ordinal_value(word: str) -> int | None:
    """The value of an ordinal word ("ПЕРВЫЙ", "Second", "бірінші"), or None."""
    return ORDINALS.get(word.lower())


def normalise_number(raw: str) -> str:
    """A label as printed, made comparable: "IV a" -> "IVa", "10‑1" -> "10-1", "ВТОРОЙ" -> "2",
    "89¹" -> "89-1" (a superscript inserts as a hyphen does), "1er" -> "1", "Ier" -> "I"."""
    label = raw.translate(_DASHES).strip().rstrip(".")
    label = re.sub(r"\s+", "", label)
    label = re.sub(rf"[{SUPERSCRIPTS}]+", lambda found: "-" + found.group().translate(_SUPERSCRIPT_DIGITS), label)
    suffixed = _ORDINAL_SUFFIX.match(label)
    if suffixed:
        label = suffixed.group(1)
    word_value = ordinal_value(label)
    if word_value is not None:
        return str(word_value)
    roman = re.fullmatch(r"([IVXLCDMІХСМ]+)([a-z]?)", label)
    if roman and roman_value(roman.group(1)) is not None:
        return roman.group(1).translate(_CYRILLIC_LOOKALIKES) + roman.group(2)
    return label
