"""Editors' additions that are not the law's words: footnotes, notes, amendment histories, repeal notes.

They are kept apart from the law's text (a provision's `notes`): shown to readers, never compared as
law words, so that an amendment history does not count as a change and a repealed article stays a
numbered placeholder with no words of its own.
"""
from __future__ import annotations

import re

from .conventions import HEADING_WORDS, REPEAL_WORDS

# A paragraph that opens so is a footnote or an editor's note, dropped whole with its wrapped lines:
# "Footnote. Article 2 as amended ...", "Сноска 3. ...", "Примечание. См. ...", "Ескерту. ...",
# or a footnote printed at the foot of a page: "¹ As amended by ...".
_NOTE_START = re.compile(
    r"^(?:"
    r"(?:footnote|foot-note|note|editor'?s note|сноска|примечание|прим\.|ескерту|ескертпе|fußnote|anmerkung)"
    r"(?:\s*\d{1,3})?\s*[.:]"
    r"|[¹²³⁴⁵⁶⁷⁸⁹⁰]+\s"
    r")",
    re.IGNORECASE,
)

# An amendment history in brackets, anywhere in a paragraph: "(В редакции Закона ... № 1-ФКЗ)",
# "(Пункт введен - Закон ...)", "(Статья в редакции ...)", "(as amended by Law No. ...)".
_EDITORIAL_NOTE = re.compile(
    r"\(\s*(?:"
    r"в редакции|редакция|вводится в действие|"
    r"(?:статья|пункт|подпункт|часть|абзац|наименование|глава|раздел|преамбула)\s+"
    r"(?:в редакции|введен|утратил|исключен|дополнен|изменен)|"
    r"as amended|amended by|introduced by|inserted by|in the wording"
    r")[^()]*(?:\([^()]*\)[^()]*)*\)",
    re.IGNORECASE,
)


# A paragraph that is only a repeal note: "Исключена.", "(Article repealed)", "Утратила силу в соответствии
# с Законом ...", "(weggefallen)", "Статья 5 исключена Законом ...".
_PROVISION_WORDS = "|".join(
    sorted({row.word for row in HEADING_WORDS} | {"paragraph", "пункт", "подпункт", "абзац", "тармақ", "absatz"}, key=len, reverse=True)
)
_REPEAL_NOTE = re.compile(
    rf"^[\[(]?\s*(?:(?i:{_PROVISION_WORDS})(?:\s+[\w.¹²³-]+)?\s+)?(?i:{REPEAL_WORDS})(?!\w)[^\n]{{0,300}}$"
)
# Square brackets hold the editor's words: "[Entry into force: 1 January 2027]", "[Статья 5 в редакции ...]".
_BRACKETED_NOTE = re.compile(r"^\[[^\[\]]+\]\.?$")
_INLINE_BRACKETED_NOTE = re.compile(
    r"\[\s*(?i:entry into force|in force|amended|inserted|as amended|в редакции|вступ|введен|изменен|дополнен|"
    r"күшіне|өзгеріс|редакция)[^\[\]]*\]"
)


def is_note(paragraph_start: str) -> bool:
    """Whether a paragraph starting with these words is a footnote or an editor's note."""
    return bool(_NOTE_START.match(paragraph_start))


def is_editorial_paragraph(paragraph: str) -> bool:
    """Whether a whole paragraph is the editor's: a repeal note or words in square brackets."""
    return bool(_BRACKETED_NOTE.match(paragraph) or _REPEAL_NOTE.match(paragraph) and _is_short_note(paragraph))


def split_editorial_notes(text: str) -> tuple[str, list[str]]:
    """`text` without its bracketed amendment histories (and the space they leave), and those notes."""
    if "(" not in text and "[" not in text:
        return text, []
    notes = [found.group().strip() for pattern in (_EDITORIAL_NOTE, _INLINE_BRACKETED_NOTE) for found in pattern.finditer(text)]
    if not notes:
        return text, []
    cleaned = _INLINE_BRACKETED_NOTE.sub("", _EDITORIAL_NOTE.sub("", text))
    return re.sub(r"\s+([,.;:])", r"\1", " ".join(cleaned.split())), notes


def without_editorial_notes(text: str) -> str:
    """`text` without bracketed amendment histories, and without the space they leave."""
    return split_editorial_notes(text)[0]


def _is_short_note(paragraph: str) -> bool:
    # "Утратила силу в соответствии с Законом РК от 10.03.2017 № 51-VI." is a note; a long paragraph
    # that happens to say "repealed" ("Laws repealed by the referendum shall ...") is law.
    return len(paragraph.split()) <= 30 and not re.match(r"^[^\W\d_]+\s+(?:shall|must|may|is|are)\b", paragraph)
