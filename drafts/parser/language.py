"""Which language a text is written in, from its letters and commonest words: one of RECOGNISED_LANGUAGES.

These are the text languages (drafts.languages.TEXT_LANGUAGES, a test keeps them a subset) that the
parser tells apart by itself; an upload in any other text language names its language.
"""
from __future__ import annotations

import re
from collections import Counter

# Letters Kazakh adds to the Russian alphabet (and the Latin "ə" some Kazakh typists use for "ә").
_KAZAKH_LETTERS = re.compile("[әғқңөұүһіӘҒҚҢӨҰҮҺІəƏ]")
_UKRAINIAN_LETTERS = re.compile("[їєґЇЄҐ]")
_CYRILLIC_LETTERS = re.compile("[\u0400-\u04ff]")
_LATIN_LETTERS = re.compile("[A-Za-z]")
# A Russian text names Kazakh places and institutions ("Қазақстан Халық Кеңесі", "теңге"),
# well under 1% of its letters; in Kazakh text these letters are about 15%.
_KAZAKH_SHARE = 0.03
# Ukrainian shares "і" with Kazakh; its own "ї", "є", "ґ" make up about 1% of its letters.
_UKRAINIAN_SHARE = 0.005
_STOPWORDS = {
    "en": frozenset("the and of to in shall be is by or for with on".split()),
    "de": frozenset("der die und das des den ist nicht von zu mit dem sich auf wird".split()),
}
_WORD = re.compile(r"[^\W\d_]+")
RECOGNISED_LANGUAGES = frozenset({"kk", "ru", *_STOPWORDS})


def detect_language(text: str) -> str:
    """One of RECOGNISED_LANGUAGES ("kk", "ru", "en", "de"); "" when the text is in none of them (or has no letters)."""
    cyrillic = _count(_CYRILLIC_LETTERS, text)
    latin = _count(_LATIN_LETTERS, text)
    if cyrillic > latin:
        kazakh = _count(_KAZAKH_LETTERS, text)
        ukrainian = _count(_UKRAINIAN_LETTERS, text)
        if ukrainian / cyrillic >= _UKRAINIAN_SHARE:
            return ""
        return "kk" if kazakh / cyrillic >= _KAZAKH_SHARE else "ru"
    if not latin:
        return ""
    return _latin_language(text)


def _count(letters: re.Pattern, text: str) -> int:
    # Removing is done in C, counting matches one by one is not: this is the fast way.
    return len(text) - len(letters.sub("", text))


def _latin_language(text: str) -> str:
    words = Counter(_WORD.findall(text.lower()))
    scores = {language: sum(words[word] for word in stopwords) for language, stopwords in _STOPWORDS.items()}
    language, best = max(scores.items(), key=lambda item: item[1])
    return language if best else ""
