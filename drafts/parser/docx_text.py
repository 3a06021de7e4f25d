"""A Word .docx body as the lines its reader sees, read from the WordprocessingML itself.

python-docx's `paragraph.text` gives the runs typed into a paragraph and nothing else, and
drafting offices' files lose text that way: the number that Word's automatic numbering
prints ("1.", "а)", "Статья 3.") is not in any run, and words typed with track changes on
sit in `w:ins`, which it skips. So the body is walked here, in document order:

- Text is what the reader sees once every tracked change is accepted: runs directly in the
  paragraph, in `w:ins`, `w:moveTo`, hyperlinks, smart tags, content controls and fields
  (their results, not their codes); never `w:del` or `w:moveFrom`. A paragraph whose mark was
  deleted runs on into the next one. The changes accepted are counted and said in a warning.
- Comments and footnote or endnote references print nothing: the law's text is the body's.
- A numbered paragraph starts with the label Word renders for it (`Numbering`).
- Tables are read cell by cell (a merged cell once, nested tables in place, deleted rows
  not at all); a table of contents in a content control is left out, its entries repeat
  the headings.
- Heading styles become Markdown headings, "Quote" styles Markdown quotes, so that the
  text parser sees the structure Word's styles show.
"""
from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from collections.abc import Iterator

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn

from .model import DraftParseError, ParseWarning

# What python-docx raises on a file that is not a Word document: not a zip, a zip without
# Word's parts, another Office type ("is not a Word file"), broken XML.
_NOT_A_DOCX = (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, SyntaxError)
_HEADING_STYLE = re.compile(r"^(?:heading|заголовок|überschrift|тақырып)\s*(\d)$", re.IGNORECASE)
_QUOTE_STYLES = {"quote", "intense quote"}

_W_P, _W_TBL, _W_TR, _W_TC, _W_R = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:r")
_W_SDT, _W_SDT_CONTENT, _W_CUSTOM_XML = qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")
_INSERTED = (qn("w:ins"), qn("w:moveTo"))
_DELETED = (qn("w:del"), qn("w:moveFrom"))
# Inline containers whose runs are part of the paragraph's text as shown.
_INLINE_CONTAINERS = frozenset(
    qn(tag)
    for tag in ("w:ins", "w:moveTo", "w:hyperlink", "w:smartTag", "w:customXml", "w:fldSimple", "w:dir", "w:bdo")
)
_RUN_TEXT = {qn("w:tab"): "\t", qn("w:ptab"): "\t", qn("w:cr"): "\n", qn("w:noBreakHyphen"): "-"}
_NOTE_REFERENCES = (qn("w:footnoteReference"), qn("w:endnoteReference"))
_MAX_STYLE_DEPTH = 20  # basedOn chains are short; a loop in a broken file must not hang the upload

_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
_LATIN_LETTERS = "abcdefghijklmnopqrstuvwxyz"
# Word's Russian lettering skips ё, й, ъ and ь: а) б) ... и) к) ... щ) ы) э) ю) я).
_RUSSIAN_LETTERS = "абвгдежзиклмнопрстуфхцчшщыэюя"
_PLACEHOLDER = re.compile(r"%([1-9])")
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
# Letters and Roman numerals above this are written in digits: a crafted w:start must not spell megabytes.
_MAX_SPELLED = 3999


@dataclasses.dataclass(frozen=True)
class DocxText:
    """A .docx body as text, one line per paragraph (and manual line break), and what was done to it."""

    text: str
    warnings: tuple[ParseWarning, ...] = ()


def read_docx(data: bytes, *, name: str) -> DocxText:
    """The text of a .docx file as its reader sees it, tracked changes accepted.

    Raises DraftParseError, naming the file as `name`, when `data` is not a Word document.
    """
    try:
        document = docx.Document(io.BytesIO(data))
    except _NOT_A_DOCX as error:
        raise DraftParseError(f"{name} is not a valid .docx file") from error
    body = document.element.body
    styles = _Styles(document.styles.element)
    numbering = Numbering(_numbering_element(document), styles)
    lines: list[str] = []
    for paragraph, text in _paragraphs(body):
        lines.extend(_paragraph_lines(paragraph, text, styles=styles, numbering=numbering))
    return DocxText("\n".join(lines), _tracked_changes_warnings(body))


