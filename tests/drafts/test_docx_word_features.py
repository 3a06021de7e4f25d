""".docx files as drafting offices write them: automatic numbering, tracked changes, comments,
footnotes, fields, content controls and tables, each built here with python-docx and its XML.

Pure: no database, no Django.
"""
from __future__ import annotations

import io
import zipfile

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from drafts.parser import DraftParseError, flatten, parse_docx, parse_upload
from drafts.parser.docx_text import read_docx

W = nsdecls("w")


def _bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _text(document) -> str:
    return read_docx(_bytes(document), name="The file").text


def _provisions(document) -> list[tuple[str, str, str]]:
    return [(p.path, p.heading, p.text) for p in flatten(parse_docx(_bytes(document)))]


def _part_text(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name).decode()


def _warning_codes(parsed) -> list[str]:
    return [warning.code for warning in parsed.warnings]


# --- Numbering definitions written as Word writes them ------------------------------------------


def _define_list(document, abstract_id: int, levels: list[tuple[str, str]], *, restart: dict[int, int] | None = None):
    """Add an abstractNum with `levels` [(numFmt, lvlText)] and a w:num using it; returns the numId."""
    numbering = document.part.numbering_part.element
    level_xml = "".join(
        f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{number_format}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>'
        for level, (number_format, text) in enumerate(levels)
    )
    abstract = parse_xml(f'<w:abstractNum {W} w:abstractNumId="{abstract_id}">{level_xml}</w:abstractNum>')
    # The schema puts every abstractNum before the first num.
    numbering.find(qn("w:num")).addprevious(abstract)
    return _add_instance(document, abstract_id, restart=restart)


def _add_instance(document, abstract_id: int, *, restart: dict[int, int] | None = None) -> int:
    """A new w:num over `abstract_id`, as Word's "Restart numbering" writes it when `restart` is given."""
    numbering = document.part.numbering_part.element
    num_id = 1 + max(int(num.get(qn("w:numId"))) for num in numbering.iterchildren(qn("w:num")))
    overrides = "".join(
        f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
        for level, start in (restart or {}).items()
    )
    numbering.append(
        parse_xml(f'<w:num {W} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{overrides}</w:num>')
    )
    return num_id


def _numbered(document, text: str, num_id: int, level: int = 0, *, style: str | None = None):
    paragraph = document.add_paragraph(text, style=style)
    paragraph._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {W}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>')
    )
    return paragraph


def _list_number_abstract(document) -> int:
    """The abstractNum behind the "List Number" style of python-docx's template."""
    style = document.styles["List Number"].element
    num_id = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}").get(qn("w:val"))
    numbering = document.part.numbering_part.element
    instance = next(num for num in numbering.iterchildren(qn("w:num")) if num.get(qn("w:numId")) == num_id)
    return int(instance.find(qn("w:abstractNumId")).get(qn("w:val")))


# --- Automatic numbering ------------------------------------------------------------------------


def test_list_number_paragraphs_become_the_articles_numbered_paragraphs():
    document = docx.Document()
    document.add_paragraph("Статья 1")
    for text in ("Граждане равны перед законом.", "Закон один для всех.", "Суд независим."):
        document.add_paragraph(text, style="List Number")
    document.add_paragraph("Статья 2")
    document.add_paragraph("Язык государственный.")

    assert _provisions(document) == [
        ("1", "", ""),
        ("1/1", "", "Граждане равны перед законом."),
        ("1/2", "", "Закон один для всех."),
        ("1/3", "", "Суд независим."),
        ("2", "", "Язык государственный."),
    ]


def test_a_list_goes_on_across_articles_as_word_shows_it_and_a_restart_restarts_it():
    document = docx.Document()
    document.add_paragraph("Статья 1")
    document.add_paragraph("Граждане равны.", style="List Number")
    document.add_paragraph("Закон один.", style="List Number")
    document.add_paragraph("Статья 2")
    document.add_paragraph("Язык государственный.", style="List Number")  # Word shows "3."
    document.add_paragraph("Статья 3")
    restarted = _add_instance(document, _list_number_abstract(document), restart={0: 1})
    _numbered(document, "Столица — Астана.", restarted, style="List Number")  # "Restart at 1"
    document.add_paragraph("Флаг голубой.", style="List Number")  # the style's list continues the restart
    _numbered(document, "Герб золотой.", restarted, style="List Number")

    assert _text(document).splitlines() == [
        "Статья 1", "1. Граждане равны.", "2. Закон один.",
        "Статья 2", "3. Язык государственный.",
        "Статья 3", "1. Столица — Астана.", "2. Флаг голубой.", "3. Герб золотой.",
    ]  # fmt: skip
    assert [path for path, _, _ in _provisions(document)] == ["1", "1/1", "1/2", "2", "2/3", "3", "3/1", "3/2", "3/3"]


