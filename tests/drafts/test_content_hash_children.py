"""A provision's content hash covers everything under it (issue 11, point 5): an article whose paragraphs changed
gets a new hash, on import as after a correction, and its section's too; the provisions beside it keep theirs."""
import pytest

from drafts import services
from tests.conftest import SMALL_CONSTITUTION_EN

pytestmark = pytest.mark.django_db


def _hashes(version):
    return dict(version.provisions.values_list("path", "content_hash"))


def test_on_import_a_changed_paragraph_changes_its_article_and_section(document, make_version):
    first = make_version(document, publish=False)
    changed_text = SMALL_CONSTITUTION_EN.replace("2. The sources of law are:", "2. The only sources of law are:")
    assert changed_text != SMALL_CONSTITUTION_EN
    second = make_version(document, texts={"en": changed_text}, publish=False)
    before, after = _hashes(first), _hashes(second)
    assert before["I/1/2"] != after["I/1/2"]  # the paragraph itself
    assert before["I/1"] != after["I/1"]  # its article, whose own words did not change
    assert before["I"] != after["I"]  # and its section
    assert before["I/1/2/1"] == after["I/1/2/1"] and before["I/2"] == after["I/2"] and before["II/3"] == after["II/3"]


def test_a_correction_rehashes_the_provision_and_its_ancestors_only(document, make_version):
    version = make_version(document, publish=False)
    before = _hashes(version)
    version_hash = version.content_hash
    paragraph = version.provisions.get(path="I/1/2/1")
    services.provision_text_update(provision=paragraph, language="en", heading="", text="this Constitution and the codes;")
    after = _hashes(version)
    changed = {path for path in before if before[path] != after[path]}
    assert changed == {"I/1/2/1", "I/1/2", "I/1", "I"}
    version.refresh_from_db()
    assert version.content_hash != version_hash


def test_a_correction_back_to_the_imported_words_restores_every_hash(document, make_version):
    version = make_version(document, publish=False)
    before = _hashes(version)
    paragraph = version.provisions.get(path="II/3/1")
    services.provision_text_update(provision=paragraph, language="en", heading="", text="Everyone has the right to rest.")
    services.provision_text_update(provision=paragraph, language="en", heading="", text="Everyone has the right to life.")
    assert _hashes(version) == before
