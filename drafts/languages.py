"""The languages a text may be written in: a document's texts, a comment, a quote. Defined here, once.

DESIGN.md: texts may exist in any ISO 639-1 language, while the interface itself is kk/ru/en
(`settings.LANGUAGES`, a different list, for the pages' own words). A text language is one of the
two-letter ISO 639-1 codes that Django can name (`django.conf.locale.LANG_INFO`), so that every page
can show the name of a text's language, in that language and in the reader's
(`{% get_language_info %}` fails on a code Django does not know).

The parser recognises only some of them by itself (`drafts.parser.language.RECOGNISED_LANGUAGES`);
for the others an upload names its language.
"""
from __future__ import annotations

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

_NAMED_ISO_639_1 = sorted(code for code, info in LANG_INFO.items() if len(code) == 2 and "name" in info)
# The interface languages first: most texts are in them, and choice lists show them at the top.
_FIRST = [code for code, _name in settings.LANGUAGES if code in _NAMED_ISO_639_1]

# code -> its name in English, translated when shown (Django's own catalogs name every language).
TEXT_LANGUAGES: dict[str, Promise] = {
    code: gettext_lazy(LANG_INFO[code]["name"])
    for code in [*_FIRST, *(code for code in _NAMED_ISO_639_1 if code not in _FIRST)]
}


def text_language_is_known(code: str) -> bool:
    """Whether `code` names a language a text may be written in ("kk", "uk", "fr" … but not "kk-KZ" or "")."""
    return code in TEXT_LANGUAGES


def text_language_choices() -> list[tuple[str, Promise]]:
    """TEXT_LANGUAGES as (code, name) choices, for model fields and forms."""
    return list(TEXT_LANGUAGES.items())