def test_set_numbering_value_starts_the_list_there():
    document = docx.Document()
    document.add_paragraph("Статья 7")
    continued = _add_instance(document, _list_number_abstract(document), restart={0: 5})  # "Set numbering value: 5"
    _numbered(document, "Пятый пункт.", continued, style="List Number")
    _numbered(document, "Шестой пункт.", continued, style="List Number")

    assert _text(document).splitlines() == ["Статья 7", "5. Пятый пункт.", "6. Шестой пункт."]


def test_automatically_numbered_article_headings_with_paragraphs_and_sub_points():
    document = docx.Document()
    articles = _define_list(document, 20, [("decimal", "Статья %1."), ("decimal", "%2."), ("decimal", "%3)")])
    _numbered(document, "Общие положения", articles, 0, style="Heading 2")
    _numbered(document, "Республика является демократическим государством.", articles, 1)
    _numbered(document, "Источниками права являются:", articles, 1)
    _numbered(document, "Конституция;", articles, 2)
    _numbered(document, "законы.", articles, 2)
    _numbered(document, "Государственные символы", articles, 0, style="Heading 2")
    _numbered(document, "Символы устанавливаются законом.", articles, 1)

    assert _text(document).splitlines() == [
        "## Статья 1. Общие положения",
        "1. Республика является демократическим государством.",
        "2. Источниками права являются:",
        "1) Конституция;",
        "2) законы.",
        "## Статья 2. Государственные символы",
        "1. Символы устанавливаются законом.",
    ]
    assert _provisions(document) == [
        ("1", "Общие положения", ""),
        ("1/1", "", "Республика является демократическим государством."),
        ("1/2", "", "Источниками права являются:"),
        ("1/2/1", "", "Конституция;"),
        ("1/2/2", "", "законы."),
        ("2", "Государственные символы", ""),
        ("2/1", "", "Символы устанавливаются законом."),
    ]


def _link_style_to_level(document, style_name: str, num_id: int, level: int, *, style_names_level: bool = True):
    """Give a paragraph style the list level, as Word does for a multilevel list "linked to" headings.

    Word leaves the first level implicit in the style; other writers leave every level to the
    level's own w:pStyle (`style_names_level=False`).
    """
    style = document.styles[style_name].element
    level_xml = f'<w:ilvl w:val="{level}"/>' if level and style_names_level else ""
    style.get_or_add_pPr().append(parse_xml(f'<w:numPr {W}>{level_xml}<w:numId w:val="{num_id}"/></w:numPr>'))
    numbering = document.part.numbering_part.element
    instance = next(num for num in numbering.iterchildren(qn("w:num")) if num.get(qn("w:numId")) == str(num_id))
    abstract_id = instance.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = numbering.find(f"{qn('w:abstractNum')}[@{qn('w:abstractNumId')}='{abstract_id}']")
    definition = abstract.find(f"{qn('w:lvl')}[@{qn('w:ilvl')}='{level}']")
    definition.find(qn("w:numFmt")).addprevious(parse_xml(f'<w:pStyle {W} w:val="{style.get(qn("w:styleId"))}"/>'))
    return definition


def test_heading_styles_linked_to_a_list_number_sections_and_articles_articles_running_on():
    document = docx.Document()
    headings = _define_list(document, 25, [("upperRoman", "Раздел %1."), ("decimal", "Статья %2.")])
    _link_style_to_level(document, "Heading 1", headings, 0)
    article = _link_style_to_level(document, "Heading 2", headings, 1)
    article.append(parse_xml(f'<w:lvlRestart {W} w:val="0"/>'))  # articles are numbered through the sections
    document.add_heading("Общие положения", level=1)
    document.add_heading("Суверенитет", level=2)
    document.add_paragraph("Народ является источником власти.")
    document.add_heading("Язык", level=2)
    document.add_paragraph("Государственный язык.")
    document.add_heading("Права и свободы", level=1)
    document.add_heading("Равенство", level=2)
    document.add_paragraph("Все равны перед законом.")

    assert _text(document).splitlines() == [
        "# Раздел I. Общие положения", "## Статья 1. Суверенитет", "Народ является источником власти.",
        "## Статья 2. Язык", "Государственный язык.",
        "# Раздел II. Права и свободы", "## Статья 3. Равенство", "Все равны перед законом.",
    ]  # fmt: skip
    assert [(path, heading) for path, heading, _ in _provisions(document)] == [
        ("I", "Общие положения"), ("I/1", "Суверенитет"), ("I/2", "Язык"),
        ("II", "Права и свободы"), ("II/3", "Равенство"),
    ]  # fmt: skip


