"""How people cite a provision, in the interface's languages (pure, no Django).

"Article 25, paragraph 1" (en), "Статья 25, пункт 1" (ru), "25-бап 1-тармақ" (kk): the article (or the
section, chapter, part or preamble a provision stands in) and the points below it, from the provision's
chain of kinds and numbers. A reader's heading shows a paragraph as "1." because the article is printed
above it; a list of choices or a comment's "on …" stands alone and must name the article too.

The Russian and Kazakh forms are those of Kazakhstan's own texts, which the demo's drafts follow: a
numbered paragraph of an article is a "пункт" / "тармақ" (Russia's "часть" is not used there), and a
sub-paragraph "1)" is a "подпункт 1)" / "1) тармақша". The grammar differs per language (Kazakh puts the
ordinal suffix on the number and lists without commas), so each language has its own table here rather
than one sentence to translate. Another language is cited as in English.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

POINTS = ("paragraph", "subparagraph")

# kind -> how a numbered provision of that kind is named; "{n}" is its number as printed.
_FORMS: dict[str, dict[str, str]] = {
    "en": {
        "preamble": "Preamble", "part": "Part {n}", "section": "Section {n}", "chapter": "Chapter {n}",
        "article": "Article {n}", "paragraph": "paragraph {n}", "subparagraph": "sub-paragraph {n})",
    },
    "ru": {
        "preamble": "Преамбула", "part": "Часть {n}", "section": "Раздел {n}", "chapter": "Глава {n}",
        "article": "Статья {n}", "paragraph": "пункт {n}", "subparagraph": "подпункт {n})",
    },
    "kk": {
        "preamble": "Кіріспе", "part": "{n}-бөлік", "section": "{n} бөлім", "chapter": "{n}-тарау",
        "article": "{n}-бап", "paragraph": "{n}-тармақ", "subparagraph": "{n}) тармақша",
    },
}
# The name of a kind when its provision has no number (an annex, an unnumbered section).
_UNNUMBERED: dict[str, dict[str, str]] = {
    "en": {"part": "Part", "section": "Section", "chapter": "Chapter", "article": "Article", "paragraph": "paragraph", "subparagraph": "sub-paragraph"},
    "ru": {"part": "Часть", "section": "Раздел", "chapter": "Глава", "article": "Статья", "paragraph": "пункт", "subparagraph": "подпункт"},
    "kk": {"part": "Бөлік", "section": "Бөлім", "chapter": "Тарау", "article": "Бап", "paragraph": "тармақ", "subparagraph": "тармақша"},
}
# An article's unnumbered paragraphs (drafts.parser: number_printed False) are its "parts", cited by place:
# "part 2 of article 5", "часть 2 статьи 5" (as lawyers cite the Russian and Ukrainian constitutions).
_PARTS: dict[str, str] = {"en": "part {n}", "ru": "часть {n}", "kk": "{n}-бөлік"}
_SEPARATOR = {"en": ", ", "ru": ", ", "kk": " "}


class Citable(Protocol):
    """Anything with a kind and a number: a Provision, a reader's ProvisionNode, a test's tuple-like."""

    kind: str
    number: str


def provision_citation(chain: Sequence[Citable], language: str) -> str:
    """How people cite the last provision of `chain` (its ancestors from the root, then itself).

    The citation starts at the nearest ancestor that is not a paragraph or sub-paragraph (usually the
    article) and names each point below it: a paragraph is never cited as a bare "1.".
    """
    if not chain:
        return ""
    language = language.split("-")[0] if language.split("-")[0] in _FORMS else "en"
    start = len(chain) - 1
    while start > 0 and chain[start].kind in POINTS:
        start -= 1
    return _SEPARATOR[language].join(_name(step, language) for step in chain[start:])


def _name(step: Citable, language: str) -> str:
    if step.kind == "paragraph" and getattr(step, "number_printed", True) is False:
        return _PARTS[language].format(n=step.number)
    if not step.number:
        return _UNNUMBERED[language].get(step.kind, _FORMS[language].get(step.kind, step.kind))
    return _FORMS[language].get(step.kind, "{n}").format(n=step.number)
