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


UKRAINIAN_V1 = "Розділ I\nЗагальні засади\n\nСтаття 1\nДержава є суверенна і незалежна.\n\nСтаття 2\nСуверенітет поширюється на всю територію.\n"
UKRAINIAN_V2 = UKRAINIAN_V1.replace("на всю територію", "на всю її територію")


@pytest.mark.django_db
def test_a_wrong_language_code_is_a_clear_error_in_the_command_and_the_service(tmp_path):
    from django.core.management import CommandError, call_command

    from config.errors import ApplicationError
    from drafts import services

    text = tmp_path / "draft.md"
    text.write_text(UKRAINIAN_V1)
    with pytest.raises(CommandError, match='"zz" is not a language code'):
        call_command("import_draft", "ukraine", "--create", "Constitution", "--language", "zz", "--file", str(text))
    with pytest.raises(ApplicationError, match='"kk-KZ" is not a language code') as error:
        services.draft_sources_parse(uploads=[services.DraftUpload("draft.md", UKRAINIAN_V1.encode(), "kk-KZ")])
    assert error.value.code == "language_unknown" and error.value.fields["language"]


@pytest.mark.django_db
def test_a_wrong_language_code_is_a_clear_error_in_the_api(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    Document.objects.create(title="Constitution", slug="ukraine", authoritative_language="uk")
    answer = admin_client.post(
        "/api/v1/documents/ukraine/versions/", {"files": [SimpleUploadedFile("v.md", UKRAINIAN_V1.encode())], "languages": ["zz"]}
    )
    assert answer.status_code == 400 and set(answer.json()) == {"message", "code", "fields"} and "languages" in answer.json()["fields"]


@pytest.mark.django_db
def test_a_language_the_interface_does_not_offer_reads_and_compares(client, make_version):
    """Ukrainian is no interface language: its text imports, shows in the reader and is compared word by word."""
    from consult import services as consult_services
    from drafts import services

    document = services.document_create(title="Constitution", slug="ukraine", authoritative_language="uk")
    consultation = consult_services.consultation_create(title="Reform", slug="reform", languages=["uk"], status="open")
    consult_services.consultation_document_add(consultation=consultation, document=document)
    make_version(document, number=1, texts={"uk": UKRAINIAN_V1})
    make_version(document, number=2, texts={"uk": UKRAINIAN_V2})
    reader = client.get("/c/reform/ukraine/v2/")
    assert reader.status_code == 200 and "на всю її територію" in reader.content.decode()
    from drafts.models import Alignment

    alignment = Alignment.objects.get(new_version__number=2)
    services.alignment_run(alignment_id=alignment.pk)
    compared = client.get("/c/reform/ukraine/compare/v1-v2/").content.decode()
    assert "<ins>" in compared and "її" in compared