def test_a_style_without_a_level_takes_the_level_that_names_it():
    document = docx.Document()
    headings = _define_list(document, 29, [("decimal", "Глава %1."), ("decimal", "Статья %2.")])
    _link_style_to_level(document, "Heading 1", headings, 0, style_names_level=False)
    _link_style_to_level(document, "Heading 2", headings, 1, style_names_level=False)
    document.add_heading("Основы", level=1)
    document.add_heading("Суверенитет", level=2)
    document.add_heading("Язык", level=2)

    assert _text(document).splitlines() == ["# Глава 1. Основы", "## Статья 1. Суверенитет", "## Статья 2. Язык"]


def test_a_list_that_takes_its_levels_from_a_list_style():
    document = docx.Document()
    definition = _define_list(document, 26, [("decimal", "%1."), ("russianLower", "%2)")])
    numbering = document.part.numbering_part.element
    abstract = numbering.find(f"{qn('w:abstractNum')}[@{qn('w:abstractNumId')}='26']")
    abstract.insert(0, parse_xml(f'<w:styleLink {W} w:val="PointsList"/>'))
    document.styles.element.append(parse_xml(
        f'<w:style {W} w:type="numbering" w:styleId="PointsList"><w:name w:val="Points List"/>'
        f'<w:pPr><w:numPr><w:numId w:val="{definition}"/></w:numPr></w:pPr></w:style>'
    ))  # fmt: skip
    numbering.find(qn("w:num")).addprevious(
        parse_xml(f'<w:abstractNum {W} w:abstractNumId="27"><w:numStyleLink w:val="PointsList"/></w:abstractNum>')
    )
    points = _add_instance(document, 27)
    _numbered(document, "Первый.", points, 0)
    _numbered(document, "подпункт;", points, 1)
    _numbered(document, "Второй.", definition, 0)  # the same list, reached through the style's own numId

    assert _text(document).splitlines() == ["1. Первый.", "а) подпункт;", "2. Второй."]


def test_legal_numbering_shows_every_level_in_digits():
    document = docx.Document()
    points = _define_list(document, 28, [("upperRoman", "%1."), ("decimal", "%1.%2.")])
    numbering = document.part.numbering_part.element
    level = numbering.find(f"{qn('w:abstractNum')}[@{qn('w:abstractNumId')}='28']/{qn('w:lvl')}[@{qn('w:ilvl')}='1']")
    level.find(qn("w:numFmt")).addprevious(parse_xml(f"<w:isLgl {W}/>"))
    _numbered(document, "Раздел.", points, 0)
    _numbered(document, "Раздел.", points, 0)
    _numbered(document, "Пункт.", points, 1)

    assert _text(document).splitlines() == ["I. Раздел.", "II. Раздел.", "2.1. Пункт."]


