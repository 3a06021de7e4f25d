"""The text languages, defined once in drafts.languages: every list of languages is this one."""
import pytest
from django.conf import settings
from django.utils import translation

from comments.models import Comment
from drafts.languages import TEXT_LANGUAGES, text_language_choices, text_language_is_known
from drafts.models import LANGUAGE_CHOICES, Document, ProvisionText
from drafts.parser.language import RECOGNISED_LANGUAGES


def test_any_iso_639_1_language_is_a_text_language_and_nothing_else_is():
    for code in ("kk", "ru", "en", "de", "uk", "fr", "ky", "uz", "tr", "ar"):
        assert text_language_is_known(code), code
    for code in ("", "xx", "kk-kz", "KK", "zh-hans", "ast", "en-gb"):
        assert not text_language_is_known(code), code


def test_the_interface_languages_are_text_languages_and_come_first():
    interface = [code for code, _name in settings.LANGUAGES]
    assert list(TEXT_LANGUAGES)[: len(interface)] == interface


def test_the_parser_recognises_text_languages_only():
    assert RECOGNISED_LANGUAGES == {"kk", "ru", "en", "de"}
    assert RECOGNISED_LANGUAGES <= set(TEXT_LANGUAGES)


@pytest.mark.parametrize("field", [
    Document._meta.get_field("authoritative_language"),
    ProvisionText._meta.get_field("language"),
    Comment._meta.get_field("language"),
    Comment._meta.get_field("quote_language"),
])
def test_every_language_field_offers_the_text_languages(field):
    assert [code for code, _name in field.choices] == list(TEXT_LANGUAGES)
    assert LANGUAGE_CHOICES == text_language_choices()


def test_every_text_language_can_be_named_on_a_page():
    """The reader's language switcher names a version's languages with {% get_language_info %}."""
    for code in TEXT_LANGUAGES:
        assert translation.get_language_info(code)["name_local"]
    with translation.override("ru"):
        assert str(TEXT_LANGUAGES["de"]) == "Немецкий"
