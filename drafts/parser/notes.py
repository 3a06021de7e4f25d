"""Editors' additions that are not the law's words: footnotes, notes, amendment histories."""
from __future__ import annotations

import re

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


def is_note(paragraph_start: str) -> bool:
    """Whether a paragraph starting with these words is a footnote or an editor's note."""
    return bool(_NOTE_START.match(paragraph_start))


def without_editorial_notes(text: str) -> str:
    """`text` without bracketed amendment histories, and without the space they leave."""
    if "(" not in text:
        return text
    cleaned = _EDITORIAL_NOTE.sub("", text)
    if cleaned == text:
        return text
    return re.sub(r"\s+([,.;:])", r"\1", " ".join(cleaned.split()))