def test_kazakh_articles_and_multi_level_labels():
    document = docx.Document()
    articles = _define_list(document, 21, [("decimal", "%1-бап."), ("decimal", "%1.%2.")])
    _numbered(document, "Жалпы ережелер", articles, 0)
    _numbered(document, "Бірінші тармақ.", articles, 1)
    _numbered(document, "Екінші тармақ.", articles, 1)
    _numbered(document, "Мемлекеттік рәміздер", articles, 0)
    _numbered(document, "Рәміздер заңмен белгіленеді.", articles, 1)

    assert _text(document).splitlines() == [
        "1-бап. Жалпы ережелер", "1.1. Бірінші тармақ.", "1.2. Екінші тармақ.",
        "2-бап. Мемлекеттік рәміздер", "2.1. Рәміздер заңмен белгіленеді.",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("number_format", "text", "labels"),
    [
        ("russianLower", "%1)", ["а)", "б)", "в)", "г)", "д)", "е)", "ж)", "з)", "и)", "к)"]),  # no ё, no й
        ("lowerLetter", "(%1)", ["(a)", "(b)", "(c)", "(d)", "(e)", "(f)", "(g)", "(h)", "(i)", "(j)"]),
        ("upperRoman", "Раздел %1.", [f"Раздел {n}." for n in ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX")]
         + ["Раздел X."]),
        ("decimalZero", "%1.", ["01.", "02.", "03.", "04.", "05.", "06.", "07.", "08.", "09.", "10."]),
    ],
)
def test_number_formats_render_as_word_shows_them(number_format, text, labels):
    document = docx.Document()
    points = _define_list(document, 22, [(number_format, text)])
    for index in range(10):
        _numbered(document, f"пункт {index}", points)

    assert _text(document).splitlines() == [f"{label} пункт {index}" for index, label in enumerate(labels)]


def test_russian_letters_skip_the_letters_word_skips_and_double_after_the_last():
    document = docx.Document()
    points = _define_list(document, 23, [("russianLower", "%1)")])
    for index in range(31):
        _numbered(document, "пункт", points)

    labels = [line.split(")")[0] for line in _text(document).splitlines()]
    assert "".join(labels[:29]) == "абвгдежзиклмнопрстуфхцчшщыэюя"
    assert labels[29:] == ["аа", "бб"]


def test_a_start_too_large_to_spell_is_written_in_digits():
    document = docx.Document()
    points = _define_list(document, 30, [("upperRoman", "%1."), ("lowerLetter", "%2)")])
    numbering = document.part.numbering_part.element
    for start in numbering.find(f"{qn('w:abstractNum')}[@{qn('w:abstractNumId')}='30']").iter(qn("w:start")):
        start.set(qn("w:val"), "999999999")  # would be megabytes of "M" or "a"
    _numbered(document, "Раздел.", points, 0)
    _numbered(document, "пункт", points, 1)

    assert _text(document).splitlines() == ["999999999. Раздел.", "999999999) пункт"]


def test_a_restart_in_a_nested_level_and_a_level_that_never_restarts():
    document = docx.Document()
    points = _define_list(document, 24, [("decimal", "%1."), ("russianLower", "%2)")])
    numbering = document.part.numbering_part.element
    level = numbering.find(f"{qn('w:abstractNum')}[@{qn('w:abstractNumId')}='24']/{qn('w:lvl')}[@{qn('w:ilvl')}='1']")
    level.append(parse_xml(f'<w:lvlRestart {W} w:val="0"/>'))
    _numbered(document, "Первый.", points, 0)
    _numbered(document, "один;", points, 1)
    _numbered(document, "Второй.", points, 0)
    _numbered(document, "два;", points, 1)  # lvlRestart 0: the letters go on

    assert _text(document).splitlines() == ["1. Первый.", "а) один;", "2. Второй.", "б) два;"]


def test_bullets_are_not_numbers_and_a_style_number_can_be_removed():
    document = docx.Document()
    document.add_paragraph("Статья 1")
    document.add_paragraph("Граждане равны.", style="List Number")
    document.add_paragraph("сноска в тексте", style="List Bullet")
    _numbered(document, "Без номера.", 0, style="List Number")  # numId 0 removes the style's numbering
    document.add_paragraph("Закон один.", style="List Number")

    assert _text(document).splitlines() == [
        "Статья 1", "1. Граждане равны.", "сноска в тексте", "Без номера.", "2. Закон один.",
    ]  # fmt: skip


def test_numbering_that_points_nowhere_prints_no_number_and_no_error():
    document = docx.Document()
    document.add_paragraph("Article 1")
    _numbered(document, "The people are sovereign.", 999)
    document.part.drop_rel(next(rel.rId for rel in document.part.rels.values() if rel.reltype == RT.NUMBERING))
    _numbered(document, "Laws are published.", 5)

    assert _text(document).splitlines() == ["Article 1", "The people are sovereign.", "Laws are published."]


# --- Tracked changes ----------------------------------------------------------------------------


def _revision(tag: str, content: str, revision_id: int) -> object:
    return parse_xml(
        f'<w:{tag} {W} w:id="{revision_id}" w:author="Редактор" w:date="2026-11-01T10:00:00Z">{content}</w:{tag}>'
    )


def _inserted(paragraph, text: str, revision_id: int = 1):
    paragraph._p.append(_revision("ins", f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>', revision_id))


def _deleted(paragraph, text: str, revision_id: int = 2):
    paragraph._p.append(_revision("del", f'<w:r><w:delText xml:space="preserve">{text}</w:delText></w:r>', revision_id))


def _delete_mark(paragraph, revision_id: int = 3):
    """Track the deletion of the paragraph's mark, as Word does when two paragraphs are joined."""
    properties = paragraph._p.get_or_add_pPr()
    mark = properties.find(qn("w:rPr"))
    if mark is None:
        mark = parse_xml(f"<w:rPr {W}/>")
        properties.append(mark)
    mark.append(_revision("del", "", revision_id))


def test_tracked_changes_are_imported_accepted_and_said():
    document = docx.Document()
    document.add_paragraph("Article 1")
    paragraph = document.add_paragraph("The people are ")
    _inserted(paragraph, "the only ")
    _deleted(paragraph, "a ")
    paragraph.add_run("source of power.")
    document.add_paragraph("Article 2")
    moved = document.add_paragraph("Laws ")
    moved._p.append(_revision("moveFrom", '<w:r><w:delText xml:space="preserve">old words </w:delText></w:r>', 4))
    moved._p.append(_revision("moveTo", '<w:r><w:t xml:space="preserve">are published </w:t></w:r>', 5))
    moved.add_run("in full.")

    parsed = parse_upload(filename="draft.docx", data=_bytes(document))
    provisions = {p.path: p.text for p in flatten(parsed)}
    assert provisions == {"1": "The people are the only source of power.", "2": "Laws are published in full."}
    [warning] = [w for w in parsed.warnings if w.code == "tracked_changes_accepted"]
    assert "2 insertions and 2 deletions" in warning.message and warning.line is None
    assert parsed.warnings[0] == warning  # about the whole file, so said first


def test_a_deleted_paragraph_mark_joins_the_paragraph_to_the_next_and_a_deleted_paragraph_disappears():
    document = docx.Document()
    document.add_paragraph("Article 1")
    first = document.add_paragraph("The people are ")
    _delete_mark(first, 6)  # "The people are" + "sovereign." in the accepted text
    document.add_paragraph("sovereign.")
    gone = document.add_paragraph()
    _deleted(gone, "2. A paragraph struck out entirely.", 7)
    _delete_mark(gone, 8)
    document.add_paragraph("2. Laws are published.")

    assert _text(document).splitlines() == ["Article 1", "The people are sovereign.", "2. Laws are published."]
    parsed = parse_docx(_bytes(document))
    # The joined paragraphs are one line, so the lines after them count as the reader counts paragraphs.
    assert [(p.path, p.text, p.line) for p in flatten(parsed)] == [
        ("1", "The people are sovereign.", 1),
        ("1/2", "Laws are published.", 3),
    ]
    assert "3 deletions" in parsed.warnings[0].message


def test_a_numbered_paragraph_deleted_with_track_changes_does_not_take_a_number():
    document = docx.Document()
    document.add_paragraph("Статья 1")
    document.add_paragraph("Граждане равны.", style="List Number")
    struck = document.add_paragraph(style="List Number")
    _deleted(struck, "Удалённый пункт.", 9)
    _delete_mark(struck, 10)
    document.add_paragraph("Закон один.", style="List Number")

    assert _text(document).splitlines() == ["Статья 1", "1. Граждане равны.", "2. Закон один."]


def test_a_deleted_table_row_is_left_out():
    document = docx.Document()
    document.add_paragraph("Article 1")
    table = document.add_table(rows=2, cols=1)
    table.cell(0, 0).text = "Kept row."
    table.cell(1, 0).text = "Deleted row."
    table.rows[1]._tr.get_or_add_trPr().append(_revision("del", "", 11))

    assert _text(document).splitlines() == ["Article 1", "Kept row."]


def test_a_document_without_tracked_changes_has_no_such_warning():
    document = docx.Document()
    document.add_paragraph("Article 1")
    document.add_paragraph("The people are sovereign.")
    assert "tracked_changes_accepted" not in _warning_codes(parse_docx(_bytes(document)))


# --- Comments, notes, fields, content controls --------------------------------------------------


def test_word_comments_stay_out_of_the_text():
    document = docx.Document()
    document.add_paragraph("Article 1")
    paragraph = document.add_paragraph("The people are sovereign.")
    document.add_comment(paragraph.runs, text="Should this say 'nation'?", author="Reviewer", initials="R")

    data = _bytes(document)
    assert "Should this say" in _part_text(data, "word/comments.xml")  # the comment is in the file ...
    assert read_docx(data, name="The file").text == "Article 1\nThe people are sovereign."  # ... not in the law


def _add_footnotes_part(document, note: str):
    xml = (
        f'<w:footnotes {W}><w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r>'
        f"<w:r><w:t>{note}</w:t></w:r></w:p></w:footnote></w:footnotes>"
    )
    part = Part(
        PackURI("/word/footnotes.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
        xml.encode(),
        document.part.package,
    )
    document.part.relate_to(part, RT.FOOTNOTES)


def test_footnote_and_endnote_references_and_their_notes_stay_out_of_the_text():
    document = docx.Document()
    document.add_paragraph("Article 1")
    paragraph = document.add_paragraph("The people are sovereign.")
    paragraph._p.append(
        parse_xml(f'<w:r {W}><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="1"/></w:r>')
    )
    paragraph.add_run(" Power is theirs.")
    paragraph._p.append(
        parse_xml(f'<w:r {W}><w:endnoteReference w:customMarkFollows="1" w:id="2"/><w:t>*</w:t></w:r>')
    )
    _add_footnotes_part(document, "As amended in 2026.")

    data = _bytes(document)
    assert "As amended in 2026." in _part_text(data, "word/footnotes.xml")
    assert read_docx(data, name="The file").text == "Article 1\nThe people are sovereign. Power is theirs."


def test_fields_show_their_result_not_their_code():
    document = docx.Document()
    document.add_paragraph("Article 1")
    paragraph = document.add_paragraph("As article ")
    for run_xml in (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
        '<w:r><w:instrText xml:space="preserve"> REF _Ref123 \\r \\h </w:instrText></w:r>',
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
        "<w:r><w:t>2</w:t></w:r>",
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
    ):
        paragraph._p.append(parse_xml(run_xml.replace("<w:r>", f"<w:r {W}>", 1)))
    paragraph._p.append(
        parse_xml(
            f'<w:fldSimple {W} w:instr=" REF _Ref456 \\r ">'
            '<w:r><w:t xml:space="preserve"> and 3</w:t></w:r></w:fldSimple>'
        )
    )
    paragraph.add_run(" say.")

    assert _text(document).splitlines() == ["Article 1", "As article 2 and 3 say."]


def test_content_controls_are_read_and_a_table_of_contents_is_not():
    document = docx.Document()
    body = document.element.body
    body.insert(0, parse_xml(
        f'<w:sdt {W}><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/></w:docPartObj></w:sdtPr>'
        '<w:sdtContent><w:p><w:r><w:t>Article 1\t1</w:t></w:r></w:p></w:sdtContent></w:sdt>'
    ))  # fmt: skip
    document.add_paragraph("Article 1")
    body.append(parse_xml(
        f'<w:sdt {W}><w:sdtPr><w:alias w:val="Body"/></w:sdtPr><w:sdtContent>'
        '<w:p><w:r><w:t xml:space="preserve">The people are </w:t></w:r>'
        '<w:sdt><w:sdtContent><w:r><w:t>sovereign.</w:t></w:r></w:sdtContent></w:sdt></w:p>'
        "</w:sdtContent></w:sdt>"
    ))  # fmt: skip

    assert _text(document).splitlines() == ["Article 1", "The people are sovereign."]


# --- Tables -------------------------------------------------------------------------------------


def test_tables_stay_text_merged_cells_once_nested_tables_in_place():
    document = docx.Document()
    document.add_paragraph("Article 1")
    document.add_paragraph("The rates are:")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "Rates"
    table.cell(1, 0).text = "Income"
    inner = table.cell(1, 1).add_table(rows=1, cols=1)
    inner.cell(0, 0).text = "10 percent"

    assert _text(document).splitlines() == ["Article 1", "The rates are:", "Rates", "Income", "", "10 percent"]
    imported = " ".join(text for _, _, text in _provisions(document))
    assert all(cell in imported for cell in ("Rates", "Income", "10 percent"))


def test_not_a_word_file_is_still_refused():
    with pytest.raises(DraftParseError, match='^"draft.docx" is not a valid .docx file$'):
        parse_upload(filename="draft.docx", data=b"PK\x03\x04 not really")
