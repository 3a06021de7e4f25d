"""How legal texts name and number their divisions, as data: adding a country is adding rows.

HEADING_WORDS: one row per heading word of a language or tradition. The word is a regular expression
matched without regard to case; `order` says where the number stands:
- "word number": "Article 1", "Статья 89¹", "Titre Ier", "Art. 12a", "Rozdział I";
- "number word": "1-бап", "I бөлім", "БІРІНШІ БӨЛІМ", "1 straipsnis", "1. pants", "Нэгдүгээр зүйл".

The kinds are the tree's: part, section, chapter, article. Which of part, section and chapter is the
outer one is the document's own business (a French "Section" sits inside a "Chapitre", a Russian
"Глава" inside a "Раздел"): the parser ranks them by the order in which the document first uses them.

ORDINAL_WORDS: numbers spelled as ordinals ("РАЗДЕЛ ПЕРВЫЙ", "Article premier", "Hlava první").
"""
from __future__ import annotations

from dataclasses import dataclass

WORD_NUMBER = "word number"
NUMBER_WORD = "number word"


@dataclass(frozen=True)
class HeadingWord:
    tradition: str  # an ISO 639-1 code, or a name for a shared tradition
    kind: str
    order: str
    word: str  # a regular expression, matched ignoring case


def _rows(tradition: str, order: str, **words: str) -> tuple[HeadingWord, ...]:
    return tuple(
        HeadingWord(tradition, kind, order, word) for kind, alternatives in words.items() for word in alternatives.split("|")
    )


HEADING_WORDS: tuple[HeadingWord, ...] = (
    *_rows("en", WORD_NUMBER, part="part|title", section="section", chapter="chapter", article=r"article|art\."),
    *_rows("de", WORD_NUMBER, part="teil|titel", section="abschnitt", chapter="kapitel", article=r"artikel|art\.?"),
    *_rows("fr", WORD_NUMBER, part="titre|partie", section="section", chapter="chapitre", article=r"article|art\."),
    *_rows("es-it-pt", WORD_NUMBER, part="título|titolo|parte", section="sección|sezione|secção",
           chapter="capítulo|capitolo", article=r"artículo|articolo|artigo"),
    *_rows("ro", WORD_NUMBER, part="titlul", section=r"sec[tţț]iunea", chapter="capitolul", article="articolul"),
    *_rows("pl-cs-sk", WORD_NUMBER, part="część|část|hlava", chapter="rozdział|kapitola",
           section="oddział|oddíl", article=r"článek|článok|čl\."),
    *_rows("ru", WORD_NUMBER, part="часть|титул", section="раздел", chapter="глава", article="статья"),
    *_rows("uk", WORD_NUMBER, section="розділ", chapter="глава", article="стаття"),
    *_rows("be", WORD_NUMBER, section="раздзел", chapter="глава", article="артыкул"),
    *_rows("bg-sr-mk", WORD_NUMBER, part="дял", chapter="глава|поглавље", article=r"член|чл\.|члан"),
    *_rows("tg", WORD_NUMBER, section="фасли", chapter="боби", article="моддаи"),
    *_rows("az", WORD_NUMBER, section="bölmə", chapter="fəsil", article="maddə"),
    # Kazakh, Kyrgyz, Uzbek, Turkish: the number first ("1-бап", "I бөлім", "1-modda", "Birinci Bölüm").
    *_rows("kk", NUMBER_WORD, part="бөлік", section="бөлім|bölim", chapter="тарау|tarau", article="бап|bap"),
    *_rows("ky", NUMBER_WORD, section="бөлүм", chapter="глава", article="берене"),
    *_rows("uz", NUMBER_WORD, section="bo['‘’ʻ]lim|бўлим", chapter="bob|боб", article="modda|модда"),
    *_rows("tr", NUMBER_WORD, part="kısım", section="bölüm", article="madde"),
    *_rows("lt-lv-hu", NUMBER_WORD, section="skirsnis|nodaļa|fejezet", article="straipsnis|pants|cikk"),
)

