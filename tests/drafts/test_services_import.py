"""draft_sources_parse, draft_import_plan and draft_version_import: what an import writes, and what a bad one leaves."""
import pytest

from config.errors import ApplicationError
from drafts import services
from drafts.import_plan import version_content_hash
from drafts.models import DraftVersion, Lineage, Provision, ProvisionText
from tests.conftest import SMALL_CONSTITUTION_EN, SMALL_CONSTITUTION_RU

pytestmark = pytest.mark.django_db


def _sources(**texts):
    uploads = [services.DraftUpload(filename=f"{lang}.md", data=t.encode(), language=lang) for lang, t in texts.items()]
    return services.draft_sources_parse(uploads=uploads)


def _nothing_saved():
    return not DraftVersion.objects.exists() and not Provision.objects.exists() and not Lineage.objects.exists()


def test_import_writes_a_preparing_version_in_reading_order(document):
    version = services.draft_version_import(document=document, sources=_sources(en=SMALL_CONSTITUTION_EN))

    assert version.status == DraftVersion.Status.PREPARING
    assert version.number == 1 and version.label == "Draft 1"
    provisions = list(version.provisions.order_by("id"))
    assert [p.order for p in provisions] == list(range(len(provisions)))
    assert [p.path for p in provisions] == [
        "preamble", "I", "I/1", "I/1/1", "I/1/2", "I/1/2/1", "I/1/2/2", "I/2", "II", "II/3", "II/3/1", "II/3/2", "II/3-1",
    ]
    by_path = {p.path: p for p in provisions}
    assert by_path["I/1/2/1"].parent == by_path["I/1/2"]
    assert by_path["I/1/2"].parent == by_path["I/1"]
    assert by_path["I"].parent is None
    assert by_path["I/1/2/1"].kind == Provision.Kind.SUBPARAGRAPH
    assert by_path["II/3-1"].number == "3-1"
    assert ProvisionText.objects.get(provision=by_path["I/2"]).text == "The capital of Testland is Testville."
    assert ProvisionText.objects.get(provision=by_path["I"]).heading == "General Provisions"


def test_each_provision_starts_its_own_lineage(document):
    version = services.draft_version_import(document=document, sources=_sources(en=SMALL_CONSTITUTION_EN))
    lineages = list(version.provisions.values_list("lineage_id", flat=True))
    assert len(set(lineages)) == len(lineages) == Lineage.objects.filter(document=document).count()


def test_version_hash_covers_every_provision(document):
    version = services.draft_version_import(document=document, sources=_sources(en=SMALL_CONSTITUTION_EN))
    hashes = list(version.provisions.order_by("order").values_list("content_hash", flat=True))
    assert version.content_hash == version_content_hash(hashes)
    assert len(set(hashes)) == len(hashes)


def test_translation_is_matched_provision_by_provision(document):
    version = services.draft_version_import(
        document=document, sources=_sources(en=SMALL_CONSTITUTION_EN, ru=SMALL_CONSTITUTION_RU)
    )
    assert version.languages == ["en", "ru"]
    ru = dict(
        ProvisionText.objects.filter(provision__version=version, language="ru").values_list("provision__path", "text")
    )
    assert ru["I/1/1"] == "Тестландия является демократическим государством."
    assert ru["I/2"].startswith("Столица Тестландии")
    assert "II/3" not in ru  # the Russian text stops after Section I: no made-up translation


def test_numbers_follow_on_and_can_be_chosen(document):
    baseline = services.draft_version_import(document=document, sources=_sources(en=SMALL_CONSTITUTION_EN), number=0)
    draft = services.draft_version_import(document=document, sources=_sources(en=SMALL_CONSTITUTION_EN))
    assert (baseline.number, baseline.label, baseline.is_baseline) == (0, "Baseline (text in force)", True)
    assert draft.number == 1


def test_an_existing_number_is_refused_and_nothing_added(document):
    services.draft_version_import(document=document, sources=_sources(en=SMALL_CONSTITUTION_EN), number=1)
    before = Provision.objects.count()
    with pytest.raises(ApplicationError) as error:
        services.draft_version_import(document=document, sources=_sources(en=SMALL_CONSTITUTION_EN), number=1)
    assert error.value.code == "version_exists"
    assert Provision.objects.count() == before and DraftVersion.objects.count() == 1


def test_the_authoritative_text_is_required(document):
    with pytest.raises(ApplicationError) as error:
        services.draft_version_import(document=document, sources=_sources(ru=SMALL_CONSTITUTION_RU))
    assert error.value.code == "authoritative_missing"
    assert _nothing_saved()


@pytest.mark.parametrize(
    ("data", "code", "needle"),
    [
        (b"", "unparseable", "empty"),
        (b"   \n\n  \t\n", "unparseable", "empty"),
        (b"This is an essay about the weather.\nIt has no articles at all.\n", "unparseable", "Line 1"),
        (b"\x00\x01\x02\xff\xfe\x00binary", "unparseable", "draft.txt"),
    ],
)
def test_an_unreadable_file_is_refused_with_its_name_and_line(document, data, code, needle):
    with pytest.raises(ApplicationError) as error:
        services.draft_sources_parse(uploads=[services.DraftUpload(filename="draft.txt", data=data, language="en")])
    assert error.value.code == code
    assert needle in error.value.message and "draft.txt" in error.value.message
    assert error.value.fields["files"]
    assert _nothing_saved()


def test_an_oversized_file_is_refused_before_parsing(document):
    upload = services.DraftUpload(filename="big.md", data=SMALL_CONSTITUTION_EN.encode() * 10, language="en")
    with pytest.raises(ApplicationError) as error:
        services.draft_sources_parse(uploads=[upload], max_bytes=100)
    assert error.value.code == "file_too_large"


def test_two_files_in_one_language_are_refused(document):
    upload = services.DraftUpload(filename="a.md", data=SMALL_CONSTITUTION_EN.encode(), language="en")
    with pytest.raises(ApplicationError) as error:
        services.draft_sources_parse(uploads=[upload, upload])
    assert error.value.code == "language_duplicate"


def test_language_is_detected_when_not_given(document):
    upload = services.DraftUpload(filename="ru.md", data=SMALL_CONSTITUTION_RU.encode())
    [source] = services.draft_sources_parse(uploads=[upload])
    assert source.language == "ru"


def test_no_upload_is_refused():
    with pytest.raises(ApplicationError):
        services.draft_sources_parse(uploads=[])


def test_plan_is_what_import_writes(document):
    sources = _sources(en=SMALL_CONSTITUTION_EN, ru=SMALL_CONSTITUTION_RU)
    plan = services.draft_import_plan(document=document, sources=sources)
    assert not DraftVersion.objects.exists()  # planning saves nothing
    version = services.draft_version_import(document=document, sources=sources)
    assert [p.path for p in plan.provisions] == list(version.provisions.order_by("order").values_list("path", flat=True))
    assert plan.coverage[0].language == "ru" and plan.coverage[0].matched == 8


def test_only_provision_key_columns_reach_the_sql():
    from drafts.services import _provisions_column_set

    with pytest.raises(ValueError):
        _provisions_column_set("id = 0; --", [(1, 2)])
