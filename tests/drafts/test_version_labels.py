"""A version's label in each interface language: "Draft 2" reads "2-жоба" in Kazakh and "Проект 2" in Russian."""
import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from drafts import services
from drafts.models import DraftVersion
from tests.conftest import SMALL_CONSTITUTION_EN

pytestmark = pytest.mark.django_db


def _sources():
    return services.draft_sources_parse(uploads=[services.DraftUpload(filename="v.en.md", data=SMALL_CONSTITUTION_EN.encode(), language="en")])


def test_a_version_nobody_named_is_labelled_in_every_interface_language(document):
    version = services.draft_version_import(document=document, sources=_sources(), number=2)
    assert version.label == "Draft 2"
    assert version.label_translations == {"kk": "2-жоба", "ru": "Проект 2", "en": "Draft 2"}
    with translation.override("kk"):
        assert version.local_label == "2-жоба"
    with translation.override("ru"):
        assert version.local_label == "Проект 2"


def test_a_named_version_keeps_its_name_in_every_language_unless_translated(document):
    named = services.draft_version_import(document=document, sources=_sources(), number=1, label="Second reading")
    assert named.label_translations == {}
    with translation.override("kk"):
        assert named.local_label == "Second reading"
    translated = services.draft_version_import(
        document=document, sources=_sources(), number=2, label="Second reading", label_translations={"kk": "Екінші оқылым"}
    )
    with translation.override("kk"):
        assert translated.local_label == "Екінші оқылым"


def test_a_label_translation_in_no_language_is_refused_and_nothing_is_imported(document):
    with pytest.raises(ValidationError) as raised:
        services.draft_version_import(document=document, sources=_sources(), label_translations={"kazakh": "1-жоба"})
    assert set(raised.value.message_dict) == {"label_translations"}
    assert not DraftVersion.objects.exists()