# Words that introduce a preamble, and headings of matter after the body (kept as an unnumbered section).
PREAMBLE_WORDS = r"preamble|преамбула|präambel|кіріспе|préambule|преамбула|preambul|преамбулаҳо"
ANNEX_WORDS = r"annex|appendix|schedule|anhang|anlage|annexe|приложение|додаток|қосымша"
# A table of contents announces itself so.
CONTENTS_WORDS = (
    r"contents|table of contents|содержание|оглавление|зміст|мазмұны|inhalt|inhaltsübersicht|"
    r"inhaltsverzeichnis|sommaire|table des matières|spis treści|obsah|mündəricat|mundarija"
)

# Words of an editorial note saying that a provision was repealed ("Art 74a und 75 (weggefallen)",
# "Статья 5 исключена", "(Article repealed)"): the provision stays as a numbered placeholder.
REPEAL_WORDS = (
    r"repealed|deleted|abrogated|abrogé|abrogée|weggefallen|aufgehoben|исключена|исключен|исключено|"
    r"утратила силу|утратил силу|утратило силу|виключена|виключено|втратила чинність|"
    r"алынып тасталды|алып тасталды|күші жойылды|abrogat|abrogato|derogado"
)

# Ordinal words by value, every gender and case that headings use.
ORDINAL_WORDS: dict[int, str] = {
    1: "первый первая первое перший перша перше першы першая първи първа first one premier première erster erste "
       "erstes primero primera primo prima první prvá pierwszy бірінші биринчи birinchi birinci нэгдүгээр",
    2: "второй вторая второе другий друга друге другі другая втори втора second two deuxième second seconde "
       "zweiter zweite zweites segundo segunda secondo seconda druhý druhá drugi екінші экинчи ikkinchi ikinci "
       "хоёрдугаар",
    3: "третий третья третье третій третя трэці трэцяя трети трета third three troisième dritter dritte drittes "
       "tercero tercera terzo terza třetí tretia trzeci үшінші үчүнчү uchinchi üçüncü гуравдугаар",
    4: "четвертый четвертая четвертое четвёртый четвёртая четвёртое четвертий четверта чацвёрты чацвёртая "
       "четвърти четвърта fourth four quatrième vierter vierte viertes cuarto cuarta quarto quarta čtvrtý "
       "štvrtý czwarty төртінші төртүнчү to'rtinchi dördüncü",
    5: "пятый пятая пятое пʼятий п'ятий п'ята пʼята пяты пятая пети пета fifth five cinquième fünfter fünfte "
       "fünftes quinto quinta pátý piąty бесінші бешинчи beshinchi beşinci",
    6: "шестой шестая шестое шостий шоста шосты шостая шести шеста sixth six sixième sechster sechste sechstes "
       "sexto sexta sesto sesta šestý szósty алтыншы алтынчы oltinchi altıncı",
    7: "седьмой седьмая седьмое сьомий сьома сёмы сёмая седми седма seventh seven septième siebter siebte "
       "siebtes séptimo séptima settimo settima sedmý siódmy жетінші жетинчи yettinchi yedinci",
    8: "восьмой восьмая восьмое восьмий восьма восьмы восьмая осми осма eighth eight huitième achter achte "
       "achtes octavo octava ottavo ottava osmý ósmy сегізінші сегизинчи sakkizinchi sekizinci",
    9: "девятый девятая девятое дев'ятий девʼятий дев'ята дзявяты дзявятая девети девета ninth nine neuvième "
       "neunter neunte neuntes noveno novena nono nona devátý dziewiąty тоғызыншы тогузунчу to'qqizinchi dokuzuncu",
    10: "десятый десятая десятое десятий десята дзясяты дзясятая десети десета tenth ten dixième zehnter zehnte "
        "zehntes décimo décima decimo decima desátý dziesiąty оныншы онунчу o'ninchi onuncu",
}

# Suffixes printed after an Arabic or Roman number that do not change it: French "1er", "Ier", "1re",
# English "1st"; Latin insertions ("11 bis") do change it and are kept ("11bis").
# A lone "e" is not among them: German "Artikel 91e" is an inserted article, not the 91st.
ORDINAL_SUFFIXES = r"(?:er|re|ère|st|nd|rd|th)"
INSERTION_WORDS = r"(?:bis|ter|quater|quinquies|sexies)"