# --- Paragraphs and their text ------------------------------------------------------------------


def _paragraphs(container) -> Iterator[tuple[object, str]]:
    """(w:p whose properties apply, accepted text) for each paragraph shown, in reading order.

    A paragraph whose mark is a tracked deletion is joined to the next paragraph; the joined
    paragraph takes the properties of its first part that keeps some text (a wholly deleted
    paragraph leaves the next one as it was).
    """
    pending: list[tuple[object, str]] = []
    for block in _blocks(container):
        if block.tag != _W_P:
            if pending:
                yield _joined(pending)
                pending = []
            yield from _table_paragraphs(block)
            continue
        pending.append((block, _accepted_text(block)))
        if not _mark_deleted(block):
            yield _joined(pending)
            pending = []
    if pending:
        yield _joined(pending)


def _blocks(container) -> Iterator:
    """The w:p and w:tbl elements of a body or cell, looking into content controls (not a table of contents)."""
    for child in container.iterchildren():
        if child.tag in (_W_P, _W_TBL):
            yield child
        elif child.tag == _W_CUSTOM_XML:
            yield from _blocks(child)
        elif child.tag == _W_SDT and not _is_table_of_contents(child):
            content = child.find(_W_SDT_CONTENT)
            if content is not None:
                yield from _blocks(content)


def _is_table_of_contents(sdt) -> bool:
    gallery = sdt.find(f"{qn('w:sdtPr')}/{qn('w:docPartObj')}/{qn('w:docPartGallery')}")
    return gallery is not None and (gallery.get(qn("w:val")) or "").lower() == "table of contents"


def _table_paragraphs(table) -> Iterator[tuple[object, str]]:
    # Each w:tc once: a cell merged across columns is one element (python-docx repeats it per column).
    for row in table.iterchildren(_W_TR):
        if _row_deleted(row):
            continue
        for cell in row.iterchildren(_W_TC):
            yield from _paragraphs(cell)


def _row_deleted(row) -> bool:
    properties = row.find(qn("w:trPr"))
    return properties is not None and any(properties.find(tag) is not None for tag in _DELETED)


def _mark_deleted(paragraph) -> bool:
    mark = paragraph.find(f"{qn('w:pPr')}/{qn('w:rPr')}")
    return mark is not None and any(mark.find(tag) is not None for tag in _DELETED)


def _joined(parts: list[tuple[object, str]]) -> tuple[object, str]:
    text = "".join(part_text for _, part_text in parts)
    kept = [paragraph for paragraph, part_text in parts if part_text.strip()]
    return (kept[0] if kept else parts[-1][0]), text


def _accepted_text(element) -> str:
    """The text of a paragraph (or inline container) with every tracked change accepted."""
    pieces: list[str] = []
    for child in element.iterchildren():
        if child.tag == _W_R:
            pieces.append(_run_text(child))
        elif child.tag in _INLINE_CONTAINERS:
            pieces.append(_accepted_text(child))
        elif child.tag == _W_SDT:
            content = child.find(_W_SDT_CONTENT)
            if content is not None:
                pieces.append(_accepted_text(content))
        # w:del, w:moveFrom, bookmarks, comment ranges, proofing marks, math: nothing shown in the law's text
    return "".join(pieces)


def _run_text(run) -> str:
    """A run's text: w:t, tabs and breaks; not deleted text, field codes, drawings or note marks."""
    pieces: list[str] = []
    custom_mark = False  # a note reference followed by its own mark ("*") in the next w:t
    for child in run.iterchildren():
        if child.tag in _NOTE_REFERENCES:
            custom_mark = child.get(qn("w:customMarkFollows")) in ("1", "true", "on")
        elif child.tag == qn("w:t"):
            if not custom_mark:
                pieces.append(child.text or "")
            custom_mark = False
        elif child.tag == qn("w:br"):
            pieces.append("\n" if child.get(qn("w:type"), "textWrapping") == "textWrapping" else "")
        elif child.tag in _RUN_TEXT:
            pieces.append(_RUN_TEXT[child.tag])
    return "".join(pieces)


def _paragraph_lines(paragraph, text: str, *, styles: _Styles, numbering: Numbering) -> list[str]:
    """The paragraph's lines: its number as Word renders it, then its text; heading and quote styles as Markdown."""
    style = styles.paragraph_style(paragraph)
    label = numbering.label(styles.numbering_of(paragraph, style))
    lines = (label + text).split("\n")
    name = styles.name(style).strip().lower()
    heading = _HEADING_STYLE.match(name)
    if not lines[0].strip():
        return lines
    if name == "title":
        lines[0] = "# " + lines[0]
    elif heading:
        lines[0] = "#" * min(int(heading.group(1)), 6) + " " + lines[0]
    elif name in _QUOTE_STYLES:
        lines = ["> " + line for line in lines]
    return lines


def _tracked_changes_warnings(body) -> tuple[ParseWarning, ...]:
    insertions = sum(1 for _ in body.iter(*_INSERTED, qn("w:cellIns")))
    deletions = sum(1 for _ in body.iter(*_DELETED, qn("w:cellDel")))
    if not insertions and not deletions:
        return ()
    return (
        ParseWarning(
            "tracked_changes_accepted",
            "The document has tracked changes; it was imported as if all were accepted "
            f"({_count(insertions, 'insertion')} and {_count(deletions, 'deletion')}): "
            "check the text against the version meant for consultation",
        ),
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


# --- Styles -------------------------------------------------------------------------------------


class _Styles:
    """Paragraph styles by id: name, the style each is based on, and the numbering each carries."""

    def __init__(self, element):
        self._styles = {
            style.get(qn("w:styleId")): style
            for style in element.iterchildren(qn("w:style"))
            if style.get(qn("w:type"), "paragraph") in ("paragraph", "numbering")
        }
        defaults = [
            style_id
            for style_id, style in self._styles.items()
            if style.get(qn("w:type"), "paragraph") == "paragraph" and style.get(qn("w:default")) in ("1", "true", "on")
        ]
        self._default = defaults[0] if defaults else None

    def paragraph_style(self, paragraph) -> str | None:
        """The id of the paragraph's style, the document's default when it names none or an unknown one."""
        style_id = _val(paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}"))
        return style_id if style_id in self._styles else self._default

    def name(self, style_id: str | None) -> str:
        if style_id not in self._styles:
            return ""
        return _val(self._styles[style_id].find(qn("w:name"))) or ""

    def numbering_of(self, paragraph, style_id: str | None) -> tuple[str, int | None, str | None] | None:
        """(numId, level or None, style that carries the numbering) for the paragraph, or None.

        The paragraph's own w:numPr wins, part by part, over its style's (and its base styles');
        a numId of 0 removes numbering a style gives.
        """
        own = paragraph.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        own_num_id, own_level = _num_pr(own)
        inherited = self.numbering_style(style_id)
        style_num_id, style_level = _num_pr(self.num_pr(inherited))
        num_id = own_num_id if own_num_id is not None else style_num_id
        if num_id is None or num_id == "0":
            return None
        level = own_level if own_level is not None else style_level
        return num_id, level, inherited or style_id

    def numbering_style(self, style_id: str | None) -> str | None:
        """The style (this one or one it is based on) that carries numbering, if any."""
        for _ in range(_MAX_STYLE_DEPTH):
            style = self._styles.get(style_id)
            if style is None:
                return None
            if self.num_pr(style_id) is not None:
                return style_id
            style_id = _val(style.find(qn("w:basedOn")))
        return None

    def num_pr(self, style_id: str | None):
        """The style's own w:numPr element, None without one."""
        style = self._styles.get(style_id)
        return None if style is None else style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")


def _num_pr(element) -> tuple[str | None, int | None]:
    if element is None:
        return None, None
    level = _val(element.find(qn("w:ilvl")))
    return _val(element.find(qn("w:numId"))), _int(level)


def _val(element) -> str | None:
    return None if element is None else element.get(qn("w:val"))


def _int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


# --- Automatic numbering ------------------------------------------------------------------------


def _numbering_element(document):
    try:
        return document.part.part_related_by(RT.NUMBERING).element
    except KeyError:
        return None  # no lists in the document


@dataclasses.dataclass(frozen=True)
class _Level:
    start: int
    format: str  # w:numFmt: decimal, lowerLetter, upperRoman, russianLower, bullet, none ...
    text: str  # w:lvlText: "%1.", "%1)", "Статья %1.", "%1.%2."
    restart: int | None  # w:lvlRestart: restart after a use of a level above this one-based level; 0 never
    legal: bool  # w:isLgl: every level shown in decimal
    separator: str  # after the label: Word's tab or space, or nothing
    style: str | None  # w:pStyle: the paragraph style linked to this level


class Numbering:
    """Word's automatic numbering, rendered into the labels a reader sees, in document order.

    Definitions are w:abstractNum (levels: start, format, text, restart rule) used through
    w:num instances. Counters belong to the abstract definition, so that instances sharing it
    continue one another as Word shows them; an instance with a w:startOverride restarts
    its levels at its first paragraph ("Restart numbering" in Word creates such an instance).
    Using a level restarts the levels below it (unless their w:lvlRestart says otherwise).
    """

    def __init__(self, element, styles: _Styles):
        self._styles = styles
        self._abstracts: dict[str, dict[int, _Level]] = {}
        self._style_links: dict[str, str] = {}  # abstractNum id -> numbering style it takes its levels from
        self._instances: dict[str, tuple[str, dict[int, int], dict[int, _Level]]] = {}
        self._counters: dict[str, dict[int, int]] = {}
        self._restarted: set[str] = set()
        if element is None:
            return
        for abstract in element.iterchildren(qn("w:abstractNum")):
            abstract_id = abstract.get(qn("w:abstractNumId"))
            self._abstracts[abstract_id] = _levels(abstract.iterchildren(qn("w:lvl")))
            link = _val(abstract.find(qn("w:numStyleLink")))
            if link:
                self._style_links[abstract_id] = link
        for instance in element.iterchildren(qn("w:num")):
            starts, levels = {}, {}
            for override in instance.iterchildren(qn("w:lvlOverride")):
                level = _int(override.get(qn("w:ilvl")), 0)
                start = _int(_val(override.find(qn("w:startOverride"))))
                if start is not None:
                    starts[level] = start
                levels.update(_levels(override.iterchildren(qn("w:lvl")), level))
            abstract_id = _val(instance.find(qn("w:abstractNumId")))
            self._instances[instance.get(qn("w:numId"))] = (abstract_id, starts, levels)

    def label(self, numbering: tuple[str, int | None, str | None] | None) -> str:
        """The label of the next paragraph with this (numId, level, style), its separator included; "" if none.

        Advances the counters: call once per paragraph shown, in reading order.
        """
        if numbering is None or numbering[0] not in self._instances:
            return ""
        num_id, level_number, style_id = numbering
        abstract_id, levels = self._definition(num_id)
        if level_number is None:
            level_number = next((n for n, level in levels.items() if style_id and level.style == style_id), 0)
        level = levels.get(level_number)
        if level is None:
            return ""
        counters = self._advanced(num_id, abstract_id, levels, level_number)
        if level.format == "bullet":
            return ""  # a bullet is not a number: the text is the point
        text = _PLACEHOLDER.sub(lambda match: self._shown(int(match.group(1)) - 1, levels, counters, level), level.text)
        return text + level.separator if text.strip() else ""

    def _definition(self, num_id: str) -> tuple[str | None, dict[int, _Level]]:
        """The abstractNum an instance counts in, and its levels as the instance overrides them."""
        abstract_id, starts, overrides = self._instances[num_id]
        abstract_id = self._resolved(abstract_id)
        levels = {**self._abstracts.get(abstract_id, {}), **overrides}
        # A start override is this instance's start: where it restarts, and where a reset level begins again.
        levels.update({n: dataclasses.replace(levels[n], start=start) for n, start in starts.items() if n in levels})
        return abstract_id, levels

    def _advanced(self, num_id: str, abstract_id: str | None, levels: dict[int, _Level], level_number: int):
        """The counters after one more paragraph at `level_number`: restarted at the instance's first use."""
        counters = self._counters.setdefault(abstract_id, {})
        if num_id not in self._restarted:
            self._restarted.add(num_id)
            for restarted, start in self._instances[num_id][1].items():
                counters[restarted] = start - 1
        counters[level_number] = counters.get(level_number, levels[level_number].start - 1) + 1
        for deeper, deeper_level in levels.items():
            if deeper > level_number and _restarts(deeper, deeper_level, after=level_number):
                counters.pop(deeper, None)
        return counters

    def _resolved(self, abstract_id: str | None) -> str | None:
        """The abstractNum whose levels apply: a list style's definition links to the style's own list."""
        for _ in range(_MAX_STYLE_DEPTH):
            link = self._style_links.get(abstract_id)
            if link is None:
                return abstract_id
            instance = self._instances.get(_num_pr(self._styles.num_pr(link))[0] or "")
            if instance is None or instance[0] == abstract_id:
                return abstract_id
            abstract_id = instance[0]
        return abstract_id

    @staticmethod
    def _shown(level_number: int, levels: dict[int, _Level], counters: dict[int, int], current: _Level) -> str:
        level = levels.get(level_number)
        if level is None:
            return ""
        value = counters.get(level_number, level.start)
        return _formatted(value, "decimal" if current.legal and level.format != "none" else level.format)


def _levels(elements, default_level: int = 0) -> dict[int, _Level]:
    levels = {}
    for element in elements:
        number = _int(element.get(qn("w:ilvl")), default_level)
        suffix = _val(element.find(qn("w:suff"))) or "tab"
        legal = element.find(qn("w:isLgl"))
        levels[number] = _Level(
            start=_int(_val(element.find(qn("w:start"))), 0),
            format=_number_format(element),
            text=_val(element.find(qn("w:lvlText"))) or "",
            restart=_int(_val(element.find(qn("w:lvlRestart")))),
            legal=legal is not None and _val(legal) not in ("0", "false", "off"),
            separator="" if suffix == "nothing" else " ",
            style=_val(element.find(qn("w:pStyle"))),
        )
    return levels


def _number_format(level) -> str:
    # Word 2010 writes formats older readers lack in mc:AlternateContent, with a fallback.
    number_format = level.find(qn("w:numFmt"))
    if number_format is None:
        number_format = level.find(f"{{{_MC}}}AlternateContent/{{{_MC}}}Fallback/{qn('w:numFmt')}")
    return _val(number_format) or "decimal"


def _restarts(level_number: int, level: _Level, *, after: int) -> bool:
    """Whether using level `after` restarts `level_number`: by default any level above does."""
    restart = level_number if level.restart is None else level.restart
    return after < restart


def _formatted(value: int, number_format: str) -> str:
    """`value` written in Word's numFmt; formats without a rule here are written in digits, never dropped."""
    if number_format == "none":
        return ""
    if not 1 <= value <= _MAX_SPELLED:
        return str(value)
    match number_format:
        case "lowerRoman" | "upperRoman":
            roman = _roman(value)
            return roman.upper() if number_format == "upperRoman" else roman
        case "lowerLetter" | "upperLetter":
            letters = _letters(value, _LATIN_LETTERS)
            return letters.upper() if number_format == "upperLetter" else letters
        case "russianLower" | "russianUpper":
            letters = _letters(value, _RUSSIAN_LETTERS)
            return letters.upper() if number_format == "russianUpper" else letters
        case "decimalZero":
            return f"{value:02d}"
    return str(value)


def _roman(value: int) -> str:
    digits = []
    for amount, numeral in _ROMAN:
        count, value = divmod(value, amount)
        digits.append(numeral * count)
    return "".join(digits)


def _letters(value: int, alphabet: str) -> str:
    # Word goes on after the last letter with doubled letters: y, z, aa, bb ...
    repeat, index = divmod(value - 1, len(alphabet))
    return alphabet[index] * (repeat + 1)
